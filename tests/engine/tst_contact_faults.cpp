// The no-duplicates guarantees of the contact import under faults: 1 000 contacts through 5xx,
// 429 storms, malformed replies, stalls, dropped connections and expiring tokens finish with no
// Halo user twice (by HubSpot ID, and by e-mail at a customer), none lost (each written contact
// linked to its user, every other one reported with a reason), and a clean re-run bringing in
// whatever failed; and a run cancelled with writes in flight, plus an intent left by a "crash"
// whose user Halo did create, followed by a clean run that duplicates nothing; and crashed creates
// of contacts without an address, reconciled by name only to a new user that nobody owns.
#include "EngineTestSupport.h"

#include <QTimer>

using namespace halospot;
using namespace halospot::enginetest;

namespace {

constexpr qint64 kCompanies = 100;
constexpr qint64 kContacts = 1000;
constexpr double kTimeScale = 50;

bool writtenAction(const QString &action)
{
    return action == QLatin1String("created") || action == QLatin1String("updated") ||
           action == QLatin1String("unchanged");
}

// Companies in Halo first (no faults), and a default site for the company-less contacts.
qint64 prepare(EngineFixture &f)
{
    const JobOutcome companies = f.run(f.spec());
    if (!companies.finished || companies.report.counts.created == 0)
        return 0;
    const int holding = f.halo().addClient(QStringLiteral("Default Holding"));
    return f.halo().store().client(holding)->mainSiteId;
}

int nextUserId(EngineFixture &f)
{
    int id = 0;
    for (const sandbox::HaloUserRec &u : f.halo().store().userSlots())
        id = qMax(id, u.id);
    return id + 1;
}

// No user twice: every HubSpot ID at most once in Halo, and no e-mail at a customer more often
// than before the imports (or once, for a new one).
void checkNoDuplicates(EngineFixture &f, const QHash<QString, int> &emailsBefore, int firstNewUser)
{
    // No orphans: every user the imports made belongs to exactly one contact (this also covers
    // users without an e-mail address, created and reconciled by name).
    for (const sandbox::HaloUserRec &u : f.halo().store().userSlots()) {
        if (u.id < firstNewUser)
            continue;
        const auto links = f.store().findLinksByHaloId(core::Entity::Contact, u.id);
        QVERIFY(links.ok());
        QVERIFY2(links.value().size() == 1,
                 qPrintable(QStringLiteral("user %1 (%2) has %3 contacts")
                                .arg(u.id)
                                .arg(u.email)
                                .arg(links.value().size())));
    }
    const QHash<QString, int> ids = f.userHubSpotIdCounts();
    for (auto it = ids.cbegin(); it != ids.cend(); ++it)
        QVERIFY2(it.value() == 1,
                 qPrintable(
                     QStringLiteral("%1 users hold HubSpot ID %2").arg(it.value()).arg(it.key())));
    const QHash<QString, int> emails = f.userEmailCounts();
    for (auto it = emails.cbegin(); it != emails.cend(); ++it)
        QVERIFY2(it.value() <= qMax(1, emailsBefore.value(it.key())), qPrintable(it.key()));
}

// Zero lost: one result per contact; a written contact is linked to the user its result names,
// which exists; any other outcome carries its reason.
void checkNoneMissing(EngineFixture &f, const JobOutcome &run)
{
    QSet<QString> seen;
    for (const core::RunItem &i : run.items) {
        QVERIFY2(!seen.contains(i.hubspotId), qPrintable(i.hubspotId));
        seen.insert(i.hubspotId);
        if (!writtenAction(i.action)) {
            QVERIFY2(!i.reason.isEmpty(), qPrintable(i.hubspotId + QLatin1Char(' ') + i.action));
            continue;
        }
        QVERIFY2(f.halo().store().user(int(i.haloId)), qPrintable(i.hubspotId));
        const auto link = f.store().findLinkByHubSpotId(core::Entity::Contact, i.hubspotId);
        QVERIFY(link.ok() && link.value().has_value());
        QCOMPARE(link.value()->haloId, i.haloId);
    }
    QCOMPARE(qint64(seen.size()), f.contactCount());
}

// POST /api/Users straight into the fake Halo (no HTTP, no faults); the new user's id.
qint64 haloPostUser(EngineFixture &f, const QJsonObject &user)
{
    Request r;
    r.method = "POST";
    r.path = QStringLiteral("/api/Users");
    r.headers.insert("authorization", "Bearer " + f.halo().issueToken().toUtf8());
    r.headers.insert("content-type", "application/json");
    r.body = QJsonDocument(QJsonArray{user}).toJson(QJsonDocument::Compact);
    const Response reply = f.halo().dispatch(r);
    const QJsonDocument doc = QJsonDocument::fromJson(reply.body);
    const QJsonObject saved = doc.isArray() ? doc.array().at(0).toObject() : doc.object();
    return saved.value(QStringLiteral("id")).toInteger();
}

} // namespace

