// The "import companies" job (SPEC §2, §4): Halo indexes read once, HubSpot companies streamed
// page by page, filtered by lifecycle stage, resolved (link, HubSpot ID in Halo, mapping table,
// one name match, else create), converted, and written in Halo array POSTs guarded by the intent
// journal so that no record is ever created twice. A dry run is the same pipeline without writes.
// Lives on the engine thread; everything is asynchronous.
#pragma once

#include "CustomerIndex.h"
#include "EngineTypes.h"
#include "FieldTypes.h"
#include "HubSpotClient.h"
#include "HubSpotStream.h"
#include "ImportJob.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include <deque>

namespace halospot::core {
class Store;
}

namespace halospot::api {
class HaloClient;
class HubSpotClient;
class HubSpotTokens;
} // namespace halospot::api

namespace halospot::engine {

class CompanyImport final : public ImportJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompanyImport)

public:
    // store must be usable from this thread and outlive the job.
    CompanyImport(JobSpec spec, core::Store *store, QObject *parent = nullptr);
    ~CompanyImport() override;

    void start() override;

private:
    // One record on its way to Halo.
    struct WriteOp
    {
        QString hubspotId;
        qint64 customerId = 0; // 0 = create
        QString key;           // normalized name (reconciliation of creates by name)
        QJsonObject payload;
        QJsonObject changes;
        QHash<int, QJsonValue> values; // field id -> value written
        QString hubspotIdWritten;      // the hubspot_id this write sets, if any
        QString reason;                // how the target was found
        int unknownSends = 0;          // sends that ended with an unknown outcome
    };
    struct Batch
    {
        QString id;
        QList<WriteOp> ops;
        QList<qint64> intents;
        qint64 knownMaxId = 0; // the newest customer id known when the batch was sent
    };
    struct Target
    {
        enum Kind
        {
            Existing,
            Create,
            Ambiguous,
            Skipped,
            Failed,
        } kind = Create;
        qint64 id = 0;
        QString reason;
        bool hasLocalLink = false;
    };

    // CompanyImport.cpp: phases, reading, finishing.
    void loadProperties();
    void loadFields();
    void loadCustomers();
    void checkSites();
    void sitesChecked();
    void startReading();
    void companiesRead(const QList<api::HubSpotObject> &companies);
    bool readsDone() const;
    void pump();
    qint64 backlog() const;

    // CompanyImportPlan.cpp: mappings, resolution, conversion, per-record outcome.
    void process(const api::HubSpotObject &company);
    Target resolve(const QString &hubspotId, const QString &key);
    QUrlQuery customerQuery() const;

    // CompanyImportWrite.cpp: batches, replies, splitting, reconciliation.
    void reconcileLeftovers();
    void sendBatch(QList<WriteOp> ops);
    void batchReplied(const Batch &batch, const api::ApiResponse &response,
                      const QJsonArray &saved);
    void rejected(const Batch &batch, const api::ApiResponse &response);
    void startReconcile();
    void reconcileFromFullRead(const QList<Batch> &batches);
    void reconciled(const QList<Batch> &batches, const api::ApiResponse &response,
                    const QJsonArray &rows);
    void createSettled(const WriteOp &op);
    core::RunItem itemFor(const WriteOp &op, qint64 haloId) const;

    QSet<QString> m_stages;
    QHash<QString, core::CustomerMapping> m_mappings;
    QHash<qint64, QString> m_mappedTo;  // customer id -> a HubSpot company mapped to it
    QHash<QString, QString> m_badSites; // HubSpot company -> why its mapping row's site is wrong
    CustomerIndex m_index;
    qint64 m_nextPhantomId = -1;     // dry run: customers the import would create
    QHash<qint64, QString> m_claims; // customer id -> the HubSpot company this run gave it to

    std::deque<WriteOp> m_queue;
    std::deque<QList<WriteOp>> m_ready; // batches to send as they are (splits, re-sends)
    int m_inFlight = 0;
    QList<Batch> m_unknown;
    bool m_reconciling = false;
    int m_reconcileFailures = 0;
    QHash<QString, QString> m_creating;                   // key -> HubSpot id creating it
    QHash<QString, QList<api::HubSpotObject>> m_deferred; // key -> companies waiting for it
    qint64 m_deferredCount = 0;
};

} // namespace halospot::engine
