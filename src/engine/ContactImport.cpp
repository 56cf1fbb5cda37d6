// ContactImport: the job's phases (store, HubSpot contact properties, Halo user fields, customers,
// users and sites, leftover intents, streaming), the company facts a page of contacts needs, the
// flow control that keeps reads ahead of writes with a bounded backlog, and the end of the run.
#include "ContactImport.h"

#include "HaloClient.h"
#include "HubSpotStream.h"
#include "HubSpotTokens.h"
#include "JobClients.h"
#include "Store.h"

#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <functional>
#include <memory>

namespace halospot::engine {

namespace {

// Records held between HubSpot and Halo at most, in batches, as in the company import: memory
// stays flat however many contacts there are, and reads stay ahead of every write slot.
constexpr int kBacklogBatches = 6;
constexpr int kStoreFlushItems = 200;
constexpr int kCompanyReadRetries = 3;
constexpr int kLookupBatch = 100; // HubSpot's batch read maximum
// Contacts that may wait for their companies' facts beyond the write backlog: about ten pages,
// a few megabytes.
constexpr qint64 kWaitingAllowance = 1000;

} // namespace

ContactImport::ContactImport(JobSpec spec, core::Store *store, QObject *parent)
    : ImportJob(std::move(spec), store, parent)
{
    m_namesFailures = true;
    for (const QString &stage : std::as_const(m_spec.companies.lifecycleStages))
        m_companyStages.insert(stage.trimmed());
    for (const QString &stage : std::as_const(m_spec.contacts.lifecycleStages))
        m_contactStages.insert(stage.trimmed());
    for (const core::CustomerMapping &m : std::as_const(m_spec.companies.customerMappings))
        m_mappings.insert(m.hubspotCompanyId.trimmed(), m);
    m_defaultSite = m_spec.contacts.defaultSiteId.value_or(0);
}

ContactImport::~ContactImport() = default;

void ContactImport::start()
{
    if (!openRun())
        return;
    if (m_spec.contacts.fieldMappings.isEmpty())
        loadCustomers();
    else
        loadProperties();
}

void ContactImport::loadProperties()
{
    m_phase = tr("Reading HubSpot contact properties");
    // Halo's field table 4 is its Users table.
    loadMappings(QStringLiteral("contacts"), 4, core::Entity::Contact,
                 m_spec.contacts.fieldMappings, tr("Reading Halo user fields"),
                 [this] { loadCustomers(); });
}

void ContactImport::loadCustomers()
{
    // Customers are needed for their main site and their HubSpot ID only: no custom fields.
    m_phase = tr("Reading Halo customers");
    m_customers.setCustomFields({});
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("includeinactive"), QStringLiteral("true"));
    m_halo->list(
        api::HaloResource::Client, q, this,
        [this](const QJsonArray &rows) {
            if (!m_finished)
                m_customers.add(rows);
        },
        [this](const api::ApiResponse &response) {
            if (m_finished)
                return;
            if (!response.ok()) {
                fail(response.message, response.error);
                return;
            }
            m_customers.squeeze();
            loadUsers();
        });
}

QUrlQuery ContactImport::userQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("includeinactive"), QStringLiteral("true"));
    // Every Halo customer has a "General User" placeholder (halo-api.md §5): not a person.
    q.addQueryItem(QStringLiteral("exclude_generaluser"), QStringLiteral("true"));
    addMappedFields(q);
    return q;
}

void ContactImport::loadUsers()
{
    // Page by page into the compact index: the rows of 500 000 users never sit in memory as JSON.
    m_phase = tr("Reading Halo users");
    m_users.setCustomFields(mappedFieldIds());
    m_halo->list(
        api::HaloResource::Users, userQuery(), this,
        [this](const QJsonArray &rows) {
            if (!m_finished)
                m_users.add(rows);
        },
        [this](const api::ApiResponse &response) {
            if (m_finished)
                return;
            if (!response.ok()) {
                fail(response.message, response.error);
                return;
            }
            m_users.finish();
            m_maxUserId = m_users.maxId();
            checkSites();
        });
}

