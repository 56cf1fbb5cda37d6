// The fake Halo's record storage and its per-client indexes.
#include "HaloStore.h"

#include <algorithm>

namespace halospot::sandbox {

QString customValue(const HaloCustomValues &values, int fieldId)
{
    for (const HaloCustomValue &v : values) {
        if (v.fieldId == fieldId)
            return v.value;
    }
    return QString();
}

void setCustomValue(HaloCustomValues &values, int fieldId, const QString &value)
{
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (values.at(i).fieldId != fieldId)
            continue;
        if (value.isEmpty())
            values.removeAt(i);
        else
            values[i].value = value;
        return;
    }
    if (!value.isEmpty())
        values.append(HaloCustomValue{fieldId, value});
}

namespace {

template<typename Rec>
const Rec *slot(const std::vector<Rec> &slots, int first, int id)
{
    const qint64 index = qint64(id) - first;
    if (index < 0 || index >= qint64(slots.size()))
        return nullptr;
    const Rec &rec = slots[size_t(index)];
    return rec.id == 0 ? nullptr : &rec;
}

template<typename Rec>
Rec *slot(std::vector<Rec> &slots, int first, int id)
{
    return const_cast<Rec *>(slot(std::as_const(slots), first, id));
}

} // namespace

const HaloClientRec *HaloStore::client(int id) const
{
    return slot(m_clients, kFirstClientId, id);
}

const HaloSiteRec *HaloStore::site(int id) const
{
    return slot(m_sites, kFirstSiteId, id);
}

const HaloUserRec *HaloStore::user(int id) const
{
    return slot(m_users, kFirstUserId, id);
}

void HaloStore::addSorted(QHash<int, QList<int>> &index, int key, int id)
{
    QList<int> &ids = index[key];
    if (ids.isEmpty() || ids.constLast() < id) {
        ids.append(id); // the common case: new ids are the largest
        return;
    }
    ids.insert(std::lower_bound(ids.begin(), ids.end(), id), id);
}

void HaloStore::removeFrom(QHash<int, QList<int>> &index, int key, int id)
{
    auto it = index.find(key);
    if (it == index.end())
        return;
    const auto pos = std::lower_bound(it->begin(), it->end(), id);
    if (pos != it->end() && *pos == id)
        it->erase(pos);
    if (it->isEmpty())
        index.erase(it);
}

int HaloStore::insertClient(HaloClientRec rec)
{
    rec.id = kFirstClientId + int(m_clients.size());
    m_clients.push_back(std::move(rec));
    ++m_clientCount;
    return m_clients.back().id;
}

int HaloStore::insertSite(HaloSiteRec rec)
{
    if (!client(rec.clientId))
        return -1;
    rec.id = kFirstSiteId + int(m_sites.size());
    addSorted(m_sitesByClient, rec.clientId, rec.id);
    m_sites.push_back(std::move(rec));
    ++m_siteCount;
    return m_sites.back().id;
}

int HaloStore::insertUser(HaloUserRec rec)
{
    const HaloSiteRec *s = site(rec.siteId);
    if (!s)
        return -1;
    rec.clientId = s->clientId;
    rec.id = kFirstUserId + int(m_users.size());
    addSorted(m_usersByClient, rec.clientId, rec.id);
    m_users.push_back(std::move(rec));
    ++m_userCount;
    return m_users.back().id;
}

bool HaloStore::replaceClient(const HaloClientRec &rec)
{
    HaloClientRec *current = slot(m_clients, kFirstClientId, rec.id);
    if (!current)
        return false;
    *current = rec;
    return true;
}

bool HaloStore::replaceSite(const HaloSiteRec &rec)
{
    HaloSiteRec *current = slot(m_sites, kFirstSiteId, rec.id);
    if (!current || !client(rec.clientId))
        return false;
    const int oldClient = current->clientId;
    *current = rec;
    if (oldClient == rec.clientId)
        return true;
    removeFrom(m_sitesByClient, oldClient, rec.id);
    addSorted(m_sitesByClient, rec.clientId, rec.id);
    // The users of a moved site move with it.
    for (HaloUserRec &u : m_users) {
        if (u.id != 0 && u.siteId == rec.id) {
            removeFrom(m_usersByClient, u.clientId, u.id);
            u.clientId = rec.clientId;
            addSorted(m_usersByClient, u.clientId, u.id);
        }
    }
    return true;
}

bool HaloStore::replaceUser(const HaloUserRec &rec)
{
    HaloUserRec *current = slot(m_users, kFirstUserId, rec.id);
    const HaloSiteRec *s = site(rec.siteId);
    if (!current || !s)
        return false;
    const int oldClient = current->clientId;
    *current = rec;
    current->clientId = s->clientId;
    if (oldClient != current->clientId) {
        removeFrom(m_usersByClient, oldClient, rec.id);
        addSorted(m_usersByClient, current->clientId, rec.id);
    }
    return true;
}

bool HaloStore::removeUser(int id)
{
    HaloUserRec *u = slot(m_users, kFirstUserId, id);
    if (!u)
        return false;
    removeFrom(m_usersByClient, u->clientId, id);
    *u = HaloUserRec{}; // frees the strings; the slot stays so ids are never reused
    --m_userCount;
    return true;
}

bool HaloStore::removeSite(int id)
{
    HaloSiteRec *s = slot(m_sites, kFirstSiteId, id);
    if (!s)
        return false;
    const QList<int> users = usersOfClient(s->clientId);
    for (int userId : users) {
        const HaloUserRec *u = user(userId);
        if (u && u->siteId == id)
            removeUser(userId);
    }
    removeFrom(m_sitesByClient, s->clientId, id);
    *s = HaloSiteRec{};
    --m_siteCount;
    return true;
}

bool HaloStore::removeClient(int id)
{
    HaloClientRec *c = slot(m_clients, kFirstClientId, id);
    if (!c)
        return false;
    const QList<int> users = usersOfClient(id);
    for (int userId : users)
        removeUser(userId);
    const QList<int> sites = sitesOfClient(id);
    for (int siteId : sites)
        removeSite(siteId);
    *c = HaloClientRec{};
    --m_clientCount;
    return true;
}

int HaloStore::usersAtSite(int siteId) const
{
    const HaloSiteRec *s = site(siteId);
    if (!s)
        return 0;
    int n = 0;
    const auto it = m_usersByClient.constFind(s->clientId);
    if (it == m_usersByClient.constEnd())
        return 0;
    for (int userId : *it) {
        const HaloUserRec *u = user(userId);
        if (u && u->siteId == siteId)
            ++n;
    }
    return n;
}

QString HaloStore::topLevelName(int topLevelId)
{
    switch (topLevelId) {
    case 1:
        return QStringLiteral("Customers");
    case 2:
        return QStringLiteral("Internal");
    default:
        return QString();
    }
}

} // namespace halospot::sandbox
