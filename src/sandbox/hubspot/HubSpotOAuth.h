// The fake HubSpot's OAuth 2.0 authorization server: consent page, code exchange, refresh, token
// info, introspection and revocation, plus the bearer-token check the API side uses for its 401s.
#pragma once

#include "Clock.h"
#include "FaultPlan.h"
#include "HttpService.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace halospot::sandbox {

struct HubSpotAppConfig
{
    QString clientId;     // random when left empty
    QString clientSecret; // random when left empty
    qint64 accessTokenLifetimeSec = 1800;
    qint64 portalId = 24681357;
    QString hubDomain = QStringLiteral("sandbox.hubspot.invalid");
    QString userEmail = QStringLiteral("admin@sandbox.invalid");
    QStringList
        grantedScopes; // default set in the constructor when empty: oauth + the 4 crm.objects.*
    bool autoApprove = false; // tests: /oauth/authorize redirects at once without the consent page
    // tests: /oauth/authorize answers at once as if Deny had been clicked (error=access_denied);
    // wins over autoApprove. Lets a browser that cannot click (headless) reach the refusal.
    bool autoDeny = false;

    // Additions beyond the shared interface.
    QString appName = QStringLiteral("HaloSpot");
    qint64 appId = 1357911;
    qint64 userId = 8675309;
    qint64 codeLifetimeSec = 300; // authorization codes are short-lived and single use
    // The app's registered redirect URLs; empty accepts any URL that passes HubSpot's shape rules
    // (https, or http on host localhost).
    QStringList redirectUris;
    // false: a refresh answers with a new refresh token and the old one keeps working until
    // revoked. true: the refresh token used is invalidated (catches clients that do not store the
    // newest one).
    bool rotateRefreshTokens = false;
};

enum class TokenState
{
    Valid,
    Expired,
    Unknown
};

struct TokenCheck
{
    TokenState state = TokenState::Unknown;
    QStringList scopes;
    qint64 expiredSecondsAgo = 0;
};

class HubSpotOAuth final
{
public:
    HubSpotOAuth(HubSpotAppConfig config, Clock *clock, FaultPlan *faults);

    HubSpotAppConfig &config() { return m_config; }
    const HubSpotAppConfig &config() const { return m_config; }

    // Answers /oauth/... paths (authorize page + consent decision, token endpoints, introspect,
    // revoke, token info); unknown /oauth/ paths get a 404. std::nullopt for any other path.
    // baseUrl = the service's own origin (shown on the consent page).
    std::optional<Response> handle(const Request &request, const QUrl &baseUrl);

    TokenCheck check(const QString &bearerToken) const; // for the API side's 401s
    // Private-app / service-key style token: never expires; empty scopes = every grantable scope.
    QString addStaticToken(const QStringList &scopes = {});
    void expireAllAccessTokens(); // "tokens expiring early" fault

    // The scopes every sandbox app may grant by default.
    static QStringList defaultScopes();
    // Access tokens issued through the token endpoints (static ones excluded), for tests and stats.
    qint64 issuedAccessTokens() const { return m_issued; }

private:
    struct PendingAuthorization
    {
        QString redirectUri;
        QStringList scopes;
        QString state;
        bool hasState = false;
        QString codeChallenge;
        qint64 createdMs = 0;
    };
    struct AuthCode
    {
        QString clientId;
        QString redirectUri;
        QStringList scopes;
        QString codeChallenge;
        qint64 expiresAtMs = 0;
    };
    struct Grant // one installation: every refresh token minted from one authorization
    {
        QString clientId;
        QStringList scopes;
        bool revoked = false;
    };
    struct AccessToken
    {
        qint64 grantId = -1; // -1: static token
        QStringList scopes;
        qint64 expiresAtMs = 0;
        bool isStatic = false;
    };
    struct RefreshToken
    {
        qint64 grantId = -1;
        bool revoked = false;
    };

    Response authorize(const Request &request, const QString &portalInPath, const QUrl &baseUrl);
    Response decide(const Request &request);
    Response token(const Request &request, const QString &version);
    Response exchangeCode(const QUrlQuery &form);
    Response refresh(const QUrlQuery &form);
    Response accessTokenInfo(const QString &token) const;
    Response refreshTokenInfo(const QString &token) const;
    Response deleteRefreshToken(const QString &token);
    Response introspect(const Request &request);
    Response revoke(const Request &request);

    // Checks the form's client_id/client_secret; an error response when they are wrong.
    std::optional<Response> checkClient(const QUrlQuery &form) const;
    std::optional<Response> checkFormBody(const Request &request) const;
    Response issueTokens(qint64 grantId, const QStringList &scopes);
    QString newAccessToken(qint64 grantId, const QStringList &scopes, qint64 lifetimeSec);
    qint64 lifetimeSec() const;
    std::optional<qint64> activeGrant(const QString &refreshToken) const;
    void revokeRefreshToken(const QString &token);
    void prune();
    qint64 now() const;
    Response codeRedirect(const PendingAuthorization &pending);

    static QUrl redirectWith(const QString &redirectUri,
                             const QList<QPair<QString, QString>> &items);
    Response redirectError(const PendingAuthorization &pending, const QString &error,
                           const QString &description) const;

    HubSpotAppConfig m_config;
    Clock *m_clock;
    FaultPlan *m_faults;
    QHash<QString, PendingAuthorization> m_pending;
    QHash<QString, AuthCode> m_codes;
    QHash<qint64, Grant> m_grants;
    QHash<QString, AccessToken> m_access;
    QHash<QString, RefreshToken> m_refresh;
    qint64 m_nextGrant = 1;
    qint64 m_issued = 0;
};

} // namespace halospot::sandbox