void ContactImport::checkSites()
{
    // The default site and each mapping row's site must exist, and a row's site must belong to
    // the row's customer. One GET each; mapping tables are short.
    m_phase = tr("Checking sites");
    QHash<qint64, QList<QString>> rowsOfSite; // site id -> HubSpot companies mapped with it
    for (auto it = m_mappings.cbegin(); it != m_mappings.cend(); ++it) {
        if (it->haloSiteId && m_customers.byId(it->haloClientId))
            rowsOfSite[*it->haloSiteId].append(it.key());
    }
    if (m_defaultSite > 0)
        rowsOfSite[m_defaultSite]; // checked with the rows, perhaps for both
    if (rowsOfSite.isEmpty()) {
        sitesChecked();
        return;
    }
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
                    fail(tr("HaloSpot could not check the Halo sites that contacts go to, so "
                            "nothing was imported: %1")
                             .arg(response.message),
                         response.error);
                    return;
                }
                const qint64 owner =
                    missing ? 0
                            : response.json.object().value(QLatin1String("client_id")).toInteger();
                if (siteId == m_defaultSite) {
                    if (missing || owner <= 0) {
                        fail(tr("The default site for new users (site %1) does not exist in "
                                "Halo, so nothing was imported. Choose another default site on "
                                "the Contacts tab.")
                                 .arg(siteId),
                             api::ApiError::None);
                        return;
                    }
                    m_defaultCustomer = owner;
                }
                for (const QString &company : companies) {
                    const qint64 customer = m_mappings.value(company).haloClientId;
                    if (missing) {
                        m_badSites.insert(company,
                                          tr("The customer mapping table sends company %1 to "
                                             "site %2 of Halo customer %3, but Halo has no site "
                                             "%2. Nothing was written; correct the row's site.")
                                              .arg(company)
                                              .arg(siteId)
                                              .arg(customer));
                    } else if (owner != customer) {
                        m_badSites.insert(company,
                                          tr("The customer mapping table sends company %1 to "
                                             "site %2, which belongs to Halo customer %3, not "
                                             "to the row's customer %4. Nothing was written; "
                                             "correct the row's site or customer.")
                                              .arg(company)
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

void ContactImport::sitesChecked()
{
    if (!m_spec.dryRun)
        reconcileLeftovers();
    if (m_finished)
        return;
    startStream();
}

void ContactImport::startStream()
{
    m_phase = m_spec.dryRun ? tr("Previewing contacts") : tr("Importing contacts");
    api::HubSpotListOptions options;
    options.properties = {QStringLiteral("email"),          QStringLiteral("firstname"),
                          QStringLiteral("lastname"),       QStringLiteral("phone"),
                          QStringLiteral("mobilephone"),    QStringLiteral("jobtitle"),
                          QStringLiteral("lifecyclestage"), QStringLiteral("associatedcompanyid")};
    for (const core::MappingRule &rule : std::as_const(m_rules)) {
        if (!options.properties.contains(rule.property.name))
            options.properties << rule.property.name;
    }
    options.associations = {QStringLiteral("companies")};
    m_stream = new HubSpotStream(m_hubspot, QStringLiteral("contacts"), options, this);
    m_stream->setRoom([this](qint64 onTheWay) {
        const qint64 cap = qint64(m_spec.batchSize) * (m_spec.writesInFlight + kBacklogBatches) +
                           qint64(m_stream->streams()) * m_stream->pageSize();
        return backlog() + qMax<qint64>(0, m_waitingContacts - kWaitingAllowance) + onTheWay < cap;
    });
    m_stream->setFailedHandler([this](const QString &message) {
        if (!m_finished)
            fail(message);
    });
    m_stream->setRecordsHandler([this](const QList<api::HubSpotObject> &contacts) {
        if (!m_finished)
            pageArrived(contacts);
    });
    m_clock.restart();
    m_stream->start();
}

void ContactImport::pageArrived(const QList<api::HubSpotObject> &contacts)
{
    m_report.counts.read += contacts.size();
    // The companies of this page that are neither mapped nor in Halo, and whose stage is not
    // known yet: the page waits until they are looked up, before any of its contacts is placed.
    QStringList unknown;
    for (const api::HubSpotObject &contact : contacts) {
        for (const QString &company : companiesOf(contact)) {
            bool mapped = false;
            if (customerOfCompany(company, &mapped) == 0 && !m_companyFacts.contains(company) &&
                !unknown.contains(company)) {
                unknown.append(company);
                if (!m_lookupAsked.contains(company)) {
                    m_lookupAsked.insert(company);
                    m_lookupQueue.append(company);
                }
            }
        }
        if (m_finished)
            return;
    }
    if (unknown.isEmpty()) {
        for (const api::HubSpotObject &contact : contacts) {
            process(contact);
            if (m_finished)
                return;
        }
    } else {
        m_waitingContacts += contacts.size();
        m_waitingPages.push_back(Page{contacts, unknown});
    }
    pump();
}

void ContactImport::queueLookups()
{
    // Full reads of 100 companies as soon as there are that many; a short one only when nothing
    // else is on its way to fill it (no page coming, or enough contacts waiting).
    while (m_lookupQueue.size() >= kLookupBatch) {
        lookUp(m_lookupQueue.mid(0, kLookupBatch));
        m_lookupQueue.remove(0, kLookupBatch);
    }
    const bool nothingComing = !m_stream || m_stream->readsInFlight() == 0;
    if (!m_lookupQueue.isEmpty() && m_lookupsInFlight == 0 &&
        (nothingComing || m_waitingContacts >= kWaitingAllowance)) {
        const QStringList companies = m_lookupQueue;
        m_lookupQueue.clear();
        lookUp(companies);
    }
}

void ContactImport::lookUp(const QStringList &unknown)
{
    ++m_lookupsInFlight;
    auto attempt = std::make_shared<int>(0);
    auto read = std::make_shared<std::function<void()>>();
    QPointer<ContactImport> guard(this);
    // The closure refers to itself weakly: only a request or a retry timer on its way holds it,
    // so it is freed on every way out (success, failure, stop, the job deleted).
    const std::weak_ptr<std::function<void()>> weakRead = read;
    *read = [this, guard, unknown, attempt, weakRead] {
        const std::shared_ptr<std::function<void()>> self = weakRead.lock();
        if (!self)
            return;
        QList<api::HubSpotBatchInput> inputs;
        for (const QString &id : unknown) {
            api::HubSpotBatchInput in;
            in.id = id;
            inputs.append(in);
        }
        m_hubspot->batch(
            api::BatchOp::Read, QStringLiteral("companies"), inputs,
            {QStringLiteral("lifecyclestage"), QStringLiteral("name")},
            [this, guard, unknown, attempt,
             self](const api::HubSpotReply<QList<api::HubSpotBatchItem>> &r) {
                if (!guard || m_finished)
                    return;
                // With the call as a whole answered, an input's error is HubSpot's word on that
                // company (no such company, an ID it cannot read): it is not there. When a part
                // of the call failed, only the clear answers count and the rest is asked again.
                bool retry = false;
                for (qsizetype i = 0; i < unknown.size(); ++i) {
                    const api::HubSpotBatchItem item =
                        i < r.value.size() ? r.value.at(i) : api::HubSpotBatchItem{};
                    const bool gone =
                        !item.ok() && (item.category == QLatin1String("OBJECT_NOT_FOUND") ||
                                       (r.ok() && item.error == api::ApiError::Http));
                    if (i >= r.value.size() || (!item.ok() && !gone)) {
                        retry = true;
                        continue;
                    }
                    CompanyFacts facts;
                    facts.exists = item.ok();
                    facts.stage =
                        item.object.properties.value(QStringLiteral("lifecyclestage")).trimmed();
                    facts.name = item.object.properties.value(QStringLiteral("name")).trimmed();
                    facts.selected = facts.exists && m_companyStages.contains(facts.stage);
                    m_companyFacts.insert(unknown.at(i), facts);
                    m_lookupAsked.remove(unknown.at(i));
                }
                if (retry) {
                    const bool hopeless = r.error == api::ApiError::ReconnectNeeded ||
                                          r.error == api::ApiError::DailyLimit ||
                                          r.error == api::ApiError::Refused;
                    if (hopeless || ++*attempt > kCompanyReadRetries) {
                        fail(tr("HaloSpot could not read the companies of some contacts from "
                                "HubSpot: %1")
                                 .arg(r.ok() ? tr("HubSpot did not answer for every company.")
                                             : r.message),
                             r.ok() ? api::ApiError::Malformed : r.error);
                        return;
                    }
                    QTimer::singleShot(1000, this, [this, guard, self] {
                        if (guard && !m_finished)
                            (*self)();
                    });
                    return;
                }
                --m_lookupsInFlight;
                pagesReady();
            });
    };
    (*read)();
}

void ContactImport::pagesReady()
{
    for (auto page = m_waitingPages.begin(); page != m_waitingPages.end() && !m_finished;) {
        const bool ready = std::all_of(
            page->unknown.cbegin(), page->unknown.cend(),
            [this](const QString &company) { return m_companyFacts.contains(company); });
        if (!ready) {
            ++page;
            continue;
        }
        const QList<api::HubSpotObject> contacts = std::move(page->contacts);
        page = m_waitingPages.erase(page);
        m_waitingContacts -= contacts.size();
        for (const api::HubSpotObject &contact : contacts) {
            process(contact);
            if (m_finished)
                return;
        }
    }
    pump();
}

qint64 ContactImport::backlog() const
{
    // The write side only: contacts waiting for their companies' facts are let through
    // (kWaitingAllowance) so that a lookup can gather 100 companies; short batches are not sent
    // for them.
    qint64 n = qint64(m_queue.size()) + m_deferredCount + qint64(m_inFlight) * m_spec.batchSize;
    for (const QList<WriteOp> &b : m_ready)
        n += b.size();
    for (const Batch &b : m_unknown)
        n += b.ops.size();
    return n;
}

void ContactImport::pump()
{
    if (m_finished)
        return;
    const qint64 cap = qint64(m_spec.batchSize) * (m_spec.writesInFlight + kBacklogBatches);
    const bool readDone = m_stream && m_stream->isDone() && m_stream->readsInFlight() == 0;
    while (m_inFlight < m_spec.writesInFlight && !m_finished) {
        if (!m_ready.empty()) {
            QList<WriteOp> ops = std::move(m_ready.front());
            m_ready.pop_front();
            sendBatch(std::move(ops));
            continue;
        }
        // A short batch goes out when nothing more is coming soon: the end of the stream, or a
        // full backlog (e.g. contacts waiting for a same-address user to be created).
        const bool flush = (readDone && m_waitingContacts == 0) || backlog() >= cap;
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
    queueLookups();
    if (m_finished)
        return;
    if (m_settledItems.size() >= kStoreFlushItems)
        flushSettled();
    if (readDone && m_waitingContacts == 0 && m_queue.empty() && m_ready.empty() &&
        m_inFlight == 0 && !m_reconciling && m_unknown.isEmpty() && m_deferredCount == 0) {
        const bool errors = m_report.counts.failed > 0;
        finish(errors ? QStringLiteral("completed_with_errors") : QStringLiteral("completed"));
    }
}

} // namespace halospot::engine
