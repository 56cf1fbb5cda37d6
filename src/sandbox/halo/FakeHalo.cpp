// FakeHalo: construction, seeding, request routing, client-credentials tokens, bearer checks, the
// rolling-window limit and the /_sandbox/ inspection endpoints.
#include "FakeHalo.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QStringList>

#include <cmath>

namespace halospot::sandbox {

namespace {

QString randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator *rng = QRandomGenerator::system();
    for (char &c : raw)
        c = char(rng->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// Scopes a Halo API application can be granted (reference §1.2), plus OpenID's.
bool knownScope(const QString &scope)
{
    static const QStringList scopes = {QStringLiteral("all"),
                                       QStringLiteral("all:standard"),
                                       QStringLiteral("admin"),
                                       QStringLiteral("read:tickets"),
                                       QStringLiteral("edit:tickets"),
                                       QStringLiteral("read:calendar"),
                                       QStringLiteral("edit:calendar"),
                                       QStringLiteral("read:customers"),
                                       QStringLiteral("edit:customers"),
                                       QStringLiteral("read:crm"),
                                       QStringLiteral("edit:crm"),
                                       QStringLiteral("editMine:timesheets"),
                                       QStringLiteral("read:timesheets"),
                                       QStringLiteral("edit:timesheets"),
                                       QStringLiteral("read:contracts"),
                                       QStringLiteral("edit:contracts"),
                                       QStringLiteral("read:suppliers"),
                                       QStringLiteral("edit:suppliers"),
                                       QStringLiteral("read:items"),
                                       QStringLiteral("edit:items"),
                                       QStringLiteral("read:projects"),
                                       QStringLiteral("edit:projects"),
                                       QStringLiteral("read:sales"),
                                       QStringLiteral("edit:sales"),
                                       QStringLiteral("read:quotes"),
                                       QStringLiteral("edit:quotes"),
                                       QStringLiteral("read:sos"),
                                       QStringLiteral("edit:sos"),
                                       QStringLiteral("read:pos"),
                                       QStringLiteral("edit:pos"),
                                       QStringLiteral("read:invoices"),
                                       QStringLiteral("edit:invoices"),
                                       QStringLiteral("read:reporting"),
                                       QStringLiteral("edit:reporting"),
                                       QStringLiteral("read:software"),
                                       QStringLiteral("edit:software"),
                                       QStringLiteral("read:softwarelicensing"),
                                       QStringLiteral("edit:softwarelicensing"),
                                       QStringLiteral("read:kb"),
                                       QStringLiteral("edit:kb"),
                                       QStringLiteral("read:assets"),
                                       QStringLiteral("edit:assets"),
                                       QStringLiteral("access:chat"),
                                       QStringLiteral("access:adpasswordreset"),
                                       QStringLiteral("offline_access"),
                                       QStringLiteral("openid")};
    return scopes.contains(scope);
}

QString windowText(qint64 ms)
{
    if (ms % 60000 == 0)
        return QStringLiteral("%1 minute").arg(ms / 60000);
    if (ms % 1000 == 0)
        return QStringLiteral("%1 second").arg(ms / 1000);
    return QStringLiteral("%1 millisecond").arg(ms);
}

} // namespace

FakeHalo::FakeHalo(HaloConfig config, Clock *clock, QObject *parent)
    : HttpService(QStringLiteral("Halo"), clock, parent)
    , m_config(std::move(config))
    , m_window(m_config.windowMax, m_config.windowMs)
{
    if (m_config.clientId.isEmpty())
        m_config.clientId = randomToken(12);
    if (m_config.clientSecret.isEmpty())
        m_config.clientSecret = randomToken(32);
}

FakeHalo::~FakeHalo() = default;

qint64 FakeHalo::nowUtcMs() const
{
    return clock()->nowUtc().toMSecsSinceEpoch();
}

int FakeHalo::createClient(HaloClientRec rec, const QString &siteName, const QString &sitePhone)
{
    // Every new client gets its main site at once (reference §3.3 leaves this UNCONFIRMED; the
    // fake does it so that users always have a site to go to).
    rec.createdMs = rec.updatedMs = nowUtcMs();
    const int id = m_store.insertClient(std::move(rec));
    HaloSiteRec site;
    site.clientId = id;
    site.name = siteName.isEmpty() ? QStringLiteral("Main") : siteName;
    site.phonenumber = sitePhone;
    site.createdMs = site.updatedMs = nowUtcMs();
    HaloClientRec updated = *m_store.client(id);
    updated.mainSiteId = m_store.insertSite(std::move(site));
    m_store.replaceClient(updated);
    ++m_version;
    return id;
}

int FakeHalo::addClient(const QString &name, const QString &website, bool inactive)
{
    HaloClientRec rec;
    rec.name = name;
    rec.website = website;
    rec.inactive = inactive;
    return createClient(std::move(rec), QString(), QString());
}

int FakeHalo::addSite(int clientId, const QString &name)
{
    HaloSiteRec site;
    site.clientId = clientId;
    site.name = name;
    site.createdMs = site.updatedMs = nowUtcMs();
    ++m_version;
    return m_store.insertSite(std::move(site));
}

int FakeHalo::addUser(int siteId, const QString &firstname, const QString &surname,
                      const QString &email)
{
    HaloUserRec user;
    user.siteId = siteId;
    user.firstname = firstname;
    user.surname = surname;
    user.email = email;
    user.createdMs = user.updatedMs = nowUtcMs();
    ++m_version;
    return m_store.insertUser(std::move(user));
}

void FakeHalo::expireAllTokens()
{
    m_accessTokens.clear();
}

qint64 FakeHalo::tokenLifetimeSec()
{
    const qint64 fault = faults().rates().tokenLifetimeSec;
    return fault >= 0 ? fault : m_config.tokenLifetimeSec;
}

QString FakeHalo::issueToken(const QString &scope)
{
    const qint64 now = clock()->nowMs();
    if (m_accessTokens.size() > 1024) {
        for (auto it = m_accessTokens.begin(); it != m_accessTokens.end();) {
            if (it.value().expiresAtMs <= now)
                it = m_accessTokens.erase(it);
            else
                ++it;
        }
    }
    const QString token = randomToken(32);
    m_accessTokens.insert(token, AccessGrant{now + tokenLifetimeSec() * 1000,
                                             scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)});
    return token;
}

const FakeHalo::AccessGrant *FakeHalo::grantFor(const Request &request) const
{
    const QString token = request.bearerToken();
    if (token.isEmpty())
        return nullptr;
    const auto it = m_accessTokens.constFind(token);
    if (it == m_accessTokens.constEnd() || clock()->nowMs() >= it.value().expiresAtMs)
        return nullptr;
    return &it.value();
}

// Which scope grants what is not documented (reference §1.2 lists the names only): "all",
// "all:standard" and "admin" are taken to cover customers fully, read:customers to read them and
// edit:customers to read and change them. read:crm / edit:crm are taken to mean Halo's CRM area
// (notes, opportunities), not the customer records themselves. FieldInfo (the custom field
// definitions of customers, sites and users) needs the same read rights as the customers.
bool FakeHalo::scopeCanReadCustomers(const QStringList &scopes)
{
    for (const char *s : {"all", "all:standard", "admin", "read:customers", "edit:customers"}) {
        if (scopes.contains(QLatin1String(s)))
            return true;
    }
    return false;
}

bool FakeHalo::scopeCanEditCustomers(const QStringList &scopes)
{
    for (const char *s : {"all", "all:standard", "admin", "edit:customers"}) {
        if (scopes.contains(QLatin1String(s)))
            return true;
    }
    return false;
}

std::optional<Response> FakeHalo::scopeRefusal(const AccessGrant &grant, bool write)
{
    if (write ? scopeCanEditCustomers(grant.scopes) : scopeCanReadCustomers(grant.scopes))
        return std::nullopt;
    // The {"Message"} shape, as for the 401 (both come from Halo's authorisation filter).
    const QString scope =
        grant.scopes.isEmpty() ? QStringLiteral("(none)") : grant.scopes.join(QLatin1Char(' '));
    return HaloError::plain(403, QStringLiteral("The API application's scope '%1' does not "
                                                "permit this request: it needs %2.")
                                     .arg(scope, write ? QStringLiteral("edit:customers")
                                                       : QStringLiteral("read:customers")))
        .toResponse();
}

Response FakeHalo::handle(const Request &request)
{
    QString path = request.path.toLower();
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.startsWith(QLatin1String("/_sandbox/")))
        return sandboxEndpoint(request, path);

