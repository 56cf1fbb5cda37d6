// CompanyImport: the job's phases (store, HubSpot properties, Halo fields and customers, leftover
// intents, streaming), the flow control that keeps reads ahead of writes with a bounded backlog,
// and the end of the run.
#include "CompanyImport.h"

#include "HaloClient.h"
#include "HubSpotTokens.h"
#include "JobClients.h"
#include "Store.h"

#include <QPointer>
#include <QUrlQuery>

#include <memory>

namespace halospot::engine {

namespace {

// Records held between HubSpot and Halo at most, in batches: memory stays flat however many
// companies there are, and reads stay far enough ahead to keep every write slot busy.
constexpr int kBacklogBatches = 6;
constexpr int kStoreFlushItems = 200;

} // namespace

CompanyImport::CompanyImport(JobSpec spec, core::Store *store, QObject *parent)
    : ImportJob(std::move(spec), store, parent)
{
    for (const QString &stage : std::as_const(m_spec.companies.lifecycleStages))
        m_stages.insert(stage.trimmed());
    for (const core::CustomerMapping &m : std::as_const(m_spec.companies.customerMappings)) {
        m_mappings.insert(m.hubspotCompanyId.trimmed(), m);
        m_mappedTo.insert(m.haloClientId, m.hubspotCompanyId.trimmed());
    }
}

CompanyImport::~CompanyImport() = default;

void CompanyImport::start()
{
    if (!openRun())
        return;
    if (m_spec.companies.fieldMappings.isEmpty())
        loadCustomers();
    else
        loadProperties();
}

void CompanyImport::loadProperties()
{
    m_phase = tr("Reading HubSpot company properties");
    loadMappings(QStringLiteral("companies"), 2, core::Entity::Company,
                 m_spec.companies.fieldMappings, tr("Reading Halo customer fields"),
                 [this] { loadCustomers(); });
}

QUrlQuery CompanyImport::customerQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("includeinactive"), QStringLiteral("true"));
    addMappedFields(q);
    return q;
}

void CompanyImport::loadCustomers()
{
    // Page by page into the index: the rows of a large Halo never sit in memory as JSON at once.
    m_phase = tr("Reading Halo customers");
    m_index.setCustomFields(mappedFieldIds());
    m_halo->list(
        api::HaloResource::Client, customerQuery(), this,
        [this](const QJsonArray &rows) {
            if (!m_finished)
                m_index.add(rows);
        },
        [this](const api::ApiResponse &response) {
            if (m_finished)
                return;
            if (!response.ok()) {
                fail(response.message);
                return;
            }
            m_index.squeeze();
            checkSites();
        });
}

void CompanyImport::checkSites()
{
    // A mapping row's site must belong to the row's customer (the contact import puts the
    // company's people there). Each such row costs one GET; mapping tables are short.
    QHash<qint64, QList<QString>> rowsOfSite; // site id -> HubSpot companies mapped with it
    for (auto it = m_mappings.cbegin(); it != m_mappings.cend(); ++it) {
        if (it->haloSiteId && m_index.byId(it->haloClientId))
            rowsOfSite[*it->haloSiteId].append(it.key());
    }
    if (rowsOfSite.isEmpty()) {
        sitesChecked();
        return;
    }
    m_phase = tr("Checking the sites of the customer mapping table");
    auto pending = std::make_shared<int>(int(rowsOfSite.size()));
    for (auto it = rowsOfSite.cbegin(); it != rowsOfSite.cend(); ++it) {
        const qint64 siteId = it.key();
        const QList<QString> companies = it.value();
        m_halo->get(
            api::HaloResource::Site, siteId, {}, this,
            [this, siteId, companies, pending](const api::ApiResponse &response) {
                if (m_finished)
                    return;
                const bool missing = response.error == api::ApiError::Http &&
                                     (response.status == 404 || response.status == 400);
                if (!response.ok() && !missing) {
                    fail(tr("HaloSpot could not check the sites of the customer mapping table, "
                            "so nothing was imported: %1")
                             .arg(response.message));
                    return;
                }
                const qint64 owner =
                    missing ? 0
                            : response.json.object().value(QLatin1String("client_id")).toInteger();
                for (const QString &company : companies) {
                    const qint64 customer = m_mappings.value(company).haloClientId;
                    if (missing) {
                        m_badSites.insert(company,
                                          tr("The customer mapping table sends this company to "
                                             "site %1 of Halo customer %2, but Halo has no site "
                                             "%1. Nothing was written; correct the row's site.")
                                              .arg(siteId)
                                              .arg(customer));
                    } else if (owner != customer) {
                        m_badSites.insert(company,
                                          tr("The customer mapping table sends this company to "
                                             "site %1, which belongs to Halo customer %2, not "
                                             "to the row's customer %3. Nothing was written; "
                                             "correct the row's site or customer.")
                                              .arg(siteId)
                                              .arg(owner)
                                              .arg(customer));
                    }
                }
                if (--*pending == 0)
                    sitesChecked();
            });
    }
}

