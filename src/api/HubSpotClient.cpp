// HubSpotClient: request plumbing (tokens, limiters, error sentences), record parsing, and lists
// with parallel cursors. HubSpotClientBatch.cpp has search, batch and association calls.
#include "HubSpotClient.h"

#include "RateLimiter.h"
#include "RestClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QUrlQuery>

#include <limits>

namespace halospot::api {

Q_LOGGING_CATEGORY(lcHubSpot, "halospot.api.hubspot", QtInfoMsg)

namespace {

QString idString(const QJsonValue &value)
{
    // IDs are strings in v3 JSON, but tolerate numbers (they exceed 32 bits).
    return value.isDouble() ? QString::number(qint64(value.toDouble())) : value.toString();
}

qint64 idNumber(const QString &id)
{
    bool ok = false;
    const qint64 n = id.toLongLong(&ok);
    return ok ? n : -1;
}

// How a list cursor encodes the next record's ID. HubSpot documents `after` as that ID; its spec
// shows an opaque base64-like token. Both forms are recognised; anything else is only followed.
enum class CursorForm
{
    Opaque,
    Plain,
    Base64Url,
    Base64UrlPadded
};

CursorForm cursorForm(const QString &cursor, qint64 lastId)
{
    bool ok = false;
    if (cursor.toLongLong(&ok) >= lastId && ok)
        return CursorForm::Plain;
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded && decoded.decoded.toLongLong(&ok) >= lastId && ok)
        return cursor.endsWith(QLatin1Char('=')) ? CursorForm::Base64UrlPadded
                                                 : CursorForm::Base64Url;
    return CursorForm::Opaque;
}

QString makeCursor(CursorForm form, qint64 id)
{
    const QByteArray digits = QByteArray::number(id);
    switch (form) {
    case CursorForm::Base64Url:
        return QString::fromLatin1(
            digits.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    case CursorForm::Base64UrlPadded:
        return QString::fromLatin1(digits.toBase64(QByteArray::Base64UrlEncoding));
    default:
        return QString::fromLatin1(digits);
    }
}

} // namespace

struct HubSpotClient::ListRun
{
    QString type;
    HubSpotListOptions options;
    PageSink sink;
    Done<qint64> done;
    qint64 count = 0;
    int open = 0; // segments still paging
    HubSpotReply<qint64> error;
};

HubSpotClient::HubSpotClient(HubSpotTokens *tokens, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_rest(new RestClient(QStringLiteral("HubSpot"), this))
{
    RetryPolicy policy;
    policy.timeScale = settings().timeScale;
    m_rest->setRetryPolicy(policy);
    m_rest->setMaxInFlight(m_concurrency);
    setLimiters(makeGeneralLimiter(settings()), makeSearchLimiter(settings()));

    m_rest->setAuthenticator([this](QNetworkRequest &request, RestClient::Ready ready) {
        QNetworkRequest *target = &request; // kept alive by `ready` until it is called
        m_tokens->accessToken(this, [this, target, ready](const TokenReply &reply) {
            if (!reply.ok()) {
                // Keeps the reason (reconnect needed, network failure) instead of a bare 401.
                m_rest->setAuthFailureKind(reply.error);
                ready(false, reply.message);
                return;
            }
            target->setRawHeader("Authorization", "Bearer " + reply.token.toUtf8());
            ready(true, {});
        });
    });
    m_rest->setReplyObserver([this](const ApiRequest &, const ApiResponse &response) {
        if (response.status == 429)
            ++m_rateLimited;
        Q_EMIT replied(response.status);
    });
    m_rest->setUnauthorizedHandler(
        [this](const QNetworkRequest &failed, std::function<void(bool)> retry) {
            // The token the rejected attempt carried: HubSpotTokens refreshes only when it is still
            // the current one, and otherwise hands out the newer token for the replay.
            QByteArray carried = failed.rawHeader("Authorization");
            if (carried.startsWith("Bearer "))
                carried = carried.mid(7);
            m_tokens->tokenRejected(QString::fromUtf8(carried), this,
                                    [retry](const TokenReply &reply) { retry(reply.ok()); });
        });
    m_rest->setErrorInterpreter([](const ApiRequest &request, ApiResponse &response) {
        if (response.status == 429 || response.status == 401)
            return; // the retry policy and the token logic own these
        const QJsonObject body = response.json.object();
        const QString message = body.value(QStringLiteral("message")).toString();
        if (!message.isEmpty() && response.error == ApiError::Http)
            response.message = errorSentence(response, request.what);
    });
}

HubSpotClient::~HubSpotClient() = default;

void HubSpotClient::setLimiters(std::shared_ptr<RateLimiter> general,
                                std::shared_ptr<RateLimiter> search)
{
    // RestClient reserves a slot just before each attempt (retries included), tunes the limiter
    // from the rate-limit headers and pauses it after a 429, so every request of every client
    // sharing these limiters is paced in one place.
    m_rest->setLimiter(QStringLiteral("general"), std::move(general));
    m_rest->setLimiter(QStringLiteral("search"), std::move(search));
}

std::shared_ptr<RateLimiter> HubSpotClient::makeGeneralLimiter(const HubSpotSettings &settings,
                                                               int maxRequests)
{
    // Public apps get 110 per rolling 10 s; the headers of the first reply correct this. HubSpot
    // counts a request when it gets to it, which varies by network and server queueing: slots a
    // window apart are kept >= 200 ms apart (2 % of the real window) so that jitter cannot put
    // two of them into one window.
    auto limiter = std::make_shared<RateLimiter>(maxRequests, settings.realMs(10000));
    limiter->setMarginMs(qMax<qint64>(limiter->marginMs(), 200));
    return limiter;
}

std::shared_ptr<RateLimiter> HubSpotClient::makeSearchLimiter(const HubSpotSettings &settings)
{
    // Search has its own 5 per second and sends no limit headers to tune from.
    return std::make_shared<RateLimiter>(5, settings.realMs(1000));
}

void HubSpotClient::setConcurrency(int requests)
{
    m_concurrency = qMax(1, requests);
    m_rest->setMaxInFlight(m_concurrency);
}

void HubSpotClient::cancel()
{
    // Queued requests end like running ones: with Cancelled.
    m_rest->cancelAll();
}

QString HubSpotClient::errorSentence(const ApiResponse &response, const QString &what)
{
    const QJsonObject body = response.json.object();
    QString message = body.value(QStringLiteral("message")).toString();
    const QString category = body.value(QStringLiteral("category")).toString();
    if (message.isEmpty())
        return response.message;
    if (message.size() > 300)
        message = message.left(300) + QStringLiteral("…");
    return category.isEmpty() ? tr("HubSpot refused to %1 (HTTP %2): %3")
                                    .arg(what)
                                    .arg(response.status)
                                    .arg(message)
                              : tr("HubSpot refused to %1 (HTTP %2, %3): %4")
                                    .arg(what)
                                    .arg(response.status)
                                    .arg(category, message);
}

void HubSpotClient::send(const ApiRequest &request, std::function<void(const ApiResponse &)> done)
{
    m_rest->send(request, this, [this, done = std::move(done)](const ApiResponse &response) {
        ++m_done;
        if (!response.ok() && response.error != ApiError::ReconnectNeeded &&
            m_tokens->needsReconnect() &&
            (response.error == ApiError::Unauthorized || response.status == 401)) {
            ApiResponse reconnect = response;
            reconnect.error = ApiError::ReconnectNeeded;
            reconnect.message = m_tokens->reconnectMessage();
            done(reconnect);
            return;
        }
        done(response);
    });
}

ApiRequest HubSpotClient::jsonPost(const QString &path, const QJsonObject &body,
                                   const QString &what, const QString &limiter) const
{
    ApiRequest request;
    request.method = "POST";
    request.url = settings().url(path);
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    request.contentType = "application/json";
    request.limiter = limiter;
    request.what = what;
    return request;
}

HubSpotObject HubSpotClient::parseObject(const QJsonObject &json)
{
    HubSpotObject object;
    object.id = idString(json.value(QStringLiteral("id")));
    const QJsonObject properties = json.value(QStringLiteral("properties")).toObject();
    object.properties.reserve(properties.size());
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        const QJsonValue v = it.value();
        object.properties.insert(it.key(), v.isString() ? v.toString()
                                           : v.isNull() ? QString()
                                                        : v.toVariant().toString());
    }
    object.createdAt = QDateTime::fromString(json.value(QStringLiteral("createdAt")).toString(),
                                             Qt::ISODateWithMs);
    object.updatedAt = QDateTime::fromString(json.value(QStringLiteral("updatedAt")).toString(),
                                             Qt::ISODateWithMs);
    object.archived = json.value(QStringLiteral("archived")).toBool();
    const QJsonObject associations = json.value(QStringLiteral("associations")).toObject();
    for (auto it = associations.constBegin(); it != associations.constEnd(); ++it) {
        QStringList ids;
        const QJsonArray results = it.value().toObject().value(QStringLiteral("results")).toArray();
        for (const QJsonValue &r : results) {
            const QString id = idString(r.toObject().value(QStringLiteral("id")));
            if (id.isEmpty())
                continue;
            // HubSpot's primary association type is the bare "<from>_to_<to>" (e.g.
            // "contact_to_company"); labelled and unlabeled ones carry more after it.
            const QString type = r.toObject().value(QStringLiteral("type")).toString();
            const qsizetype to = type.indexOf(QLatin1String("_to_"));
            const bool primary = to > 0 && type.indexOf(QLatin1Char('_'), to + 4) < 0;
            if (primary) {
                ids.removeAll(id);
                ids.prepend(id);
            } else if (!ids.contains(id)) {
                ids.append(id);
            }
        }
        object.associations.insert(it.key(), ids);
    }
    return object;
}

void HubSpotClient::listPage(const QString &objectType, const HubSpotListOptions &options,
                             const QString &after, Done<HubSpotPage> done)
{
    QUrl url = settings().url(settings().objectsPath(objectType));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, options.pageSize, 100)));
    if (!after.isEmpty())
        query.addQueryItem(QStringLiteral("after"), after);
    if (!options.properties.isEmpty())
        query.addQueryItem(QStringLiteral("properties"), options.properties.join(QLatin1Char(',')));
    if (!options.associations.isEmpty())
        query.addQueryItem(QStringLiteral("associations"),
                           options.associations.join(QLatin1Char(',')));
    if (options.archived)
        query.addQueryItem(QStringLiteral("archived"), QStringLiteral("true"));
    url.setQuery(query);
    ApiRequest request;
    request.url = url;
    request.what = after.isEmpty() ? tr("list %1").arg(objectType)
                                   : tr("list %1 (page after %2)").arg(objectType, after);
    send(request, [done](const ApiResponse &response) {
        if (!response.ok() || !response.json.isObject())
            return done(HubSpotReply<HubSpotPage>::failed(response));
        HubSpotReply<HubSpotPage> reply;
        reply.status = response.status;
        const QJsonObject o = response.json.object();
        const QJsonArray results = o.value(QStringLiteral("results")).toArray();
        reply.value.results.reserve(results.size());
        for (const QJsonValue &value : results)
            reply.value.results.append(parseObject(value.toObject()));
        reply.value.nextAfter = o.value(QStringLiteral("paging"))
                                    .toObject()
                                    .value(QStringLiteral("next"))
                                    .toObject()
                                    .value(QStringLiteral("after"))
                                    .toString();
        if (o.contains(QStringLiteral("total")))
            reply.value.total = o.value(QStringLiteral("total")).toInteger();
        done(reply);
    });
}