    // Every request counts against the window (token and authinfo requests too); refused ones do
    // not, so a client that backs off gets back in as the window rolls.
    if (m_window.max() != m_config.windowMax || m_window.windowMs() != m_config.windowMs)
        m_window.reconfigure(m_config.windowMax, m_config.windowMs);
    qint64 retryAfterMs = 0;
    if (!m_window.tryAcquire(clock()->nowMs(), &retryAfterMs))
        return windowExceeded(retryAfterMs, true);
    return route(request, path);
}

Response FakeHalo::route(const Request &request, const QString &path)
{
    if (path == QLatin1String("/auth/token"))
        return token(request);
    if (path == QLatin1String("/api/authinfo")) {
        if (request.method != "GET")
            return HaloError::plain(405, QStringLiteral("The requested resource does not "
                                                        "support http method '%1'.")
                                             .arg(QString::fromLatin1(request.method)))
                .toResponse();
        return authInfo(request);
    }
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const auto unknown = [&request] {
        return HaloError::plain(404, QStringLiteral("No HTTP resource was found that matches "
                                                    "the request URI '%1'.")
                                         .arg(request.path))
            .toResponse();
    };
    if (parts.size() < 2 || parts.size() > 3 || parts.at(0) != QLatin1String("api"))
        return unknown();

    const QString resource = parts.at(1);
    std::optional<Kind> kind;
    if (resource == QLatin1String("client"))
        kind = Kind::Client;
    else if (resource == QLatin1String("site"))
        kind = Kind::Site;
    else if (resource == QLatin1String("users"))
        kind = Kind::User;
    else if (resource != QLatin1String("fieldinfo"))
        return unknown();

    // Reference §1.6: a missing, unknown or expired token is a 401; a token whose scope does not
    // cover customers a 403 (checked only for the methods a resource supports, so that 405 stays).
    const AccessGrant *grant = grantFor(request);
    if (!grant) {
        Response r = HaloError::plain(401, QStringLiteral("Authorization has been denied for "
                                                          "this request."))
                         .toResponse();
        r.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return r;
    }

    int id = 0;
    if (parts.size() == 3) {
        bool ok = false;
        id = parts.at(2).toInt(&ok);
        if (!ok)
            return unknown();
    }
    const auto notAllowed = [&request] {
        return HaloError::plain(405, QStringLiteral("The requested resource does not "
                                                    "support http method '%1'.")
                                         .arg(QString::fromLatin1(request.method)))
            .toResponse();
    };

    const bool write = request.method == "POST" || request.method == "DELETE";
    if (request.method == "GET" || (write && kind)) {
        if (auto refused = scopeRefusal(*grant, write))
            return *refused;
    }
    if (!kind) {
        if (request.method != "GET")
            return notAllowed();
        return fieldInfo(request, parts.size() == 3 ? id : -1);
    }
    if (parts.size() == 2) {
        if (request.method == "GET")
            return list(*kind, request);
        if (request.method == "POST")
            return post(*kind, request);
        return notAllowed();
    }
    if (request.method == "GET")
        return getOne(*kind, id);
    if (request.method == "DELETE")
        return remove(*kind, id);
    return notAllowed();
}

