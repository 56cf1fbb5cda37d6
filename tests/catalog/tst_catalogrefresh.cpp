// Tests for the picker cache refresh (engine::CatalogRefresh) run through a real EngineHost with
// JobKind::RefreshCatalog against the in-process sandbox: complete lists, removals on the next
// refresh, a Halo failure that keeps the old copy, and cancelling.
#include "Catalog.h"
#include "EngineTestSupport.h"

using namespace halospot;
using namespace halospot::enginetest;

namespace {

JobSpec refreshSpec(EngineFixture &f)
{
    JobSpec spec = f.spec();
    spec.kind = JobKind::RefreshCatalog;
    spec.halo.pageSize = 40; // several Halo pages even for a small sandbox
    return spec;
}

int haloFieldCount(EngineFixture &f, int typeId)
{
    int n = 0;
    for (const sandbox::HaloFieldDef &d : f.halo().fields().all())
        n += d.typeId == typeId ? 1 : 0;
    return n;
}

// DELETE /api/Client/<id> straight into the fake Halo (no HTTP, no faults).
bool deleteCustomer(EngineFixture &f, int id)
{
    Request r;
    r.method = "DELETE";
    r.path = QStringLiteral("/api/Client/%1").arg(id);
    r.headers.insert("authorization", "Bearer " + f.halo().issueToken().toUtf8());
    return f.halo().dispatch(r).status == 200;
}

// A live customer other than the first one, with a second site.
int someCustomer(EngineFixture &f)
{
    int picked = 0;
    for (const sandbox::HaloClientRec &c : f.halo().store().clientSlots()) {
        if (c.id != 0)
            picked = c.id;
    }
    return picked;
}

} // namespace

