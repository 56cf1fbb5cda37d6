// The HubSpot CRM client: account info, property definitions, cursor-paged lists, search past the
// 10 000-result cap, batch reads and writes mapped back to each input, and v4 association reads.
// Asynchronous (callbacks on the client's thread); one client lives in and is used from one thread.
#pragma once

#include "ApiResult.h"
#include "HubSpotTokens.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace halospot::api {

class RateLimiter;
class RestClient;

Q_DECLARE_LOGGING_CATEGORY(lcHubSpot)

// One CRM record. Property values are strings as on the wire; a null QString means JSON null.
struct HubSpotObject
{
    QString id;
    QHash<QString, QString> properties;
    QDateTime createdAt;
    QDateTime updatedAt;
    bool archived = false;
    // Associated record IDs per object type ("companies"), de-duplicated (HubSpot lists a record
    // once per association type), the primary one (type "contact_to_company") first.
    QHash<QString, QStringList> associations;
};

// The outcome of one call: a value, or an error with a sentence for the user.
template<typename T>
struct HubSpotReply
{
    ApiError error = ApiError::None;
    QString message;
    int status = 0;
    T value{};
    bool ok() const { return error == ApiError::None; }

    // The failed reply for a response that was not usable (an ok response that could not be read
    // counts as malformed).
    static HubSpotReply failed(const ApiResponse &response)
    {
        HubSpotReply reply;
        reply.error = response.ok() ? ApiError::Malformed : response.error;
        reply.message = response.message;
        reply.status = response.status;
        return reply;
    }
};

struct HubSpotAccountInfo
{
    qint64 portalId = 0;
    QString timeZone;
    QString uiDomain;
    QString companyCurrency;
    QString accountType;
    qint64 utcOffsetMs = 0;
};

struct HubSpotPropertyOption
{
    QString label;
    QString value; // the internal value to write
    bool hidden = false;
    int displayOrder = 0;
};

struct HubSpotProperty
{
    QString name;
    QString label;
    QString type;      // bool, enumeration, date, datetime, string, number, or anything newer
    QString fieldType; // unknown values are kept as they come
    QString groupName;
    QString description;
    QString referencedObjectType;
    bool hidden = false;
    bool calculated = false;
    bool hasUniqueValue = false;
    bool readOnlyValue = false; // modificationMetadata.readOnlyValue: never write it
    QList<HubSpotPropertyOption> options;
};

struct HubSpotListOptions
{
    QStringList properties;   // empty: HubSpot's defaults
    QStringList associations; // e.g. {"companies"} on contacts
    bool archived = false;
    int pageSize = 100; // HubSpot's maximum for list endpoints
};

struct HubSpotPage
{
    QList<HubSpotObject> results;
    QString nextAfter; // empty on the last page
    qint64 total = -1; // search only
};

struct HubSpotSearchFilter
{
    QString propertyName;
    QString op; // EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, …
    QString value;
    QString highValue;
    QStringList values;
};

struct HubSpotSearchQuery
{
    QList<QList<HubSpotSearchFilter>> filterGroups; // OR of ANDs; empty matches everything
    QString sortProperty; // searchPage only; searchAll sorts by hs_object_id
    bool sortDescending = false;
    QStringList properties;
    QString query;
    int limit = 200; // HubSpot's maximum for search
    QString after;   // searchPage only
};

// One input of a batch call. Which fields count depends on the call: read/archive use id (and
// idProperty), create uses properties, update uses id + properties, upsert id + idProperty +
// properties.
struct HubSpotBatchInput
{
    QString id;
    QString idProperty;
    QHash<QString, QString> properties;
    QString objectWriteTraceId; // creates: filled in by the client when empty, to map 207 errors
};

// The result for one input, in input order.
struct HubSpotBatchItem
{
    ApiError error = ApiError::None;
    QString message;  // HubSpot's message for this input
    QString category; // e.g. OBJECT_NOT_FOUND, VALIDATION_ERROR, CONFLICT
    HubSpotObject object;
    bool created = false; // upsert: the record was new
    bool ok() const { return error == ApiError::None; }
};

struct HubSpotAssociation
{
    QString toId;
    QList<int> typeIds; // e.g. 1 (primary) and 279 (unlabeled) for contact -> company
};

enum class BatchOp
{
    Read,
    Create,
    Update,
    Upsert,
    Archive
};

class HubSpotClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubSpotClient)