void HubSpotClient::listAll(const QString &objectType, const HubSpotListOptions &options,
                            PageSink sink, Done<qint64> done)
{
    auto run = std::make_shared<ListRun>();
    run->type = objectType;
    run->options = options;
    run->sink = std::move(sink);
    run->done = std::move(done);
    // The first page comes from the plain cursor and shows whether cursors are record IDs.
    listPage(objectType, options, {}, [this, run](const HubSpotReply<HubSpotPage> &reply) {
        if (!reply.ok()) {
            HubSpotReply<qint64> failed;
            failed.error = reply.error;
            failed.message = reply.message;
            failed.status = reply.status;
            return run->done(failed);
        }
        const QList<HubSpotObject> &results = reply.value.results;
        run->count += results.size();
        if (!results.isEmpty())
            run->sink(results);
        const QString next = reply.value.nextAfter;
        if (next.isEmpty()) {
            HubSpotReply<qint64> finished;
            finished.value = run->count;
            return run->done(finished);
        }
        const qint64 lastId = results.isEmpty() ? -1 : idNumber(results.last().id);
        const CursorForm form = lastId < 0 ? CursorForm::Opaque : cursorForm(next, lastId);
        run->open = 1;
        if (m_concurrency < 2 || run->options.archived || form == CursorForm::Opaque) {
            listSegment(run, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(),
                        next);
            return;
        }
        // The highest ID (and the total) bound the ranges the parallel cursors walk.
        HubSpotSearchQuery probe;
        probe.sortProperty = QStringLiteral("hs_object_id");
        probe.sortDescending = true;
        probe.limit = 1;
        probe.properties = {QStringLiteral("hs_object_id")};
        searchPage(run->type, probe,
                   [this, run, next, lastId, form](const HubSpotReply<HubSpotPage> &top) {
                       const qint64 maxId = top.ok() && !top.value.results.isEmpty()
                                                ? idNumber(top.value.results.first().id)
                                                : -1;
                       if (maxId <= lastId) {
                           listSegment(run, std::numeric_limits<qint64>::min(),
                                       std::numeric_limits<qint64>::max(), next);
                           return;
                       }
                       const qint64 remaining =
                           top.value.total > 0 ? top.value.total - run->count : maxId;
                       const qint64 pages =
                           qMax<qint64>(1, remaining / qMax(1, run->options.pageSize));
                       startSegments(run, lastId + 1, maxId,
                                     int(qMin<qint64>(m_concurrency, pages)), int(form));
                   });
    });
}

