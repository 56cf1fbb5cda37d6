// CompanyImport: the job's phases (store, HubSpot properties, Halo fields and customers, leftover
// intents, streaming), the flow control that keeps reads ahead of writes with a bounded backlog,
// and the end of the run.
#include "CompanyImport.h"

#include "HaloClient.h"
#include "HubSpotTokens.h"
#include "JobClients.h"
#include "Store.h"

#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <limits>
#include <memory>

namespace halospot::engine {

namespace {

// Records held between HubSpot and Halo at most, in batches: memory stays flat however many
// companies there are, and reads stay far enough ahead to keep every write slot busy.
constexpr int kBacklogBatches = 6;
constexpr int kStoreFlushItems = 200;
constexpr int kPageRetries = 3;
constexpr int kPageRetryDelayMs = 1000;
// HubSpot list cursors read in parallel over disjoint ID ranges. By Little's law, 11 requests/s
// at 0.3-0.6 s per call need 3-7 in flight; 4 keep well ahead of Halo's write ceiling without
// crowding the HubSpot window that other apps of the account share.
constexpr int kReadStreams = 4;

} // namespace

CompanyImport::CompanyImport(JobSpec spec, core::Store *store, QObject *parent)
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
    countCompanies();
}

void CompanyImport::countCompanies()
{
    // The total feeds the ETA; the highest ID bounds the ranges the parallel cursors walk. A
    // failed count costs the estimate and the parallel reading, nothing else.
    m_phase = m_spec.dryRun ? tr("Previewing companies") : tr("Importing companies");
    api::HubSpotSearchQuery q;
    q.limit = 1;
    q.sortProperty = QStringLiteral("hs_object_id");
    q.sortDescending = true;
    q.properties = {QStringLiteral("hs_object_id")};
    QPointer<CompanyImport> guard(this);
    m_hubspot->searchPage(QStringLiteral("companies"), q,
                          [this, guard](const api::HubSpotReply<api::HubSpotPage> &r) {
                              if (!guard || m_finished)
                                  return;
                              if (r.ok()) {
                                  m_total = r.value.total;
                                  if (!r.value.results.isEmpty())
                                      m_maxId = idNumber(r.value.results.constFirst().id);
                              }
                              m_clock.restart();
                              m_segments.push_back(Segment{});
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

qint64 CompanyImport::idNumber(const QString &id)
{
    bool ok = false;
    const qint64 n = id.toLongLong(&ok);
    return ok ? n : -1;
}

void CompanyImport::splitSegments(const QString &next, qint64 lastId)
{
    // HubSpot's list cursor is sequential, so one cursor reads one page per round trip. When
    // cursors carry the next record's ID (plain or base64url, as documented and as seen), the
    // rest of the ID range is split between several cursors; records outside a cursor's range
    // are dropped, so none is delivered twice. The last range is open-ended: records created
    // meanwhile are not lost. Anything else is only followed.
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
    const qint64 pages = (m_maxId - lo + 1) / 100 + 1;
    const int streams = int(qMin<qint64>(kReadStreams, pages));
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

QString CompanyImport::cursorFor(qint64 id) const
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

void CompanyImport::readNextPage()
{
    if (m_finished || m_readDone)
        return;
    // Records on their way (a page is up to 100) count against the backlog, so that memory stays
    // bounded however fast HubSpot answers.
    const qint64 cap = qint64(m_spec.batchSize) * (m_spec.writesInFlight + kBacklogBatches) +
                       qint64(kReadStreams) * 100;
    for (size_t i = 0; i < m_segments.size(); ++i) {
        Segment &segment = m_segments[i];
        if (segment.reading || segment.done)
            continue;
        if (backlog() + qint64(m_readsInFlight) * 100 >= cap)
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

void CompanyImport::readSegment(size_t index)
{
    api::HubSpotListOptions options;
    options.properties = {QStringLiteral("name"), QStringLiteral("lifecyclestage"),
                          QStringLiteral("domain")};
    for (const core::MappingRule &rule : std::as_const(m_rules)) {
        if (!options.properties.contains(rule.property.name))
            options.properties << rule.property.name;
    }
    const int generation = m_segmentGeneration;
    QPointer<CompanyImport> guard(this);
    m_hubspot->listPage(
        QStringLiteral("companies"), options, m_segments[index].after,
        [this, guard, index, generation](const api::HubSpotReply<api::HubSpotPage> &r) {
            if (!guard || m_finished)
                return;
            --m_readsInFlight;
            if (generation != m_segmentGeneration)
                return;
            Segment &segment = m_segments[index];
            if (!r.ok()) {
                // The client retried already; a read is safe to repeat, so a page gets a few
                // more chances before the run gives up.
                const bool hopeless = r.error == api::ApiError::ReconnectNeeded ||
                                      r.error == api::ApiError::DailyLimit ||
                                      r.error == api::ApiError::Refused;
                if (hopeless || ++segment.failures > kPageRetries) {
                    fail(r.message);
                    return;
                }
                QTimer::singleShot(kPageRetryDelayMs, this, [this, index, generation] {
                    if (m_finished || generation != m_segmentGeneration)
                        return;
                    m_segments[index].reading = false;
                    readNextPage();
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
                    ++m_segmentGeneration; // nothing is in flight; the old segment goes
                    splitSegments(segment.after,
                                  results.isEmpty() ? -1 : idNumber(results.constLast().id));
                }
            }
            m_readDone = std::all_of(m_segments.cbegin(), m_segments.cend(),
                                     [](const Segment &s) { return s.done; });
            // The next pages are asked for before this one is worked through: their latency
            // is hidden behind the work.
            readNextPage();
            for (const api::HubSpotObject &company : std::as_const(results)) {
                ++m_report.counts.read;
                process(company);
                if (m_finished)
                    return;
            }
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
    if (m_readDone && m_readsInFlight == 0 && m_queue.empty() && m_ready.empty() &&
        m_inFlight == 0 && !m_reconciling && m_unknown.isEmpty() && m_deferredCount == 0) {
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
