// The fake HubSpot's record store: generated records computed on demand from the Generator, plus
// a small overlay of created, changed and archived records. Nothing else is held in memory.
#pragma once

#include "Clock.h"
#include "Generator.h"
#include "HubSpotProperties.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <optional>
#include <set>

namespace halospot::sandbox {

struct StoredObject
{
    qint64 id = 0;
    Props props; // includes hs_object_id (and associatedcompanyid on contacts with a company)
    bool archived = false;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    qint64 archivedMs = 0;
    QList<qint64> companies; // contacts only: associated company ids, primary first
};

class HubSpotStore final
{
public:
    HubSpotStore(const Generator *generator, Clock *clock);

    // Generated records take ids base, base+1, ...; created ones follow the generated range.
    static qint64 baseId(ObjectKind kind);
    qint64 endId(ObjectKind kind) const;
    static QString lastModifiedProperty(ObjectKind kind);

    std::optional<StoredObject> get(ObjectKind kind, qint64 id) const;
    bool isLive(ObjectKind kind, qint64 id) const;
    // The first id >= from that is live (archived = false) or archived (archived = true); 0 if
    // none.
    qint64 nextId(ObjectKind kind, qint64 from, bool archived) const;
    // The live contact with this e-mail (case-insensitive), or 0.
    qint64 findContactByEmail(const QString &email) const;

    // `props` are already validated; "" values are dropped. Returns the new id.
    qint64 create(ObjectKind kind, const Props &props, const QList<qint64> &companies = {});
    // Applies changes ("" clears a value) and bumps the last-modified date.
    void update(ObjectKind kind, qint64 id, const Props &changes);
    // Replaces a contact's companies (primary first); keeps associatedcompanyid in step.
    void setContactCompanies(qint64 contactId, const QList<qint64> &companies);
    void archive(ObjectKind kind, qint64 id);

    // Live contacts associated with each of the given companies, with whether the company is the
    // contact's primary one (one pass over all contacts).
    QHash<qint64, QList<QPair<qint64, bool>>>
    contactsOfCompanies(const QSet<qint64> &companyIds) const;

    qint64 liveCount(ObjectKind kind) const;
    qint64 archivedCount(ObjectKind kind) const;
    qint64 createdCount(ObjectKind kind) const;
    qint64 overlaySize() const { return m_overlay[0].size() + m_overlay[1].size(); }
    qint64 nowMs() const;

private:
    static int slot(ObjectKind kind) { return kind == ObjectKind::Company ? 0 : 1; }
    qint64 generatedCount(ObjectKind kind) const;
    StoredObject &writable(ObjectKind kind, qint64 id);
    void indexEmail(const StoredObject &object, bool add);

    const Generator *m_generator;
    Clock *m_clock;
    QHash<qint64, StoredObject> m_overlay[2];
    std::set<qint64> m_archived[2];
    qint64 m_next[2];
    QHash<QString, qint64> m_emails; // lower-cased e-mail -> live overlay contact id
};

} // namespace halospot::sandbox
