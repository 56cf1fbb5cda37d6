// The "import contacts" job (SPEC §1.3, §2): Halo users, customers and the placement sites read
// once per run, HubSpot contacts streamed with their company associations, each contact placed
// (mapping row's site, else its customer's main site, else the default site), matched (link, then
// e-mail at the target customer, else create), converted, and written in Halo array POSTs guarded
// by the intent journal so that no user is ever created twice. A dry run is the same pipeline
// without writes. Lives on the engine thread; everything is asynchronous.
#pragma once

#include "CustomerIndex.h"
#include "FieldTypes.h"
#include "HubSpotClient.h"
#include "ImportJob.h"
#include "UserIndex.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <deque>
#include <optional>
#include <utility>

namespace halospot::core {
class Store;
}

namespace halospot::api {
class HaloClient;
class HubSpotTokens;
} // namespace halospot::api

namespace halospot::engine {

class HubSpotStream;

class ContactImport final : public ImportJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactImport)

public:
    // store must be usable from this thread and outlive the job.
    ContactImport(JobSpec spec, core::Store *store, QObject *parent = nullptr);
    ~ContactImport() override;

    void start() override;

private:
    // One user on its way to Halo.
    struct WriteOp
    {
        QString hubspotId;
        qint64 userId = 0;     // 0 = create
        quint64 key = 0;       // e-mail key, or name key without an e-mail (UserIndex)
        qint64 customerId = 0; // the target customer
        qint64 siteId = 0;     // the target site (creates, moves)
        QString email;         // normalized, the intent's natural key
        QJsonObject payload;
        QJsonObject changes;
        QList<QPair<int, QJsonValue>> values; // field id -> value written
        QString hubspotIdWritten;             // the hubspot_id this write sets, if any
        bool moves = false;                   // site_id is written (follow company changes)
        QString reason;
        int unknownSends = 0;
    };
    struct Batch
    {
        QString id;
        QList<WriteOp> ops;
        QList<qint64> intents;
        qint64 knownMaxId = 0; // the newest user id known when the batch was sent
    };
    // Where a contact goes.
    struct Placement
    {
        enum Kind
        {
            Placed,      // at customerId / siteId
            FilteredOut, // not in scope
            Skipped,
            Failed,
        } kind = Placed;
        qint64 customerId = 0;
        qint64 siteId = 0;
        // The customer comes from a company in Halo (its link, HubSpot ID or mapping row), not
        // from the default site: only then may "follow company changes" move a user there.
        bool fromCompany = false;
        QString reason;
    };
    // What HubSpot says of a company that is not in Halo (for the reason, and the default site).
    struct CompanyFacts
    {
        bool exists = false;
        bool selected = false; // in a lifecycle stage the company import takes
        QString stage;
        QString name;
    };
    // CompanyFacts by company, compact: it ends up holding most companies of the portal
    // (100 000), so the key is the record ID as a number, the stage an index into the few
    // stages seen and the name UTF-8 (about 80 bytes a company instead of about 250).
    class CompanyFactsCache
    {
    public:
        bool contains(const QString &company) const;
        CompanyFacts value(const QString &company) const;
        void insert(const QString &company, const CompanyFacts &facts);

    private:
        struct Packed
        {
            QByteArray name;
            quint16 stage = 0;
            bool exists = false;
            bool selected = false;
        };
        QHash<qint64, Packed> m_numbered;
        QHash<QString, Packed> m_other; // IDs that are not numbers (never seen from HubSpot)
        QStringList m_stages;
    };
    // A page of contacts waiting for the facts of their companies.
    struct Page
    {
        QList<api::HubSpotObject> contacts;
        QStringList unknown; // the companies it waits for
    };
    // A user this run created, moved (or a preview would): the e-mail at that customer is taken.
    // Numbers only, 16 bytes: one is kept per created user for the whole run (500 000 contacts).
    // userId: Halo's ids are 32-bit; a preview's would-be user is negative. contact: the HubSpot
    // contact's record ID.
    using Created = std::pair<qint32, qint64>;

    // ContactImport.cpp: phases, reading, finishing.
    void loadProperties();
    void loadCustomers();
    void loadUsers();
    void checkSites();
    void sitesChecked();
    void startStream();
    void pageArrived(const QList<api::HubSpotObject> &contacts);
    void queueLookups();
    void lookUp(const QStringList &companies);
    void pagesReady();
    void pump();
    qint64 backlog() const;
    QUrlQuery userQuery() const;

    // ContactImportPlan.cpp: mappings, placement, matching, conversion, per-record outcome.
    static QStringList companiesOf(const api::HubSpotObject &contact);
    // The customer a company is in Halo (0 = none), and whether the mapping table put it there.
    qint64 customerOfCompany(const QString &companyId, bool *mapped);
    Placement place(const api::HubSpotObject &contact);
    Placement atDefaultSite(const QString &why);
    void process(const api::HubSpotObject &contact);
    core::RunItem itemFor(const WriteOp &op, qint64 haloId) const;
    QString describeSite(qint64 customerId, qint64 siteId) const;
    QString describeCustomer(qint64 customerId) const;

    // ContactImportWrite.cpp: batches, replies, splitting, reconciliation.
    void reconcileLeftovers();
    void sendBatch(QList<WriteOp> ops);
    void batchReplied(const Batch &batch, const api::ApiResponse &response,
                      const QJsonArray &saved);
    void rejected(const Batch &batch, const api::ApiResponse &response);
    void failOps(const QList<WriteOp> &ops, const QList<qint64> &intents, const QString &why);
    void startReconcile();
    void reconcileFromFullRead(const QList<Batch> &batches);
    void reconciled(const QList<Batch> &batches, const api::ApiResponse &response,
                    const QList<HaloUser> &fresh);
    void written(const WriteOp &op, qint64 userId);
    void createSettled(const WriteOp &op);
    quint64 creatingKey(const WriteOp &op) const;

    QSet<QString> m_companyStages;
    QSet<QString> m_contactStages;
    QHash<QString, core::CustomerMapping> m_mappings;
    QHash<QString, QString> m_badSites; // HubSpot company -> why its mapping row's site is wrong
    qint64 m_defaultSite = 0;
    qint64 m_defaultCustomer = 0;
    CustomerIndex m_customers;
    UserIndex m_users;
    // Bounded by the number of companies: where each company seen goes, and what HubSpot says
    // of those that go nowhere.
    QHash<qint64, qint64> m_companyCustomer; // company record ID -> customer (0 = none)
    CompanyFactsCache m_companyFacts;
    // Bounded by the users created or moved: (e-mail at customer) -> the user, so that a later
    // contact of that e-mail meets it; the index itself does not grow. Numbers only (Created).
    QHash<quint64, Created> m_created;
    qint64 m_maxUserId = 0;       // the newest user id known (the index's and created ones)
    qint64 m_nextPhantomId = -1;  // dry run: users the import would create
    qint64 m_waitingContacts = 0; // in pages waiting for company facts
    std::deque<Page> m_waitingPages;
    // Companies to look up, gathered across pages so that a batch read asks for 100 at once
    // (one read per page would cost HubSpot a request for every page of contacts).
    QStringList m_lookupQueue;
    QSet<QString> m_lookupAsked; // queued or on their way
    int m_lookupsInFlight = 0;

    std::deque<WriteOp> m_queue;
    std::deque<QList<WriteOp>> m_ready; // batches to send as they are (splits, re-sends)
    int m_inFlight = 0;
    QList<Batch> m_unknown;
    bool m_reconciling = false;
    int m_reconcileFailures = 0;
    QHash<quint64, QString> m_creating; // key at customer -> HubSpot contact creating it
    QHash<quint64, QList<api::HubSpotObject>> m_deferred;
    qint64 m_deferredCount = 0;
};

} // namespace halospot::engine
