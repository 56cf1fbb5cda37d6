// CustomerIndex: building and querying the per-run index of Halo customers.
#include "CustomerIndex.h"

#include "Names.h"

#include <algorithm>

namespace halospot::engine {

QJsonValue Customer::customValue(int fieldId) const
{
    for (const auto &v : custom) {
        if (v.first == fieldId)
            return v.second;
    }
    return QJsonValue(); // as a missing field: null
}

void Customer::setCustom(int fieldId, const QJsonValue &value)
{
    for (auto &v : custom) {
        if (v.first == fieldId) {
            v.second = value;
            return;
        }
    }
    custom.append({fieldId, value});
}

Customer Customer::fromJson(const QJsonObject &row, const QList<int> *keep)
{
    Customer c;
    c.id = row.value(QLatin1String("id")).toInteger();
    c.name = row.value(QLatin1String("name")).toString();
    const QJsonValue hs = row.value(QLatin1String("hubspot_id"));
    c.hubspotId = hs.isDouble() ? QString::number(hs.toInteger()) : hs.toString().trimmed();
    c.mainSiteId = row.value(QLatin1String("main_site_id")).toInteger();
    c.inactive = row.value(QLatin1String("inactive")).toBool();
    const QJsonArray fields = row.value(QLatin1String("customfields")).toArray();
    for (const QJsonValue &v : fields) {
        const QJsonObject f = v.toObject();
        const int id = f.value(QLatin1String("id")).toInt();
        if (!keep || keep->contains(id))
            c.setCustom(id, f.value(QLatin1String("value")));
    }
    c.custom.squeeze();
    return c;
}

size_t CustomerIndex::keyHash(const QString &text)
{
    return qHash(text, size_t(0x5eed));
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
    if (!customer.hubspotId.isEmpty())
        m_byHubSpotId.remove(keyHash(customer.hubspotId), customer.id);
    m_byName.remove(keyHash(core::normalizeName(customer.name)), customer.id);
}

void CustomerIndex::insert(const Customer &customer)
{
    if (customer.id == 0) // negative ids are a preview's planned customers
        return;
    if (const auto it = m_byId.constFind(customer.id); it != m_byId.constEnd())
        unindex(*it);
    m_byId.insert(customer.id, customer);
    m_maxId = qMax(m_maxId, customer.id);
    if (!customer.hubspotId.isEmpty())
        m_byHubSpotId.insert(keyHash(customer.hubspotId), customer.id);
    m_byName.insert(keyHash(core::normalizeName(customer.name)), customer.id);
}

void CustomerIndex::add(const QJsonArray &rows)
{
    for (const QJsonValue &v : rows)
        addRow(v.toObject());
}

void CustomerIndex::addRow(const QJsonObject &row)
{
    insert(Customer::fromJson(row, m_keepAll ? nullptr : &m_keep));
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
    // Two customers claiming one HubSpot ID: the lower id wins, as the older record.
    const Customer *best = nullptr;
    for (auto it = m_byHubSpotId.constFind(keyHash(hubspotId));
         it != m_byHubSpotId.constEnd() && it.key() == keyHash(hubspotId); ++it) {
        const Customer *c = byId(it.value());
        if (c && c->hubspotId == hubspotId && (!best || c->id < best->id))
            best = c;
    }
    return best;
}

QList<qint64> CustomerIndex::byName(const QString &key) const
{
    QList<qint64> ids;
    const size_t h = keyHash(key);
    for (auto it = m_byName.constFind(h); it != m_byName.constEnd() && it.key() == h; ++it) {
        const Customer *c = byId(it.value());
        if (c && core::normalizeName(c->name) == key)
            ids.append(c->id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

void CustomerIndex::applyWrite(qint64 id, const QHash<int, QJsonValue> &custom,
                               const QString &hubspotId)
{
    const Customer *current = byId(id);
    if (!current)
        return;
    Customer updated = *current;
    for (auto it = custom.cbegin(); it != custom.cend(); ++it)
        updated.setCustom(it.key(), it.value());
    if (!hubspotId.isEmpty())
        updated.hubspotId = hubspotId;
    insert(updated);
}

} // namespace halospot::engine
