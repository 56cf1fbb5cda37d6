// HubSpotStream: the count, the first page that decides how the rest is read, the split of the
// ID range between parallel cursors, and the per-page retries.
#include "HubSpotStream.h"

#include <QPointer>
#include <QTimer>

#include <algorithm>

namespace halospot::engine {

namespace {

constexpr int kPageRetries = 3;
constexpr int kPageRetryDelayMs = 1000;

} // namespace

HubSpotStream::HubSpotStream(api::HubSpotClient *client, QString objectType,
                             api::HubSpotListOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_objectType(std::move(objectType))
    , m_options(std::move(options))
{
    m_options.pageSize = qBound(1, m_options.pageSize, 100);
}

HubSpotStream::~HubSpotStream() = default;

void HubSpotStream::start()
{
    if (m_started || m_stopped)
        return;
    m_started = true;
    // The total feeds the ETA; the highest ID bounds the ranges the parallel cursors walk.
    api::HubSpotSearchQuery q;
    q.limit = 1;
    q.sortProperty = QStringLiteral("hs_object_id");
    q.sortDescending = true;
    q.properties = {QStringLiteral("hs_object_id")};
    QPointer<HubSpotStream> guard(this);
    m_client->searchPage(m_objectType, q,
                         [this, guard](const api::HubSpotReply<api::HubSpotPage> &r) {
                             if (!guard || m_stopped)
                                 return;
                             if (r.ok()) {
                                 m_total = r.value.total;
                                 if (!r.value.results.isEmpty())
                                     m_maxId = idNumber(r.value.results.constFirst().id);
                             }
                             m_segments.push_back(Segment{});
                             pull();
                         });
}

void HubSpotStream::stop()
{
    m_stopped = true;
}

qint64 HubSpotStream::idNumber(const QString &id)
{
    bool ok = false;
    const qint64 n = id.toLongLong(&ok);
    return ok ? n : -1;
}

void HubSpotStream::pull()
{
    if (m_stopped || m_done)
        return;
    for (size_t i = 0; i < m_segments.size(); ++i) {
        Segment &segment = m_segments[i];
        if (segment.reading || segment.done)
            continue;
        // Records on their way count against the reader's room, so that memory stays bounded
        // however fast HubSpot answers.
        if (m_room && !m_room(qint64(m_readsInFlight) * m_options.pageSize))
            return;
        if (!m_firstPageRead && i > 0)
            return;
        segment.reading = true;
        ++m_readsInFlight;
        readSegment(i);
        if (!m_firstPageRead)
            return; // the first page decides how the rest is read
    }
}

void HubSpotStream::readSegment(size_t index)
{
    const int generation = m_generation;
    QPointer<HubSpotStream> guard(this);
    m_client->listPage(
        m_objectType, m_options, m_segments[index].after,
        [this, guard, index, generation](const api::HubSpotReply<api::HubSpotPage> &r) {
            if (!guard || m_stopped)
                return;
            --m_readsInFlight;
            if (generation != m_generation)
                return;
            pageRead(index, generation, r);
        });
}

void HubSpotStream::pageRead(size_t index, int generation,
                             const api::HubSpotReply<api::HubSpotPage> &r)
{
    Segment &segment = m_segments[index];
    if (!r.ok()) {
        // The client retried already; a read is safe to repeat, so a page gets a few more
        // chances before the stream gives up.
        const bool hopeless = r.error == api::ApiError::ReconnectNeeded ||
                              r.error == api::ApiError::DailyLimit ||
                              r.error == api::ApiError::Refused;
        if (hopeless || ++segment.failures > kPageRetries) {
            m_stopped = true;
            if (m_onFailed)
                m_onFailed(r.message);
            return;
        }
        QTimer::singleShot(kPageRetryDelayMs, this, [this, index, generation] {
            if (m_stopped || generation != m_generation)
                return;
            m_segments[index].reading = false;
            pull();
        });
        return;
    }
    segment.failures = 0;
    segment.reading = false;
    QList<api::HubSpotObject> results = r.value.results;
    bool beyond = false;
    if (segment.lo > std::numeric_limits<qint64>::min() ||
        segment.hi < std::numeric_limits<qint64>::max()) {
        results.removeIf([&segment, &beyond](const api::HubSpotObject &o) {
            const qint64 id = idNumber(o.id);
            beyond = beyond || id >= segment.hi;
            return id < segment.lo || id >= segment.hi;
        });
    }
    segment.after = r.value.nextAfter;
    segment.done = beyond || segment.after.isEmpty();
    if (!m_firstPageRead) {
        m_firstPageRead = true;
        if (!segment.done) {
            ++m_generation; // nothing is in flight; the old segment goes
            splitSegments(segment.after, results.isEmpty() ? -1 : idNumber(results.constLast().id));
        }
    }
    m_done = std::all_of(m_segments.cbegin(), m_segments.cend(),
                         [](const Segment &s) { return s.done; });
    // The next pages are asked for before this one is worked through: their latency is hidden
    // behind the reader's work.
    pull();
    if (m_onRecords)
        m_onRecords(results);
}

void HubSpotStream::splitSegments(const QString &next, qint64 lastId)
{
    // When cursors carry the next record's ID (plain or base64url, as documented and as seen),
    // the rest of the ID range is split between several cursors; records outside a cursor's
    // range are dropped, so none is delivered twice. The last range is open-ended: records
    // created meanwhile are not lost. Anything else is only followed.
    Segment &first = m_segments.front();
    first.after = next;
    if (m_maxId <= lastId || lastId < 0)
        return;
    bool ok = false;
    if (next.toLongLong(&ok) >= lastId && ok) {
        m_cursorForm = CursorPlain;
    } else {
        const auto decoded = QByteArray::fromBase64Encoding(
            next.toLatin1(),
            QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.toLongLong(&ok) < lastId || !ok)
            return;
        m_cursorForm = next.endsWith(QLatin1Char('=')) ? CursorBase64Padded : CursorBase64;
    }
    const qint64 lo = lastId + 1;
    const qint64 pages = (m_maxId - lo + 1) / m_options.pageSize + 1;
    const int streams = int(qMin<qint64>(m_streams, pages));
    if (streams < 2)
        return;
    const qint64 width = (m_maxId - lo + streams) / streams;
    m_segments.clear();
    for (int i = 0; i < streams; ++i) {
        Segment segment;
        segment.lo = lo + i * width;
        segment.hi = i + 1 == streams ? std::numeric_limits<qint64>::max() : segment.lo + width;
        segment.after = cursorFor(segment.lo - 1);
        m_segments.push_back(segment);
    }
}

QString HubSpotStream::cursorFor(qint64 id) const
{
    const QByteArray digits = QByteArray::number(id);
    switch (m_cursorForm) {
    case CursorBase64:
        return QString::fromLatin1(
            digits.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    case CursorBase64Padded:
        return QString::fromLatin1(digits.toBase64(QByteArray::Base64UrlEncoding));
    default:
        return QString::fromLatin1(digits);
    }
}

} // namespace halospot::engine