Response FakeHalo::authInfo(const Request &request) const
{
    // Built from the Host header so that the URL is right behind the FaultProxy too.
    QString origin = baseUrl().toString();
    const QByteArray host = request.header("host");
    if (!host.isEmpty())
        origin = QStringLiteral("http://") + QString::fromLatin1(host);
    return Response::json(200,
                          QJsonObject{{QStringLiteral("auth_url"), origin + QLatin1String("/auth")},
                                      {QStringLiteral("tenant_id"), m_config.tenant}});
}

Response FakeHalo::token(const Request &request)
{
    // Failures follow OpenIddict (reference §1.3): {"error", "error_description"}; a wrong client
    // or secret is 401 invalid_client, every malformed request 400.
    const auto fail = [](int status, const char *code, const QString &description) {
        return HaloError::oauth(status, QLatin1String(code), description).toResponse();
    };
    if (request.method != "POST")
        return fail(400, "invalid_request",
                    QStringLiteral("The specified HTTP method is not valid."));
    const QByteArray contentType = request.header("content-type").toLower();
    if (!contentType.isEmpty() && !contentType.startsWith("application/x-www-form-urlencoded"))
        return fail(400, "invalid_request",
                    QStringLiteral("The specified 'Content-Type' header is invalid."));
    const QUrlQuery form = request.form();
    const auto field = [&form](const char *key) {
        return form.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };

    // Hosted Halo takes ?tenant= on the token URL (one SDK sends it as a form field instead).
    QString tenant = request.query.queryItemValue(QStringLiteral("tenant"), QUrl::FullyDecoded);
    if (tenant.isEmpty())
        tenant = field("tenant");
    if (!tenant.isEmpty() && tenant.compare(m_config.tenant, Qt::CaseInsensitive) != 0)
        return fail(400, "invalid_request",
                    QStringLiteral("The specified tenant '%1' is not valid.").arg(tenant));

    const QString grant = field("grant_type");
    if (grant.isEmpty())
        return fail(400, "invalid_request",
                    QStringLiteral("The mandatory 'grant_type' parameter is missing."));
    if (grant != QLatin1String("client_credentials") && grant != QLatin1String("refresh_token"))
        return fail(400, "unsupported_grant_type",
                    QStringLiteral("The specified 'grant_type' parameter is not supported."));

    QString clientId = field("client_id");
    QString secret = field("client_secret");
    const QByteArray basic = request.header("authorization").trimmed();
    if (basic.startsWith("Basic ")) {
        const QByteArray pair = QByteArray::fromBase64(basic.mid(6).trimmed());
        const qsizetype colon = pair.indexOf(':');
        if (colon > 0) {
            clientId = QUrl::fromPercentEncoding(pair.left(colon));
            secret = QUrl::fromPercentEncoding(pair.mid(colon + 1));
        }
    }
    if (clientId.isEmpty())
        return fail(400, "invalid_request",
                    QStringLiteral("The mandatory 'client_id' parameter is missing."));
    if (clientId != m_config.clientId || secret != m_config.clientSecret)
        return fail(401, "invalid_client",
                    QStringLiteral("The specified client credentials are invalid."));

    if (grant == QLatin1String("refresh_token")) {
        const QString refresh = field("refresh_token");
        const auto it = m_refreshTokens.constFind(refresh);
        if (refresh.isEmpty() || it == m_refreshTokens.constEnd())
            return fail(400, "invalid_grant",
                        QStringLiteral("The specified refresh token is invalid."));
        const QString scope = it.value();
        m_refreshTokens.remove(refresh); // single use (reference §1.4)
        return tokenReply(scope);
    }

    QString scope = field("scope").simplified();
    if (scope.isEmpty())
        scope = QStringLiteral("all");
    const QStringList scopes = scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &s : scopes) {
        if (!knownScope(s))
            return fail(
                400, "invalid_scope",
                QStringLiteral("The specified 'scope' parameter is not valid: '%1'.").arg(s));
    }
    return tokenReply(scope);
}