void HubSpotClient::startSegments(std::shared_ptr<ListRun> run, qint64 lo, qint64 maxId,
                                  int segments, int cursorForm)
{
    // One cursor per range of IDs. Starting at "after = lo - 1" is right whether HubSpot's cursor
    // means "from this ID on" (as documented) or "after this ID": records outside a segment's
    // range are dropped, so no record is delivered twice. The last range is open-ended so records
    // created meanwhile are not lost.
    const qint64 span = maxId - lo + 1;
    const qint64 width = qMax<qint64>(1, (span + segments - 1) / segments);
    QList<QPair<qint64, qint64>> ranges;
    for (qint64 from = lo; from <= maxId; from += width) {
        const bool last = from + width > maxId;
        ranges.append({from, last ? std::numeric_limits<qint64>::max() : from + width});
    }
    qCDebug(lcHubSpot) << "listing" << run->type << "with" << ranges.size() << "cursors";
    run->open = int(ranges.size());
    for (const auto &range : std::as_const(ranges))
        listSegment(run, range.first, range.second,
                    makeCursor(CursorForm(cursorForm), range.first - 1));
}

void HubSpotClient::listSegment(std::shared_ptr<ListRun> run, qint64 lo, qint64 hi, QString after)
{
    auto segmentDone = [run] {
        if (--run->open > 0)
            return;
        if (!run->error.ok())
            return run->done(run->error);
        HubSpotReply<qint64> finished;
        finished.value = run->count;
        run->done(finished);
    };
    if (!run->error.ok())
        return segmentDone();
    listPage(run->type, run->options, after,
             [this, run, lo, hi, segmentDone](const HubSpotReply<HubSpotPage> &reply) {
                 if (!reply.ok()) {
                     if (run->error.ok()) {
                         run->error.error = reply.error;
                         run->error.message = reply.message;
                         run->error.status = reply.status;
                     }
                     return segmentDone();
                 }
                 QList<HubSpotObject> keep;
                 keep.reserve(reply.value.results.size());
                 bool beyond = false;
                 for (const HubSpotObject &object : reply.value.results) {
                     const qint64 id = idNumber(object.id);
                     if (id >= hi)
                         beyond = true;
                     else if (id >= lo)
                         keep.append(object);
                 }
                 run->count += keep.size();
                 if (!keep.isEmpty())
                     run->sink(keep);
                 if (beyond || reply.value.nextAfter.isEmpty() || !run->error.ok())
                     return segmentDone();
                 listSegment(run, lo, hi, reply.value.nextAfter);
             });
}

} // namespace halospot::api
