// The contact import against the sandbox: every placement path (mapping row's site, linked
// customer's main site, default site for a company left out by its stage and for company-less
// contacts in "all" and "stages" mode, filtered out in "company contacts" mode, skipped without a
// default site, skipped while the company is not in Halo yet, failed for a broken mapping row),
// e-mail matching (case, another customer, two candidates, a user of another contact), several
// companies and the associatedcompanyid fallback, a linked user whose company changed (reported,
// then moved on request, and counted while not moved), a default-site placement that never moves
// a linked user, placement problems that block creates but not updates of linked users, a moved
// user's address taken at its new customer at once, a preview naming the user it would create, a
// re-run that writes nothing, a preview that predicts the real run, and every type conversion of
// contact mappings with one bad value failing only its contact.
#include "EngineTestSupport.h"

using namespace halospot;
using namespace halospot::enginetest;

namespace {

void checkReport(const JobOutcome &out, qint64 contacts)
{
    QVERIFY2(out.finished, "the job did not finish");
    QVERIFY2(out.report.status == QLatin1String("completed") ||
                 out.report.status == QLatin1String("completed_with_errors"),
             qPrintable(out.report.status + QLatin1Char(' ') + out.report.error));
    QCOMPARE(out.report.counts.read, contacts);
    QCOMPARE(qint64(out.items.size()), out.report.counts.read);
    QCOMPARE(out.report.counts.settled(), out.report.counts.read);
    QSet<QString> ids;
    for (const core::RunItem &i : out.items) {
        QCOMPARE(i.entity, core::Entity::Contact);
        QVERIFY2(!i.reason.isEmpty() || i.action == QLatin1String("created") ||
                     i.action == QLatin1String("updated") || i.action == QLatin1String("unchanged"),
                 qPrintable(i.hubspotId + QLatin1Char(' ') + i.action));
        ids.insert(i.hubspotId);
    }
    QCOMPARE(qint64(ids.size()), contacts); // one item per contact, none twice
}

QString actionOf(const JobOutcome &out, const QString &id)
{
    const core::RunItem *i = out.item(id);
    return i ? i->action : QStringLiteral("(none)");
}

QString reasonOf(const JobOutcome &out, const QString &id)
{
    const core::RunItem *i = out.item(id);
    return i ? i->reason : QString();
}

sandbox::Props person(const char *first, const char *last, const char *email)
{
    sandbox::Props p;
    if (*first)
        p.insert(QStringLiteral("firstname"), QLatin1String(first));
    if (*last)
        p.insert(QStringLiteral("lastname"), QLatin1String(last));
    if (*email)
        p.insert(QStringLiteral("email"), QLatin1String(email));
    return p;
}

const sandbox::HaloUserRec *userWithEmail(EngineFixture &f, const QString &email)
{
    for (const sandbox::HaloUserRec &u : f.halo().store().userSlots()) {
        if (u.id != 0 && u.email.compare(email, Qt::CaseInsensitive) == 0)
            return &u;
    }
    return nullptr;
}

core::FieldMapping mapping(const char *property, const char *field)
{
    core::FieldMapping m;
    m.hubspotProperty = QLatin1String(property);
    m.haloFieldName = QLatin1String(field);
    return m;
}

void link(EngineFixture &f, core::Entity entity, const QString &hubspotId, qint64 haloId)
{
    QVERIFY(f.store().upsertLink(core::Link{entity, hubspotId, haloId, {}, {}}).ok());
}

} // namespace

class TestContactImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerEngineMetaTypes(); }

    void everyPlacementPath()
    {
        EngineFixture f(0, 7, 20, 0);
        QVERIFY(f.ok());
        const QString cMapped =
            f.addCompany(QStringLiteral("Mapped Co"), QStringLiteral("customer"));
        const QString cLinked =
            f.addCompany(QStringLiteral("Linked Co"), QStringLiteral("customer"));
        const QString cLead = f.addCompany(QStringLiteral("Lead Co"), QStringLiteral("lead"));
        const QString cMissing =
            f.addCompany(QStringLiteral("Missing Co"), QStringLiteral("customer"));
        const QString cBadRow = f.addCompany(QStringLiteral("Bad Row Co"), QStringLiteral("lead"));
        const int custA = f.halo().addClient(QStringLiteral("Alpha Ltd"));
        const int branchA = f.halo().addSite(custA, QStringLiteral("Alpha Branch"));
        const int custB = f.halo().addClient(QStringLiteral("Beta Ltd"));
        const int mainB = f.halo().store().client(custB)->mainSiteId;
        const int custD = f.halo().addClient(QStringLiteral("Default Holding"));
        const int defaultSite = f.halo().addSite(custD, QStringLiteral("New users"));
        QVERIFY(branchA > 0 && mainB > 0 && defaultSite > 0);
        link(f, core::Entity::Company, cLinked, custB);

        sandbox::Props ann = person("Ann", "Mapped", "ann@mapped.test");
        ann.insert(QStringLiteral("phone"), QStringLiteral("+44 20 7946 0001"));
        ann.insert(QStringLiteral("mobilephone"), QStringLiteral("+44 7700 900001"));
        ann.insert(QStringLiteral("jobtitle"), QStringLiteral("Head of IT"));
        const QString kMapped = f.addContact(ann, {cMapped});
        const QString kLinked = f.addContact(person("Ben", "Linked", "ben@linked.test"), {cLinked});
        const QString kLead = f.addContact(person("Cid", "", "cid@lead.test"), {cLead});
        sandbox::Props dee = person("Dee", "None", "dee@none.test");
        dee.insert(QStringLiteral("lifecyclestage"), QStringLiteral("lead"));
        const QString kNoneLead = f.addContact(dee);
        sandbox::Props eve = person("Eve", "None", "eve@none.test");
        eve.insert(QStringLiteral("lifecyclestage"), QStringLiteral("subscriber"));
        const QString kNoneSub = f.addContact(eve);
        const QString kMissing =
            f.addContact(person("Fay", "Missing", "fay@missing.test"), {cMissing});
        const QString kBadRow = f.addContact(person("Gil", "Bad", "gil@bad.test"), {cBadRow});
        const qint64 contacts = 7;

        JobSpec spec = f.contactSpec();
        spec.companies.lifecycleStages = {QStringLiteral("customer")};
        core::CustomerMapping row;
        row.hubspotCompanyId = cMapped;
        row.haloClientId = custA;
        row.haloSiteId = branchA;
        core::CustomerMapping bad; // the site is another customer's
        bad.hubspotCompanyId = cBadRow;
        bad.haloClientId = custA;
        bad.haloSiteId = mainB;
        spec.companies.customerMappings = {row, bad};
        spec.contacts.defaultSiteId = defaultSite;
        const qint64 usersBefore = f.halo().userCount();

        // "company_contacts": company-less contacts are left out; a contact whose company is
        // left out by its stage still goes to the default site.
        JobSpec preview = spec;
        preview.dryRun = true;
        preview.contacts.include = core::ContactInclude::CompanyContacts;
        JobOutcome out = f.run(preview);
        checkReport(out, contacts);
        QCOMPARE(actionOf(out, kNoneLead), QStringLiteral("filtered_out"));
        QVERIFY2(reasonOf(out, kNoneSub).contains(QStringLiteral("no company")),
                 qPrintable(reasonOf(out, kNoneSub)));
        QCOMPARE(actionOf(out, kLead), QStringLiteral("created"));
        QVERIFY2(reasonOf(out, kLead).contains(QStringLiteral("\"lead\"")) &&
                     reasonOf(out, kLead).contains(QStringLiteral("default site")),
                 qPrintable(reasonOf(out, kLead)));
        QCOMPARE(actionOf(out, kMapped), QStringLiteral("created"));

        // "company_contacts_and_stages": the chosen contact stages go to the default site.
        preview.contacts.include = core::ContactInclude::CompanyContactsAndStages;
        preview.contacts.lifecycleStages = {QStringLiteral("lead")};
        out = f.run(preview);
        checkReport(out, contacts);
        QCOMPARE(actionOf(out, kNoneLead), QStringLiteral("created"));
        QCOMPARE(actionOf(out, kNoneSub), QStringLiteral("filtered_out"));
        QVERIFY2(reasonOf(out, kNoneSub).contains(QStringLiteral("subscriber")),
                 qPrintable(reasonOf(out, kNoneSub)));

        // No default site: whatever would go there is skipped with that reason.
        preview.contacts.include = core::ContactInclude::All;
        preview.contacts.defaultSiteId.reset();
        out = f.run(preview);
        checkReport(out, contacts);
        for (const QString &id : {kLead, kNoneLead, kNoneSub}) {
            QCOMPARE(actionOf(out, id), QStringLiteral("skipped"));
            QVERIFY2(reasonOf(out, id).contains(QStringLiteral("no default site")),
                     qPrintable(reasonOf(out, id)));
        }
        QCOMPARE(actionOf(out, kMapped), QStringLiteral("created"));
        QCOMPARE(f.halo().userCount(), usersBefore); // previews write nothing
        QCOMPARE(f.store().linkCount(core::Entity::Contact).value(), qint64(0));

        // The real run, "all" with a default site.
        spec.contacts.include = core::ContactInclude::All;
        out = f.run(spec);
        checkReport(out, contacts);
        QCOMPARE(out.report.status, QStringLiteral("completed_with_errors")); // the bad row
        QCOMPARE(out.report.counts.created, qint64(5));
        QCOMPARE(out.report.counts.skipped, qint64(1));
        QCOMPARE(out.report.counts.failed, qint64(1));
        QCOMPARE(f.halo().userCount() - usersBefore, qint64(5));
        const auto &hs = f.halo().store();
        const auto userOf = [&](const QString &id) {
            const core::RunItem *i = out.item(id);
            return i ? hs.user(int(i->haloId)) : nullptr;
        };
        // Mapping row's site, with everything a new user gets.
        const sandbox::HaloUserRec *a = userOf(kMapped);
        QVERIFY(a);
        QCOMPARE(a->siteId, branchA);
        QCOMPARE(a->clientId, custA);
        QCOMPARE(a->displayName(), QStringLiteral("Ann Mapped"));
        QCOMPARE(a->firstname, QStringLiteral("Ann"));
        QCOMPARE(a->surname, QStringLiteral("Mapped"));
        QCOMPARE(a->email, QStringLiteral("ann@mapped.test"));
        QCOMPARE(a->phonenumber, QStringLiteral("+44 20 7946 0001"));
        QCOMPARE(a->mobilenumber, QStringLiteral("+44 7700 900001"));
        QCOMPARE(a->title, QStringLiteral("Head of IT"));
        QCOMPARE(a->hubspotId, kMapped);
        QVERIFY2(reasonOf(out, kMapped).contains(cMapped), qPrintable(reasonOf(out, kMapped)));
        // Linked customer's main site.
        QVERIFY(userOf(kLinked));
        QCOMPARE(userOf(kLinked)->siteId, mainB);
        // Default site: a company left out by its stage, and company-less contacts.
        for (const QString &id : {kLead, kNoneLead, kNoneSub}) {
            QVERIFY(userOf(id));
            QCOMPARE(userOf(id)->siteId, defaultSite);
            QCOMPARE(userOf(id)->clientId, custD);
        }
        QCOMPARE(userOf(kLead)->displayName(), QStringLiteral("Cid"));
        // The company is in a selected stage but not in Halo: it waits for the company import.
        QCOMPARE(actionOf(out, kMissing), QStringLiteral("skipped"));
        QVERIFY2(reasonOf(out, kMissing).contains(cMissing) &&
                     reasonOf(out, kMissing).contains(QStringLiteral("import companies first")),
                 qPrintable(reasonOf(out, kMissing)));
        QVERIFY(!userWithEmail(f, QStringLiteral("fay@missing.test")));
        // A mapping row whose site is another customer's fails its contacts.
        QCOMPARE(actionOf(out, kBadRow), QStringLiteral("failed"));
        QVERIFY2(reasonOf(out, kBadRow).contains(QString::number(mainB)),
                 qPrintable(reasonOf(out, kBadRow)));
        QVERIFY(!userWithEmail(f, QStringLiteral("gil@bad.test")));
        // Every written contact is linked; nothing is left in the journal.
        for (const core::RunItem &i : out.items) {
            if (i.action != QLatin1String("created"))
                continue;
            const auto l = f.store().findLinkByHubSpotId(core::Entity::Contact, i.hubspotId);
            QVERIFY(l.ok() && l.value().has_value());
            QCOMPARE(l.value()->haloId, i.haloId);
        }
        QVERIFY(f.store().pendingWrites().value().isEmpty());
        const auto stored = loadRunItems(f.store(), out.report.runId);
        QVERIFY(stored.ok());
        QCOMPARE(qint64(stored.value().size()), contacts);

        // A missing default site stops the run before anything is written.
        JobSpec broken = spec;
        broken.contacts.defaultSiteId = 987654;
        const qint64 users = f.halo().userCount();
        out = f.run(broken);
        QVERIFY(out.finished);
        QCOMPARE(out.report.status, QStringLiteral("failed"));
        QVERIFY2(out.report.error.contains(QStringLiteral("987654")), qPrintable(out.report.error));
        QVERIFY(out.items.isEmpty());
        QCOMPARE(f.halo().userCount(), users);
    }

    void severalCompaniesAndTheFallback()
    {
        EngineFixture f(0, 8, 20, 0);
        QVERIFY(f.ok());
        const QString cPrimaryMissing =
            f.addCompany(QStringLiteral("Primary Missing"), QStringLiteral("customer"));
        const QString cSecondary =
            f.addCompany(QStringLiteral("Secondary"), QStringLiteral("customer"));
        const QString cPrimary =
            f.addCompany(QStringLiteral("Primary"), QStringLiteral("customer"));
        const QString cLead = f.addCompany(QStringLiteral("Lead Only"), QStringLiteral("lead"));
        const int custS = f.halo().addClient(QStringLiteral("Secondary Ltd"));
        const int custP = f.halo().addClient(QStringLiteral("Primary Ltd"));
        // The secondary's link lives in Halo only (its hubspot_id), the primary's locally.
        const qint64 holder =
            f.haloPost({QJsonObject{{QStringLiteral("name"), QStringLiteral("Holder Ltd")},
                                    {QStringLiteral("hubspot_id"), cSecondary}}})
                .value(0);
        QVERIFY(holder > 0);
        Q_UNUSED(custS);
        link(f, core::Entity::Company, cPrimary, custP);

        const QString k1 =
            f.addContact(person("One", "Two", "one@several.test"), {cPrimaryMissing, cSecondary});
        const QString k2 =
            f.addContact(person("Both", "In", "both@several.test"), {cPrimary, cSecondary});
        const QString k3 = f.addContact(person("Fall", "Back", "fall@several.test"));
        f.sandbox().hubspot().store().update(sandbox::ObjectKind::Contact, k3.toLongLong(),
                                             {{QStringLiteral("associatedcompanyid"), cPrimary}});
        const QString k4 =
            f.addContact(person("Lead", "Missing", "lm@several.test"), {cLead, cPrimaryMissing});
        // A primary company left out by its stage: the secondary one (in Halo) places it.
        const QString k6 =
            f.addContact(person("Six", "Second", "six@several.test"), {cLead, cSecondary});

        // A company HubSpot no longer has (archived): only associatedcompanyid still names it.
        const QString cGone = f.addCompany(QStringLiteral("Gone Co"), QStringLiteral("customer"));
        const QString k5 = f.addContact(person("Gone", "Company", "gone@several.test"), {cGone});
        f.sandbox().hubspot().store().archive(sandbox::ObjectKind::Company, cGone.toLongLong());
        const int custD = f.halo().addClient(QStringLiteral("Default Holding"));
        const int defaultSite = f.halo().store().client(custD)->mainSiteId;

        JobSpec spec = f.contactSpec();
        spec.companies.lifecycleStages = {QStringLiteral("customer")};
        spec.contacts.defaultSiteId = defaultSite; // "company_contacts" mode, the default
        const JobOutcome out = f.run(spec);
        checkReport(out, 6);
        const auto &hs = f.halo().store();
        const auto clientOf = [&](const QString &id) {
            const core::RunItem *i = out.item(id);
            const sandbox::HaloUserRec *u = i ? hs.user(int(i->haloId)) : nullptr;
            return u ? u->clientId : -1;
        };
        // The primary company is selected but not in Halo yet: the contact waits for it rather
        // than going to the secondary's customer (a company change on every later run).
        QCOMPARE(actionOf(out, k1), QStringLiteral("skipped"));
        QVERIFY2(reasonOf(out, k1).contains(
                     QStringLiteral("waits for its primary company %1").arg(cPrimaryMissing)),
                 qPrintable(reasonOf(out, k1)));
        QCOMPARE(clientOf(k6), int(holder));
        QVERIFY2(reasonOf(out, k6).contains(
                     QStringLiteral("primary company %1 is not in Halo").arg(cLead)),
                 qPrintable(reasonOf(out, k6)));
        QCOMPARE(clientOf(k2), custP); // the primary wins when both are in Halo
        QVERIFY2(reasonOf(out, k2).contains(QStringLiteral("(primary)")),
                 qPrintable(reasonOf(out, k2)));
        QCOMPARE(clientOf(k3), custP); // associatedcompanyid
        QVERIFY2(reasonOf(out, k3).contains(QStringLiteral("associatedcompanyid")),
                 qPrintable(reasonOf(out, k3)));
        // One company is left out by its stage, the other is selected but not in Halo: wait.
        QCOMPARE(actionOf(out, k4), QStringLiteral("skipped"));
        QVERIFY2(reasonOf(out, k4).contains(cPrimaryMissing), qPrintable(reasonOf(out, k4)));
        // A company gone from HubSpot leaves the contact company-less: the default site.
        QCOMPARE(actionOf(out, k5), QStringLiteral("created"));
        QCOMPARE(clientOf(k5), custD);
        QVERIFY2(reasonOf(out, k5).contains(QStringLiteral("no longer has company %1").arg(cGone)),
                 qPrintable(reasonOf(out, k5)));
    }

    void emailMatching()
    {
        EngineFixture f(0, 9, 20, 0);
        QVERIFY(f.ok());
        const QString cA = f.addCompany(QStringLiteral("Acme"), QStringLiteral("customer"));
        const int custA = f.halo().addClient(QStringLiteral("Acme Ltd"));
        const int custO = f.halo().addClient(QStringLiteral("Other Ltd"));
        const int mainA = f.halo().store().client(custA)->mainSiteId;
        const int mainO = f.halo().store().client(custO)->mainSiteId;
        link(f, core::Entity::Company, cA, custA);
        const int jane = f.halo().addUser(mainA, QStringLiteral("Jane"), QStringLiteral("Doe"),
                                          QStringLiteral("Jane.Doe@Example.COM"));
        const int bobOther = f.halo().addUser(mainO, QStringLiteral("Bob"), QStringLiteral("Other"),
                                              QStringLiteral("bob@example.com"));
        const int twin1 = f.halo().addUser(mainA, QStringLiteral("Twin"), QStringLiteral("One"),
                                           QStringLiteral("twin@example.com"));
        const int twin2 = f.halo().addUser(mainA, QStringLiteral("Twin"), QStringLiteral("Two"),
                                           QStringLiteral("TWIN@example.com"));
        const int owned = f.halo().addUser(mainA, QStringLiteral("Owned"), QStringLiteral("User"),
                                           QStringLiteral("owned@example.com"));
        link(f, core::Entity::Contact, QStringLiteral("999"), owned); // another contact's user

        const QString kJane =
            f.addContact(person("Janet", "Doe-Smith", "jane.doe@example.com"), {cA});
        const QString kBob = f.addContact(person("Bob", "Acme", "Bob@Example.com"), {cA});
        const QString kTwin = f.addContact(person("Twin", "", "twin@example.com"), {cA});
        const QString kOwned = f.addContact(person("Own", "", "owned@example.com"), {cA});
        const qint64 usersBefore = f.halo().userCount();

        const JobOutcome out = f.run(f.contactSpec());
        checkReport(out, 4);
        // Matched whatever the case; only the HubSpot ID is written, the user keeps its name.
        QCOMPARE(out.item(kJane)->haloId, qint64(jane));
        QCOMPARE(actionOf(out, kJane), QStringLiteral("updated"));
        QCOMPARE(out.item(kJane)->changes.keys(), QStringList{QStringLiteral("hubspot_id")});
        const sandbox::HaloUserRec *j = f.halo().store().user(jane);
        QCOMPARE(j->displayName(), QStringLiteral("Jane Doe"));
        QCOMPARE(j->email, QStringLiteral("Jane.Doe@Example.COM"));
        QCOMPARE(j->hubspotId, kJane);
        // The same address at another customer is not a match: a user is created at Acme.
        QCOMPARE(actionOf(out, kBob), QStringLiteral("created"));
        const sandbox::HaloUserRec *b = f.halo().store().user(int(out.item(kBob)->haloId));
        QVERIFY(b);
        QCOMPARE(b->clientId, custA);
        QVERIFY(f.halo().store().user(bobOther)->hubspotId.isEmpty());
        // Two users of one address: ambiguous, naming both.
        QCOMPARE(actionOf(out, kTwin), QStringLiteral("ambiguous"));
        QVERIFY2(reasonOf(out, kTwin).contains(QString::number(twin1)) &&
                     reasonOf(out, kTwin).contains(QString::number(twin2)),
                 qPrintable(reasonOf(out, kTwin)));
        // A user that belongs to another contact is not taken over.
        QCOMPARE(actionOf(out, kOwned), QStringLiteral("skipped"));
        QVERIFY2(reasonOf(out, kOwned).contains(QStringLiteral("999")),
                 qPrintable(reasonOf(out, kOwned)));
        QCOMPARE(f.halo().userCount() - usersBefore, qint64(1));

        // A re-run changes nothing and creates nobody.
        const JobOutcome again = f.run(f.contactSpec());
        checkReport(again, 4);
        QCOMPARE(actionOf(again, kJane), QStringLiteral("unchanged"));
        QCOMPARE(actionOf(again, kBob), QStringLiteral("unchanged"));
        QCOMPARE(again.report.counts.created + again.report.counts.updated, qint64(0));
        QCOMPARE(f.halo().userCount() - usersBefore, qint64(1));
    }

    void aLinkedUserWhoseCompanyChangedMovesOnlyOnRequest()
    {
        EngineFixture f(0, 10, 20, 0);
        QVERIFY(f.ok());
        const QString cNew =
            f.addCompany(QStringLiteral("New Employer"), QStringLiteral("customer"));
        const int custOld = f.halo().addClient(QStringLiteral("Old Employer Ltd"));
        const int custNew = f.halo().addClient(QStringLiteral("New Employer Ltd"));
        const int mainOld = f.halo().store().client(custOld)->mainSiteId;
        const int mainNew = f.halo().store().client(custNew)->mainSiteId;
        link(f, core::Entity::Company, cNew, custNew);
        const int user = f.halo().addUser(mainOld, QStringLiteral("Mo"), QStringLiteral("Ving"),
                                          QStringLiteral("mo@moving.test"));
        const QString k = f.addContact(person("Mo", "Ving", "mo@moving.test"), {cNew});
        link(f, core::Entity::Contact, k, user);

        JobSpec spec = f.contactSpec();
        spec.writeHubSpotIdToHalo = false; // nothing else to write: the change alone is reported
        JobOutcome out = f.run(spec);
        checkReport(out, 1);
        QCOMPARE(actionOf(out, k), QStringLiteral("unchanged"));
        QVERIFY2(reasonOf(out, k).contains(QStringLiteral("Follow company changes")) &&
                     reasonOf(out, k).contains(QString::number(custNew)) &&
                     reasonOf(out, k).contains(QString::number(custOld)),
                 qPrintable(reasonOf(out, k)));
        QCOMPARE(f.halo().store().user(user)->siteId, mainOld);
        QCOMPARE(out.report.counts.failed, qint64(0));
        QCOMPARE(out.report.usersNotMoved, qint64(1)); // counted: easy to miss in the list

        // With linking on, the HubSpot ID is written, and the user still stays.
        spec.writeHubSpotIdToHalo = true;
        out = f.run(spec);
        QCOMPARE(actionOf(out, k), QStringLiteral("updated"));
        QVERIFY(!out.item(k)->changes.contains(QStringLiteral("site_id")));
        QCOMPARE(f.halo().store().user(user)->siteId, mainOld);
        QCOMPARE(f.halo().store().user(user)->hubspotId, k);

        // Asked to follow: moved, and the change shows.
        spec.contacts.followCompanyChanges = true;
        JobSpec preview = spec;
        preview.dryRun = true;
        const JobOutcome planned = f.run(preview);
        QCOMPARE(actionOf(planned, k), QStringLiteral("updated"));
        QCOMPARE(f.halo().store().user(user)->siteId, mainOld);
        out = f.run(spec);
        QCOMPARE(actionOf(out, k), QStringLiteral("updated"));
        const QJsonObject site = out.item(k)->changes.value(QStringLiteral("site_id")).toObject();
        QCOMPARE(site.value(QStringLiteral("from")).toInteger(), qint64(mainOld));
        QCOMPARE(site.value(QStringLiteral("to")).toInteger(), qint64(mainNew));
        QCOMPARE(out.item(k)->changes, planned.item(k)->changes);
        QCOMPARE(f.halo().store().user(user)->siteId, mainNew);
        QCOMPARE(f.halo().store().user(user)->clientId, custNew);
        QCOMPARE(out.report.usersNotMoved, qint64(0));
        out = f.run(spec);
        QCOMPARE(actionOf(out, k), QStringLiteral("unchanged"));
    }

    void aDefaultSitePlacementNeverMovesALinkedUser()
    {
        // The contact's company is no longer imported (its stage unticked): it would go to the
        // default site as a new user, but a linked user elsewhere stays, even when following.
        EngineFixture f(0, 12, 20, 0);
        QVERIFY(f.ok());
        const QString cUnticked = f.addCompany(QStringLiteral("Unticked"), QStringLiteral("lead"));
        const int custOld = f.halo().addClient(QStringLiteral("Old Employer Ltd"));
        const int custD = f.halo().addClient(QStringLiteral("Default Holding"));
        const int mainOld = f.halo().store().client(custOld)->mainSiteId;
        const int defaultSite = f.halo().store().client(custD)->mainSiteId;
        const int user = f.halo().addUser(mainOld, QStringLiteral("Stay"), QStringLiteral("Put"),
                                          QStringLiteral("stay@put.test"));
        const QString k = f.addContact(person("Stay", "Put", "stay@put.test"), {cUnticked});
        link(f, core::Entity::Contact, k, user);

        JobSpec spec = f.contactSpec();
        spec.companies.lifecycleStages = {QStringLiteral("customer")};
        spec.contacts.defaultSiteId = defaultSite;
        spec.contacts.followCompanyChanges = true;
        JobSpec preview = spec;
        preview.dryRun = true;
        const JobOutcome planned = f.run(preview);
        checkReport(planned, 1);
        const JobOutcome out = f.run(spec);
        checkReport(out, 1);
        for (const JobOutcome *o : {&planned, &out}) {
            QCOMPARE(actionOf(*o, k), QStringLiteral("updated")); // its HubSpot ID only
            QVERIFY(!o->item(k)->changes.contains(QStringLiteral("site_id")));
            QVERIFY2(reasonOf(*o, k).contains(QStringLiteral("stays at customer %1").arg(custOld)),
                     qPrintable(reasonOf(*o, k)));
            QCOMPARE(o->report.usersNotMoved, qint64(0)); // not a company change
        }
        QCOMPARE(f.halo().store().user(user)->clientId, custOld);
        QCOMPARE(f.halo().store().user(user)->siteId, mainOld);
    }

    void aPlacementProblemDoesNotBlockTheUpdateOfALinkedUser()
    {
        // No usable site (a mapping row naming another customer's site; a primary company not
        // imported yet) blocks creates and moves only: a linked user is still updated in place.
        EngineFixture f(0, 13, 20, 0);
        QVERIFY(f.ok());
        const QString cBadRow = f.addCompany(QStringLiteral("Bad Row"), QStringLiteral("lead"));
        const QString cWaiting =
            f.addCompany(QStringLiteral("Waiting"), QStringLiteral("customer"));
        const int custA = f.halo().addClient(QStringLiteral("Alpha Ltd"));
        const int custB = f.halo().addClient(QStringLiteral("Beta Ltd"));
        const int mainA = f.halo().store().client(custA)->mainSiteId;
        const int mainB = f.halo().store().client(custB)->mainSiteId;
        const int u1 = f.halo().addUser(mainB, QStringLiteral("Row"), QStringLiteral("User"),
                                        QStringLiteral("row@user.test"));
        const int u2 = f.halo().addUser(mainB, QStringLiteral("Wait"), QStringLiteral("User"),
                                        QStringLiteral("wait@user.test"));
        const QString k1 = f.addContact(person("Row", "User", "row@user.test"), {cBadRow});
        const QString k2 = f.addContact(person("Wait", "User", "wait@user.test"), {cWaiting});
        const QString k3 = f.addContact(person("New", "Row", "new@user.test"), {cBadRow});
        link(f, core::Entity::Contact, k1, u1);
        link(f, core::Entity::Contact, k2, u2);

        JobSpec spec = f.contactSpec();
        core::CustomerMapping bad; // the site is another customer's
        bad.hubspotCompanyId = cBadRow;
        bad.haloClientId = custA;
        bad.haloSiteId = mainB;
        spec.companies.customerMappings = {bad};
        spec.contacts.followCompanyChanges = true;
        const JobOutcome out = f.run(spec);
        checkReport(out, 3);
        for (const auto &[k, u] : {std::pair{k1, u1}, std::pair{k2, u2}}) {
            QCOMPARE(actionOf(out, k), QStringLiteral("updated"));
            QCOMPARE(out.item(k)->haloId, qint64(u));
            QCOMPARE(out.item(k)->changes.keys(), QStringList{QStringLiteral("hubspot_id")});
            QCOMPARE(f.halo().store().user(u)->hubspotId, k);
            QCOMPARE(f.halo().store().user(u)->siteId, mainB);
        }
        QVERIFY2(reasonOf(out, k1).contains(QStringLiteral("correct the row's site")),
                 qPrintable(reasonOf(out, k1)));
        QVERIFY2(reasonOf(out, k2).contains(QStringLiteral("waits for its primary company")),
                 qPrintable(reasonOf(out, k2)));
        QCOMPARE(actionOf(out, k3), QStringLiteral("failed")); // a create needs the site
        Q_UNUSED(mainA);
    }

    void aMovedUsersAddressIsTakenAtItsNewCustomerAtOnce()
    {
        // Contact A's user moves to customer N; contact B (same address, also at N) comes
        // before the move is written. The real run must not create a second user at N: it
        // skips B, as the preview does.
        EngineFixture f(0, 14, 20, 0);
        QVERIFY(f.ok());
        const QString cNew = f.addCompany(QStringLiteral("New Co"), QStringLiteral("customer"));
        const int custOld = f.halo().addClient(QStringLiteral("Old Ltd"));
        const int custNew = f.halo().addClient(QStringLiteral("New Ltd"));
        const int mainOld = f.halo().store().client(custOld)->mainSiteId;
        link(f, core::Entity::Company, cNew, custNew);
        const int user = f.halo().addUser(mainOld, QStringLiteral("Sam"), QStringLiteral("Same"),
                                          QStringLiteral("sam@same.test"));
        const QString kA = f.addContact(person("Sam", "Same", "sam@same.test"), {cNew});
        const QString kB = f.addContact(person("Sam", "Twin", "SAM@same.test"), {cNew});
        link(f, core::Entity::Contact, kA, user);

        JobSpec spec = f.contactSpec();
        spec.contacts.followCompanyChanges = true;
        spec.batchSize = 50; // A's move waits for the end of the stream, after B was planned
        JobSpec preview = spec;
        preview.dryRun = true;
        const JobOutcome planned = f.run(preview);
        checkReport(planned, 2);
        const qint64 usersBefore = f.halo().userCount();
        const JobOutcome out = f.run(spec);
        checkReport(out, 2);
        QCOMPARE(actionOf(out, kA), QStringLiteral("updated"));
        QCOMPARE(f.halo().store().user(user)->clientId, custNew);
        QCOMPARE(actionOf(planned, kB), QStringLiteral("skipped"));
        QCOMPARE(actionOf(out, kB), QStringLiteral("skipped"));
        QCOMPARE(reasonOf(out, kB), reasonOf(planned, kB));
        QVERIFY2(reasonOf(out, kB).contains(kA), qPrintable(reasonOf(out, kB)));
        QCOMPARE(f.halo().userCount(), usersBefore);
        QCOMPARE(f.userEmailCounts().value(QStringLiteral("sam@same.test@%1").arg(custNew)), 1);
    }

    void aPreviewNamesTheUserItWouldCreate()
    {
        // Two contacts of one address at one customer: the preview's second one meets the user
        // the first would create, and says so (there is no Halo id to show yet).
        EngineFixture f(0, 15, 20, 0);
        QVERIFY(f.ok());
        const QString cA = f.addCompany(QStringLiteral("Acme"), QStringLiteral("customer"));
        const int custA = f.halo().addClient(QStringLiteral("Acme Ltd"));
        link(f, core::Entity::Company, cA, custA);
        const QString kFirst = f.addContact(person("Al", "One", "al@acme.test"), {cA});
        const QString kSecond = f.addContact(person("Al", "Two", "al@acme.test"), {cA});
        const JobOutcome out = f.run(f.contactSpec(true));
        checkReport(out, 2);
        QCOMPARE(actionOf(out, kFirst), QStringLiteral("created"));
        QCOMPARE(actionOf(out, kSecond), QStringLiteral("skipped"));
        const QString reason = reasonOf(out, kSecond);
        QVERIFY2(reason.contains(
                     QStringLiteral("would create for HubSpot contact %1 at Halo customer %2 "
                                    "(\"Acme Ltd\")")
                         .arg(kFirst)
                         .arg(custA)),
                 qPrintable(reason));
        QVERIFY2(!reason.contains(QStringLiteral("user 0")), qPrintable(reason));
    }

    void previewPredictsTheRealRunAndARerunWritesNothing()
    {
        EngineFixture f(40, 5, 20, 300);
        QVERIFY(f.ok());
        const JobOutcome companies = f.run(f.spec());
        QVERIFY(companies.finished);
        QVERIFY(companies.report.counts.created > 0);
        const int custD = f.halo().addClient(QStringLiteral("Default Holding"));
        const int defaultSite = f.halo().store().client(custD)->mainSiteId;

        JobSpec spec = f.contactSpec(true);
        spec.contacts.include = core::ContactInclude::All;
        spec.contacts.defaultSiteId = defaultSite;
        spec.batchSize = 20;
        const qint64 usersBefore = f.halo().userCount();
        const JobOutcome preview = f.run(spec);
        checkReport(preview, f.contactCount());
        QCOMPARE(f.halo().userCount(), usersBefore);
        QCOMPARE(f.store().linkCount(core::Entity::Contact).value(), qint64(0));
        QVERIFY(preview.report.counts.created > 0);
        QVERIFY(preview.report.counts.updated > 0); // seeded users matched by e-mail

        spec.dryRun = false;
        const JobOutcome real = f.run(spec);
        checkReport(real, f.contactCount());
        for (const core::RunItem &p : preview.items) {
            const core::RunItem *r = real.item(p.hubspotId);
            QVERIFY(r);
            if (r->action != p.action)
                qWarning() << p.hubspotId << p.action << p.reason << r->action << r->reason;
            QCOMPARE(r->action, p.action);
            QCOMPARE(r->changes, p.changes);
        }
        QVERIFY(real.report.counts == preview.report.counts);
        QCOMPARE(f.halo().userCount() - usersBefore, real.report.counts.created);
        const QHash<QString, int> ids = f.userHubSpotIdCounts();
        for (auto it = ids.cbegin(); it != ids.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key()));

        const JobOutcome again = f.run(spec);
        checkReport(again, f.contactCount());
        QCOMPARE(again.report.counts.created, qint64(0));
        QCOMPARE(again.report.counts.updated, qint64(0));
        QCOMPARE(again.report.counts.unchanged, real.report.counts.created +
                                                    real.report.counts.updated +
                                                    real.report.counts.unchanged);
        QCOMPARE(f.halo().userCount() - usersBefore, real.report.counts.created);
        QVERIFY(f.store().pendingWrites().value().isEmpty());
    }

    void everyTypeConversion()
    {
        EngineFixture f(0, 12, 20, 0);
        QVERIFY(f.ok());
        // Two user fields the seeded catalog lacks: a Text field for a phone number and a
        // multiple selection whose options are HubSpot's support areas.
        sandbox::HaloFieldDef altPhone;
        altPhone.typeId = sandbox::kHaloUserFields;
        altPhone.name = QStringLiteral("CFaltphone");
        altPhone.label = QStringLiteral("Other phone");
        f.halo().fields().add(altPhone);
        sandbox::HaloFieldDef areas;
        areas.typeId = sandbox::kHaloUserFields;
        areas.name = QStringLiteral("CFsupportareas");
        areas.label = QStringLiteral("Support areas");
        areas.type = sandbox::HaloFieldType::MultiSelect;
        for (const QString &v : sandbox::Generator::supportAreas())
            areas.values.append(sandbox::HaloLookup{0, v});
        f.halo().fields().add(areas);

        const QString c = f.addCompany(QStringLiteral("Typed"), QStringLiteral("customer"));
        const int cust = f.halo().addClient(QStringLiteral("Typed Ltd"));
        link(f, core::Entity::Company, c, cust);
        sandbox::Props good = person("Type", "Good", "good@typed.test");
        good.insert(QStringLiteral("jobtitle"), QStringLiteral("Engineer"));
        good.insert(QStringLiteral("mobilephone"), QStringLiteral("+1 555 0100"));
        good.insert(QStringLiteral("message"), QStringLiteral("Line one\nLine two"));
        good.insert(QStringLiteral("bio"), QStringLiteral("<p>Likes <b>tea</b></p>"));
        good.insert(QStringLiteral("nps_score"), QStringLiteral("9"));
        good.insert(QStringLiteral("date_of_birth"), QStringLiteral("1985-03-14"));
        good.insert(QStringLiteral("next_followup_at"), QStringLiteral("2026-05-01T13:45:00Z"));
        good.insert(QStringLiteral("newsletter_opt_in"), QStringLiteral("true"));
        good.insert(QStringLiteral("lifecyclestage"), QStringLiteral("opportunity"));
        good.insert(QStringLiteral("support_areas"), QStringLiteral("network;m365"));
        const QString kGood = f.addContact(good, {c});
        sandbox::Props bad = good;
        bad.insert(QStringLiteral("email"), QStringLiteral("bad@typed.test"));
        bad.insert(QStringLiteral("nps_score"), QStringLiteral("9.5")); // not an integer
        const QString kBad = f.addContact(bad, {c});
        sandbox::Props empty = person("Type", "Empty", "empty@typed.test");
        const QString kEmpty = f.addContact(empty, {c});

        JobSpec spec = f.contactSpec();
        spec.contacts.fieldMappings = {
            mapping("jobtitle", "CFjobtitle"),             // string/text -> Text
            mapping("mobilephone", "CFaltphone"),          // string/phonenumber -> Text
            mapping("message", "CFbio"),                   // string/textarea -> Memo
            mapping("bio", "CFsignature"),                 // string/html -> Rich text
            mapping("nps_score", "CFextension"),           // number -> Text (integer)
            mapping("nps_score", "CFleadscore"),           // number -> Text (decimal)
            mapping("date_of_birth", "CFbirthday"),        // date -> Date
            mapping("next_followup_at", "CFlastactivity"), // datetime -> Date with time
            mapping("newsletter_opt_in", "CFnewsletter"),  // bool -> Checkbox
            mapping("lifecyclestage", "CFlifecyclestage"), // enumeration/select -> Single
            mapping("support_areas", "CFsupportareas"),    // enumeration/checkbox -> Multiple
        };
        const JobOutcome out = f.run(spec);
        checkReport(out, 3);
        QCOMPARE(out.report.status, QStringLiteral("completed_with_errors"));
        QCOMPARE(actionOf(out, kGood), QStringLiteral("created"));
        QCOMPARE(actionOf(out, kEmpty), QStringLiteral("created"));
        QCOMPARE(actionOf(out, kBad), QStringLiteral("failed"));
        QVERIFY2(reasonOf(out, kBad).contains(QStringLiteral("9.5")),
                 qPrintable(reasonOf(out, kBad)));
        QVERIFY(!userWithEmail(f, QStringLiteral("bad@typed.test"))); // nothing of it written

        const sandbox::HaloUserRec *u = f.halo().store().user(int(out.item(kGood)->haloId));
        QVERIFY(u);
        const auto shown = [&f, u](const char *field) {
            const sandbox::HaloFieldDef *d =
                f.halo().fields().findByName(sandbox::kHaloUserFields, QLatin1String(field));
            return d ? sandbox::HaloFieldCatalog::display(*d,
                                                          sandbox::customValue(u->custom, d->id))
                     : QStringLiteral("(no field)");
        };
        QCOMPARE(shown("CFjobtitle"), QStringLiteral("Engineer"));
        QCOMPARE(shown("CFaltphone"), QStringLiteral("+1 555 0100"));
        QCOMPARE(shown("CFbio"), QStringLiteral("Line one\nLine two"));
        QCOMPARE(shown("CFsignature"), QStringLiteral("<p>Likes <b>tea</b></p>"));
        QCOMPARE(shown("CFextension"), QStringLiteral("9"));
        QCOMPARE(shown("CFleadscore"), QStringLiteral("9"));
        QVERIFY2(shown("CFbirthday").contains(QStringLiteral("1985-03-14")),
                 qPrintable(shown("CFbirthday")));
        QVERIFY2(shown("CFlastactivity").contains(QStringLiteral("2026-05-01")) &&
                     shown("CFlastactivity").contains(QStringLiteral("13:45")),
                 qPrintable(shown("CFlastactivity")));
        QVERIFY2(shown("CFnewsletter").compare(QStringLiteral("true"), Qt::CaseInsensitive) == 0 ||
                     shown("CFnewsletter") == QStringLiteral("Yes"),
                 qPrintable(shown("CFnewsletter")));
        QCOMPARE(shown("CFlifecyclestage"), QStringLiteral("Opportunity"));
        QVERIFY2(shown("CFsupportareas").contains(QStringLiteral("network")) &&
                     shown("CFsupportareas").contains(QStringLiteral("m365")) &&
                     !shown("CFsupportareas").contains(QStringLiteral("printers")),
                 qPrintable(shown("CFsupportareas")));
        // An empty contact writes no custom values at all.
        const sandbox::HaloUserRec *e = f.halo().store().user(int(out.item(kEmpty)->haloId));
        QVERIFY(e);
        QVERIFY(e->custom.isEmpty());

        // A re-run finds every value equal: nothing is written.
        const JobOutcome again = f.run(spec);
        checkReport(again, 3);
        QCOMPARE(actionOf(again, kGood), QStringLiteral("unchanged"));
        QCOMPARE(actionOf(again, kEmpty), QStringLiteral("unchanged"));
        QCOMPARE(actionOf(again, kBad), QStringLiteral("failed"));

        // An impossible mapping stops the run before any write.
        spec.contacts.fieldMappings = {mapping("email", "CFnewsletter"),
                                       mapping("jobtitle", "CFindustry")}; // a customer field
        const JobOutcome refused = f.run(spec);
        QCOMPARE(refused.report.status, QStringLiteral("failed"));
        QVERIFY2(refused.report.error.contains(QStringLiteral("CFnewsletter")) &&
                     refused.report.error.contains(QStringLiteral("CFindustry")),
                 qPrintable(refused.report.error));
        QVERIFY(refused.items.isEmpty());
    }
};

QTEST_MAIN(TestContactImport)
#include "tst_contact_import.moc"
