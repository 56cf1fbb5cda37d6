// UserIndex: building and querying the per-run index of Halo users.
#include "UserIndex.h"

#include "Names.h"

#include <QCborArray>
#include <QCborValue>
#include <QCoreApplication>
#include <QHashFunctions>

#include <algorithm>

namespace halospot::engine {

namespace {

QString idText(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toInteger()) : v.toString().trimmed();
}

quint64 hubspotKey(qint64 id)
{
    return quint64(id);
}

} // namespace

QJsonValue HaloUser::customValue(int fieldId) const
{
    if (custom.isEmpty())
        return QJsonValue(); // as a missing field: null
    const QCborArray values = QCborValue::fromCbor(custom).toArray();
    for (qsizetype i = 0; i + 1 < values.size(); i += 2) {
        if (values.at(i).toInteger() == fieldId)
            return values.at(i + 1).toJsonValue();
    }
    return QJsonValue();
}

void HaloUser::setCustom(const QList<QPair<int, QJsonValue>> &changed)
{
    if (changed.isEmpty())
        return;
    QCborArray values = custom.isEmpty() ? QCborArray() : QCborValue::fromCbor(custom).toArray();
    for (const auto &c : changed) {
        qsizetype i = 0;
        while (i + 1 < values.size() && values.at(i).toInteger() != c.first)
            i += 2;
        const QCborValue v = QCborValue::fromJsonValue(c.second);
        if (i + 1 < values.size()) {
            values[i + 1] = v;
        } else {
            values.append(c.first);
            values.append(v);
        }
    }
    custom = QCborValue(values).toCbor();
    custom.squeeze();
}

qint64 HaloUser::hubspotIdNumber(const QString &text)
{
    if (text.isEmpty())
        return 0;
    bool ok = false;
    const qint64 n = text.toLongLong(&ok);
    return ok && n > 0 ? n : -1;
}

QString HaloUser::hubspotIdText() const
{
    if (hubspotId == 0)
        return QString();
    return hubspotId > 0 ? QString::number(hubspotId)
                         : QCoreApplication::translate("UserIndex", "(not a HubSpot ID)");
}

HaloUser HaloUser::fromJson(const QJsonObject &row, const QList<int> &keep)
{
    HaloUser u;
    u.id = row.value(QLatin1String("id")).toInteger();
    u.clientId = qint32(row.value(QLatin1String("client_id")).toInteger());
    // site_id is a number (a double in Halo's schema); site_id_int is its integer twin.
    u.siteId = qint32(row.value(QLatin1String("site_id")).toInteger());
    if (u.siteId == 0)
        u.siteId = qint32(row.value(QLatin1String("site_id_int")).toInteger());
    u.hubspotId = hubspotIdNumber(idText(row.value(QLatin1String("hubspot_id"))));
    u.inactive = row.value(QLatin1String("inactive")).toBool();
    u.key = UserIndex::emailKey(row.value(QLatin1String("emailaddress")).toString());
    u.hasEmail = u.key != 0;
    if (!u.hasEmail) {
        QString name = row.value(QLatin1String("name")).toString();
        if (name.trimmed().isEmpty()) {
            name = row.value(QLatin1String("firstname")).toString() + QLatin1Char(' ') +
                   row.value(QLatin1String("surname")).toString();
        }
        u.key = UserIndex::nameKey(name);
    }
    if (!keep.isEmpty()) {
        QList<QPair<int, QJsonValue>> values;
        const QJsonArray fields = row.value(QLatin1String("customfields")).toArray();
        for (const QJsonValue &v : fields) {
            const QJsonObject f = v.toObject();
            const int id = f.value(QLatin1String("id")).toInt();
            const QJsonValue value = f.value(QLatin1String("value"));
            if (keep.contains(id) && !value.isNull() && !value.isUndefined())
                values.append({id, value}); // null is what a missing value reads as
        }
        u.setCustom(values);
    }
    return u;
}

quint64 UserIndex::textKey(const QString &text, quint64 seed)
{
    if (text.isEmpty())
        return 0;
    quint64 h = qHash(text, size_t(seed));
    if constexpr (sizeof(size_t) < 8)
        h = (h << 32) ^ qHash(text, size_t(seed ^ 0x9e3779b9u));
    return h == 0 ? 1 : h;
}

