// CompanyImport: the job's phases (store, HubSpot properties, Halo fields and customers, leftover
// intents, streaming), the flow control that keeps reads ahead of writes with a bounded backlog,
// and the end of the run.
#include "CompanyImport.h"

#include "HaloClient.h"
#include "HubSpotTokens.h"
#include "Store.h"

#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace halospot::engine {

namespace {

// Records held between HubSpot and Halo at most, in batches: memory stays flat however many
// companies there are, and reads stay far enough ahead to keep every write slot busy.
constexpr int kBacklogBatches = 6;
constexpr int kStoreFlushItems = 200;
constexpr int kPageRetries = 3;
constexpr int kPageRetryDelayMs = 1000;

} // namespace

CompanyImport::CompanyImport(JobSpec spec, core::Store *store, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_store(store)
{
    m_spec.batchSize = qBound(1, m_spec.batchSize, 500);
    m_spec.writesInFlight = qBound(1, m_spec.writesInFlight, 8);
    m_tokens = new api::HubSpotTokens(m_spec.hubspot, this);
    const HubSpotCredentials &c = m_spec.hubspotCredentials;
    if (!c.staticToken.isEmpty())
        m_tokens->setStaticToken(c.staticToken);
    else
        m_tokens->setOAuth(c.clientId, c.clientSecret, c.refreshToken);
    connect(m_tokens, &api::HubSpotTokens::refreshTokenChanged, this,
            &CompanyImport::hubspotRefreshTokenChanged);
    m_hubspot = new api::HubSpotClient(m_tokens, this);
    m_hubspot->rest().setTransferTimeoutMs(m_spec.hubspotTransferTimeoutMs);
    m_halo = new api::HaloClient(m_spec.halo, {}, this);

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
    m_phase = tr("Reading Halo customers");
    m_halo->listAll(api::HaloResource::Client, customerQuery(), this,
                    [this](const api::ApiResponse &response, const QJsonArray &rows) {
                        if (m_finished)
                            return;
                        if (!response.ok()) {
                            fail(response.message);
                            return;
                        }
                        m_index.add(rows);
                        if (!m_spec.dryRun)
                            reconcileLeftovers();
                        if (m_finished)
                            return;
                        countCompanies();
                    });
}

void CompanyImport::countCompanies()
{
    // The total only feeds the ETA: a failed count costs nothing but the estimate.
    m_phase = tr("Importing companies");
    api::HubSpotSearchQuery q;
    q.limit = 1;
    q.properties = {QStringLiteral("hs_object_id")};
    QPointer<CompanyImport> guard(this);
    m_hubspot->searchPage(QStringLiteral("companies"), q,
                          [this, guard](const api::HubSpotReply<api::HubSpotPage> &r) {
                              if (!guard || m_finished)
                                  return;
                              if (r.ok())
                                  m_total = r.value.total;
                              m_clock.restart();
                              readNextPage();
                          });
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

void CompanyImport::readNextPage()
{
    if (m_finished || m_reading || m_readDone)
        return;
    if (backlog() >= qint64(m_spec.batchSize) * (m_spec.writesInFlight + kBacklogBatches))
        return;
    m_reading = true;
    api::HubSpotListOptions options;
    options.properties = {QStringLiteral("name"), QStringLiteral("lifecyclestage"),
                          QStringLiteral("domain")};
    for (const core::MappingRule &rule : std::as_const(m_rules)) {
        if (!options.properties.contains(rule.property.name))
            options.properties << rule.property.name;
    }
    QPointer<CompanyImport> guard(this);
    m_hubspot->listPage(QStringLiteral("companies"), options, m_after,
                        [this, guard](const api::HubSpotReply<api::HubSpotPage> &r) {
                            if (!guard || m_finished)
                                return;
                            m_reading = false;
                            if (!r.ok()) {
                                // The client retried already; a read is safe to repeat, so a
                                // page gets a few more chances before the run gives up.
                                const bool hopeless = r.error == api::ApiError::ReconnectNeeded ||
                                                      r.error == api::ApiError::DailyLimit ||
                                                      r.error == api::ApiError::Refused;
                                if (hopeless || ++m_pageFailures > kPageRetries) {
                                    fail(r.message);
                                    return;
                                }
                                m_reading = true;
                                QTimer::singleShot(kPageRetryDelayMs, this, [this] {
                                    m_reading = false;
                                    readNextPage();
                                });
                                return;
                            }
                            m_pageFailures = 0;
                            for (const api::HubSpotObject &company : r.value.results) {
                                ++m_report.counts.read;
                                process(company);
                                if (m_finished)
                                    return;
                            }
                            m_after = r.value.nextAfter;
                            m_readDone = m_after.isEmpty();
                            pump();
                        });
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
        const bool flush = m_readDone || backlog() >= cap;
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
    readNextPage();
    if (m_settledItems.size() >= kStoreFlushItems)
        flushSettled();
    if (m_readDone && !m_reading && m_queue.empty() && m_ready.empty() && m_inFlight == 0 &&
        !m_reconciling && m_unknown.isEmpty() && m_deferredCount == 0) {
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
    p.total = m_total;
    const qint64 settled = p.counts.settled();
    const double seconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0;
    if (seconds > 0.5 && settled > 0) {
        p.perSecond = settled / seconds;
        if (m_total > 0 && m_total >= settled)
            p.etaSeconds = qint64((m_total - settled) / p.perSecond + 0.5);
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
