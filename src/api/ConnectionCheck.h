// The checks behind the Connect tab and `halospot status`: which HubSpot account a token belongs to
// (and whether it carries the scopes HaloSpot needs), revoking a refresh token on Disconnect, and
// the step-by-step Halo "Test connection" with a specific sentence for each common failure.
#pragma once

#include "ApiResult.h"
#include "ConnectionConfig.h"
#include "HaloClient.h"
#include "HubSpotTokens.h"
#include "Result.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace halospot::api {

struct HubSpotAccount
{
    qint64 portalId = 0;
    QString domain;           // e.g. acme.hubspot.com (hub_domain, else account-info's uiDomain)
    QString user;             // the e-mail of the user who granted access; empty for static tokens
    QString timeZone;         // account-info
    QString accountType;      // account-info
    QStringList scopes;       // granted scopes; empty when HubSpot does not list them
    bool scopesKnown = false; // true for OAuth tokens (introspection lists them)
    QStringList
        missingScopes; // required scopes not granted (scopesKnown), else those probes refused
};

struct HubSpotCheckResult
{
    ApiError error = ApiError::None;
    QString message; // a sentence for the user when not ok
    HubSpotAccount account;
    bool ok() const { return error == ApiError::None; }
};

// Asks HubSpot who the token belongs to. For OAuth it introspects the access token (client ID and
// secret are needed for that) to learn the user, domain and scopes; for a static token, where
// HubSpot lists no scopes, it reads the account details and probes one company and one contact so
// that a token without read access is caught before it is saved. Lives in one thread; `tokens` must
// outlive it.
class HubSpotCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubSpotCheck)

public:
    // clientId/clientSecret: the OAuth app's (empty for static tokens).
    HubSpotCheck(HubSpotTokens *tokens, QString clientId, QString clientSecret,
                 QObject *parent = nullptr);
    ~HubSpotCheck() override;

    // done runs once, on this object's thread, never inside the call.
    void run(std::function<void(const HubSpotCheckResult &)> done);
    // Ends a running check; done is not called.
    void cancel();

    static QStringList requiredScopes(); // the four CRM object scopes

private:
    struct Run;
    using RunPtr = std::shared_ptr<Run>;

    bool isCurrent(const RunPtr &run) const { return run && run == m_run; }
    void start(const RunPtr &run);
    void withAccessToken(const RunPtr &run, bool afterRejection);
    void introspect(const RunPtr &run);
    void readTokenInfo(const RunPtr &run);
    void tokenInactive(const RunPtr &run);
    void readAccountInfo(const RunPtr &run);
    void probeReadScope(const RunPtr &run, const QString &objectType);
    // Ends the run with an error; network failures are first probed for a specific sentence.
    void fail(const RunPtr &run, ApiError error, const QString &message);
    void finish(const RunPtr &run);

    HubSpotTokens *m_tokens;
    QString m_clientId;
    QString m_clientSecret;
    class RestClient *m_rest;      // token endpoints (introspect, token info): no bearer token
    class HubSpotClient *m_client; // account-info and the read probes, authenticated by m_tokens
    std::shared_ptr<Run> m_run;
};

// Revokes a refresh token (Disconnect): POST <tokenPath>/revoke with the app's credentials
// (v3/date versions), falling back to DELETE /oauth/v1/refresh-tokens/{token} when the newer
// endpoint is not there. A token HubSpot no longer knows counts as revoked. done runs on
// context's thread.
void revokeHubSpotRefreshToken(const HubSpotSettings &settings, const QString &clientId,
                               const QString &clientSecret, const QString &refreshToken,
                               QObject *context, std::function<void(const Status &)> done);

enum class HaloStep
{
    Token,          // discovery (authinfo) + client-credentials token
    ReadCustomers,  // GET /api/Client (one row)
    ReadFields,     // GET /api/FieldInfo
    WritePermission // the granted scope allows editing customers and users
};

struct HaloStepResult
{
    enum class State
    {
        Ok,
        Warning, // worked with a caveat (e.g. read-only scope)
        Failed,
        Skipped, // an earlier step failed
    };
    HaloStep step = HaloStep::Token;
    State state = State::Skipped;
    QString title;   // "Get a token", "Read customers", …
    QString message; // what was found or what went wrong, as a sentence a user can act on
};

// Halo's "Test connection": each step in order, reported as it finishes. Specific sentences for a
// wrong client secret or ID, a wrong tenant, an unreachable host, a TLS failure and missing
// permission (403 or a scope without edit rights). Lives in one thread.
class HaloCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HaloCheck)

public:
    explicit HaloCheck(HaloSettings settings, QObject *parent = nullptr);
    ~HaloCheck() override;

    // Starts (or restarts) the steps; stepFinished for each, then finished once.
    void run();
    void cancel();
    bool isRunning() const;

    static QString stepTitle(HaloStep step);

Q_SIGNALS:
    void stepFinished(const halospot::api::HaloStepResult &result);
    // ok: no step failed (warnings allowed). results: one per step, in order.
    void finished(bool ok, const QList<halospot::api::HaloStepResult> &results);

private:
    struct Run;
    using RunPtr = std::shared_ptr<Run>;

    bool isCurrent(const RunPtr &run) const { return run && run == m_run; }
    void getToken(const RunPtr &run);
    void readCustomers(const RunPtr &run);
    void readFields(const RunPtr &run);
    void checkWritePermission(const RunPtr &run);
    // Records a step's outcome and reports it; a failure marks the remaining steps Skipped and
    // ends the run. True when the run goes on (not failed, and not cancelled, restarted or
    // deleted by a receiver of stepFinished).
    bool stepDone(const RunPtr &run, HaloStep step, HaloStepResult::State state,
                  const QString &message);
    void finish(const RunPtr &run);
    QString tokenFailureSentence(const RunPtr &run, const ApiResponse &response) const;

    HaloSettings m_settings;
    std::shared_ptr<Run> m_run;
};

// The settings the API clients need, from the configuration the administrator entered.
HubSpotSettings hubSpotSettings(const core::HubSpotConnectionConfig &config);
HaloSettings haloSettings(const core::HaloConnectionConfig &config, const QString &clientSecret);
// What is remembered of a checked account (no secrets), stamped now.
core::HubSpotAccountSnapshot accountSnapshot(const HubSpotAccount &account);

} // namespace halospot::api

Q_DECLARE_METATYPE(halospot::api::HaloStepResult)
