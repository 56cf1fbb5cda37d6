// The fake HubSpot's record store: lazily generated records plus an overlay of changes.
#include "HubSpotStore.h"

namespace halospot::sandbox {

namespace {

const QString &emailKey()
{
    static const QString k = QStringLiteral("email");
    return k;
}

} // namespace

HubSpotStore::HubSpotStore(const Generator *generator, Clock *clock)
    : m_generator(generator)
    , m_clock(clock)
{
    m_next[0] = baseId(ObjectKind::Company) + generatedCount(ObjectKind::Company);
    m_next[1] = baseId(ObjectKind::Contact) + generatedCount(ObjectKind::Contact);
}

qint64 HubSpotStore::baseId(ObjectKind kind)
{
    return kind == ObjectKind::Company ? 10000000001LL : 20000000001LL;
}

qint64 HubSpotStore::endId(ObjectKind kind) const
{
    return m_next[slot(kind)];
}

QString HubSpotStore::lastModifiedProperty(ObjectKind kind)
{
    return kind == ObjectKind::Company ? QStringLiteral("hs_lastmodifieddate")
                                       : QStringLiteral("lastmodifieddate");
}

qint64 HubSpotStore::generatedCount(ObjectKind kind) const
{
    if (!m_generator)
        return 0;
    return kind == ObjectKind::Company ? m_generator->config().companies
                                       : m_generator->config().contacts;
}

qint64 HubSpotStore::nowMs() const
{
    return m_clock ? m_clock->nowUtc().toMSecsSinceEpoch()
                   : QDateTime::currentDateTimeUtc().toMSecsSinceEpoch();
}

std::optional<StoredObject> HubSpotStore::get(ObjectKind kind, qint64 id) const
{
    const auto found = m_overlay[slot(kind)].constFind(id);
    if (found != m_overlay[slot(kind)].constEnd())
        return *found;
    const qint64 index = id - baseId(kind);
    if (index < 0 || index >= generatedCount(kind))
        return std::nullopt;
    StoredObject o;
    o.id = id;
    o.props =
        kind == ObjectKind::Company ? m_generator->company(index) : m_generator->contact(index);
    o.props.insert(QStringLiteral("hs_object_id"), QString::number(id));
    if (kind == ObjectKind::Contact) {
        const QList<qint64> companies = m_generator->contactCompanies(index);
        for (qint64 c : companies)
            o.companies << baseId(ObjectKind::Company) + c;
        if (!o.companies.isEmpty())
            o.props.insert(QStringLiteral("associatedcompanyid"),
                           QString::number(o.companies.first()));
    }
    o.createdMs =
        HubSpotProperties::parseInstant(o.props.value(QStringLiteral("createdate"))).value_or(0);
    o.updatedMs = HubSpotProperties::parseInstant(o.props.value(lastModifiedProperty(kind)))
                      .value_or(o.createdMs);
    return o;
}

bool HubSpotStore::isLive(ObjectKind kind, qint64 id) const
{
    if (id < baseId(kind) || id >= endId(kind))
        return false;
    return m_archived[slot(kind)].count(id) == 0;
}

qint64 HubSpotStore::nextId(ObjectKind kind, qint64 from, bool archived) const
{
    const std::set<qint64> &gone = m_archived[slot(kind)];
    if (archived) {
        const auto it = gone.lower_bound(from);
        return it == gone.end() ? 0 : *it;
    }
    for (qint64 id = qMax(from, baseId(kind)); id < endId(kind); ++id) {
        if (gone.count(id) == 0)
            return id;
    }
    return 0;
}

qint64 HubSpotStore::findContactByEmail(const QString &email) const
{
    const QString key = email.trimmed().toLower();
    if (key.isEmpty())
        return 0;
    if (const qint64 id = m_emails.value(key))
        return id;
    if (!m_generator)
        return 0;
    const qint64 index = m_generator->contactIndexForEmail(key);
    if (index < 0)
        return 0;
    const qint64 id = baseId(ObjectKind::Contact) + index;
    // A changed or archived generated contact lives in the overlay (and in m_emails if it still
    // has an address), so its generated address no longer counts.
    return m_overlay[1].contains(id) ? 0 : id;
}

StoredObject &HubSpotStore::writable(ObjectKind kind, qint64 id)
{
    auto &overlay = m_overlay[slot(kind)];
    auto it = overlay.find(id);
    if (it == overlay.end()) {
        StoredObject o = get(kind, id).value_or(StoredObject{});
        o.id = id;
        it = overlay.insert(id, o);
        if (kind == ObjectKind::Contact && !o.archived)
            indexEmail(*it, true);
    }
    return *it;
}

void HubSpotStore::indexEmail(const StoredObject &object, bool add)
{
    const QString key = object.props.value(emailKey()).trimmed().toLower();
    if (key.isEmpty())
        return;
    if (add)
        m_emails.insert(key, object.id);
    else if (m_emails.value(key) == object.id)
        m_emails.remove(key);
}

qint64 HubSpotStore::create(ObjectKind kind, const Props &props, const QList<qint64> &companies)
{
    StoredObject o;
    o.id = m_next[slot(kind)]++;
    for (auto it = props.constBegin(); it != props.constEnd(); ++it) {
        if (!it.value().isEmpty())
            o.props.insert(it.key(), it.value());
    }
    o.createdMs = o.updatedMs = nowMs();
    const QString now = HubSpotProperties::formatDateTime(o.createdMs);
    o.props.insert(QStringLiteral("hs_object_id"), QString::number(o.id));
    o.props.insert(QStringLiteral("createdate"), now);
    o.props.insert(lastModifiedProperty(kind), now);
    m_overlay[slot(kind)].insert(o.id, o);
    if (kind == ObjectKind::Contact) {
        indexEmail(o, true);
        setContactCompanies(o.id, companies);
    }
    return o.id;
}

void HubSpotStore::update(ObjectKind kind, qint64 id, const Props &changes)
{
    StoredObject &o = writable(kind, id);
    if (kind == ObjectKind::Contact)
        indexEmail(o, false);
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it) {
        if (it.value().isEmpty())
            o.props.remove(it.key());
        else
            o.props.insert(it.key(), it.value());
    }
    o.updatedMs = qMax(nowMs(), o.updatedMs + 1);
    o.props.insert(lastModifiedProperty(kind), HubSpotProperties::formatDateTime(o.updatedMs));
    if (kind == ObjectKind::Contact && !o.archived)
        indexEmail(o, true);
}

