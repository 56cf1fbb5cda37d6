// HubSpot credentials for the API client: a static private-app token, or OAuth access tokens that
// are refreshed before they expire, shared by every HubSpotClient of one account on any thread.
#pragma once

#include "ApiResult.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace halospot::api {

class RestClient;

// Where HubSpot is and which API version its paths use. The version is the one setting that decides
// every path: "v3" gives /crm/v3/objects/companies, a date version such as "2026-03" gives
// /crm/objects/2026-03/companies (HubSpot moved to date versions in 2026; v1-v4 lose support in
// 2027).
struct HubSpotSettings
{
    QUrl apiBase = QUrl(QStringLiteral("https://api.hubapi.com"));
    QString apiVersion = QStringLiteral("v3");
    // Only for the sandbox: its clock runs `timeScale` times faster, so rate windows and token
    // lifetimes reported by the service are that many times shorter in real time.
    double timeScale = 1.0;

    bool isDateVersion() const;
    QUrl url(const QString &path) const;
    QString objectsPath(const QString &objectType) const;    // …/objects/{type}
    QString propertiesPath(const QString &objectType) const; // …/properties/{type}
    QString associationsPath(const QString &fromType, const QString &toType) const; // v4 style
    QString accountInfoPath() const;
    QString tokenPath() const; // /oauth/v3/token or /oauth/2026-03/token
    // Scaled service time (ms, s) to real milliseconds.
    qint64 realMs(qint64 serviceMs) const;
};

// The outcome of asking for an access token: the token, or why there is none.
struct TokenReply
{
    ApiError error = ApiError::None;
    QString token;   // empty unless ok
    QString message; // a sentence for the user when not ok
    bool ok() const { return error == ApiError::None; }
};

class HubSpotTokens final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubSpotTokens)

public:
    explicit HubSpotTokens(HubSpotSettings settings, QObject *parent = nullptr);
    ~HubSpotTokens() override;

    const HubSpotSettings &settings() const { return m_settings; }

    // A private-app or service-key token: sent as is, never refreshed.
    void setStaticToken(const QString &token);
    // OAuth: the app's credentials and the stored refresh token; an access token from the last run
    // is reused when it is still valid. Clears a previous "reconnect needed" state.
    void setOAuth(const QString &clientId, const QString &clientSecret, const QString &refreshToken,
                  const QString &accessToken = {}, const QDateTime &accessExpiresAtUtc = {});
    // How long before expiry a refresh starts (HubSpot time, default 300 s). Short-lived tokens are
    // refreshed at half their lifetime at the latest.
    void setRefreshLeadSec(qint64 seconds);
    // How long the token endpoint may stay silent before a request gives up (RestClient's).
    void setTransferTimeoutMs(int ms);

    bool isStatic() const;
    bool needsReconnect() const;
    QString reconnectMessage() const;
    int refreshCount() const;

    // Delivers a usable access token on `context`'s thread (at once when one is cached).
    // Thread-safe.
    void accessToken(QObject *context, std::function<void(const TokenReply &)> done);
    // After a 401: `rejected` is the token the request carried. When it is still the current token
    // exactly one refresh runs (callers arriving meanwhile join it); otherwise the newer token is
    // delivered at once, so requests that failed during a refresh are simply replayed.
    void tokenRejected(const QString &rejected, QObject *context,
                       std::function<void(const TokenReply &)> done);

Q_SIGNALS:
    // The newest refresh token, to be stored (keychain) at once: HubSpot may rotate it.
    void refreshTokenChanged(const QString &refreshToken);
    void accessTokenChanged(const QString &accessToken, const QDateTime &expiresAtUtc);
    // The refresh token was refused: the user must connect the HubSpot account again.
    void reconnectNeeded(const QString &message);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        std::function<void(const TokenReply &)> done;
    };

    void startRefresh(); // in this object's thread, m_mutex not held
    void finishRefresh(const TokenReply &reply, const QString &refreshToken, qint64 expiresInSec);
    static void deliver(const Waiter &waiter, const TokenReply &reply);
    qint64 leadMs() const; // real ms; m_mutex held

    HubSpotSettings m_settings;
    mutable QMutex m_mutex;
    bool m_static = false;
    QString m_clientId;
    QString m_clientSecret;
    QString m_refreshToken;
    QString m_accessToken;
    QElapsedTimer m_clock;    // real time since construction
    qint64 m_expiresAtMs = 0; // on m_clock; 0 = unknown / no token
    qint64 m_lifetimeMs = 0;  // real ms the current token was issued for
    qint64 m_leadSec = 300;
    bool m_refreshing = false;
    bool m_reconnect = false;
    QString m_reconnectMessage;
    int m_refreshes = 0;
    QList<Waiter> m_waiters;
    RestClient *m_rest = nullptr; // the token endpoint's client; lives in this object's thread
};

} // namespace halospot::api