quint64 UserIndex::emailKey(const QString &email)
{
    return textKey(core::normalizeEmail(email), 0xe3a1);
}

quint64 UserIndex::nameKey(const QString &name)
{
    // Another seed: a name never meets an e-mail address under one key.
    return textKey(core::normalizeName(name), 0x4a3e);
}

quint64 UserIndex::atCustomer(quint64 key, qint64 customerId)
{
    // A 64-bit mix (splitmix64's finaliser) of the key and the customer.
    quint64 x = key ^ (quint64(customerId) * 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x == 0 ? 1 : x;
}

void UserIndex::add(const QJsonArray &rows)
{
    for (const QJsonValue &v : rows) {
        HaloUser u = HaloUser::fromJson(v.toObject(), m_keep);
        if (u.id <= 0)
            continue;
        m_maxId = qMax(m_maxId, u.id);
        m_rows.push_back(std::move(u));
    }
}

void UserIndex::finish()
{
    std::sort(m_rows.begin(), m_rows.end(),
              [](const HaloUser &a, const HaloUser &b) { return a.id < b.id; });
    // Pages can overlap when users are added while they are read: keep one row per id.
    m_rows.erase(std::unique(m_rows.begin(), m_rows.end(),
                             [](const HaloUser &a, const HaloUser &b) { return a.id == b.id; }),
                 m_rows.end());
    m_rows.shrink_to_fit();
    m_byKey.clear();
    m_byHubSpotId.clear();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        const HaloUser &u = m_rows[i];
        if (u.key)
            m_byKey.emplace_back(u.key, quint32(i));
        if (u.hubspotId > 0)
            m_byHubSpotId.emplace_back(hubspotKey(u.hubspotId), quint32(i));
    }
    std::sort(m_byKey.begin(), m_byKey.end());
    std::sort(m_byHubSpotId.begin(), m_byHubSpotId.end());
    m_byKey.shrink_to_fit();
    m_byHubSpotId.shrink_to_fit();
}

const HaloUser *UserIndex::byId(qint64 id) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), id,
                                     [](const HaloUser &u, qint64 v) { return u.id < v; });
    return it != m_rows.cend() && it->id == id ? &*it : nullptr;
}

HaloUser *UserIndex::byId(qint64 id)
{
    return const_cast<HaloUser *>(std::as_const(*this).byId(id));
}

QList<const HaloUser *> UserIndex::rowsOf(const std::vector<KeyRow> &table, quint64 key) const
{
    QList<const HaloUser *> out;
    auto it = std::lower_bound(table.cbegin(), table.cend(), KeyRow{key, 0});
    for (; it != table.cend() && it->first == key; ++it)
        out.append(&m_rows[it->second]); // rows are in id order, so out is too
    return out;
}

const HaloUser *UserIndex::byHubSpotId(const QString &hubspotId) const
{
    const qint64 id = HaloUser::hubspotIdNumber(hubspotId);
    if (id <= 0)
        return nullptr;
    // Several users claiming one HubSpot ID: the lowest id wins, as the older record. A user
    // given the ID by this run is not in the table, and needs not be: each contact is read once.
    const QList<const HaloUser *> users = rowsOf(m_byHubSpotId, hubspotKey(id));
    return users.isEmpty() ? nullptr : users.constFirst();
}

QList<const HaloUser *> UserIndex::byKey(quint64 key) const
{
    return key ? rowsOf(m_byKey, key) : QList<const HaloUser *>();
}

void UserIndex::applyWrite(qint64 id, const QList<QPair<int, QJsonValue>> &custom,
                           const QString &hubspotId, qint64 siteId, qint64 clientId)
{
    HaloUser *u = byId(id);
    if (!u)
        return;
    u->setCustom(custom);
    if (!hubspotId.isEmpty())
        u->hubspotId = HaloUser::hubspotIdNumber(hubspotId);
    if (siteId > 0)
        u->siteId = qint32(siteId);
    if (clientId > 0)
        u->clientId = qint32(clientId);
}

} // namespace halospot::engine
