// The fake Halo's data: clients, their sites and users, kept in id-indexed vectors with the few
// indexes the API's filters need (sites and users per client). No HTTP and no JSON here.
#pragma once

#include "HaloRecords.h"

#include <QHash>
#include <QList>

#include <vector>

namespace halospot::sandbox {

class HaloStore final
{
public:
    // Each kind has its own id range so that a client mixing up a site id and a client id gets a
    // "not found" instead of silently touching the wrong record.
    static constexpr int kFirstClientId = 1;
    static constexpr int kFirstSiteId = 1001;
    static constexpr int kFirstUserId = 2001;

    HaloStore() = default;

    const HaloClientRec *client(int id) const;
    const HaloSiteRec *site(int id) const;
    const HaloUserRec *user(int id) const;

    // Insert assigns and returns the new id (the record's id field is ignored). Sites and users
    // must reference an existing client / site; -1 otherwise.
    int insertClient(HaloClientRec rec);
    int insertSite(HaloSiteRec rec);
    int insertUser(HaloUserRec rec);
    // Replace an existing record (same id); indexes follow a moved site or user. False if unknown.
    bool replaceClient(const HaloClientRec &rec);
    bool replaceSite(const HaloSiteRec &rec);
    bool replaceUser(const HaloUserRec &rec);
    // Removing a client removes its sites and users too.
    bool removeClient(int id);
    bool removeSite(int id);
    bool removeUser(int id);

    qint64 clientCount() const { return m_clientCount; }
    qint64 siteCount() const { return m_siteCount; }
    qint64 userCount() const { return m_userCount; }

    // All slots in id order; slots with id 0 are deleted records.
    const std::vector<HaloClientRec> &clientSlots() const { return m_clients; }
    const std::vector<HaloSiteRec> &siteSlots() const { return m_sites; }
    const std::vector<HaloUserRec> &userSlots() const { return m_users; }

    // Ids in ascending order.
    QList<int> sitesOfClient(int clientId) const { return m_sitesByClient.value(clientId); }
    QList<int> usersOfClient(int clientId) const { return m_usersByClient.value(clientId); }
    int usersAtSite(int siteId) const;

    // Halo's top of the Top Level > Client > Site > User hierarchy; a fixed pair here.
    static QString topLevelName(int topLevelId);

private:
    static void addSorted(QHash<int, QList<int>> &index, int key, int id);
    static void removeFrom(QHash<int, QList<int>> &index, int key, int id);

    std::vector<HaloClientRec> m_clients;
    std::vector<HaloSiteRec> m_sites;
    std::vector<HaloUserRec> m_users;
    QHash<int, QList<int>> m_sitesByClient;
    QHash<int, QList<int>> m_usersByClient;
    qint64 m_clientCount = 0;
    qint64 m_siteCount = 0;
    qint64 m_userCount = 0;
};

} // namespace halospot::sandbox
