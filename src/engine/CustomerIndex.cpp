// CustomerIndex: building and querying the per-run index of Halo customers.
#include "CustomerIndex.h"

#include "Names.h"

#include <algorithm>

namespace halospot::engine {

Customer Customer::fromJson(const QJsonObject &row)
{
    Customer c;
    c.id = row.value(QLatin1String("id")).toInteger();
    c.name = row.value(QLatin1String("name")).toString();
    const QJsonValue hs = row.value(QLatin1String("hubspot_id"));
    c.hubspotId = hs.isDouble() ? QString::number(hs.toInteger()) : hs.toString().trimmed();
    c.inactive = row.value(QLatin1String("inactive")).toBool();
    const QJsonArray fields = row.value(QLatin1String("customfields")).toArray();
    for (const QJsonValue &v : fields) {
        const QJsonObject f = v.toObject();
        c.custom.insert(f.value(QLatin1String("id")).toInt(), f.value(QLatin1String("value")));
    }
    return c;
}

void CustomerIndex::clear()
{
    m_byId.clear();
    m_byHubSpotId.clear();
    m_byName.clear();
    m_maxId = 0;
}

void CustomerIndex::unindex(const Customer &customer)
{
    if (!customer.hubspotId.isEmpty() && m_byHubSpotId.value(customer.hubspotId) == customer.id)
        m_byHubSpotId.remove(customer.hubspotId);
    const QString key = core::normalizeName(customer.name);
    auto it = m_byName.find(key);
    if (it != m_byName.end()) {
        it->removeAll(customer.id);
        if (it->isEmpty())
            m_byName.erase(it);
    }
}

void CustomerIndex::insert(const Customer &customer)
{
    if (customer.id == 0) // negative ids are a preview's planned customers
        return;
    if (const auto it = m_byId.constFind(customer.id); it != m_byId.constEnd())
        unindex(*it);
    m_byId.insert(customer.id, customer);
    m_maxId = qMax(m_maxId, customer.id);
    // Two customers claiming one HubSpot ID: the lower id wins, as the older record.
    if (!customer.hubspotId.isEmpty()) {
        const qint64 other = m_byHubSpotId.value(customer.hubspotId);
        if (other == 0 || other > customer.id)
            m_byHubSpotId.insert(customer.hubspotId, customer.id);
    }
    QList<qint64> &ids = m_byName[core::normalizeName(customer.name)];
    ids.insert(std::lower_bound(ids.begin(), ids.end(), customer.id), customer.id);
}

void CustomerIndex::add(const QJsonArray &rows)
{
    for (const QJsonValue &v : rows)
        insert(Customer::fromJson(v.toObject()));
}

const Customer *CustomerIndex::byId(qint64 id) const
{
    const auto it = m_byId.constFind(id);
    return it == m_byId.constEnd() ? nullptr : &*it;
}

const Customer *CustomerIndex::byHubSpotId(const QString &hubspotId) const
{
    if (hubspotId.isEmpty())
        return nullptr;
    const qint64 id = m_byHubSpotId.value(hubspotId);
    return id ? byId(id) : nullptr;
}

void CustomerIndex::applyWrite(qint64 id, const QHash<int, QJsonValue> &custom,
                               const QString &hubspotId)
{
    const Customer *current = byId(id);
    if (!current)
        return;
    Customer updated = *current;
    for (auto it = custom.cbegin(); it != custom.cend(); ++it)
        updated.custom.insert(it.key(), it.value());
    if (!hubspotId.isEmpty())
        updated.hubspotId = hubspotId;
    insert(updated);
}

} // namespace halospot::engine
