// Every record of one HubSpot object type, read as fast as HubSpot's limits allow while the
// reader says it has room: one search for the total and the highest record ID, then list pages.
// HubSpot's list cursor is sequential (one page per round trip), so when cursors carry the next
// record's ID the rest of the ID range is split between several cursors read in parallel. Shared
// by the company and the contact import. Lives on the engine thread; asynchronous.
#pragma once

#include "HubSpotClient.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <limits>
#include <vector>

namespace halospot::engine {

class HubSpotStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubSpotStream)

public:
    // Cursors read in parallel at most. By Little's law, 11 requests/s at 0.3-0.6 s per call
    // need 3-7 in flight; 4 keep well ahead of Halo's write ceiling without crowding the HubSpot
    // window that other apps of the account share.
    static constexpr int kStreams = 4;

    // A page of records (those outside the page's cursor range already dropped). Called after
    // the next pages were asked for, so their latency hides behind the reader's work.
    using RecordsHandler = std::function<void(const QList<api::HubSpotObject> &records)>;
    // The stream gave up (a page failed after the client's and the stream's retries).
    using FailedHandler = std::function<void(const QString &message)>;
    // Asked before each page request with the records already asked for and not yet handed
    // out; false stops asking until the next pull().
    using RoomCheck = std::function<bool(qint64 recordsOnTheWay)>;

    // client must outlive the stream (both are children of the job).
    HubSpotStream(api::HubSpotClient *client, QString objectType, api::HubSpotListOptions options,
                  QObject *parent = nullptr);
    ~HubSpotStream() override;

    void setRecordsHandler(RecordsHandler handler) { m_onRecords = std::move(handler); }
    void setFailedHandler(FailedHandler handler) { m_onFailed = std::move(handler); }
    void setRoom(RoomCheck room) { m_room = std::move(room); }
    int streams() const { return m_streams; }

    // Counts, then reads the first page; pull() asks for more as room allows. A failed count
    // costs the total (ETA) and the parallel reading, nothing else.
    void start();
    void pull();
    // No more requests and no more handler calls (the job finished or was cancelled).
    void stop();

    qint64 total() const { return m_total; } // -1 while unknown
    bool isDone() const { return m_done; }   // every page has been handed out
    int readsInFlight() const { return m_readsInFlight; }
    int pageSize() const { return m_options.pageSize; }

private:
    struct Segment
    {
        qint64 lo = std::numeric_limits<qint64>::min();
        qint64 hi = std::numeric_limits<qint64>::max();
        QString after;
        bool reading = false;
        bool done = false;
        int failures = 0; // failed attempts at the current page
    };
    enum CursorForm
    {
        CursorPlain,
        CursorBase64,
        CursorBase64Padded,
    };

    void readSegment(size_t index);
    void pageRead(size_t index, int generation, const api::HubSpotReply<api::HubSpotPage> &r);
    void splitSegments(const QString &next, qint64 lastId);
    QString cursorFor(qint64 id) const;
    static qint64 idNumber(const QString &id);

    api::HubSpotClient *m_client;
    QString m_objectType;
    api::HubSpotListOptions m_options;
    RecordsHandler m_onRecords;
    FailedHandler m_onFailed;
    RoomCheck m_room;

    std::vector<Segment> m_segments;
    int m_generation = 0;
    CursorForm m_cursorForm = CursorPlain;
    qint64 m_total = -1;
    qint64 m_maxId = -1; // the highest record ID at the start (-1 = unknown)
    bool m_started = false;
    bool m_firstPageRead = false;
    bool m_stopped = false;
    bool m_done = false;
    int m_readsInFlight = 0;
    const int m_streams = kStreams;
};

} // namespace halospot::engine