void CompanyImport::sitesChecked()
{
    if (!m_spec.dryRun)
        reconcileLeftovers();
    if (m_finished)
        return;
    startReading();
}

void CompanyImport::startReading()
{
    m_phase = m_spec.dryRun ? tr("Previewing companies") : tr("Importing companies");
    api::HubSpotListOptions options;
    options.properties = {QStringLiteral("name"), QStringLiteral("lifecyclestage"),
                          QStringLiteral("domain")};
    for (const core::MappingRule &rule : std::as_const(m_rules)) {
        if (!options.properties.contains(rule.property.name))
            options.properties << rule.property.name;
    }
    m_stream = new HubSpotStream(m_hubspot, QStringLiteral("companies"), options, this);
    // Records asked for count against the backlog, so that memory stays bounded however fast
    // HubSpot answers.
    const qint64 cap = qint64(m_spec.batchSize) * (m_spec.writesInFlight + kBacklogBatches) +
                       qint64(m_stream->streams()) * m_stream->pageSize();
    m_stream->setRoom([this, cap](qint64 onTheWay) { return backlog() + onTheWay < cap; });
    m_stream->setRecordsHandler(
        [this](const QList<api::HubSpotObject> &companies) { companiesRead(companies); });
    m_stream->setFailedHandler([this](const QString &message) { fail(message); });
    m_clock.restart();
    m_stream->start();
}

void CompanyImport::companiesRead(const QList<api::HubSpotObject> &companies)
{
    if (m_finished)
        return;
    for (const api::HubSpotObject &company : companies) {
        ++m_report.counts.read;
        process(company);
        if (m_finished)
            return;
    }
    pump();
}

bool CompanyImport::readsDone() const
{
    return m_stream && m_stream->isDone();
}

qint64 CompanyImport::backlog() const
{
    qint64 n = qint64(m_queue.size()) + m_deferredCount + qint64(m_inFlight) * m_spec.batchSize;
    for (const QList<WriteOp> &b : m_ready)
        n += b.size();
    for (const Batch &b : m_unknown)
        n += b.ops.size();
    return n;
}

void CompanyImport::pump()
{
    if (m_finished)
        return;
    const qint64 cap = qint64(m_spec.batchSize) * (m_spec.writesInFlight + kBacklogBatches);
    while (m_inFlight < m_spec.writesInFlight && !m_finished) {
        if (!m_ready.empty()) {
            QList<WriteOp> ops = std::move(m_ready.front());
            m_ready.pop_front();
            sendBatch(std::move(ops));
            continue;
        }
        // A short batch goes out when nothing more is coming soon: the end of the stream, or a
        // full backlog (e.g. companies waiting for a same-named customer to be created).
        const bool flush = readsDone() || backlog() >= cap;
        if (m_queue.empty() || (qsizetype(m_queue.size()) < m_spec.batchSize && !flush))
            break;
        QList<WriteOp> ops;
        while (!m_queue.empty() && ops.size() < m_spec.batchSize) {
            ops.append(std::move(m_queue.front()));
            m_queue.pop_front();
        }
        sendBatch(std::move(ops));
    }
    if (m_finished)
        return;
    if (m_stream)
        m_stream->pull();
    if (m_settledItems.size() >= kStoreFlushItems)
        flushSettled();
    if (readsDone() && m_queue.empty() && m_ready.empty() && m_inFlight == 0 && !m_reconciling &&
        m_unknown.isEmpty() && m_deferredCount == 0) {
        const bool errors = m_report.counts.failed > 0;
        finish(errors ? QStringLiteral("completed_with_errors") : QStringLiteral("completed"));
    }
}

} // namespace halospot::engine
