// The Halo customers an import matches against, read once per run: by id, by the HubSpot ID Halo
// holds, and by normalized name, with the current values of the mapped custom fields.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace halospot::engine {

struct Customer
{
    qint64 id = 0;
    QString name;
    QString hubspotId;
    bool inactive = false;
    QHash<int, QJsonValue> custom; // field id -> customfields[].value (mapped fields only)

    // A row of GET /api/Client (with include_custom_fields) or a POST reply element.
    static Customer fromJson(const QJsonObject &row);
};

class CustomerIndex final
{
public:
    void clear();
    void insert(const Customer &customer); // replaces a customer with the same id
    void add(const QJsonArray &rows);

    const Customer *byId(qint64 id) const;
    const Customer *byHubSpotId(const QString &hubspotId) const;
    // Ids of the customers whose normalized name is `key` (normalizeName), in id order.
    QList<qint64> byName(const QString &key) const { return m_byName.value(key); }
    qsizetype size() const { return m_byId.size(); }
    // The highest id seen (customers are never renumbered, so later creates get higher ids).
    qint64 maxId() const { return m_maxId; }

    // Applies what a write changed (custom values, hubspot_id) to the known customer.
    void applyWrite(qint64 id, const QHash<int, QJsonValue> &custom, const QString &hubspotId);

private:
    void unindex(const Customer &customer);

    QHash<qint64, Customer> m_byId;
    QHash<QString, qint64> m_byHubSpotId;
    QHash<QString, QList<qint64>> m_byName;
    qint64 m_maxId = 0;
};

} // namespace halospot::engine