public:
    template<typename T>
    using Done = std::function<void(const HubSpotReply<T> &)>;
    using PageSink = std::function<void(const QList<HubSpotObject> &)>;
    using AssociationMap = QHash<QString, QList<HubSpotAssociation>>;

    // `tokens` may be shared by clients on several threads and must outlive this client.
    explicit HubSpotClient(HubSpotTokens *tokens, QObject *parent = nullptr);
    ~HubSpotClient() override;

    const HubSpotSettings &settings() const { return m_tokens->settings(); }
    RestClient &rest() { return *m_rest; }

    // Limiters shared by every client of one HubSpot account, whatever thread it runs on; they are
    // handed to rest(), which reserves a slot just before each attempt (retries included), tunes
    // the general one from X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds and pauses
    // one after a 429. Defaults: 110 per 10 s (with a 200 ms
    // margin against jitter) and 5 per second, scaled by settings().timeScale.
    void setLimiters(std::shared_ptr<RateLimiter> general, std::shared_ptr<RateLimiter> search);
    static std::shared_ptr<RateLimiter> makeGeneralLimiter(const HubSpotSettings &settings,
                                                           int maxRequests = 110);
    static std::shared_ptr<RateLimiter> makeSearchLimiter(const HubSpotSettings &settings);
    // Requests this client keeps in flight at most (default 6, QNAM's parallel connections per
    // host) and the parallel cursors of listAll. By Little's law the ceiling of 11 requests/s at
    // ~0.15-0.5 s per call needs 2-6 requests in flight.
    void setConcurrency(int requests);
    int concurrency() const { return m_concurrency; }

    void accountInfo(Done<HubSpotAccountInfo> done);
    void properties(const QString &objectType, Done<QList<HubSpotProperty>> done);

    // One page of a list; pass the previous page's nextAfter to continue.
    void listPage(const QString &objectType, const HubSpotListOptions &options,
                  const QString &after, Done<HubSpotPage> done);
    // Every record of a type, streamed page by page to `sink`; `done` gets the number of records.
    // Uses several cursors in parallel over disjoint hs_object_id ranges when HubSpot's cursors
    // carry record IDs (plain, as documented, or base64), otherwise one cursor. Pages arrive in no
    // particular order across ranges.
    void listAll(const QString &objectType, const HubSpotListOptions &options, PageSink sink,
                 Done<qint64> done);

    void searchPage(const QString &objectType, const HubSpotSearchQuery &search,
                    Done<HubSpotPage> done);
    // Every match, past the 10 000 cap: pages sorted by hs_object_id ascending, each page a fresh
    // query with "hs_object_id GT <last id>" added to every filter group (so many records sharing
    // one hs_lastmodifieddate cannot loop). Adds one filter per group: keep <= 5 per group.
    void searchAll(const QString &objectType, const HubSpotSearchQuery &search, PageSink sink,
                   Done<qint64> done);

    // Any number of inputs, sent in chunks of 100 (in parallel); one item per input, in order.
    // Creates are never resent once they may have reached HubSpot (OutcomeUnknown per item).
    void batch(BatchOp op, const QString &objectType, const QList<HubSpotBatchInput> &inputs,
               const QStringList &properties, Done<QList<HubSpotBatchItem>> done);

    // v4 association batch read (from -> to), all pages; IDs HubSpot does not know are left out.
    void associations(const QString &fromType, const QString &toType, const QStringList &fromIds,
                      Done<AssociationMap> done);

    // Ends queued and running requests; their calls finish with ApiError::Cancelled.
    void cancel();

    // Requests answered (final replies, after retries), for benchmarks and diagnostics.
    qint64 requestsDone() const { return m_done; }
    qint64 rateLimitedReplies() const { return m_rateLimited; } // 429s seen, retried ones too

    static HubSpotObject parseObject(const QJsonObject &json);
    // HubSpot's error body (message, category) as one sentence naming what was being done.
    static QString errorSentence(const ApiResponse &response, const QString &what);

Q_SIGNALS:
    // Every reply from HubSpot, retried attempts included (benchmarks, diagnostics).
    void replied(int status);

private:
    struct ListRun;
    struct SearchRun;
    struct BatchRun;
    struct AssociationRun;

    // Every request goes through send(): RestClient keeps at most m_concurrency in flight and
    // paces each attempt with the shared limiter named by request.limiter.
    void send(const ApiRequest &request, std::function<void(const ApiResponse &)> done);
    ApiRequest jsonPost(const QString &path, const QJsonObject &body, const QString &what,
                        const QString &limiter = QStringLiteral("general")) const;

    void listSegment(std::shared_ptr<ListRun> run, qint64 lo, qint64 hi, QString after);
    void startSegments(std::shared_ptr<ListRun> run, qint64 lo, qint64 maxId, int segments,
                       int cursorForm);
    void searchNext(std::shared_ptr<SearchRun> run);
    void sendBatchChunk(std::shared_ptr<BatchRun> run, int first, int count);
    void finishBatchChunk(std::shared_ptr<BatchRun> run, int first, int count,
                          const ApiResponse &response);
    void readAssociations(std::shared_ptr<AssociationRun> run,
                          const QList<QPair<QString, QString>> &inputs);

    HubSpotTokens *m_tokens;
    RestClient *m_rest;
    int m_concurrency = 6;
    qint64 m_done = 0;
    qint64 m_rateLimited = 0;
};

} // namespace halospot::api
