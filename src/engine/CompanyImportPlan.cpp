// CompanyImport, per record: which field mappings are valid, where a company goes (SPEC §2's
// order), what its mapped values become (SPEC §3), and what would change.
#include "CompanyImport.h"

#include "ImportSupport.h"
#include "JobClients.h"
#include "Names.h"
#include "Store.h"
#include "ValueConvert.h"

namespace halospot::engine {

using importsupport::change;
using importsupport::emptyValue;

CompanyImport::Target CompanyImport::resolve(const QString &hubspotId, const QString &key)
{
    Target t;
    // A mapping row whose site is not its customer's is a broken row: the company waits until it
    // is corrected rather than being imported by the other rules around it.
    if (const auto bad = m_badSites.constFind(hubspotId); bad != m_badSites.constEnd()) {
        t.kind = Target::Failed;
        t.reason = *bad;
        return t;
    }
    const Result<std::optional<core::Link>> link =
        m_store->findLinkByHubSpotId(core::Entity::Company, hubspotId);
    if (!link) {
        t.kind = Target::Failed;
        t.reason = link.error();
        return t;
    }
    if (link.value() && m_index.byId(link.value()->haloId)) {
        t.kind = Target::Existing;
        t.id = link.value()->haloId;
        t.hasLocalLink = true;
        t.reason = tr("linked earlier");
        return t;
    }
    if (m_spec.writeHubSpotIdToHalo) {
        if (const Customer *c = m_index.byHubSpotId(hubspotId)) {
            t.kind = Target::Existing;
            t.id = c->id;
            t.reason = tr("the Halo customer holds this HubSpot ID");
            return t;
        }
    }
    if (const auto m = m_mappings.constFind(hubspotId); m != m_mappings.constEnd()) {
        if (!m_index.byId(m->haloClientId)) {
            t.kind = Target::Failed;
            t.reason = tr("The customer mapping table sends this company to Halo customer %1, "
                          "which does not exist in Halo.")
                           .arg(m->haloClientId);
            return t;
        }
        t.kind = Target::Existing;
        t.id = m->haloClientId;
        t.reason = tr("customer mapping table");
        return t;
    }
    const QList<qint64> ids = key.isEmpty() ? QList<qint64>() : m_index.byName(key);
    if (ids.size() == 1) {
        // A customer that already belongs to another HubSpot company is not taken over by name:
        // two companies writing one customer would undo each other on every run.
        const Customer *c = m_index.byId(ids.constFirst());
        QString owner = m_claims.value(c->id);
        if (owner.isEmpty())
            owner = m_mappedTo.value(c->id); // the mapping table gave it to another company
        if (owner.isEmpty() && c->hubspotId != hubspotId)
            owner = c->hubspotId;
        if (owner == hubspotId)
            owner.clear();
        if (owner.isEmpty() && c->id > 0) {
            const Result<QList<core::Link>> links =
                m_store->findLinksByHaloId(core::Entity::Company, c->id);
            if (!links) {
                t.kind = Target::Failed;
                t.reason = links.error();
                return t;
            }
            for (const core::Link &l : links.value()) {
                if (l.hubspotId != hubspotId) {
                    owner = l.hubspotId;
                    break;
                }
            }
        }
        if (!owner.isEmpty()) {
            t.kind = Target::Skipped;
            t.reason = tr("Halo customer \"%1\" (id %2) has this name but already belongs to "
                          "HubSpot company %3. Nothing was written; add a row to the customer "
                          "mapping table to import this company into it.")
                           .arg(c->name)
                           .arg(qMax<qint64>(0, c->id))
                           .arg(owner);
            return t;
        }
        t.kind = Target::Existing;
        t.id = c->id;
        t.reason = tr("same name");
        return t;
    }
    if (ids.size() > 1) {
        QStringList candidates;
        for (qint64 id : ids) {
            const Customer *c = m_index.byId(id);
            candidates << tr("\"%1\" (id %2)").arg(c ? c->name : QString()).arg(id);
        }
        t.kind = Target::Ambiguous;
        t.reason = tr("%1 Halo customers have this name: %2. Nothing was written; add a row to "
                      "the customer mapping table to choose one.")
                       .arg(ids.size())
                       .arg(candidates.join(QStringLiteral(", ")));
        return t;
    }
    t.kind = Target::Create;
    return t;
}

void CompanyImport::process(const api::HubSpotObject &company)
{
    core::RunItem item;
    item.entity = core::Entity::Company;
    item.hubspotId = company.id;

    const QString stage = company.properties.value(QStringLiteral("lifecyclestage")).trimmed();
    if (!m_stages.contains(stage)) {
        item.action = QStringLiteral("filtered_out");
        item.reason = stage.isEmpty()
                          ? tr("The company has no lifecycle stage, and \"(no stage)\" is not "
                               "selected.")
                          : tr("Lifecycle stage \"%1\" is not selected.").arg(stage);
        settle(item);
        return;
    }

    const QString name = company.properties.value(QStringLiteral("name")).trimmed();
    const QString key = core::normalizeName(name);
    const Target target = resolve(company.id, key);
    if (target.kind == Target::Ambiguous || target.kind == Target::Failed ||
        target.kind == Target::Skipped) {
        item.action = target.kind == Target::Ambiguous ? QStringLiteral("ambiguous")
                      : target.kind == Target::Skipped ? QStringLiteral("skipped")
                                                       : QStringLiteral("failed");
        item.reason = target.reason;
        settle(item);
        return;
    }
    if (target.kind == Target::Create) {
        if (key.isEmpty()) {
            item.action = QStringLiteral("skipped");
            item.reason = tr("The company has no name, and Halo needs one to create a customer.");
            settle(item);
            return;
        }
        // A second company of the same name waits until the first one's create has settled:
        // then it meets that customer (skipped: it belongs to the first company) instead of
        // creating a twin, or creates it itself if the first create failed.
        if (m_creating.contains(key)) {
            m_deferred[key].append(company);
            ++m_deferredCount;
            return;
        }
    }

    // Convert every mapped value first: one bad value fails the whole record, nothing written.
    QHash<int, QJsonValue> wanted;
    for (const core::MappingRule &rule : std::as_const(m_rules)) {
        const Result<QJsonValue> v =
            core::toHaloValue(rule, company.properties.value(rule.property.name));
        if (!v) {
            item.action = QStringLiteral("failed");
            item.reason = v.error();
            item.haloId = qMax<qint64>(0, target.id);
            settle(item);
            return;
        }
        wanted.insert(rule.field.id, v.value());
    }

    if (target.kind == Target::Existing && !m_claims.contains(target.id))
        m_claims.insert(target.id, company.id);

    WriteOp op;
    op.hubspotId = company.id;
    op.key = key;
    op.reason = target.reason;
    QJsonArray customfields;
    if (target.kind == Target::Create) {
        op.payload.insert(QStringLiteral("name"), name);
        op.changes.insert(QStringLiteral("name"), change(QJsonValue(), name));
        for (const core::MappingRule &rule : std::as_const(m_rules)) {
            const QJsonValue v = wanted.value(rule.field.id);
            if (emptyValue(v))
                continue;
            customfields.append(
                QJsonObject{{QStringLiteral("id"), rule.field.id}, {QStringLiteral("value"), v}});
            op.changes.insert(rule.field.name, change(QJsonValue(), v));
            op.values.insert(rule.field.id, v);
        }
        if (m_spec.writeHubSpotIdToHalo) {
            op.payload.insert(QStringLiteral("hubspot_id"), company.id);
            op.changes.insert(QStringLiteral("hubspot_id"), change(QJsonValue(), company.id));
            op.hubspotIdWritten = company.id;
        }
    } else {
        const Customer *customer = m_index.byId(target.id);
        op.customerId = target.id;
        for (const core::MappingRule &rule : std::as_const(m_rules)) {
            const QJsonValue current = customer->customValue(rule.field.id);
            const QJsonValue v = wanted.value(rule.field.id);
            if (core::sameHaloValue(rule, current, v))
                continue;
            customfields.append(
                QJsonObject{{QStringLiteral("id"), rule.field.id}, {QStringLiteral("value"), v}});
            op.changes.insert(rule.field.name, change(current, v));
            op.values.insert(rule.field.id, v);
        }
        // The HubSpot ID goes into Halo only where it holds none: a customer that two companies
        // map to keeps the first one's.
        if (m_spec.writeHubSpotIdToHalo && customer->hubspotId.isEmpty()) {
            op.payload.insert(QStringLiteral("hubspot_id"), company.id);
            op.changes.insert(QStringLiteral("hubspot_id"), change(QString(), company.id));
            op.hubspotIdWritten = company.id;
        }
        if (op.changes.isEmpty()) {
            item.action = QStringLiteral("unchanged");
            item.haloId = qMax<qint64>(0, target.id);
            item.reason = target.reason;
            std::optional<core::Link> link;
            if (!target.hasLocalLink && target.id > 0)
                link = core::Link{core::Entity::Company, company.id, target.id, {}, {}};
            settle(item, link);
            return;
        }
        op.payload.insert(QStringLiteral("id"), target.id);
    }
    if (!customfields.isEmpty())
        op.payload.insert(QStringLiteral("customfields"), customfields);

    if (m_spec.dryRun) {
        // A preview settles at once; a customer it would create is remembered (with a negative
        // id) so that a same-named company later in the stream matches it, as the real run does.
        core::RunItem planned = itemFor(op, qMax<qint64>(0, op.customerId));
        if (op.customerId == 0) {
            Customer phantom;
            phantom.id = m_nextPhantomId--;
            phantom.name = name;
            phantom.hubspotId = op.hubspotId; // whose it is, as the real run's link says
            for (auto v = op.values.cbegin(); v != op.values.cend(); ++v)
                phantom.setCustom(v.key(), v.value());
            m_index.insert(phantom);
            m_claims.insert(phantom.id, op.hubspotId);
        } else {
            m_index.applyWrite(op.customerId, op.values, op.hubspotIdWritten);
        }
        settle(planned);
        return;
    }
    if (op.customerId == 0)
        m_creating.insert(key, op.hubspotId);
    m_queue.push_back(std::move(op));
}

core::RunItem CompanyImport::itemFor(const WriteOp &op, qint64 haloId) const
{
    core::RunItem item;
    item.entity = core::Entity::Company;
    item.hubspotId = op.hubspotId;
    item.haloId = haloId;
    item.action = op.customerId == 0 ? QStringLiteral("created") : QStringLiteral("updated");
    item.reason = op.reason;
    item.changes = op.changes;
    return item;
}

} // namespace halospot::engine
