// The Halo customers an import matches against, read once per run: by id, by the HubSpot ID Halo
// holds, and by normalized name, with the current values of the mapped custom fields. Kept compact
// (it grows with every customer of the instance and every one the run creates): the lookup tables
// hold hashes and ids only, and a customer keeps only the custom fields the import maps.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMultiHash>
#include <QPair>
#include <QString>

namespace halospot::engine {

struct Customer
{
    qint64 id = 0;
    QString name;
    QString hubspotId;
    qint64 mainSiteId = 0; // where the contact import puts the customer's people
    bool inactive = false;
    QList<QPair<int, QJsonValue>> custom; // (field id, customfields[].value), mapped fields only

    QJsonValue customValue(int fieldId) const;
    void setCustom(int fieldId, const QJsonValue &value);

    // A row of GET /api/Client (with include_custom_fields) or a POST reply element. keep: the
    // custom field ids to remember (nullptr = every field of the row).
    static Customer fromJson(const QJsonObject &row, const QList<int> *keep = nullptr);
};

class CustomerIndex final
{
public:
    void clear();
    // Only these custom fields are kept from rows added later (by default all of them).
    void setCustomFields(const QList<int> &fieldIds)
    {
        m_keep = fieldIds;
        m_keepAll = false;
    }
    void insert(const Customer &customer); // replaces a customer with the same id
    void add(const QJsonArray &rows);
    void addRow(const QJsonObject &row); // a POST reply element
    // Gives back the spare capacity left by growing (after the initial read).
    void squeeze() { m_byId.squeeze(); }

    const Customer *byId(qint64 id) const;
    const Customer *byHubSpotId(const QString &hubspotId) const;
    // Ids of the customers whose normalized name is `key` (normalizeName), in id order.
    QList<qint64> byName(const QString &key) const;
    qsizetype size() const { return m_byId.size(); }
    // The highest id seen (customers are never renumbered, so later creates get higher ids).
    qint64 maxId() const { return m_maxId; }

    // Applies what a write changed (custom values, hubspot_id) to the known customer.
    void applyWrite(qint64 id, const QHash<int, QJsonValue> &custom, const QString &hubspotId);

private:
    void unindex(const Customer &customer);
    static size_t keyHash(const QString &text);

    QHash<qint64, Customer> m_byId;
    // Hash of the HubSpot ID / of the normalized name -> customer ids; a lookup confirms each
    // candidate against the customer itself, so a hash collision costs a comparison, not a match.
    QMultiHash<size_t, qint64> m_byHubSpotId;
    QMultiHash<size_t, qint64> m_byName;
    QList<int> m_keep;
    bool m_keepAll = true;
    qint64 m_maxId = 0;
};

} // namespace halospot::engine
