// CatalogRefresh, the Halo lists: customers (active and inactive) and sites page by page, then the
// customer and user custom field definitions. The job ends after the last of them.
#include "CatalogRefresh.h"

#include "HaloClient.h"

#include <QJsonObject>
#include <QUrlQuery>

namespace halospot::engine {

namespace {

// Halo's FieldInfo table ids (reference/halo-api.md §6): 2 = customers, 4 = users.
constexpr int kCustomerFieldTable = 2;
constexpr int kUserFieldTable = 4;

QUrlQuery withInactive()
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("includeinactive"), QStringLiteral("true"));
    return q;
}

} // namespace

void CatalogRefresh::loadCustomers()
{
    enterList(core::CatalogList::Customers, tr("Reading Halo customers"));
    if (!check(m_catalog->begin(core::CatalogList::Customers)))
        return;
    // Pages may arrive out of order; each is written as it comes.
    m_halo->list(
        api::HaloResource::Client, withInactive(), this,
        [this](const QJsonArray &rows) {
            if (m_finished)
                return;
            QList<core::CatalogCustomer> page;
            page.reserve(rows.size());
            for (const QJsonValue &v : rows) {
                const QJsonObject o = v.toObject();
                page.append(core::CatalogCustomer{o.value(QLatin1String("id")).toInteger(),
                                                  o.value(QLatin1String("name")).toString(),
                                                  o.value(QLatin1String("inactive")).toBool()});
            }
            if (check(m_catalog->addCustomers(page)))
                m_report.counts.read += page.size();
        },
        [this](const api::ApiResponse &response) {
            if (m_finished)
                return;
            if (!response.ok()) {
                fail(response.message);
                return;
            }
            if (check(m_catalog->finish(core::CatalogList::Customers)))
                loadSites();
        });
}

void CatalogRefresh::loadSites()
{
    enterList(core::CatalogList::Sites, tr("Reading Halo sites"));
    if (!check(m_catalog->begin(core::CatalogList::Sites)))
        return;
    // Inactive sites too: a mapping made earlier may name one, and the picker shows its name.
    m_halo->list(
        api::HaloResource::Site, withInactive(), this,
        [this](const QJsonArray &rows) {
            if (m_finished)
                return;
            QList<core::CatalogSite> page;
            page.reserve(rows.size());
            for (const QJsonValue &v : rows) {
                const QJsonObject o = v.toObject();
                page.append(core::CatalogSite{o.value(QLatin1String("id")).toInteger(),
                                              o.value(QLatin1String("client_id")).toInteger(),
                                              o.value(QLatin1String("name")).toString(),
                                              {}});
            }
            if (check(m_catalog->addSites(page)))
                m_report.counts.read += page.size();
        },
        [this](const api::ApiResponse &response) {
            if (m_finished)
                return;
            if (!response.ok()) {
                fail(response.message);
                return;
            }
            if (check(m_catalog->finish(core::CatalogList::Sites)))
                loadFields(core::Entity::Company);
        });
}

void CatalogRefresh::loadFields(core::Entity entity)
{
    const bool customers = entity == core::Entity::Company;
    enterList(customers ? core::CatalogList::CustomerFields : core::CatalogList::UserFields,
              customers ? tr("Reading Halo customer fields") : tr("Reading Halo user fields"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("typeid"),
                   QString::number(customers ? kCustomerFieldTable : kUserFieldTable));
    m_halo->listAll(
        api::HaloResource::FieldInfo, q, this,
        [this, entity, customers](const api::ApiResponse &response, const QJsonArray &rows) {
            if (m_finished)
                return;
            if (!response.ok()) {
                fail(response.message);
                return;
            }
            QList<core::HaloFieldDef> fields;
            for (const QJsonValue &v : rows)
                fields.append(core::HaloFieldDef::fromJson(v.toObject()));
            if (!check(m_catalog->setFields(entity, fields)))
                return;
            m_report.counts.read += fields.size();
            if (customers)
                loadFields(core::Entity::Contact);
            else
                finish(QStringLiteral("completed"));
        });
}

} // namespace halospot::engine
