// ImportJob: the run bookkeeping both imports share - the clients, opening and closing the run in
// the store, settling records, failing and cancelling, and the progress the engine shows.
#include "ImportJob.h"

#include "HaloClient.h"
#include "HubSpotStream.h"
#include "HubSpotTokens.h"
#include "ImportMappings.h"
#include "ImportSupport.h"
#include "JobClients.h"
#include "Store.h"

#include <QPointer>
#include <QUrlQuery>

#include <memory>

namespace halospot::engine {

ImportJob::ImportJob(JobSpec spec, core::Store *store, QObject *parent)
    : QObject(parent)
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
            &ImportJob::hubspotRefreshTokenChanged);

    m_report.kind = m_spec.kind;
    m_report.dryRun = m_spec.dryRun;
}

ImportJob::~ImportJob() = default;

bool ImportJob::openRun()
{
    m_report.startedAt = QDateTime::currentDateTimeUtc();
    m_clock.start();
    m_phase = tr("Opening the HaloSpot database");
    if (!m_store->isOpen()) {
        const Status opened = m_store->open();
        if (!opened) {
            fail(opened.error(), api::ApiError::None);
            return false;
        }
    }
    const Result<qint64> run = m_store->beginRun(jobKindName(m_spec.kind), m_spec.dryRun);
    if (!run) {
        fail(run.error(), api::ApiError::None);
        return false;
    }
    m_report.runId = run.value();
    return true;
}

void ImportJob::cancel()
{
    if (m_finished)
        return;
    // Finished first: callbacks of the requests ended below then see a finished job.
    finish(QStringLiteral("cancelled"), tr("The import was cancelled."));
    stopRequests();
}

void ImportJob::stopRequests()
{
    m_hubspot->cancel();
    m_halo->rest().cancelAll();
}

bool ImportJob::checkStore(const Status &status)
{
    if (!status)
        fail(status.error(), api::ApiError::None);
    return status.ok();
}

void ImportJob::fail(const QString &error, std::optional<api::ApiError> why)
{
    if (m_finished)
        return;
    m_report.failureError = m_namesFailures ? why : std::nullopt;
    finish(QStringLiteral("failed"), error);
    stopRequests();
}

void ImportJob::finish(const QString &status, const QString &error)
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

void ImportJob::settle(core::RunItem item, const std::optional<core::Link> &link)
{
    m_report.counts.add(item.action);
    if (link && !m_spec.dryRun)
        m_settledLinks.append(*link);
    m_results.append(item);
    m_settledItems.append(std::move(item));
}

void ImportJob::flushSettled()
{
    if (m_settledItems.isEmpty() && m_settledLinks.isEmpty())
        return;
    const Status saved = m_store->recordBatch(m_report.runId, m_settledLinks, m_settledItems, {});
    m_settledItems.clear();
    m_settledLinks.clear();
    checkStore(saved);
}

QList<int> ImportJob::mappedFieldIds() const
{
    QList<int> ids;
    for (const core::MappingRule &rule : m_rules)
        ids.append(rule.field.id);
    return ids;
}

void ImportJob::addMappedFields(QUrlQuery &query) const
{
    if (!m_rules.isEmpty()) {
        QStringList ids;
        for (const core::MappingRule &rule : m_rules)
            ids << QString::number(rule.field.id);
        query.addQueryItem(QStringLiteral("include_custom_fields"), ids.join(QLatin1Char(',')));
    }
}

void ImportJob::readNewestRows(
    api::HaloResource resource, QUrlQuery query, qint64 knownBefore,
    std::function<void(const api::ApiResponse &, const QJsonArray &)> done,
    std::function<void()> readAll)
{
    constexpr int kFirstPageOnly = 1 << 30; // a page stride no list reaches
    query.addQueryItem(QStringLiteral("order"), QStringLiteral("id"));
    query.addQueryItem(QStringLiteral("orderdesc"), QStringLiteral("true"));
    auto rows = std::make_shared<QJsonArray>();
    m_halo->listPages(
        resource, query, 1, kFirstPageOnly, this,
        [rows](const QJsonArray &page) {
            for (const QJsonValue &v : page)
                rows->append(v);
        },
        [this, knownBefore, rows, done, readAll](const api::ApiResponse &response) {
            if (m_finished)
                return;
            if (response.ok() && !importsupport::coversNewRows(*rows, knownBefore)) {
                readAll();
                return;
            }
            done(response, *rows);
        });
}

void ImportJob::loadMappings(const QString &objectType, int haloTypeId, core::Entity entity,
                             const QList<core::FieldMapping> &mappings, const QString &fieldsPhase,
                             std::function<void()> next)
{
    QPointer<ImportJob> guard(this);
    m_hubspot->properties(
        objectType, [this, guard, haloTypeId, entity, mappings, fieldsPhase,
                     next](const api::HubSpotReply<QList<api::HubSpotProperty>> &r) {
            if (!guard || m_finished)
                return;
            if (!r.ok()) {
                fail(r.message, r.error);
                return;
            }
            const QList<api::HubSpotProperty> properties = r.value;
            m_phase = fieldsPhase;
            QUrlQuery q;
            q.addQueryItem(QStringLiteral("typeid"), QString::number(haloTypeId));
            m_halo->listAll(api::HaloResource::FieldInfo, q, this,
                            [this, properties, entity, mappings,
                             next](const api::ApiResponse &response, const QJsonArray &rows) {
                                if (m_finished)
                                    return;
                                if (!response.ok()) {
                                    fail(response.message, response.error);
                                    return;
                                }
                                QList<core::HaloFieldDef> fields;
                                for (const QJsonValue &v : rows)
                                    fields.append(core::HaloFieldDef::fromJson(v.toObject()));
                                const Result<QList<core::MappingRule>> rules =
                                    resolveFieldMappings(mappings, properties, fields, entity);
                                if (!rules) {
                                    fail(rules.error(), api::ApiError::None);
                                    return;
                                }
                                m_rules.append(rules.value());
                                next();
                            });
        });
}

Progress ImportJob::progress() const
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

QList<core::RunItem> ImportJob::takeResults()
{
    QList<core::RunItem> out;
    out.swap(m_results);
    return out;
}

} // namespace halospot::engine
