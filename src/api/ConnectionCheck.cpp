// HubSpotCheck and revokeHubSpotRefreshToken (ConnectionCheck.h); HaloCheck is in *Halo.cpp.
#include "ConnectionCheck.h"

#include "ConnectionProbe.h"
#include "HubSpotClient.h"
#include "RestClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMetaObject>
#include <QThread>

namespace halospot::api {

namespace {

constexpr int kCheckTimeoutMs = 20000;

QByteArray formField(const char *name, const QString &value)
{
    return QByteArray(name) + '=' + QUrl::toPercentEncoding(value);
}

// Introspection and revocation: a form POST below the token path that authenticates with the
// app's client credentials (no access token) and is not counted against the API rate limit.
ApiRequest tokenEndpointRequest(const HubSpotSettings &settings, const QString &action,
                                const QString &clientId, const QString &clientSecret,
                                const QString &token, const QString &tokenType)
{
    ApiRequest request;
    request.method = "POST";
    request.url = settings.url(settings.tokenPath() + action);
    request.contentType = "application/x-www-form-urlencoded";
    request.body = formField("client_id", clientId) + '&' +
                   formField("client_secret", clientSecret) + '&' + formField("token", token) +
                   '&' + formField("token_type_hint", tokenType);
    request.limiter.clear();
    request.authenticate = false;
    return request;
}

// A check is interactive: one quick retry of a transient failure, not the long backoff of a run.
RetryPolicy checkPolicy(double timeScale)
{
    RetryPolicy policy;
    policy.timeScale = timeScale;
    policy.maxAttempts = 2;
    policy.backoffBaseMs = 300;
    policy.maxRateLimitWaits = 3;
    return policy;
}

bool isClientRefusal(const ApiResponse &response)
{
    const QJsonObject body = response.json.object();
    const QString error = body.value(QStringLiteral("error")).toString();
    const QString status = body.value(QStringLiteral("status")).toString();
    return error == QLatin1String("invalid_client") || status == QLatin1String("BAD_CLIENT_ID") ||
           status == QLatin1String("BAD_CLIENT_SECRET");
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        if (v.isString() && !out.contains(v.toString()))
            out << v.toString();
    }
    return out;
}

// Introspection and the token-info endpoint describe the token's owner with the same fields.
void readTokenOwner(const QJsonObject &info, HubSpotAccount &account)
{
    account.user = info.value(QStringLiteral("user")).toString();
    account.domain = info.value(QStringLiteral("hub_domain")).toString();
    account.portalId = info.value(QStringLiteral("hub_id")).toInteger();
    account.scopes = stringList(info.value(QStringLiteral("scopes")));
    account.scopesKnown = true;
}

// requiredGranularScopes of HubSpot's MISSING_SCOPES reply (errors[].context).
QStringList scopesNamedIn(const QJsonObject &body)
{
    QStringList out;
    const QJsonArray errors = body.value(QStringLiteral("errors")).toArray();
    for (const QJsonValue &e : errors) {
        const QJsonObject context = e.toObject().value(QStringLiteral("context")).toObject();
        for (const QString &s : stringList(context.value(QStringLiteral("requiredGranularScopes"))))
            if (!out.contains(s))
                out << s;
    }
    return out;
}

QString staticTokenRefused()
{
    return QObject::tr("HubSpot refused the token: it is not, or no longer, a valid private app "
                       "token or service key (it may have been rotated or deleted). Copy the "
                       "current token from the app's Auth tab in HubSpot.");
}

} // namespace

struct HubSpotCheck::Run
{
    std::function<void(const HubSpotCheckResult &)> done;
    HubSpotCheckResult result;
    QString token; // the access token under test: never in a sentence
    bool oauth = false;
    bool retriedToken = false;
    int probesLeft = 0;
    bool failed = false;
};