Response FakeHalo::tokenReply(const QString &scope)
{
    const QString access = issueToken(scope);
    const QString refresh = randomToken(32);
    if (m_refreshTokens.size() > 1024)
        m_refreshTokens.clear();
    m_refreshTokens.insert(refresh, scope);
    const qint64 lifetime = tokenLifetimeSec();
    // An unsigned JWT-shaped id_token: clients only pass it around (reference §1.3).
    const QByteArray header =
        QByteArray(R"({"alg":"none","typ":"JWT"})")
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray payload =
        toJsonBytes(QJsonObject{{QStringLiteral("sub"), m_config.clientId},
                                {QStringLiteral("tenant"), m_config.tenant},
                                {QStringLiteral("exp"), (nowUtcMs() / 1000) + lifetime}})
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return Response::json(
        200, QJsonObject{
                 {QStringLiteral("access_token"), access},
                 {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                 {QStringLiteral("expires_in"), lifetime},
                 {QStringLiteral("scope"), scope},
                 {QStringLiteral("refresh_token"), refresh},
                 {QStringLiteral("id_token"), QString::fromLatin1(header + '.' + payload + '.')},
             });
}

Response FakeHalo::windowExceeded(qint64 retryAfterMs, bool withRetryAfter) const
{
    // The text hosted Halo answers with (reference §7.2), as a bare JSON string.
    const QString text = QStringLiteral("Rate Limit Reached - %1 Requests per rolling %2 window")
                             .arg(m_config.windowMax)
                             .arg(windowText(m_config.windowMs));
    Response r = HaloError{429, HaloErrorShape::BareString, text, {}}.toResponse();
    if (withRetryAfter) {
        // Retry-After is UNCONFIRMED for real Halo; sent here in real seconds.
        const qint64 realMs = clock()->toRealMs(qMax<qint64>(retryAfterMs, 1));
        r.setHeader("Retry-After", QByteArray::number(qMax<qint64>(1, (realMs + 999) / 1000)));
    }
    return r;
}

Response FakeHalo::rateLimitedResponse(const Request &, bool withRetryAfter)
{
    return windowExceeded(1000, withRetryAfter);
}

Response FakeHalo::serverErrorResponse(const Request &)
{
    static const int statuses[] = {500, 502, 503};
    const int status = statuses[m_serverErrors++ % 3];
    return HaloError::badBody(QStringLiteral("An error has occurred."),
                              QStringLiteral("System.Exception"))
        .withStatus(status)
        .toResponse();
}

Response FakeHalo::sandboxEndpoint(const Request &request, const QString &path)
{
    if (path == QLatin1String("/_sandbox/stats") && request.method == "GET") {
        return Response::json(
            200, QJsonObject{
                     {QStringLiteral("clients"), m_store.clientCount()},
                     {QStringLiteral("sites"), m_store.siteCount()},
                     {QStringLiteral("users"), m_store.userCount()},
                     {QStringLiteral("fields"), m_fields.all().size()},
                     {QStringLiteral("access_tokens"), m_accessTokens.size()},
                     {QStringLiteral("requests"), requestCount()},
                     {QStringLiteral("window_max"), m_config.windowMax},
                     {QStringLiteral("window_ms"), m_config.windowMs},
                     {QStringLiteral("window_remaining"), m_window.remaining(clock()->nowMs())},
                     {QStringLiteral("rate_limited"), countForStatus(429)},
                 });
    }
    if (path == QLatin1String("/_sandbox/expire-tokens") && request.method == "POST") {
        expireAllTokens();
        return Response::json(200, QJsonObject{{QStringLiteral("expired"), true}});
    }
    return HaloError::plain(404, QStringLiteral("Unknown sandbox endpoint '%1'.").arg(path))
        .toResponse();
}

} // namespace halospot::sandbox