class TestContactFaults final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerEngineMetaTypes(); }

    void faultyServicesNeverDuplicateOrLose_data()
    {
        QTest::addColumn<bool>("linking");
        QTest::newRow("hubspot id in Halo") << true;
        QTest::newRow("local links only") << false;
    }

    void faultyServicesNeverDuplicateOrLose()
    {
        QFETCH(bool, linking);
        // The second row proves the other reconciliation path; fewer contacts keep the test short.
        const qint64 contacts = linking ? kContacts : kContacts * 6 / 10;
        EngineFixture f(kCompanies, linking ? 31 : 33, kTimeScale, contacts);
        QVERIFY(f.ok());
        const qint64 defaultSite = prepare(f);
        QVERIFY(defaultSite > 0);
        const QHash<QString, int> emailsBefore = f.userEmailCounts();
        const int firstNewUser = nextUserId(f);
        f.sandbox().hubspot().oauth().config().rotateRefreshTokens = false;
        sandbox::FaultRates faults;
        faults.latencyMs = 2;
        faults.jitterMs = 5;
        faults.serverError = 0.05;
        faults.rateLimited = 0.04;
        faults.malformed = 0.03;
        faults.drop = 0.04;
        faults.stall = 0.01;
        f.sandbox().setFaultRates(faults);
        // One of each kind is queued as well (the first row only: they cost the same seconds
        // on every run, and one row proving that each kind happened is enough), so that the
        // check below holds on every run even when the random rates roll no stall.
        for (sandbox::FaultPlan *plan :
             {&f.sandbox().halo().faults(), &f.sandbox().hubspot().faults()}) {
            for (const sandbox::Fault fault :
                 {sandbox::Fault::ServerError, sandbox::Fault::RateLimited,
                  sandbox::Fault::Malformed, sandbox::Fault::Stall}) {
                if (linking)
                    plan->injectNext(fault);
            }
        }
        QTimer expiry;
        int expiries = 0;
        QObject::connect(&expiry, &QTimer::timeout, &expiry, [&f, &expiries] {
            f.sandbox().expireAllTokens();
            ++expiries;
        });
        expiry.start(1500);

        JobSpec spec = f.contactSpec();
        // HubSpot through a static token: the token endpoint's client does not take the job's
        // transfer timeout, so one stall there costs 30 s (the company fault test covers the
        // OAuth refresh under faults). Halo's tokens still expire again and again.
        spec.hubspotCredentials = HubSpotCredentials{};
        spec.hubspotCredentials.staticToken = f.sandbox().hubspot().staticToken();
        spec.contacts.include = core::ContactInclude::All;
        spec.contacts.defaultSiteId = defaultSite;
        spec.batchSize = 25;
        spec.writesInFlight = 3;
        spec.writeHubSpotIdToHalo = linking;
        // Without IDs in Halo, creates are reconciled by e-mail (or name) at their customer, and
        // one whose outcome stays unknown fails at once, for the clean run to bring in.
        spec.maxUnknownRetries = linking ? 5 : 1;
        spec.hubspotTransferTimeoutMs = 1500;
        spec.halo.transferTimeoutMs = 1500;
        const JobOutcome faulty = f.run(spec, 100000);
        expiry.stop();
        qInfo("contact import under faults: %lld ms, %lld created, %lld failed", faulty.elapsedMs,
              faulty.report.counts.created, faulty.report.counts.failed);
        QVERIFY2(faulty.finished, "the import under faults did not finish");
        QVERIFY2(faulty.report.status == QLatin1String("completed") ||
                     faulty.report.status == QLatin1String("completed_with_errors"),
                 qPrintable(faulty.report.status + QLatin1Char(' ') + faulty.report.error));
        QCOMPARE(qint64(faulty.items.size()), contacts);
        QCOMPARE(faulty.report.counts.read, contacts);
        QVERIFY(faulty.report.counts.created > 0);
        for (const sandbox::Fault fault : {sandbox::Fault::ServerError, sandbox::Fault::RateLimited,
                                           sandbox::Fault::Malformed, sandbox::Fault::Stall}) {
            if (!linking)
                break;
            QVERIFY2(f.sandbox().halo().faults().fired(fault) +
                             f.sandbox().hubspot().faults().fired(fault) >
                         0,
                     qPrintable(sandbox::faultName(fault)));
        }
        checkNoDuplicates(f, emailsBefore, firstNewUser);
        checkNoneMissing(f, faulty);
        QVERIFY(f.store().pendingWrites().value().isEmpty());

        // Without faults the next run brings in whatever failed, and duplicates nothing.
        f.sandbox().setFaultRates(sandbox::FaultRates{});
        const JobOutcome clean = f.run(spec);
        QCOMPARE(clean.report.status, QStringLiteral("completed"));
        QCOMPARE(clean.report.counts.failed, qint64(0));
        checkNoDuplicates(f, emailsBefore, firstNewUser);
        checkNoneMissing(f, clean);
        const JobOutcome settled = f.run(spec);
        QCOMPARE(settled.report.counts.created + settled.report.counts.updated, qint64(0));
    }

    void anInterruptedRunResumesWithoutDuplicates()
    {
        EngineFixture f(kCompanies, 32, kTimeScale, kContacts / 2);
        QVERIFY(f.ok());
        const qint64 defaultSite = prepare(f);
        QVERIFY(defaultSite > 0);
        const QHash<QString, int> emailsBefore = f.userEmailCounts();
        const int firstNewUser = nextUserId(f);
        JobSpec spec = f.contactSpec();
        spec.contacts.include = core::ContactInclude::All;
        spec.contacts.defaultSiteId = defaultSite;
        spec.batchSize = 10;
        spec.writesInFlight = 3;

        // A "crash" left an intent whose user Halo did create (with its HubSpot ID).
        qint64 crashed = -1;
        for (qint64 i = 0; i < f.contactCount() && crashed < 0; ++i) {
            const QString email = f.contact(i).value(QStringLiteral("email"));
            if (!email.isEmpty() && f.sandbox().generator().contactCompanies(i).isEmpty())
                crashed = i;
        }
        QVERIFY(crashed >= 0);
        const QJsonObject payload{
            {QStringLiteral("name"), QStringLiteral("Crash Survivor")},
            {QStringLiteral("emailaddress"), f.contact(crashed).value(QStringLiteral("email"))},
            {QStringLiteral("site_id"), defaultSite},
            {QStringLiteral("hubspot_id"), f.contactId(crashed)}};
        const qint64 survivor = haloPostUser(f, payload);
        QVERIFY(survivor > 0);
        core::PendingWrite intent;
        intent.target = core::WriteTarget::Halo;
        intent.entity = core::Entity::Contact;
        intent.sourceId = f.contactId(crashed);
        intent.naturalKey =
            core::normalizeEmail(payload.value(QStringLiteral("emailaddress")).toString());
        intent.payload = payload;
        QVERIFY(f.store().addPendingWrites({intent}).ok());

        // Cancelled while writes are in flight: Halo answers slowly from the first result on.
        EngineHost host;
        QList<core::RunItem> items;
        std::optional<RunReport> report;
        QObject receiver;
        connect(host.engine(), &Engine::results, &receiver,
                [&items](const QList<core::RunItem> &batch) { items += batch; });
        connect(host.engine(), &Engine::finished, &receiver,
                [&report](const RunReport &r) { report = r; });
        host.start(spec); // its own fresh grant
        QTRY_VERIFY_WITH_TIMEOUT(items.size() > 20 || report.has_value(), 30000);
        QVERIFY(!report);
        sandbox::FaultRates slow;
        slow.latencyMs = 400;
        f.sandbox().halo().faults().setRates(slow);
        QTest::qWait(250);
        host.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 30000);
        QCOMPARE(report->status, QStringLiteral("cancelled"));
        // Writes were in flight: their intents are left for the next run to reconcile.
        const qint64 left = f.store().pendingWrites().value().size();
        qInfo("cancelled after %lld results with %lld intents left", qint64(items.size()), left);
        QVERIFY(left > 0); // the survivor's was settled at the start; these are batches
        f.sandbox().halo().faults().setRates(sandbox::FaultRates{});
        // The survivor's intent was reconciled into a link before any contact was read.
        const auto link =
            f.store().findLinkByHubSpotId(core::Entity::Contact, f.contactId(crashed));
        QVERIFY(link.ok() && link.value().has_value());
        QCOMPARE(link.value()->haloId, survivor);

        const JobOutcome resumed = f.run(spec);
        QCOMPARE(resumed.report.status, QStringLiteral("completed"));
        QCOMPARE(qint64(resumed.items.size()), f.contactCount());
        QVERIFY(resumed.item(f.contactId(crashed)));
        QCOMPARE(resumed.item(f.contactId(crashed))->haloId, survivor);
        checkNoDuplicates(f, emailsBefore, firstNewUser);
        checkNoneMissing(f, resumed);
        QVERIFY(f.store().pendingWrites().value().isEmpty());
        const JobOutcome again = f.run(spec);
        QCOMPARE(again.report.counts.created + again.report.counts.updated, qint64(0));
    }

    void aLeftoverCreateWithoutAnAddressTakesOnlyANewUnownedUser()
    {
        // Without HubSpot IDs in Halo, a crashed create of a contact with no e-mail address is
        // found by name at its site: only a user newer than its batch, owned by nobody, counts.
        EngineFixture f(0, 41, kTimeScale, 0);
        QVERIFY(f.ok());
        const int holding = f.halo().addClient(QStringLiteral("Default Holding"));
        const int site = f.halo().store().client(holding)->mainSiteId;
        const auto person = [&f](const char *first, const char *last) {
            sandbox::Props p;
            p.insert(QStringLiteral("firstname"), QLatin1String(first));
            p.insert(QStringLiteral("lastname"), QLatin1String(last));
            return f.addContact(p);
        };
        // Unrelated users of the same names were there before.
        const int oldPat = f.halo().addUser(site, QStringLiteral("Pat"), QStringLiteral("Lee"), {});
        const int oldRon = f.halo().addUser(site, QStringLiteral("Ron"), QStringLiteral("Kay"), {});
        QVERIFY(oldPat > 0 && oldRon > 0);
        const QString kPat = person("Pat", "Lee");
        const QString kRon = person("Ron", "Kay");
        const qint64 knownMax = nextUserId(f) - 1;
        const auto intent = [&](const QString &contact, const QString &name) {
            core::PendingWrite w;
            w.target = core::WriteTarget::Halo;
            w.entity = core::Entity::Contact;
            w.sourceId = contact;
            w.payload = QJsonObject{{QStringLiteral("name"), name},
                                    {QStringLiteral("site_id"), site},
                                    {QStringLiteral("halospot_known_max_user_id"), knownMax}};
            return w;
        };
        // Pat's POST never reached Halo; Ron's did.
        QVERIFY(f.store()
                    .addPendingWrites({intent(kPat, QStringLiteral("Pat Lee")),
                                       intent(kRon, QStringLiteral("Ron Kay"))})
                    .ok());
        const qint64 newRon =
            haloPostUser(f, QJsonObject{{QStringLiteral("name"), QStringLiteral("Ron Kay")},
                                        {QStringLiteral("site_id"), site}});
        QVERIFY(newRon > knownMax);

        JobSpec spec = f.contactSpec();
        spec.writeHubSpotIdToHalo = false;
        spec.contacts.include = core::ContactInclude::All;
        spec.contacts.defaultSiteId = site;
        const JobOutcome out = f.run(spec);
        QCOMPARE(out.report.status, QStringLiteral("completed"));
        QVERIFY(f.store().pendingWrites().value().isEmpty());
        const auto named = [&f](const QString &name) {
            int n = 0;
            for (const sandbox::HaloUserRec &u : f.halo().store().userSlots())
                n += u.id != 0 && u.displayName() == name;
            return n;
        };
        // Pat: the old user was not taken; a user of its own was created.
        QVERIFY(out.item(kPat));
        QCOMPARE(out.item(kPat)->action, QStringLiteral("created"));
        QVERIFY(out.item(kPat)->haloId != oldPat);
        QCOMPARE(named(QStringLiteral("Pat Lee")), 2);
        // Ron: the user its POST made was found, not a third one created.
        QVERIFY(out.item(kRon));
        QCOMPARE(out.item(kRon)->haloId, newRon);
        QCOMPARE(out.item(kRon)->action, QStringLiteral("unchanged"));
        QCOMPARE(named(QStringLiteral("Ron Kay")), 2);
        const auto oldLinks = f.store().findLinksByHaloId(core::Entity::Contact, oldPat);
        QVERIFY(oldLinks.ok() && oldLinks.value().isEmpty());
    }
};

QTEST_MAIN(TestContactFaults)
#include "tst_contact_faults.moc"
