// HaloClient: authentication (discovery, client-credentials token reuse) and single-record calls.
// Paged lists are in HaloPaging.cpp.
#include "HaloClient.h"

#include "HaloErrorText.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <algorithm>
#include <cmath>

namespace halospot::api {

namespace {

ApiRequest jsonRequest(QByteArray method, const QUrl &url, QString what)
{
    ApiRequest r;
    r.method = std::move(method);
    r.url = url;
    r.what = std::move(what);
    return r;
}

QString noun(HaloResource resource, bool plural)
{
    switch (resource) {
    case HaloResource::Client:
        return plural ? QStringLiteral("clients") : QStringLiteral("client");
    case HaloResource::Site:
        return plural ? QStringLiteral("sites") : QStringLiteral("site");
    case HaloResource::Users:
        return plural ? QStringLiteral("users") : QStringLiteral("user");
    case HaloResource::FieldInfo:
        return plural ? QStringLiteral("custom field definitions")
                      : QStringLiteral("custom field definition");
    }
    return QString();
}

} // namespace

QString haloResourcePath(HaloResource resource)
{
    switch (resource) {
    case HaloResource::Client:
        return QStringLiteral("Client");
    case HaloResource::Site:
        return QStringLiteral("Site");
    case HaloResource::Users:
        return QStringLiteral("Users");
    case HaloResource::FieldInfo:
        return QStringLiteral("FieldInfo");
    }
    return QString();
}

QString haloListKey(HaloResource resource)
{
    switch (resource) {
    case HaloResource::Client:
        return QStringLiteral("clients");
    case HaloResource::Site:
        return QStringLiteral("sites");
    case HaloResource::Users:
        return QStringLiteral("users");
    case HaloResource::FieldInfo:
        return QString();
    }
    return QString();
}

std::shared_ptr<RateLimiter> HaloClient::makeLimiter(const HaloSettings &settings)
{
    const double scale = qMax(1.0, settings.timeScale);
    return std::make_shared<RateLimiter>(settings.windowMax,
                                         qint64(std::ceil(double(settings.windowMs) / scale)));
}

RetryPolicy HaloClient::defaultRetryPolicy(const HaloSettings &settings)
{
    RetryPolicy policy;
    policy.timeScale = settings.timeScale;
    // Halo's window is rolling: a short sleep after a 429 only earns another 429.
    policy.rateLimitBaseMs = 5000;
    policy.rateLimitMaxMs = 60000;
    return policy;
}

HaloClient::HaloClient(HaloSettings settings, std::shared_ptr<RateLimiter> limiter, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_limiter(limiter ? std::move(limiter) : makeLimiter(m_settings))
    , m_rest(new RestClient(QStringLiteral("Halo"), this))
    , m_tenant(m_settings.tenant)
{
    // A trailing slash or /api would double up in every path.
    QString path = m_settings.url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/api"), Qt::CaseInsensitive))
        path.chop(4);
    m_settings.url.setPath(path);
    m_settings.url.setQuery(QString());

    m_rest->setLimiter(QStringLiteral("general"), m_limiter);
    m_rest->setTransferTimeoutMs(m_settings.transferTimeoutMs);
    m_rest->setRetryPolicy(defaultRetryPolicy(m_settings));
    m_rest->setAuthenticator([this](QNetworkRequest &request, RestClient::Ready ready) {
        if (hasValidToken()) {
            request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
            ready(true, QString());
            return;
        }
        // The request is only valid until ready() is called, so the header goes in here too.
        ensureToken([this, &request, ready](bool ok, QString error, ApiError kind) {
            if (ok)
                request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
            else
                m_rest->setAuthFailureKind(kind);
            ready(ok, error);
        });
    });
    m_rest->setUnauthorizedHandler(
        [this](const QNetworkRequest &failed, std::function<void(bool)> retry) {
            // Several requests can fail with the same stale token; only the first refreshes. One
            // that carried a token already replaced replays at once with the new one, and the
            // others wait for the running fetch.
            const QByteArray carried = failed.rawHeader("Authorization");
            if (!m_fetching && hasValidToken() && carried != "Bearer " + m_token.toLatin1()) {
                retry(true);
                return;
            }
            if (!m_fetching)
                invalidateToken();
            ensureToken([retry](bool ok, QString, ApiError) { retry(ok); });
        });
    m_rest->setErrorInterpreter([](const ApiRequest &request, ApiResponse &response) {
        response.message = haloErrorSentence(request, response);
    });
}

HaloClient::~HaloClient() = default;

QUrl HaloClient::apiUrl(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_settings.url;
    url.setPath(m_settings.url.path() + QStringLiteral("/api/") + path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

bool HaloClient::hasValidToken() const
{
    return !m_token.isEmpty() && m_tokenAge.isValid() && m_tokenAge.elapsed() < m_tokenUsableMs;
}

void HaloClient::invalidateToken()
{
    m_token.clear();
    m_tokenUsableMs = 0;
}

void HaloClient::ensureToken(TokenReady ready)
{
    if (hasValidToken()) {
        ready(true, QString(), ApiError::None);
        return;
    }
    m_waiting.append(std::move(ready));
    if (m_fetching)
        return;
    m_fetching = true;
    if (m_discovered)
        fetchToken();
    else
        discover();
}

void HaloClient::discover()
{
    if (!m_settings.authUrl.isEmpty()) {
        m_tokenUrl = m_settings.authUrl;
        m_discovered = true;
        fetchToken();
        return;
    }
    ApiRequest r =
        jsonRequest("GET", apiUrl(QStringLiteral("authinfo")), tr("find the Halo sign-in server"));
    r.authenticate = false;
    m_rest->send(r, this, [this](const ApiResponse &response) {
        const QJsonObject info = response.json.object();
        const QString authUrl = info.value(QLatin1String("auth_url")).toString();
        if (response.ok() && !authUrl.isEmpty()) {
            m_tokenUrl = QUrl(authUrl);
            if (m_tenant.isEmpty())
                m_tenant = info.value(QLatin1String("tenant_id")).toString();
        } else {
            // Self-hosted instances (and older versions) serve the auth server at <url>/auth.
            m_tokenUrl = m_settings.url;
            m_tokenUrl.setPath(m_settings.url.path() + QStringLiteral("/auth"));
        }
        m_discovered = true;
        fetchToken();
    });
}

void HaloClient::fetchToken()
{
    QUrl url = m_tokenUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (!path.endsWith(QLatin1String("/token")))
        path += QStringLiteral("/token");
    url.setPath(path);
    if (!m_tenant.isEmpty())
        url.setQuery(QUrlQuery{{QStringLiteral("tenant"), m_tenant}});

    // Encoded by hand: QUrlQuery leaves '+' alone, which a form body would read as a space.
    const auto field = [](const char *key, const QString &value) {
        return QByteArray(key) + '=' + QUrl::toPercentEncoding(value);
    };
    const QByteArray form = field("grant_type", QStringLiteral("client_credentials")) + '&' +
                            field("client_id", m_settings.clientId) + '&' +
                            field("client_secret", m_settings.clientSecret) + '&' +
                            field("scope", m_settings.scope);
    ApiRequest r;
    r.method = "POST";
    r.url = url;
    r.body = form;
    r.contentType = "application/x-www-form-urlencoded";
    r.authenticate = false;
    // Token requests count against Halo's window like any other, so they take a slot too.
    r.what = tr("sign in to Halo");
    ++m_tokenFetches;
    m_rest->send(r, this, [this](const ApiResponse &response) {
        const QJsonObject o = response.json.object();
        const QString token = o.value(QLatin1String("access_token")).toString();
        if (!response.ok() || token.isEmpty()) {
            m_tokenFailure = response;
            if (response.ok()) {
                tokenFinished(false, tr("Halo's sign-in server answered without a token."),
                              ApiError::Malformed);
                return;
            }
            const bool rejected =
                response.status == 400 || response.status == 401 || response.status == 403;
            const QString sentence =
                rejected ? tr("Halo rejected the client ID or secret (%1). Check them under "
                              "Configuration > Integrations > Halo API, and the tenant name.")
                               .arg(response.message)
                         : response.message;
            tokenFinished(false, sentence, rejected ? ApiError::Unauthorized : response.error);
            return;
        }
        double lifetimeSec = o.value(QLatin1String("expires_in")).toDouble(3600);
        if (lifetimeSec <= 0)
            lifetimeSec = 3600;
        const double lifetimeMs = lifetimeSec * 1000.0 / qMax(1.0, m_settings.timeScale);
        // Reuse until shortly before expiry: a minute, or a tenth of a short lifetime.
        const double margin = qMin(60000.0 / qMax(1.0, m_settings.timeScale), lifetimeMs / 10.0);
        m_tokenFailure = ApiResponse();
        m_grantedScope = o.value(QLatin1String("scope")).toString().simplified();
        m_token = token;
        m_tokenUsableMs = qint64(lifetimeMs - margin);
        m_tokenAge.start();
        tokenFinished(true, QString(), ApiError::None);
    });
}

void HaloClient::tokenFinished(bool ok, const QString &error, ApiError kind)
{
    m_fetching = false;
    const auto waiting = std::move(m_waiting);
    m_waiting.clear();
    for (const auto &ready : waiting)
        ready(ok, error, kind);
}

void HaloClient::connectToHalo(QObject *context, Done done)
{
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    invalidateToken();
    ensureToken([guard, hasContext, done](bool ok, QString error, ApiError kind) {
        if (hasContext && !guard)
            return;
        ApiResponse r;
        r.status = ok ? 200 : 0;
        r.error = ok ? ApiError::None : kind;
        r.message = error;
        done(r);
    });
}

void HaloClient::get(HaloResource resource, qint64 id, const QUrlQuery &query, QObject *context,
                     Done done)
{
    const ApiRequest r = jsonRequest(
        "GET", apiUrl(QStringLiteral("%1/%2").arg(haloResourcePath(resource)).arg(id), query),
        tr("read %1 %2").arg(noun(resource, false)).arg(id));
    m_rest->send(r, context, std::move(done));
}

void HaloClient::post(HaloResource resource, const QJsonArray &records, QObject *context,
                      PostDone done)
{
    int creates = 0;
    for (const QJsonValue &v : records) {
        if (!v.toObject().contains(QLatin1String("id")))
            ++creates;
    }
    const int updates = int(records.size()) - creates;
    QString what;
    if (creates && updates)
        what = tr("create %1 and update %2 %3").arg(creates).arg(updates).arg(noun(resource, true));
    else if (creates)
        what = tr("create %1 %2").arg(creates).arg(noun(resource, creates != 1));
    else
        what = tr("update %1 %2").arg(updates).arg(noun(resource, updates != 1));
    ApiRequest r = jsonRequest("POST", apiUrl(haloResourcePath(resource)), what);
    r.body = QJsonDocument(records).toJson(QJsonDocument::Compact);
    r.contentType = "application/json";
    // Updates carry their id and can be repeated safely; a create repeated is a duplicate.
    r.idempotent = creates == 0;
    m_rest->send(r, context, [done](const ApiResponse &response) {
        done(response, response.ok() ? recordsOf(response) : QJsonArray());
    });
}

void HaloClient::remove(HaloResource resource, qint64 id, QObject *context, Done done)
{
    const ApiRequest r = jsonRequest(
        "DELETE", apiUrl(QStringLiteral("%1/%2").arg(haloResourcePath(resource)).arg(id)),
        tr("delete %1 %2").arg(noun(resource, false)).arg(id));
    m_rest->send(r, context, [done](const ApiResponse &response) {
        // An earlier attempt may have deleted it before its reply was lost.
        if (response.status == 404 && response.attempts > 1) {
            ApiResponse gone = response;
            gone.error = ApiError::None;
            gone.message.clear();
            done(gone);
            return;
        }
        done(response);
    });
}

QJsonArray HaloClient::recordsOf(const ApiResponse &response)
{
    if (response.json.isArray())
        return response.json.array();
    if (response.json.isObject())
        return QJsonArray{response.json.object()};
    return {};
}

} // namespace halospot::api
