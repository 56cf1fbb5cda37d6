// The Halo users the contact import matches against, read once per run: by id, by the HubSpot ID
// Halo holds, and by e-mail address, with the current values of the mapped custom fields. It must
// hold 500 000 users within a small process, so a user is a few ids, two 64-bit keys and the
// mapped values only; the lookups are sorted arrays of (key, row) pairs, built once after reading.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

#include <utility>
#include <vector>

namespace halospot::engine {

struct HaloUser
{
    qint64 id = 0;
    // UserIndex::emailKey of the e-mail address, or (for a user without one) UserIndex::nameKey
    // of the name; 0 when the user has neither.
    quint64 key = 0;
    qint64 claimedBy = 0; // the HubSpot contact this run matched to the user (0 = none)
    // The HubSpot ID Halo holds (HubSpot record IDs are numbers): 0 = none, -1 = something
    // that is not a HubSpot record ID (it still counts as taken).
    qint64 hubspotId = 0;
    qint32 clientId = 0; // Halo's ids are 32-bit integers (its schema's "int")
    qint32 siteId = 0;
    bool hasEmail = false;
    bool inactive = false;
    // The mapped fields' customfields[].value as one CBOR array [field id, value, …]: a single
    // allocation per user, where a list of QJsonValue costs one container per string value.
    QByteArray custom;

    QJsonValue customValue(int fieldId) const;
    void setCustom(const QList<QPair<int, QJsonValue>> &values);
    // "123", or "" / "(not a HubSpot ID)" for 0 / -1.
    QString hubspotIdText() const;
    static qint64 hubspotIdNumber(const QString &text); // the hubspotId form of a text

    // A row of GET /api/Users (with include_custom_fields) or a POST reply element. keep: the
    // custom field ids to remember.
    static HaloUser fromJson(const QJsonObject &row, const QList<int> &keep);
};

class UserIndex final
{
public:
    // The keys are 64-bit hashes and are trusted without keeping the text: two different
    // addresses share a key with a chance of about 1 in 2^64 per pair (under 1e-8 over 500 000
    // users), far below any other source of error, and the text would double the index's size.
    // 0 is never returned (it means "no key").
    static quint64 emailKey(const QString &email); // normalizeEmail, then hashed; 0 when empty
    static quint64 nameKey(const QString &name);   // normalizeName, then hashed; 0 when empty
    // The key of a (key, customer) pair: what "the same e-mail at the same customer" is.
    static quint64 atCustomer(quint64 key, qint64 customerId);

    void setCustomFields(const QList<int> &fieldIds) { m_keep = fieldIds; }
    const QList<int> &customFields() const { return m_keep; }
    // Rows as they are read; lookups work after finish().
    void add(const QJsonArray &rows);
    void finish();

    const HaloUser *byId(qint64 id) const;
    HaloUser *byId(qint64 id);
    // The user holding this HubSpot ID (the lowest id when several do), or nullptr.
    const HaloUser *byHubSpotId(const QString &hubspotId) const;
    // Users whose key (e-mail or name key) is `key`, in id order.
    QList<const HaloUser *> byKey(quint64 key) const;
    qsizetype size() const { return qsizetype(m_rows.size()); }
    qint64 maxId() const { return m_maxId; }

    // Applies what a write changed; siteId/clientId 0 keep the current ones.
    void applyWrite(qint64 id, const QList<QPair<int, QJsonValue>> &custom,
                    const QString &hubspotId, qint64 siteId, qint64 clientId);

private:
    using KeyRow = std::pair<quint64, quint32>;
    static quint64 textKey(const QString &text, quint64 seed);
    QList<const HaloUser *> rowsOf(const std::vector<KeyRow> &table, quint64 key) const;

    std::vector<HaloUser> m_rows; // sorted by id after finish()
    std::vector<KeyRow> m_byKey;
    std::vector<KeyRow> m_byHubSpotId;
    QList<int> m_keep;
    qint64 m_maxId = 0;
};

} // namespace halospot::engine