class TestCatalogRefresh final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerEngineMetaTypes(); }

    void refreshFillsEveryList()
    {
        EngineFixture f(250);
        QVERIFY(f.ok());
        const int siteOwner = someCustomer(f);
        const int extraSite = f.halo().addSite(siteOwner, QStringLiteral("Warehouse Süd"));
        QVERIFY(extraSite > 0);
        QVERIFY(f.halo().addClient(QStringLiteral("Dormant Ltd"), {}, true) > 0);

        const JobOutcome out = f.run(refreshSpec(f));
        QVERIFY(out.finished);
        QVERIFY2(out.report.status == QLatin1String("completed"), qPrintable(out.report.error));
        QVERIFY(out.report.error.isEmpty());
        QCOMPARE(out.report.kind, JobKind::RefreshCatalog);
        QCOMPARE(out.report.runId, 0);
        QVERIFY(out.items.isEmpty());                       // no per-record results
        QVERIFY(f.store().recentRuns(5).value().isEmpty()); // no run record
        QVERIFY(out.progressSignals > 0);
        QCOMPARE(out.lastProgress.kind, JobKind::RefreshCatalog);
        QCOMPARE(out.lastProgress.counts.read, out.report.counts.read);
        // HubSpot rotated the refresh token and the engine handed the new one on.
        QVERIFY(!f.newestRefreshToken().isEmpty());

        core::Catalog catalog(f.store());
        // The portal's contacts are counted for the Contacts tab's "all contacts" choice.
        const core::CatalogCount contacts = catalog.contactCount().value();
        QCOMPARE(contacts.count,
                 f.sandbox().hubspot().store().liveCount(sandbox::ObjectKind::Contact));
        QVERIFY(contacts.countedAt.isValid());
        QVERIFY(qAbs(contacts.countedAt.secsTo(QDateTime::currentDateTimeUtc())) < 600);
        const qint64 companies =
            f.sandbox().hubspot().store().liveCount(sandbox::ObjectKind::Company);
        QCOMPARE(catalog.count(core::CatalogList::Companies).value(), companies);
        QCOMPARE(catalog.count(core::CatalogList::Customers).value(), f.halo().clientCount());
        QCOMPARE(catalog.count(core::CatalogList::Sites).value(), f.halo().siteCount());
        QCOMPARE(catalog.count(core::CatalogList::CustomerFields).value(),
                 haloFieldCount(f, sandbox::kHaloClientFields));
        QCOMPARE(catalog.count(core::CatalogList::UserFields).value(),
                 haloFieldCount(f, sandbox::kHaloUserFields));
        QVERIFY(catalog.count(core::CatalogList::CustomerFields).value() > 0);
        const qint64 properties = catalog.count(core::CatalogList::CompanyProperties).value() +
                                  catalog.count(core::CatalogList::ContactProperties).value();
        QVERIFY(properties > 0);
        QCOMPARE(out.report.counts.read,
                 companies + f.halo().clientCount() + f.halo().siteCount() + properties +
                     catalog.count(core::CatalogList::CustomerFields).value() +
                     catalog.count(core::CatalogList::UserFields).value());
        for (int l = int(core::CatalogList::Companies);
             l <= int(core::CatalogList::LifecycleStages); ++l)
            QVERIFY2(catalog.refreshedAt(core::CatalogList(l)).value().isValid(),
                     qPrintable(core::catalogListName(core::CatalogList(l))));

        // The stages: HubSpot's defaults and the custom one, with labels, in display order.
        const QList<core::CatalogStage> stages = catalog.stages().value();
        QCOMPARE(stages.size(), sandbox::Generator::lifecycleStages().size());
        QStringList values;
        for (const core::CatalogStage &s : stages)
            values << s.value;
        QCOMPARE(values, sandbox::Generator::lifecycleStages());
        QCOMPARE(stages.constLast().value, QStringLiteral("1234567"));
        QCOMPARE(stages.constLast().label, QStringLiteral("Onboarding"));
        QCOMPARE(stages.at(values.indexOf(QStringLiteral("customer"))).label,
                 QStringLiteral("Customer"));

        bool lifecycle = false;
        const QList<core::PropertyDef> companyProperties =
            catalog.properties(core::Entity::Company).value();
        for (const core::PropertyDef &p : companyProperties)
            lifecycle = lifecycle || p.name == QLatin1String("lifecyclestage");
        QVERIFY(lifecycle);
        QVERIFY(!catalog.properties(core::Entity::Contact).value().isEmpty());

        // Companies carry their name, domain and stage, and are found by name.
        const sandbox::Props props = f.company(7);
        const auto found = catalog.company(f.companyId(7)).value();
        QVERIFY(found.has_value());
        QCOMPARE(found->name, props.value(QStringLiteral("name")));
        QCOMPARE(found->lifecycleStage, props.value(QStringLiteral("lifecyclestage")));
        QCOMPARE(found->domain, props.value(QStringLiteral("domain")).toLower());
        bool byName = false;
        const QList<core::CatalogCompany> named =
            catalog.searchCompanies(props.value(QStringLiteral("name")), 50).value();
        for (const core::CatalogCompany &c : named)
            byName = byName || c.id == f.companyId(7);
        QVERIFY(byName);

        // Customers (inactive ones too) and sites with their customer's name.
        bool inactive = false;
        for (const sandbox::HaloClientRec &c : f.halo().store().clientSlots()) {
            if (c.id == 0)
                continue;
            const auto cached = catalog.customer(c.id).value();
            QVERIFY(cached.has_value());
            QCOMPARE(cached->name, c.name);
            QCOMPARE(cached->inactive, c.inactive);
            inactive = inactive || c.inactive;
        }
        QVERIFY(inactive);
        const auto site = catalog.site(extraSite).value();
        QVERIFY(site.has_value());
        QCOMPARE(site->clientId, siteOwner);
        QCOMPARE(site->clientName, f.halo().store().client(siteOwner)->name);
        QCOMPARE(catalog.searchSites(QStringLiteral("warehouse süd")).value().size(), 1);
    }

    void secondRefreshRemovesDeletedCustomer()
    {
        EngineFixture f(60);
        QVERIFY(f.ok());
        QCOMPARE(f.run(refreshSpec(f)).report.status, QStringLiteral("completed"));
        core::Catalog catalog(f.store());
        const int gone = someCustomer(f);
        const int goneSite = f.halo().store().client(gone)->mainSiteId;
        QVERIFY(catalog.customer(gone).value().has_value());
        QVERIFY(catalog.site(goneSite).value().has_value());
        const qint64 before = catalog.count(core::CatalogList::Customers).value();

        QVERIFY(deleteCustomer(f, gone));
        const JobOutcome again = f.run(refreshSpec(f));
        QVERIFY2(again.report.status == QLatin1String("completed"), qPrintable(again.report.error));
        QVERIFY(!catalog.customer(gone).value().has_value());
        QVERIFY(!catalog.site(goneSite).value().has_value());
        QCOMPARE(catalog.count(core::CatalogList::Customers).value(), before - 1);
        QCOMPARE(catalog.count(core::CatalogList::Customers).value(), f.halo().clientCount());
        QCOMPARE(catalog.count(core::CatalogList::Sites).value(), f.halo().siteCount());
    }

    void haloFailureKeepsTheOldCustomerList()
    {
        EngineFixture f(60);
        QVERIFY(f.ok());
        QCOMPARE(f.run(refreshSpec(f)).report.status, QStringLiteral("completed"));
        core::Catalog catalog(f.store());
        const QDateTime companiesBefore = catalog.refreshedAt(core::CatalogList::Companies).value();
        const QDateTime customersBefore = catalog.refreshedAt(core::CatalogList::Customers).value();
        const qint64 customers = catalog.count(core::CatalogList::Customers).value();
        const int gone = someCustomer(f);
        QVERIFY(deleteCustomer(f, gone));

        // Every Halo request fails (after the client's retries): HubSpot's lists are refreshed,
        // Halo's stay as they were.
        f.halo().faults().injectNext(sandbox::Fault::ServerError, 100000);
        JobSpec spec = refreshSpec(f);
        // Known sign-in server and tenant: no discovery request whose retries would only make
        // the test slower.
        spec.halo.authUrl = f.sandbox().haloUrl();
        spec.halo.authUrl.setPath(QStringLiteral("/auth"));
        spec.halo.tenant = f.halo().config().tenant;
        const JobOutcome failed = f.run(spec, 55000);
        QVERIFY(failed.finished);
        QCOMPARE(failed.report.status, QStringLiteral("failed"));
        QVERIFY2(failed.report.error.contains(QStringLiteral("Halo customers")),
                 qPrintable(failed.report.error));
        QVERIFY(f.halo().faults().fired(sandbox::Fault::ServerError) > 0);
        QVERIFY(catalog.refreshedAt(core::CatalogList::Companies).value() > companiesBefore);
        QCOMPARE(catalog.refreshedAt(core::CatalogList::Customers).value(), customersBefore);
        QCOMPARE(catalog.count(core::CatalogList::Customers).value(), customers);
        QVERIFY(catalog.customer(gone).value().has_value());

        f.halo().faults().clearQueued();
        const JobOutcome again = f.run(refreshSpec(f));
        QVERIFY2(again.report.status == QLatin1String("completed"), qPrintable(again.report.error));
        QVERIFY(!catalog.customer(gone).value().has_value());
    }

    void cancelKeepsTheOldCopy()
    {
        EngineFixture f(400);
        QVERIFY(f.ok());
        QCOMPARE(f.run(refreshSpec(f)).report.status, QStringLiteral("completed"));
        core::Catalog catalog(f.store());
        const QDateTime companiesBefore = catalog.refreshedAt(core::CatalogList::Companies).value();
        const qint64 companies = catalog.count(core::CatalogList::Companies).value();

        sandbox::FaultRates slow;
        slow.latencyMs = 150;
        f.sandbox().setFaultRates(slow);
        EngineHost host;
        QList<RunReport> reports;
        Progress last;
        QObject receiver;
        connect(host.engine(), &Engine::finished, &receiver,
                [&reports](const RunReport &r) { reports << r; });
        connect(host.engine(), &Engine::progress, &receiver,
                [&last](const Progress &p) { last = p; });
        // A private-app token: this test starts jobs itself, outside the fixture that follows
        // the rotating OAuth refresh token.
        JobSpec spec = refreshSpec(f);
        spec.hubspotCredentials = {};
        spec.hubspotCredentials.staticToken = f.sandbox().hubspot().staticToken();
        host.start(spec);
        host.start(spec); // one job at a time
        QTRY_COMPARE_WITH_TIMEOUT(reports.size(), 1, 10000);
        QCOMPARE(reports.constFirst().status, QStringLiteral("failed"));
        QVERIFY(reports.constFirst().error.contains(QStringLiteral("Another job")));
        QTRY_VERIFY_WITH_TIMEOUT(
            last.phase.contains(QStringLiteral("companies")) && last.counts.read > 0, 20000);
        host.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(reports.size(), 2, 10000);
        QCOMPARE(reports.at(1).status, QStringLiteral("cancelled"));
        QCOMPARE(reports.at(1).kind, JobKind::RefreshCatalog);
        QCOMPARE(catalog.count(core::CatalogList::Companies).value(), companies);
        QCOMPARE(catalog.refreshedAt(core::CatalogList::Companies).value(), companiesBefore);

        // The engine is free again and the next refresh completes.
        f.sandbox().setFaultRates({});
        const JobOutcome again = f.runOn(host, spec);
        QVERIFY2(again.report.status == QLatin1String("completed"), qPrintable(again.report.error));
        QVERIFY(catalog.refreshedAt(core::CatalogList::Companies).value() > companiesBefore);
        QCOMPARE(catalog.count(core::CatalogList::Companies).value(), companies);
    }
};

QTEST_MAIN(TestCatalogRefresh)
#include "tst_catalogrefresh.moc"
