// CatalogRefresh: the job's clients, its order of lists (HubSpot first, then Halo), the HubSpot
// lists (company and contact properties, lifecycle stages, companies page by page), progress and
// the end of the job.
#include "CatalogRefresh.h"

#include "HaloClient.h"
#include "HubSpotClient.h"
#include "HubSpotTokens.h"
#include "JobClients.h"
#include "Store.h"

#include <QPointer>

namespace halospot::engine {

namespace {

const QString kLifecycleStage = QStringLiteral("lifecyclestage");

} // namespace

CatalogRefresh::CatalogRefresh(JobSpec spec, core::Store *store, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_store(store)
    , m_catalog(std::make_unique<core::Catalog>(*store))
{
    const JobClients clients = makeJobClients(m_spec, this);
    m_tokens = clients.tokens;
    m_hubspot = clients.hubspot;
    m_halo = clients.halo;
    connect(m_tokens, &api::HubSpotTokens::refreshTokenChanged, this,
            &CatalogRefresh::hubspotRefreshTokenChanged);
    m_report.kind = m_spec.kind;
    m_report.dryRun = m_spec.dryRun;
}

CatalogRefresh::~CatalogRefresh() = default;

void CatalogRefresh::start()
{
    m_report.startedAt = QDateTime::currentDateTimeUtc();
    m_clock.start();
    m_phase = tr("Opening the HaloSpot database");
    if (!m_store->isOpen()) {
        const Status opened = m_store->open();
        if (!opened) {
            finish(QStringLiteral("failed"), opened.error());
            return;
        }
    }
    loadCompanyProperties();
}

void CatalogRefresh::cancel()
{
    if (m_finished)
        return;
    // Finished first: callbacks of the requests ended below then see a finished job. The list
    // being written keeps its old copy (its new rows are never switched to).
    finish(QStringLiteral("cancelled"), tr("The refresh was cancelled."));
    m_hubspot->cancel();
    m_halo->rest().cancelAll();
}

void CatalogRefresh::enterList(core::CatalogList list, const QString &phase, qint64 total)
{
    m_list = list;
    m_phase = phase;
    m_listBase = m_report.counts.read;
    m_listTotal = total;
}

void CatalogRefresh::loadCompanyProperties()
{
    enterList(core::CatalogList::CompanyProperties, tr("Reading HubSpot company properties"));
    QPointer<CatalogRefresh> guard(this);
    m_hubspot->properties(
        QStringLiteral("companies"),
        [this, guard](const api::HubSpotReply<QList<api::HubSpotProperty>> &r) {
            if (!guard || m_finished)
                return;
            if (!r.ok()) {
                fail(r.message);
                return;
            }
            QList<core::PropertyDef> properties;
            QList<core::CatalogStage> stages;
            for (const api::HubSpotProperty &p : r.value) {
                properties.append(toPropertyDef(p));
                if (p.name != kLifecycleStage)
                    continue;
                // Default and custom stages alike; "(no stage)" is the GUI's own entry.
                for (const api::HubSpotPropertyOption &o : p.options) {
                    if (!o.value.isEmpty())
                        stages.append(core::CatalogStage{o.value, o.label, o.displayOrder});
                }
            }
            m_report.counts.read += properties.size();
            if (!check(m_catalog->setProperties(core::Entity::Company, properties)))
                return;
            m_list = core::CatalogList::LifecycleStages;
            if (!check(m_catalog->setStages(stages)))
                return;
            loadContactProperties();
        });
}

void CatalogRefresh::loadContactProperties()
{
    enterList(core::CatalogList::ContactProperties, tr("Reading HubSpot contact properties"));
    QPointer<CatalogRefresh> guard(this);
    m_hubspot->properties(
        QStringLiteral("contacts"),
        [this, guard](const api::HubSpotReply<QList<api::HubSpotProperty>> &r) {
            if (!guard || m_finished)
                return;
            if (!r.ok()) {
                fail(r.message);
                return;
            }
            QList<core::PropertyDef> properties;
            for (const api::HubSpotProperty &p : r.value)
                properties.append(toPropertyDef(p));
            m_report.counts.read += properties.size();
            if (check(m_catalog->setProperties(core::Entity::Contact, properties)))
                countContacts();
        });
}

void CatalogRefresh::countContacts()
{
    // The Contacts tab shows this before "all contacts" can be chosen. A failed count keeps the
    // last one; the lists do not depend on it.
    api::HubSpotSearchQuery q;
    q.limit = 1;
    q.properties = {QStringLiteral("hs_object_id")};
    QPointer<CatalogRefresh> guard(this);
    m_hubspot->searchPage(
        QStringLiteral("contacts"), q, [this, guard](const api::HubSpotReply<api::HubSpotPage> &r) {
            if (!guard || m_finished)
                return;
            if (r.ok() && r.value.total >= 0 && !check(m_catalog->setContactCount(r.value.total)))
                return;
            countCompanies();
        });
}

void CatalogRefresh::countCompanies()
{
    // The total only feeds progress: a failed count costs nothing but the estimate.
    enterList(core::CatalogList::Companies, tr("Reading HubSpot companies"));
    api::HubSpotSearchQuery q;
    q.limit = 1;
    q.properties = {QStringLiteral("hs_object_id")};
    QPointer<CatalogRefresh> guard(this);
    m_hubspot->searchPage(QStringLiteral("companies"), q,
                          [this, guard](const api::HubSpotReply<api::HubSpotPage> &r) {
                              if (!guard || m_finished)
                                  return;
                              m_companyTotal = r.ok() ? r.value.total : -1;
                              loadCompanies();
                          });
}

void CatalogRefresh::loadCompanies()
{
    enterList(core::CatalogList::Companies, tr("Reading HubSpot companies"), m_companyTotal);
    if (!check(m_catalog->begin(core::CatalogList::Companies)))
        return;
    api::HubSpotListOptions options;
    options.properties = {QStringLiteral("name"), QStringLiteral("domain"), kLifecycleStage};
    options.pageSize = 100;
    QPointer<CatalogRefresh> guard(this);
    // Each page goes into the store as it arrives, so memory holds one page per cursor at most.
    m_hubspot->listAll(
        QStringLiteral("companies"), options,
        [this, guard](const QList<api::HubSpotObject> &page) {
            if (!guard || m_finished)
                return;
            QList<core::CatalogCompany> rows;
            rows.reserve(page.size());
            for (const api::HubSpotObject &o : page)
                rows.append(core::CatalogCompany{o.id, o.properties.value(QStringLiteral("name")),
                                                 o.properties.value(QStringLiteral("domain")),
                                                 o.properties.value(kLifecycleStage)});
            if (!check(m_catalog->addCompanies(rows)))
                return;
            m_report.counts.read += rows.size();
            if (m_listTotal >= 0 && m_report.counts.read - m_listBase > m_listTotal)
                m_listTotal = m_report.counts.read - m_listBase; // created while reading
        },
        [this, guard](const api::HubSpotReply<qint64> &r) {
            if (!guard || m_finished)
                return;
            if (!r.ok()) {
                fail(r.message);
                return;
            }
            if (check(m_catalog->finish(core::CatalogList::Companies)))
                loadCustomers();
        });
}

bool CatalogRefresh::check(const Status &status)
{
    if (!status)
        fail(status.error());
    return status.ok();
}

void CatalogRefresh::fail(const QString &reason)
{
    if (m_finished)
        return;
    finish(QStringLiteral("failed"),
           tr("HaloSpot could not refresh the %1: %2").arg(core::catalogListName(m_list), reason));
    m_hubspot->cancel();
    m_halo->rest().cancelAll();
}

void CatalogRefresh::finish(const QString &status, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_phase = status == QLatin1String("completed") ? tr("Finished") : tr("Stopped");
    m_listTotal = -1;
    m_report.status = status;
    m_report.error = error;
    m_report.finishedAt = QDateTime::currentDateTimeUtc();
    Q_EMIT finished(m_report);
}

Progress CatalogRefresh::progress() const
{
    Progress p;
    p.kind = m_spec.kind;
    p.dryRun = m_spec.dryRun;
    p.phase = m_phase;
    p.counts = m_report.counts;
    // The total is known for one list at a time (HubSpot counts its companies; Halo does not
    // say), so it covers what was read before that list plus the list itself.
    p.total = m_listTotal >= 0 ? m_listBase + m_listTotal : -1;
    const double seconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0;
    if (seconds > 0.5 && p.counts.read > 0) {
        p.perSecond = p.counts.read / seconds;
        if (p.total >= p.counts.read)
            p.etaSeconds = qint64((p.total - p.counts.read) / p.perSecond + 0.5);
    }
    return p;
}

} // namespace halospot::engine
