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
    : ImportJob(parent)
    , m_spec(std::move(spec))
    , m_store(store)
{
    m_spec.batchSize = qBound(1, m_spec.batchSize, 500);
    m_spec.writesInFlight = qBound(1, m_spec.writesInFlight, 8);
    const JobClients clients = makeJobClients(m_spec, this);
    m_tokens = clients.tokens;
    m_hubspot = clients.hubspot;
    m_halo = clients.halo;
    connect(m_tokens, &api::HubSpotTokens::refreshTokenChanged, this,
            &CompanyImport::hubspotRefreshTokenChanged);

    m_report.kind = m_spec.kind;
    m_report.dryRun = m_spec.dryRun;
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
    m_report.startedAt = QDateTime::currentDateTimeUtc();
    m_clock.start();
    m_phase = tr("Opening the HaloSpot database");
    if (!m_store->isOpen()) {
        const Status opened = m_store->open();
        if (!opened) {
            fail(opened.error());
            return;
        }
    }
    const Result<qint64> run = m_store->beginRun(jobKindName(m_spec.kind), m_spec.dryRun);
    if (!run) {
        fail(run.error());
        return;
    }
    m_report.runId = run.value();
    if (m_spec.companies.fieldMappings.isEmpty())
        loadCustomers();
    else
        loadProperties();
}

void CompanyImport::cancel()
{
    if (m_finished)
        return;
    // Finished first: callbacks of the requests ended below then see a finished job.
    finish(QStringLiteral("cancelled"), tr("The import was cancelled."));
    m_hubspot->cancel();
    m_halo->rest().cancelAll();
}

void CompanyImport::loadProperties()
{
    m_phase = tr("Reading HubSpot company properties");
    QPointer<CompanyImport> guard(this);
    m_hubspot->properties(
        QStringLiteral("companies"),
        [this, guard](const api::HubSpotReply<QList<api::HubSpotProperty>> &r) {
            if (!guard || m_finished)
                return;
            if (!r.ok()) {
                fail(r.message);
                return;
            }
            const QList<api::HubSpotProperty> properties = r.value;
            m_phase = tr("Reading Halo customer fields");
            QUrlQuery q;
            q.addQueryItem(QStringLiteral("typeid"), QStringLiteral("2"));
            m_halo->listAll(
                api::HaloResource::FieldInfo, q, this,
                [this, properties](const api::ApiResponse &response, const QJsonArray &rows) {
                    if (m_finished)
                        return;
                    if (!response.ok()) {
                        fail(response.message);
                        return;
                    }
                    QList<core::HaloFieldDef> fields;
                    for (const QJsonValue &v : rows)
                        fields.append(core::HaloFieldDef::fromJson(v.toObject()));
                    if (resolveMappings(properties, fields))
                        loadCustomers();
                });
        });
}

QUrlQuery CompanyImport::customerQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("includeinactive"), QStringLiteral("true"));
    if (!m_rules.isEmpty()) {
        QStringList ids;
        for (const core::MappingRule &rule : m_rules)
            ids << QString::number(rule.field.id);
        q.addQueryItem(QStringLiteral("include_custom_fields"), ids.join(QLatin1Char(',')));
    }
    return q;
}

void CompanyImport::loadCustomers()
{
    // Page by page into the index: the rows of a large Halo never sit in memory as JSON at once.
    m_phase = tr("Reading Halo customers");
    QList<int> mapped;
    for (const core::MappingRule &rule : std::as_const(m_rules))
        mapped.append(rule.field.id);
    m_index.setCustomFields(mapped);
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
                       qint64(HubSpotStream::kStreams) * m_stream->pageSize();
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

bool CompanyImport::checkStore(const Status &status)
{
    if (!status)
        fail(status.error());
    return status.ok();
}

void CompanyImport::fail(const QString &error)
{
    if (m_finished)
        return;
    finish(QStringLiteral("failed"), error);
    m_hubspot->cancel();
    m_halo->rest().cancelAll();
}

void CompanyImport::finish(const QString &status, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_stream)
        m_stream->stop();
    m_phase =
        status == QLatin1String("completed") || status == QLatin1String("completed_with_errors")
            ? tr("Finished")
            : tr("Stopped");
    m_report.status = status;
    m_report.error = error;
    m_report.finishedAt = QDateTime::currentDateTimeUtc();
    if (m_report.runId > 0) {
        // What settled is kept even when the run failed; the report says how far it got.
        const Status saved =
            m_store->recordBatch(m_report.runId, m_settledLinks, m_settledItems, {});
        m_settledItems.clear();
        m_settledLinks.clear();
        if (!saved && m_report.error.isEmpty())
            m_report.error = saved.error();
        const Status closed =
            m_store->finishRun(m_report.runId, m_report.status, m_report.counts.toJson());
        if (!closed && m_report.error.isEmpty())
            m_report.error = closed.error();
    }
    Q_EMIT finished(m_report);
}

Progress CompanyImport::progress() const
{
    Progress p;
    p.kind = m_spec.kind;
    p.dryRun = m_spec.dryRun;
    p.phase = m_phase;
    p.counts = m_report.counts;
    p.total = m_stream ? m_stream->total() : -1;
    const qint64 settled = p.counts.settled();
    const double seconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0;
    if (seconds > 0.5 && settled > 0) {
        p.perSecond = settled / seconds;
        if (p.total > 0 && p.total >= settled)
            p.etaSeconds = qint64((p.total - settled) / p.perSecond + 0.5);
    }
    return p;
}

QList<core::RunItem> CompanyImport::takeResults()
{
    QList<core::RunItem> out;
    out.swap(m_results);
    return out;
}

} // namespace halospot::engine
