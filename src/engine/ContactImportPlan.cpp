// ContactImport, per record: which field mappings are valid, where a contact goes (its companies
// in order, the mapping table, the default site), which Halo user it is (SPEC §2's order), what
// its mapped values become (SPEC §3), and what would change.
#include "ContactImport.h"

#include "ImportSupport.h"
#include "JobClients.h"
#include "Names.h"
#include "Store.h"
#include "ValueConvert.h"

namespace halospot::engine {

using importsupport::change;
using importsupport::emptyValue;

QStringList ContactImport::companiesOf(const api::HubSpotObject &contact)
{
    // The associations, primary first (the API client orders them), then the older
    // associatedcompanyid property when it names a company the list does not have.
    QStringList out = contact.associations.value(QStringLiteral("companies"));
    QString fallback = contact.properties.value(QStringLiteral("associatedcompanyid")).trimmed();
    if (fallback.contains(QLatin1Char('.'))) { // a number property: "123.0" is company 123
        bool ok = false;
        const double n = fallback.toDouble(&ok);
        if (ok)
            fallback = QString::number(qint64(n));
    }
    if (!fallback.isEmpty() && fallback != QLatin1String("0") && !out.contains(fallback))
        out.append(fallback);
    return out;
}

qint64 ContactImport::customerOfCompany(const QString &companyId, bool *mapped)
{
    // The company import's order: its link, the HubSpot ID held in Halo, the mapping table.
    *mapped = false;
    const auto row = m_mappings.constFind(companyId);
    bool numbered = false;
    const qint64 number = companyId.toLongLong(&numbered);
    auto cached = numbered ? m_companyCustomer.constFind(number) : m_companyCustomer.constEnd();
    if (cached == m_companyCustomer.constEnd()) {
        qint64 customer = 0;
        const Result<std::optional<core::Link>> link =
            m_store->findLinkByHubSpotId(core::Entity::Company, companyId);
        if (!link) {
            fail(link.error(), api::ApiError::None);
            return 0;
        }
        if (link.value() && m_customers.byId(link.value()->haloId))
            customer = link.value()->haloId;
        if (!customer && m_spec.writeHubSpotIdToHalo) {
            if (const Customer *c = m_customers.byHubSpotId(companyId))
                customer = c->id;
        }
        if (!customer && row != m_mappings.constEnd() && m_customers.byId(row->haloClientId))
            customer = row->haloClientId;
        if (!numbered) { // not a HubSpot record ID: asked each time rather than cached
            *mapped =
                customer != 0 && row != m_mappings.constEnd() && row->haloClientId == customer;
            return customer;
        }
        cached = m_companyCustomer.insert(number, customer);
    }
    *mapped = *cached != 0 && row != m_mappings.constEnd() && row->haloClientId == *cached;
    return *cached;
}

bool ContactImport::CompanyFactsCache::contains(const QString &company) const
{
    bool numbered = false;
    const qint64 number = company.toLongLong(&numbered);
    return numbered ? m_numbered.contains(number) : m_other.contains(company);
}

ContactImport::CompanyFacts ContactImport::CompanyFactsCache::value(const QString &company) const
{
    bool numbered = false;
    const qint64 number = company.toLongLong(&numbered);
    const auto found = numbered ? m_numbered.constFind(number) : m_numbered.constEnd();
    Packed p;
    if (found != m_numbered.constEnd())
        p = *found;
    else if (!numbered)
        p = m_other.value(company);
    CompanyFacts facts;
    facts.exists = p.exists;
    facts.selected = p.selected;
    facts.stage = p.stage < m_stages.size() ? m_stages.at(p.stage) : QString();
    facts.name = QString::fromUtf8(p.name);
    return facts;
}

void ContactImport::CompanyFactsCache::insert(const QString &company, const CompanyFacts &facts)
{
    Packed p;
    p.exists = facts.exists;
    p.selected = facts.selected;
    p.name = facts.name.toUtf8();
    qsizetype stage = m_stages.indexOf(facts.stage);
    if (stage < 0) {
        stage = m_stages.size();
        m_stages.append(facts.stage);
    }
    p.stage = quint16(qMin<qsizetype>(stage, 0xffff));
    bool numbered = false;
    const qint64 number = company.toLongLong(&numbered);
    if (numbered)
        m_numbered.insert(number, p);
    else
        m_other.insert(company, p);
}

QString ContactImport::describeSite(qint64 customerId, qint64 siteId) const
{
    const Customer *c = m_customers.byId(customerId);
    return c ? tr("site %1 of Halo customer %2 (\"%3\")").arg(siteId).arg(customerId).arg(c->name)
             : tr("site %1 of Halo customer %2").arg(siteId).arg(customerId);
}

QString ContactImport::describeCustomer(qint64 customerId) const
{
    const Customer *c = m_customers.byId(customerId);
    return c ? tr("Halo customer %1 (\"%2\")").arg(customerId).arg(c->name)
             : tr("Halo customer %1").arg(customerId);
}

ContactImport::Placement ContactImport::atDefaultSite(const QString &why)
{
    Placement p;
    if (m_defaultSite <= 0) {
        p.kind = Placement::Skipped;
        p.reason = tr("No company in Halo and no default site for new users is set: %1. Nothing "
                      "was written.")
                       .arg(why);
        return p;
    }
    p.customerId = m_defaultCustomer;
    p.siteId = m_defaultSite;
    p.reason = tr("%1; placed at the default site (%2)")
                   .arg(why, describeSite(m_defaultCustomer, m_defaultSite));
    return p;
}

ContactImport::Placement ContactImport::place(const api::HubSpotObject &contact)
{
    Placement p;
    const QStringList candidates = companiesOf(contact);
    const QStringList associated = contact.associations.value(QStringLiteral("companies"));
    if (!candidates.isEmpty()) {
        // A primary company that the company import takes (its stage is selected) but that is
        // not in Halo yet: the contact waits for it. Placed at a secondary company meanwhile, it
        // would be reported as a company change on every run once the primary is imported.
        const QString &primary = candidates.constFirst();
        bool mapped = false;
        const qint64 customer = customerOfCompany(primary, &mapped);
        if (m_finished)
            return p;
        const CompanyFacts facts = m_companyFacts.value(primary);
        if (customer == 0 && facts.exists && facts.selected) {
            p.kind = Placement::Skipped;
            p.reason = tr("The contact waits for its primary company %1%2, which is not in Halo "
                          "yet: its import failed, was skipped or ambiguous, or has not run. "
                          "Nothing was written; import companies first.")
                           .arg(primary, facts.name.isEmpty()
                                             ? QString()
                                             : QStringLiteral(" (\"%1\")").arg(facts.name));
            return p;
        }
    }
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const QString &company = candidates.at(i);
        bool mapped = false;
        const qint64 customer = customerOfCompany(company, &mapped);
        if (m_finished)
            return p;
        if (customer == 0)
            continue;
        QString via;
        if (i == 0)
            via = associated.contains(company)
                      ? tr("company %1 (primary)").arg(company)
                      : tr("company %1 (associatedcompanyid)").arg(company);
        else
            via = tr("company %1 (the primary company %2 is not in Halo)")
                      .arg(company, candidates.constFirst());
        if (mapped) {
            if (const auto bad = m_badSites.constFind(company); bad != m_badSites.constEnd()) {
                p.kind = Placement::Failed;
                p.reason = *bad;
                return p;
            }
        }
        const core::CustomerMapping row = m_mappings.value(company);
        p.customerId = customer;
        p.fromCompany = true;
        if (mapped && row.haloSiteId) {
            p.siteId = *row.haloSiteId;
            p.reason = tr("%1 at %2, the customer mapping table's site")
                           .arg(via, describeSite(customer, p.siteId));
            return p;
        }
        const Customer *c = m_customers.byId(customer);
        p.siteId = c ? c->mainSiteId : 0;
        if (p.siteId <= 0) {
            p.kind = Placement::Skipped;
            p.reason = tr("The contact belongs to Halo customer %1 through %2, but that customer "
                          "has no main site and the customer mapping table names no site. "
                          "Nothing was written; give the customer a main site or add a site to "
                          "the mapping row.")
                           .arg(customer)
                           .arg(via);
            return p;
        }
        p.reason =
            tr("%1 at %2, the customer's main site").arg(via, describeSite(customer, p.siteId));
        return p;
    }