void HubSpotStore::setContactCompanies(qint64 contactId, const QList<qint64> &companies)
{
    StoredObject &o = writable(ObjectKind::Contact, contactId);
    o.companies = companies;
    if (companies.isEmpty())
        o.props.remove(QStringLiteral("associatedcompanyid"));
    else
        o.props.insert(QStringLiteral("associatedcompanyid"), QString::number(companies.first()));
}

void HubSpotStore::archive(ObjectKind kind, qint64 id)
{
    if (!isLive(kind, id))
        return;
    StoredObject &o = writable(kind, id);
    o.archived = true;
    o.archivedMs = nowMs();
    m_archived[slot(kind)].insert(id);
    if (kind == ObjectKind::Contact)
        indexEmail(o, false);
}

QHash<qint64, QList<QPair<qint64, bool>>>
HubSpotStore::contactsOfCompanies(const QSet<qint64> &companyIds) const
{
    QHash<qint64, QList<QPair<qint64, bool>>> out;
    if (companyIds.isEmpty())
        return out;
    const qint64 base = baseId(ObjectKind::Contact);
    const qint64 companyBase = baseId(ObjectKind::Company);
    const auto add = [&](qint64 contactId, const QList<qint64> &companies) {
        for (int i = 0; i < companies.size(); ++i) {
            if (companyIds.contains(companies.at(i)))
                out[companies.at(i)].append({contactId, i == 0});
        }
    };
    for (qint64 id = base; id < endId(ObjectKind::Contact); ++id) {
        const auto found = m_overlay[1].constFind(id);
        if (found != m_overlay[1].constEnd()) {
            if (!found->archived)
                add(id, found->companies);
            continue;
        }
        if (!m_generator || id - base >= generatedCount(ObjectKind::Contact))
            continue;
        QList<qint64> companies = m_generator->contactCompanies(id - base);
        for (qint64 &c : companies)
            c += companyBase;
        add(id, companies);
    }
    return out;
}

qint64 HubSpotStore::liveCount(ObjectKind kind) const
{
    return endId(kind) - baseId(kind) - qint64(m_archived[slot(kind)].size());
}

qint64 HubSpotStore::archivedCount(ObjectKind kind) const
{
    return qint64(m_archived[slot(kind)].size());
}

qint64 HubSpotStore::createdCount(ObjectKind kind) const
{
    return endId(kind) - baseId(kind) - generatedCount(kind);
}

} // namespace halospot::sandbox