HubSpotCheck::HubSpotCheck(HubSpotTokens *tokens, QString clientId, QString clientSecret,
                           QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_clientId(std::move(clientId))
    , m_clientSecret(std::move(clientSecret))
    , m_rest(new RestClient(QStringLiteral("HubSpot"), this))
    , m_client(new HubSpotClient(tokens, this))
{
    const double scale = tokens->settings().timeScale;
    m_rest->setRetryPolicy(checkPolicy(scale));
    m_rest->setTransferTimeoutMs(kCheckTimeoutMs);
    m_client->rest().setRetryPolicy(checkPolicy(scale));
    m_client->rest().setTransferTimeoutMs(kCheckTimeoutMs);
}

HubSpotCheck::~HubSpotCheck()
{
    m_run.reset();
}

QStringList HubSpotCheck::requiredScopes()
{
    return {
        QStringLiteral("crm.objects.companies.read"), QStringLiteral("crm.objects.companies.write"),
        QStringLiteral("crm.objects.contacts.read"), QStringLiteral("crm.objects.contacts.write")};
}

void HubSpotCheck::run(std::function<void(const HubSpotCheckResult &)> done)
{
    cancel();
    auto run = std::make_shared<Run>();
    run->done = std::move(done);
    run->oauth = !m_clientId.isEmpty() && !m_tokens->isStatic();
    m_run = run;
    // Queued, so that done never runs inside run() even when every answer is at hand.
    QMetaObject::invokeMethod(
        this,
        [this, run] {
            if (isCurrent(run))
                start(run);
        },
        Qt::QueuedConnection);
}

void HubSpotCheck::cancel()
{
    if (!m_run)
        return;
    m_run.reset();
    // Callbacks of the cancelled run see that it is no longer current and stop.
    m_rest->cancelAll();
    m_client->cancel();
}

void HubSpotCheck::start(const RunPtr &run)
{
    if (run->oauth) {
        withAccessToken(run, false);
        return;
    }
    // Static token: HubSpot lists no scopes for it, so account-info and two read probes tell.
    readAccountInfo(run);
}

void HubSpotCheck::withAccessToken(const RunPtr &run, bool afterRejection)
{
    auto use = [this, run](const TokenReply &reply) {
        if (!isCurrent(run))
            return;
        if (!reply.ok()) {
            fail(run, reply.error, reply.message);
            return;
        }
        run->token = reply.token;
        introspect(run);
    };
    if (afterRejection)
        m_tokens->tokenRejected(run->token, this, use);
    else
        m_tokens->accessToken(this, use);
}

void HubSpotCheck::introspect(const RunPtr &run)
{
    const HubSpotSettings &settings = m_tokens->settings();
    ApiRequest request =
        tokenEndpointRequest(settings, QStringLiteral("/introspect"), m_clientId, m_clientSecret,
                             run->token, QStringLiteral("access_token"));
    request.what = tr("read which HubSpot account the token belongs to");
    m_rest->send(request, this, [this, run](const ApiResponse &response) {
        if (!isCurrent(run))
            return;
        if (response.status == 404 || response.status == 405) {
            // An API version without introspection: the legacy token-info endpoint.
            readTokenInfo(run);
            return;
        }
        if (isClientRefusal(response)) {
            fail(run, ApiError::Unauthorized,
                 tr("HubSpot refused the app's client ID or client secret. Check both against "
                    "the app's Auth tab in HubSpot."));
            return;
        }
        if (!response.ok()) {
            fail(run, response.error, response.message);
            return;
        }
        const QJsonObject info = response.json.object();
        if (!info.value(QStringLiteral("active")).toBool(true)) {
            tokenInactive(run);
            return;
        }
        readTokenOwner(info, run->result.account);
        readAccountInfo(run);
    });
}

void HubSpotCheck::readTokenInfo(const RunPtr &run)
{
    const HubSpotSettings &settings = m_tokens->settings();
    ApiRequest request;
    request.url = settings.url(QStringLiteral("/oauth/v1/access-tokens/") + run->token);
    request.limiter.clear();
    request.authenticate = false;
    request.what = tr("read which HubSpot account the token belongs to");
    m_rest->send(request, this, [this, run](const ApiResponse &response) {
        if (!isCurrent(run))
            return;
        if (response.status == 404) {
            tokenInactive(run);
            return;
        }
        if (!response.ok()) {
            fail(run, response.error, response.message);
            return;
        }
        const QJsonObject info = response.json.object();
        readTokenOwner(info, run->result.account);
        readAccountInfo(run);
    });
}

void HubSpotCheck::tokenInactive(const RunPtr &run)
{
    // A cached access token HubSpot has dropped: one fresh token, then give up.
    if (!run->retriedToken) {
        run->retriedToken = true;
        withAccessToken(run, true);
        return;
    }
    fail(run, ApiError::ReconnectNeeded,
         tr("HubSpot no longer accepts HaloSpot's access token for this account. Connect HubSpot "
            "again."));
}

void HubSpotCheck::readAccountInfo(const RunPtr &run)
{
    m_client->accountInfo([this, run](const HubSpotReply<HubSpotAccountInfo> &reply) {
        if (!isCurrent(run))
            return;
        HubSpotAccount &account = run->result.account;
        if (reply.ok()) {
            if (account.portalId == 0)
                account.portalId = reply.value.portalId;
            if (account.domain.isEmpty())
                account.domain = reply.value.uiDomain;
            account.timeZone = reply.value.timeZone;
            account.accountType = reply.value.accountType;
        } else if (!run->oauth) {
            // For OAuth the introspection already named the account, so account-info is a bonus;
            // for a static token it is the first sign of whether the token works at all.
            if (reply.status == 401 || reply.error == ApiError::Unauthorized) {
                fail(run, ApiError::Unauthorized, staticTokenRefused());
                return;
            }
            if (reply.status != 403) {
                fail(run, reply.error, reply.message);
                return;
            }
        }
        if (run->oauth) {
            finish(run);
            return;
        }
        run->probesLeft = 2;
        probeReadScope(run, QStringLiteral("companies"));
        probeReadScope(run, QStringLiteral("contacts"));
    });
}

void HubSpotCheck::probeReadScope(const RunPtr &run, const QString &objectType)
{
    const HubSpotSettings &settings = m_tokens->settings();
    ApiRequest request;
    request.url = settings.url(settings.objectsPath(objectType));
    request.url.setQuery(QStringLiteral("limit=1"));
    request.what = tr("read one of the HubSpot %1").arg(objectType);
    m_client->rest().send(request, this, [this, run, objectType](const ApiResponse &response) {
        if (!isCurrent(run) || run->failed)
            return;
        if (response.status == 403) {
            QStringList missing = scopesNamedIn(response.json.object());
            if (missing.isEmpty())
                missing << QStringLiteral("crm.objects.%1.read").arg(objectType);
            for (const QString &scope : std::as_const(missing)) {
                if (!run->result.account.missingScopes.contains(scope))
                    run->result.account.missingScopes << scope;
            }
        } else if (response.status == 401 || response.error == ApiError::Unauthorized) {
            fail(run, ApiError::Unauthorized, staticTokenRefused());
            return;
        } else if (!response.ok()) {
            fail(run, response.error, response.message);
            return;
        }
        if (--run->probesLeft == 0)
            finish(run);
    });
}

void HubSpotCheck::fail(const RunPtr &run, ApiError error, const QString &message)
{
    run->failed = true;
    run->result.error = error == ApiError::None ? ApiError::Http : error;
    run->result.message = scrubSecrets(message, {run->token, m_clientSecret});
    const QUrl base = m_tokens->settings().apiBase;
    if (error == ApiError::Timeout) {
        Reachability silent;
        silent.problem = ReachProblem::Timeout;
        run->result.message = reachabilitySentence(QStringLiteral("HubSpot"), base, silent,
                                                   kCheckTimeoutMs, run->result.message);
    }
    if (error != ApiError::Network) {
        finish(run);
        return;
    }
    probeReachability(base, this, kCheckTimeoutMs, [this, run, base](const Reachability &reach) {
        if (!isCurrent(run))
            return;
        run->result.message = reachabilitySentence(QStringLiteral("HubSpot"), base, reach,
                                                   kCheckTimeoutMs, run->result.message);
        finish(run);
    });
}

void HubSpotCheck::finish(const RunPtr &run)
{
    if (!isCurrent(run))
        return;
    m_run.reset();
    HubSpotCheckResult &result = run->result;
    HubSpotAccount &account = result.account;
    if (result.ok() && account.scopesKnown) {
        for (const QString &scope : requiredScopes()) {
            if (!account.scopes.contains(scope))
                account.missingScopes << scope;
        }
    }
    if (result.ok() && !account.missingScopes.isEmpty()) {
        const QString missing = account.missingScopes.join(QStringLiteral(", "));
        result.message =
            account.scopesKnown
                ? tr("HubSpot granted HaloSpot only part of the access it needs; missing: %1. "
                     "Connect HubSpot again and approve every requested permission (an account "
                     "administrator may have to install the app).")
                      .arg(missing)
                : tr("The token may not read everything HaloSpot imports; missing: %1. Add these "
                     "scopes (and the matching .write scopes) to the private app in HubSpot, "
                     "then copy its token again.")
                      .arg(missing);
    }
    if (run->done)
        run->done(result);
}

// ---- revoke ----

void revokeHubSpotRefreshToken(const HubSpotSettings &settings, const QString &clientId,
                               const QString &clientSecret, const QString &refreshToken,
                               QObject *context, std::function<void(const Status &)> done)
{
    // A client of its own in context's thread, deleted once the answer is in.
    auto *rest = new RestClient(QStringLiteral("HubSpot"));
    if (context && rest->thread() != context->thread())
        rest->moveToThread(context->thread());
    rest->setRetryPolicy(checkPolicy(settings.timeScale));
    rest->setTransferTimeoutMs(kCheckTimeoutMs);
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    auto deliver = [rest, guard, hasContext, done,
                    secrets = QStringList{refreshToken, clientSecret}](const Status &status) {
        rest->deleteLater();
        if (hasContext && !guard)
            return;
        if (done)
            done(status.ok() ? status : Status::failure(scrubSecrets(status.error(), secrets)));
    };
    auto legacyDelete = [rest, settings, refreshToken, deliver] {
        ApiRequest request;
        request.method = "DELETE";
        request.url = settings.url(QStringLiteral("/oauth/v1/refresh-tokens/") + refreshToken);
        request.limiter.clear();
        request.authenticate = false;
        request.what = QObject::tr("revoke HaloSpot's access to HubSpot");
        rest->send(request, nullptr, [deliver](const ApiResponse &response) {
            // A token HubSpot no longer knows is as good as revoked.
            if (response.ok() || response.status == 404)
                deliver(Status());
            else
                deliver(Status::failure(response.message));
        });
    };
    QMetaObject::invokeMethod(
        rest, [rest, settings, clientId, clientSecret, refreshToken, deliver, legacyDelete] {
            ApiRequest request =
                tokenEndpointRequest(settings, QStringLiteral("/revoke"), clientId, clientSecret,
                                     refreshToken, QStringLiteral("refresh_token"));
            request.what = QObject::tr("revoke HaloSpot's access to HubSpot");
            rest->send(request, nullptr, [deliver, legacyDelete](const ApiResponse &response) {
                if (response.status == 404 || response.status == 405) {
                    legacyDelete();
                    return;
                }
                if (response.ok()) {
                    deliver(Status());
                    return;
                }
                if (isClientRefusal(response)) {
                    deliver(Status::failure(
                        QObject::tr("HubSpot refused the app's client ID or client secret while "
                                    "revoking the access.")));
                    return;
                }
                deliver(Status::failure(response.message));
            });
        });
}

HubSpotSettings hubSpotSettings(const core::HubSpotConnectionConfig &config)
{
    HubSpotSettings s;
    s.apiBase = config.apiBase;
    s.apiVersion = config.apiVersion;
    return s;
}

HaloSettings haloSettings(const core::HaloConnectionConfig &config, const QString &clientSecret)
{
    HaloSettings s;
    s.url = config.url;
    s.authUrl = config.authUrl;
    s.tenant = config.tenant;
    s.clientId = config.clientId;
    s.scope = config.scope.isEmpty() ? QStringLiteral("all") : config.scope;
    s.clientSecret = clientSecret;
    return s;
}

core::HubSpotAccountSnapshot accountSnapshot(const HubSpotAccount &account)
{
    core::HubSpotAccountSnapshot snapshot;
    snapshot.portalId = account.portalId;
    snapshot.domain = account.domain;
    snapshot.user = account.user;
    snapshot.scopes = account.scopes;
    snapshot.checkedAt = QDateTime::currentDateTimeUtc();
    return snapshot;
}

} // namespace halospot::api