    if (candidates.isEmpty()) {
        const QString stage = contact.properties.value(QStringLiteral("lifecyclestage")).trimmed();
        switch (m_spec.contacts.include) {
        case core::ContactInclude::CompanyContacts:
            p.kind = Placement::FilteredOut;
            p.reason = tr("The contact has no company, and only contacts of imported or mapped "
                          "companies are included.");
            return p;
        case core::ContactInclude::CompanyContactsAndStages:
            if (!m_contactStages.contains(stage)) {
                p.kind = Placement::FilteredOut;
                p.reason = stage.isEmpty()
                               ? tr("The contact has no company and no lifecycle stage, and "
                                    "\"(no stage)\" is not selected for contacts.")
                               : tr("The contact has no company, and its lifecycle stage \"%1\" "
                                    "is not selected for contacts.")
                                     .arg(stage);
                return p;
            }
            return atDefaultSite(stage.isEmpty()
                                     ? tr("the contact has no company and no lifecycle stage")
                                     : tr("the contact has no company and its lifecycle stage "
                                          "\"%1\" is selected")
                                           .arg(stage));
        case core::ContactInclude::All:
            break;
        }
        return atDefaultSite(tr("the contact has no company"));
    }

    // None of its companies is in Halo. One that the company import takes (its stage is
    // selected) will be there once imported: the contact waits for it rather than going to the
    // default site, from where a later move would be a silent one.
    for (const QString &company : candidates) {
        const CompanyFacts facts = m_companyFacts.value(company);
        if (facts.exists && facts.selected) {
            p.kind = Placement::Skipped;
            p.reason = tr("Company %1%2 is not in Halo yet: its import failed, was skipped or "
                          "ambiguous, or has not run. Nothing was written; import companies "
                          "first.")
                           .arg(company, facts.name.isEmpty()
                                             ? QString()
                                             : QStringLiteral(" (\"%1\")").arg(facts.name));
            return p;
        }
    }
    // Every company is left out by its lifecycle stage (or gone from HubSpot): a company-less
    // contact, in every include mode (that is what the default site is for).
    const QString &first = candidates.constFirst();
    const CompanyFacts facts = m_companyFacts.value(first);
    QString why;
    if (!facts.exists)
        why = tr("HubSpot no longer has company %1").arg(first);
    else if (facts.stage.isEmpty())
        why = tr("company %1 (\"%2\") is not imported (it has no lifecycle stage, and \"(no "
                 "stage)\" is not selected for companies)")
                  .arg(first, facts.name);
    else
        why = tr("company %1 (\"%2\") is not imported (its lifecycle stage \"%3\" is not selected "
                 "for companies)")
                  .arg(first, facts.name, facts.stage);
    if (candidates.size() > 1)
        why += tr(", nor are its other companies");
    return atDefaultSite(why);
}

