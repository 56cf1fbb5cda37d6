// The fake HubSpot's routing, authentication, rate limits and error shapes.
#include "FakeHubSpot.h"

#include <QUuid>

namespace halospot::sandbox {

namespace {

QString uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

std::optional<ObjectKind> kindOf(const QString &segment)
{
    if (segment == QLatin1String("companies") || segment == QLatin1String("0-2") ||
        segment == QLatin1String("company"))
        return ObjectKind::Company;
    if (segment == QLatin1String("contacts") || segment == QLatin1String("0-1") ||
        segment == QLatin1String("contact"))
        return ObjectKind::Contact;
    return std::nullopt;
}

QString scopeFor(ObjectKind kind, bool write)
{
    return QStringLiteral("crm.objects.%1.%2")
        .arg(kind == ObjectKind::Company ? QStringLiteral("companies") : QStringLiteral("contacts"),
             write ? QStringLiteral("write") : QStringLiteral("read"));
}

} // namespace

FakeHubSpot::FakeHubSpot(const Generator *generator, HubSpotConfig config, HubSpotAppConfig app,
                         Clock *clock, QObject *parent)
    : HttpService(QStringLiteral("HubSpot"), clock, parent)
    , m_config(config)
    , m_oauth(std::move(app), clock, &faults())
    , m_store(generator, clock)
    , m_burst(config.burstMax, config.burstWindowMs)
    , m_searchWindow(config.searchPerSecond, 1000)
{
    m_staticToken = m_oauth.addStaticToken();
}

FakeHubSpot::~FakeHubSpot() = default;

FakeHubSpot::Route FakeHubSpot::route(const Request &request)
{
    Route r;
    const QStringList s = request.path.split(u'/', Qt::SkipEmptyParts);
    const auto at = [&](int i) { return i < s.size() ? s.at(i) : QString(); };
    // Both the numbered (v3/v4) and the date-versioned (2026-03) spellings.
    const bool v3 = at(1) == QLatin1String("v3");
    if (at(0) == QLatin1String("account-info") && s.size() == 3 &&
        at(2) == QLatin1String("details")) {
        r.family = Route::AccountInfo;
        return r;
    }
    if (at(0) != QLatin1String("crm") || s.size() < 4)
        return r;
    int typeAt = -1;
    if (v3 && at(2) == QLatin1String("objects")) {
        r.family = Route::Objects;
        typeAt = 3;
    } else if (at(1) == QLatin1String("objects") && at(2).startsWith(QLatin1String("20"))) {
        r.family = Route::Objects;
        typeAt = 3;
    } else if (v3 && at(2) == QLatin1String("properties")) {
        r.family = Route::Properties;
        typeAt = 3;
    } else if (at(1) == QLatin1String("properties") && at(2).startsWith(QLatin1String("20"))) {
        r.family = Route::Properties;
        typeAt = 3;
    } else if ((at(1) == QLatin1String("v4") && at(2) == QLatin1String("associations")) ||
               (at(1) == QLatin1String("associations") && at(2).startsWith(QLatin1String("20")))) {
        r.family = Route::Associations;
        typeAt = 3;
        const auto to = kindOf(at(4));
        if (!to) {
            r.family = Route::None;
            return r;
        }
        r.toKind = *to;
    }
    const auto kind = kindOf(at(typeAt));
    if (!kind) {
        r.family = Route::None;
        return r;
    }
    r.kind = *kind;
    r.rest = s.mid(typeAt + (r.family == Route::Associations ? 2 : 1));
    r.search = r.family == Route::Objects && r.rest == QStringList{QStringLiteral("search")};
    return r;
}

bool FakeHubSpot::isApiRequest(const Request &request) const
{
    return !request.path.startsWith(QLatin1String("/oauth/")) &&
           !request.path.startsWith(QLatin1String("/_sandbox/"));
}

Response FakeHubSpot::handle(const Request &request)
{
    m_correlation = uuid();
    if (request.path.startsWith(QLatin1String("/_sandbox/")))
        return sandboxEndpoint(request);
    if (std::optional<Response> oauth = m_oauth.handle(request, baseUrl()))
        return *oauth;
    const Route r = route(request);
    if (std::optional<Response> denied = checkAuth(request, r))
        return *denied;
    if (std::optional<Response> limited = checkLimits(r))
        return *limited;
    return api(request, r);
}

Response FakeHubSpot::api(const Request &request, const Route &r)
{
    switch (r.family) {
    case Route::AccountInfo:
        if (request.method != "GET")
            break;
        return accountInfo();
    case Route::Properties:
        if (request.method != "GET")
            break;
        return properties(r);
    case Route::Objects:
        if (r.search) {
            if (request.method != "POST")
                break;
            return search(request, r);
        }
        if (!r.rest.isEmpty() && r.rest.first() == QLatin1String("batch"))
            return batch(request, r);
        return objects(request, r);
    case Route::Associations:
        if (request.method == "POST" &&
            r.rest == QStringList{QStringLiteral("batch"), QStringLiteral("read")})
            return associationsBatchRead(request, r);
        break;
    case Route::None:
        break;
    }
    return error(404, QStringLiteral("OBJECT_NOT_FOUND"),
                 QStringLiteral("Resource not found: %1 %2")
                     .arg(QString::fromLatin1(request.method), request.path));
}

std::optional<Response> FakeHubSpot::checkAuth(const Request &request, const Route &r)
{
    const QString token = request.bearerToken();
    const TokenCheck check = token.isEmpty() ? TokenCheck{} : m_oauth.check(token);
    if (check.state == TokenState::Unknown)
        return error(401, QStringLiteral("INVALID_AUTHENTICATION"),
                     QStringLiteral("Authentication credentials not found. This API supports OAuth "
                                    "2.0 authentication and you can find more details at "
                                    "https://developers.hubspot.com/docs/methods/auth/"
                                    "oauth-overview"));
    if (check.state == TokenState::Expired)
        return error(401, QStringLiteral("EXPIRED_AUTHENTICATION"),
                     QStringLiteral("The OAuth token used to make this call expired %1 second(s) "
                                    "ago.")
                         .arg(check.expiredSecondsAgo));

    QStringList needed;
    if (r.family == Route::Objects) {
        const bool write = request.method != "GET" && !r.search &&
                           r.rest != QStringList{QStringLiteral("batch"), QStringLiteral("read")};
        needed << scopeFor(r.kind, write);
    } else if (r.family == Route::Associations) {
        needed << scopeFor(r.kind, false) << scopeFor(r.toKind, false);
    } else if (r.family == Route::Properties) {
        // Any one read scope of the object type is enough for property definitions.
        if (!check.scopes.contains(scopeFor(r.kind, false)) &&
            !check.scopes.contains(scopeFor(r.kind, true)))
            needed << scopeFor(r.kind, false);
    }
    for (const QString &scope : std::as_const(needed)) {
        if (check.scopes.contains(scope))
            continue;
        return error(
            403, QStringLiteral("MISSING_SCOPES"),
            QStringLiteral("This app hasn't been granted all required scopes to make this call. "
                           "Read more about required scopes here: "
                           "https://developers.hubspot.com/scopes."),
            QJsonArray{QJsonObject{
                {QStringLiteral("message"),
                 QStringLiteral("One or more of the following scopes are required.")},
                {QStringLiteral("context"),
                 QJsonObject{{QStringLiteral("requiredGranularScopes"), QJsonArray{scope}}}}}},
            QJsonObject{{QStringLiteral("links"),
                         QJsonObject{{QStringLiteral("scopes"),
                                      QStringLiteral("https://developers.hubspot.com/scopes")}}}});
    }
    return std::nullopt;
}

std::optional<Response> FakeHubSpot::checkLimits(const Route &r)
{
    const qint64 now = clock() ? clock()->nowMs() : 0;
    if (m_config.dailyLimit > 0) {
        const QDate today = clock() ? clock()->nowUtc().date() : QDate::currentDate();
        if (today != m_day) {
            m_day = today;
            m_dailyUsed = 0;
        }
        if (m_dailyUsed >= m_config.dailyLimit) {
            ++m_limited[2];
            return tooManyRequests(QStringLiteral("DAILY"),
                                   QStringLiteral("You have reached your daily limit."), false);
        }
    }
    if (r.search) {
        m_searchWindow.reconfigure(m_config.searchPerSecond, 1000);
        if (!m_searchWindow.tryAcquire(now)) {
            ++m_limited[1];
            return tooManyRequests(QStringLiteral("SECONDLY"),
                                   QStringLiteral("You have reached your secondly limit."), false);
        }
    } else {
        m_burst.reconfigure(m_config.burstMax, m_config.burstWindowMs);
        if (!m_burst.tryAcquire(now)) {
            ++m_limited[0];
            return tooManyRequests(QStringLiteral("TEN_SECONDLY_ROLLING"),
                                   QStringLiteral("You have reached your ten_secondly_rolling "
                                                  "limit."),
                                   false);
        }
    }
    ++m_dailyUsed;
    return std::nullopt;
}

Response FakeHubSpot::tooManyRequests(const QString &policy, const QString &message,
                                      bool withRetryAfter)
{
    Response r =
        Response::json(429, QJsonObject{{QStringLiteral("status"), QStringLiteral("error")},
                                        {QStringLiteral("message"), message},
                                        {QStringLiteral("errorType"), QStringLiteral("RATE_LIMIT")},
                                        {QStringLiteral("correlationId"), m_correlation},
                                        {QStringLiteral("policyName"), policy},
                                        {QStringLiteral("requestId"), uuid()}});
    if (withRetryAfter)
        r.setHeader("Retry-After", "1");
    return r;
}

Response FakeHubSpot::rateLimitedResponse(const Request &request, bool withRetryAfter)
{
    m_correlation = uuid();
    if (route(request).search)
        return tooManyRequests(QStringLiteral("SECONDLY"),
                               QStringLiteral("You have reached your secondly limit."),
                               withRetryAfter);
    return tooManyRequests(QStringLiteral("TEN_SECONDLY_ROLLING"),
                           QStringLiteral("You have reached your ten_secondly_rolling limit."),
                           withRetryAfter);
}

Response FakeHubSpot::serverErrorResponse(const Request &)
{
    m_correlation = uuid();
    static const int statuses[] = {500, 502, 503};
    const int status = statuses[m_serverErrors++ % 3];
    return error(status, QStringLiteral("INTERNAL_ERROR"),
                 status == 500 ? QStringLiteral("internal error")
                               : QStringLiteral("The service is temporarily unavailable."));
}

void FakeHubSpot::decorate(const Request &request, Response &response)
{
    response.setHeader("X-HubSpot-Correlation-Id",
                       (m_correlation.isEmpty() ? uuid() : m_correlation).toLatin1());
    m_correlation.clear();
    if (!isApiRequest(request) || response.status == 401)
        return;
    const qint64 now = clock() ? clock()->nowMs() : 0;
    if (!route(request).search) {
        // Search replies carry none of the rolling-window headers (GROUPAROO recordings).
        response.setHeader("X-HubSpot-RateLimit-Max", QByteArray::number(m_burst.max()));
        response.setHeader("X-HubSpot-RateLimit-Remaining",
                           QByteArray::number(m_burst.remaining(now)));
        // In real milliseconds: under a time scale the window passes N times faster, and a client
        // that tunes itself from this header must see the duration it will actually wait.
        const qint64 interval =
            clock() ? clock()->toRealMs(m_burst.windowMs()) : m_burst.windowMs();
        response.setHeader("X-HubSpot-RateLimit-Interval-Milliseconds",
                           QByteArray::number(interval));
    }
    if (m_config.dailyLimit > 0) {
        response.setHeader("X-HubSpot-RateLimit-Daily", QByteArray::number(m_config.dailyLimit));
        response.setHeader("X-HubSpot-RateLimit-Daily-Remaining",
                           QByteArray::number(qMax<qint64>(0, m_config.dailyLimit - m_dailyUsed)));
    }
}

Response FakeHubSpot::error(int status, const QString &category, const QString &message,
                            const QJsonArray &errors, const QJsonObject &extra)
{
    if (m_correlation.isEmpty())
        m_correlation = uuid();
    QJsonObject body{{QStringLiteral("status"), QStringLiteral("error")},
                     {QStringLiteral("message"), message},
                     {QStringLiteral("correlationId"), m_correlation},
                     {QStringLiteral("category"), category}};
    if (!errors.isEmpty())
        body.insert(QStringLiteral("errors"), errors);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        body.insert(it.key(), it.value());
    return Response::json(status, body);
}

Response FakeHubSpot::notFound(ObjectKind, const QString &)
{
    return error(404, QStringLiteral("OBJECT_NOT_FOUND"),
                 QStringLiteral("Object not found.  objectId are usually numeric."));
}

Response FakeHubSpot::invalidJson(const QString &detail)
{
    return error(400, QStringLiteral("VALIDATION_ERROR"), detail);
}

Response FakeHubSpot::accountInfo()
{
    const HubSpotAppConfig &app = m_oauth.config();
    return Response::json(
        200, QJsonObject{{QStringLiteral("portalId"), app.portalId},
                         {QStringLiteral("accountType"), QStringLiteral("STANDARD")},
                         {QStringLiteral("timeZone"), QStringLiteral("Europe/Berlin")},
                         {QStringLiteral("companyCurrency"), QStringLiteral("EUR")},
                         {QStringLiteral("additionalCurrencies"), QJsonArray{}},
                         {QStringLiteral("utcOffset"), QStringLiteral("+01:00")},
                         {QStringLiteral("utcOffsetMilliseconds"), 3600000},
                         {QStringLiteral("uiDomain"), QStringLiteral("app-eu1.hubspot.com")},
                         {QStringLiteral("dataHostingLocation"), QStringLiteral("eu1")}});
}

Response FakeHubSpot::properties(const Route &r)
{
    if (r.rest.size() > 1)
        return error(404, QStringLiteral("OBJECT_NOT_FOUND"), QStringLiteral("Not found"));
    if (r.rest.size() == 1) {
        const PropertyDef *def = HubSpotProperties::find(r.kind, r.rest.first());
        if (!def)
            return error(404, QStringLiteral("OBJECT_NOT_FOUND"),
                         QStringLiteral("Unable to find property %1 on object type %2")
                             .arg(r.rest.first(), HubSpotProperties::objectTypeName(r.kind)));
        return Response::json(200, HubSpotProperties::toJson(*def));
    }
    QJsonArray results;
    for (const PropertyDef &def : HubSpotProperties::definitions(r.kind))
        results.append(HubSpotProperties::toJson(def));
    return Response::json(200, QJsonObject{{QStringLiteral("results"), results}});
}

QJsonObject FakeHubSpot::stats() const
{
    const auto kindStats = [this](ObjectKind k) {
        return QJsonObject{{QStringLiteral("live"), m_store.liveCount(k)},
                           {QStringLiteral("archived"), m_store.archivedCount(k)},
                           {QStringLiteral("created"), m_store.createdCount(k)}};
    };
    return QJsonObject{{QStringLiteral("companies"), kindStats(ObjectKind::Company)},
                       {QStringLiteral("contacts"), kindStats(ObjectKind::Contact)},
                       {QStringLiteral("overlayRecords"), m_store.overlaySize()},
                       {QStringLiteral("requests"), requestCount()},
                       {QStringLiteral("searches"), m_searches},
                       {QStringLiteral("dailyUsed"), m_dailyUsed},
                       {QStringLiteral("rateLimited"),
                        QJsonObject{{QStringLiteral("TEN_SECONDLY_ROLLING"), m_limited[0]},
                                    {QStringLiteral("SECONDLY"), m_limited[1]},
                                    {QStringLiteral("DAILY"), m_limited[2]}}},
                       {QStringLiteral("accessTokensIssued"), m_oauth.issuedAccessTokens()}};
}

Response FakeHubSpot::sandboxEndpoint(const Request &request)
{
    if (request.path == QLatin1String("/_sandbox/stats") && request.method == "GET")
        return Response::json(200, stats());
    if (request.path == QLatin1String("/_sandbox/expire-tokens") && request.method == "POST") {
        m_oauth.expireAllAccessTokens();
        return Response::empty(204);
    }
    if (request.path == QLatin1String("/_sandbox/reset-limits") && request.method == "POST") {
        m_burst.reset();
        m_searchWindow.reset();
        m_dailyUsed = 0;
        return Response::empty(204);
    }
    return Response::json(
        404, QJsonObject{{QStringLiteral("message"), QStringLiteral("unknown sandbox endpoint")}});
}

} // namespace halospot::sandbox