void ContactImport::process(const api::HubSpotObject &contact)
{
    core::RunItem item;
    item.entity = core::Entity::Contact;
    item.hubspotId = contact.id;
    const auto settleAs = [this, &item](const char *action, const QString &reason,
                                        qint64 haloId = 0) {
        item.action = QLatin1String(action);
        item.reason = reason;
        item.haloId = qMax<qint64>(0, haloId);
        settle(item);
    };

    const Placement placement = place(contact);
    if (m_finished)
        return;
    if (placement.kind == Placement::FilteredOut)
        return settleAs("filtered_out", placement.reason);
    const qint64 contactNumber = contact.id.toLongLong();

    const QString email = contact.properties.value(QStringLiteral("email")).trimmed();
    const QString firstname = contact.properties.value(QStringLiteral("firstname")).trimmed();
    const QString lastname = contact.properties.value(QStringLiteral("lastname")).trimmed();
    QString name = (firstname + QLatin1Char(' ') + lastname).trimmed();
    if (name.isEmpty())
        name = email;
    const quint64 emailKey = UserIndex::emailKey(email);
    const quint64 key = emailKey ? emailKey : UserIndex::nameKey(name);

    // The user: link, HubSpot ID held in Halo, one user of that e-mail at the target customer.
    // The first two need no placement, so they come first: a placement problem (no usable site)
    // only blocks what needs a site, creates and moves, never the update of a known user.
    HaloUser *user = nullptr;
    QString matched;
    bool hasLocalLink = false;
    const Result<std::optional<core::Link>> link =
        m_store->findLinkByHubSpotId(core::Entity::Contact, contact.id);
    if (!link) {
        // The database, not this contact: the run cannot go on without its links.
        fail(link.error(), api::ApiError::None);
        return;
    }
    if (link.value() && (user = m_users.byId(link.value()->haloId))) {
        matched = tr("linked earlier");
        hasLocalLink = true;
    }
    if (!user && m_spec.writeHubSpotIdToHalo) {
        if (const HaloUser *u = m_users.byHubSpotId(contact.id)) {
            user = m_users.byId(u->id);
            matched = tr("the Halo user holds this HubSpot ID");
        }
    }
    const bool placed = placement.kind == Placement::Placed;
    if (!placed && !user) {
        return settleAs(placement.kind == Placement::Skipped ? "skipped" : "failed",
                        placement.reason);
    }
    // Unplaced, a known user is updated at its own customer: no move, no company change.
    const qint64 customer = placed ? placement.customerId : user->clientId;
    if (!user && emailKey) {
        if (const auto made = m_created.constFind(UserIndex::atCustomer(emailKey, customer));
            made != m_created.constEnd() && made->second != contactNumber) {
            // A preview's would-be user has no Halo id yet (its id is negative): name it by
            // its contact instead of showing a made-up number.
            return settleAs("skipped",
                            made->first > 0
                                ? tr("Halo user %1 at %2 has this e-mail address but already "
                                     "belongs to HubSpot contact %3 (this run created it or "
                                     "moved it there). Nothing was written.")
                                      .arg(made->first)
                                      .arg(describeCustomer(customer))
                                      .arg(made->second)
                                : tr("The user this run would create for HubSpot contact %1 "
                                     "at %2 has this e-mail address. Nothing was written.")
                                      .arg(made->second)
                                      .arg(describeCustomer(customer)));
        }
        QList<const HaloUser *> same;
        for (const HaloUser *u : m_users.byKey(emailKey)) {
            if (u->hasEmail && u->clientId == customer)
                same.append(u);
        }
        if (same.size() > 1) {
            QStringList ids;
            for (const HaloUser *u : std::as_const(same))
                ids << QString::number(u->id);
            return settleAs("ambiguous",
                            tr("%1 Halo users at customer %2 have this e-mail address: %3. "
                               "Nothing was written; remove the duplicates in Halo.")
                                .arg(same.size())
                                .arg(customer)
                                .arg(ids.join(QStringLiteral(", "))));
        }
        if (same.size() == 1) {
            const HaloUser *u = same.constFirst();
            // A user that already belongs to another HubSpot contact is not taken over by
            // e-mail: two contacts writing one user would undo each other on every run.
            QString owner;
            if (u->claimedBy != 0 && u->claimedBy != contactNumber)
                owner = QString::number(u->claimedBy);
            else if (u->hubspotId != 0 && u->hubspotId != contactNumber)
                owner = u->hubspotIdText();
            if (owner.isEmpty()) {
                const Result<QList<core::Link>> links =
                    m_store->findLinksByHaloId(core::Entity::Contact, u->id);
                if (!links) {
                    fail(links.error(), api::ApiError::None); // the database: stop the run
                    return;
                }
                for (const core::Link &l : links.value()) {
                    if (l.hubspotId != contact.id) {
                        owner = l.hubspotId;
                        break;
                    }
                }
            }
            if (!owner.isEmpty()) {
                return settleAs("skipped",
                                tr("Halo user %1 at customer %2 has this e-mail address but "
                                   "already belongs to HubSpot contact %3. Nothing was written.")
                                    .arg(u->id)
                                    .arg(customer)
                                    .arg(owner));
            }
            user = m_users.byId(u->id);
            matched = tr("same e-mail address");
        }
    }

    if (!user) {
        if (name.isEmpty())
            return settleAs("skipped", tr("The contact has no name and no e-mail address, and "
                                          "Halo needs a name to create a user."));
        // A second contact of the same address (or, without one, the same name) at the same
        // customer waits until the first one's create has settled: reconciliation can then
        // tell the two apart, and an e-mail twin meets the new user instead of creating one.
        const quint64 creating = UserIndex::atCustomer(key, customer);
        if (m_creating.contains(creating)) {
            m_deferred[creating].append(contact);
            ++m_deferredCount;
            return;
        }
    }

    // Convert every mapped value first: one bad value fails the whole record, nothing written.
    QHash<int, QJsonValue> wanted;
    for (const core::MappingRule &rule : std::as_const(m_rules)) {
        const Result<QJsonValue> v =
            core::toHaloValue(rule, contact.properties.value(rule.property.name));
        if (!v)
            return settleAs("failed", v.error(), user ? user->id : 0);
        wanted.insert(rule.field.id, v.value());
    }

    WriteOp op;
    op.hubspotId = contact.id;
    op.key = key;
    op.customerId = customer;
    op.siteId = placement.siteId;
    op.email = core::normalizeEmail(email);
    QJsonArray customfields;
    const auto setValue = [&](const core::MappingRule &rule, const QJsonValue &from,
                              const QJsonValue &to) {
        customfields.append(
            QJsonObject{{QStringLiteral("id"), rule.field.id}, {QStringLiteral("value"), to}});
        op.changes.insert(rule.field.name, change(from, to));
        op.values.append({rule.field.id, to});
    };
    if (!user) {
        op.reason = placement.reason;
        const auto put = [&op](const char *field, const QString &value) {
            if (value.isEmpty())
                return;
            op.payload.insert(QLatin1String(field), value);
            op.changes.insert(QLatin1String(field), change(QJsonValue(), value));
        };
        put("name", name);
        put("firstname", firstname);
        put("surname", lastname);
        put("emailaddress", email);
        put("phonenumber", contact.properties.value(QStringLiteral("phone")).trimmed());
        put("mobilenumber", contact.properties.value(QStringLiteral("mobilephone")).trimmed());
        put("title", contact.properties.value(QStringLiteral("jobtitle")).trimmed());
        op.payload.insert(QStringLiteral("site_id"), op.siteId);
        op.changes.insert(QStringLiteral("site_id"), change(QJsonValue(), op.siteId));
        for (const core::MappingRule &rule : std::as_const(m_rules)) {
            const QJsonValue v = wanted.value(rule.field.id);
            if (!emptyValue(v))
                setValue(rule, QJsonValue(), v);
        }
        if (m_spec.writeHubSpotIdToHalo) {
            op.payload.insert(QStringLiteral("hubspot_id"), contact.id);
            op.changes.insert(QStringLiteral("hubspot_id"), change(QJsonValue(), contact.id));
            op.hubspotIdWritten = contact.id;
        }
    } else {
        op.userId = user->id;
        op.reason = placed ? tr("%1; %2").arg(matched, placement.reason)
                           : tr("%1; the user stays where it is, as HubSpot's placement cannot be "
                                "used: %2")
                                 .arg(matched, placement.reason);
        // Only what the import maps: the user keeps its name, address and numbers (SPEC §2).
        for (const core::MappingRule &rule : std::as_const(m_rules)) {
            const QJsonValue current = user->customValue(rule.field.id);
            const QJsonValue v = wanted.value(rule.field.id);
            if (!core::sameHaloValue(rule, current, v))
                setValue(rule, current, v);
        }
        if (m_spec.writeHubSpotIdToHalo && user->hubspotId == 0) {
            op.payload.insert(QStringLiteral("hubspot_id"), contact.id);
            op.changes.insert(QStringLiteral("hubspot_id"), change(QString(), contact.id));
            op.hubspotIdWritten = contact.id;
        }
        if (placed && user->clientId != customer && !placement.fromCompany) {
            // The contact has no company in Halo any more (unticked, deleted): the default site
            // is where new users go, not a new employer, so the user is never moved there.
            op.reason += tr("; the Halo user stays at customer %1, as the contact's companies "
                            "are not in Halo (the default site is only for new users)")
                             .arg(user->clientId);
        } else if (placed && user->clientId != customer) {
            // Users never change customers silently: only when the admin asked for it.
            if (m_spec.contacts.followCompanyChanges) {
                op.payload.insert(QStringLiteral("site_id"), op.siteId);
                op.changes.insert(QStringLiteral("site_id"), change(user->siteId, op.siteId));
                op.moves = true;
                op.reason += tr("; moved from Halo customer %1 because HubSpot now places the "
                                "contact there")
                                 .arg(user->clientId);
                // Its e-mail is at the new customer from now on, before the move is written: a
                // later contact of that address meets it there, as in the preview (whose index
                // moves the user at once), instead of creating a second user.
                if (user->hasEmail) {
                    m_created.insert(UserIndex::atCustomer(user->key, customer),
                                     Created{qint32(user->id), contactNumber});
                }
            } else {
                ++m_report.usersNotMoved; // easy to miss in a long list: the report counts them
                op.reason += tr("; HubSpot now places this contact at %1; the Halo user stays at "
                                "customer %2 (tick \"Follow company changes\" to move it)")
                                 .arg(describeSite(customer, op.siteId))
                                 .arg(user->clientId);
            }
        }
        user->claimedBy = contactNumber;
        if (op.changes.isEmpty()) {
            std::optional<core::Link> newLink;
            if (!hasLocalLink && user->id > 0)
                newLink = core::Link{core::Entity::Contact, contact.id, user->id, {}, {}};
            item.action = QStringLiteral("unchanged");
            item.haloId = user->id;
            item.reason = op.reason;
            settle(item, newLink);
            return;
        }
        op.payload.insert(QStringLiteral("id"), user->id);
    }
    if (!customfields.isEmpty())
        op.payload.insert(QStringLiteral("customfields"), customfields);

    if (m_spec.dryRun) {
        // A preview settles at once; a user it would create is remembered (with a negative id)
        // so that a same-address contact later in the stream meets it, as in the real run.
        core::RunItem planned = itemFor(op, qMax<qint64>(0, op.userId));
        if (op.userId == 0) {
            if (emailKey)
                m_created.insert(UserIndex::atCustomer(emailKey, customer),
                                 Created{qint32(m_nextPhantomId--), contactNumber});
        } else {
            m_users.applyWrite(op.userId, op.values, op.hubspotIdWritten, op.moves ? op.siteId : 0,
                               op.moves ? op.customerId : 0);
        }
        settle(planned);
        return;
    }
    if (op.userId == 0)
        m_creating.insert(creatingKey(op), op.hubspotId);
    m_queue.push_back(std::move(op));
}

quint64 ContactImport::creatingKey(const WriteOp &op) const
{
    return UserIndex::atCustomer(op.key, op.customerId);
}

core::RunItem ContactImport::itemFor(const WriteOp &op, qint64 haloId) const
{
    core::RunItem item;
    item.entity = core::Entity::Contact;
    item.hubspotId = op.hubspotId;
    item.haloId = haloId;
    item.action = op.userId == 0 ? QStringLiteral("created") : QStringLiteral("updated");
    item.reason = op.reason;
    item.changes = op.changes;
    return item;
}

} // namespace halospot::engine
