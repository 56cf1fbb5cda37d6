// The no-duplicates guarantees of the company import under faults: imports of 5 000 companies
// through 5xx, 429 storms, malformed replies, stalls, dropped connections and expiring tokens
// finish with every HubSpot company in Halo exactly once (by HubSpot ID, and by name when linking
// into Halo is off), none missing (each one linked to its customer or reported with a reason), and
// a clean re-run bringing in whatever failed. The sandbox clock runs 50x so that rate windows and
// server-given waits pass quickly.
#include "EngineTestSupport.h"

#include <QTimer>

using namespace halospot;
using namespace halospot::enginetest;

namespace {

constexpr qint64 kCompanies = 5000;
constexpr double kTimeScale = 50;

bool writtenAction(const QString &action)
{
    return action == QLatin1String("created") || action == QLatin1String("updated") ||
           action == QLatin1String("unchanged");
}

// Zero missing: one result per company; a written company is linked (in the store) to the Halo
// customer its result names, which exists, and no two companies share one; any other outcome
// carries its reason.
void checkNoneMissing(EngineFixture &f, const JobOutcome &run)
{
    QSet<QString> companies;
    QHash<qint64, QString> customerOf;
    for (const core::RunItem &i : run.items) {
        QVERIFY2(!companies.contains(i.hubspotId), qPrintable(i.hubspotId));
        companies.insert(i.hubspotId);
        if (!writtenAction(i.action)) {
            QVERIFY2(!i.reason.isEmpty(), qPrintable(i.hubspotId + QLatin1Char(' ') + i.action));
            continue;
        }
        QVERIFY2(i.haloId > 0, qPrintable(i.hubspotId));
        QVERIFY2(f.halo().store().client(int(i.haloId)), qPrintable(i.hubspotId));
        const auto link = f.store().findLinkByHubSpotId(core::Entity::Company, i.hubspotId);
        QVERIFY(link.ok() && link.value().has_value());
        QCOMPARE(link.value()->haloId, i.haloId);
        QVERIFY2(!customerOf.contains(i.haloId),
                 qPrintable(QStringLiteral("customer %1 written for %2 and %3")
                                .arg(i.haloId)
                                .arg(customerOf.value(i.haloId), i.hubspotId)));
        customerOf.insert(i.haloId, i.hubspotId);
    }
    QCOMPARE(qint64(companies.size()), f.companyCount());
}

} // namespace

class TestEngineFaults final : public QObject
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
        EngineFixture f(kCompanies, linking ? 21 : 22, kTimeScale);
        QVERIFY(f.ok());
        const int firstNewId = maxClientId(f) + 1;
        // HubSpot keeps refresh tokens valid after a refresh; with single-use ones a refresh
        // whose reply is dropped would end the grant, which is not what this test is about.
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
        // The rates above are random; one of each kind is queued on both services as well, so
        // that the check below that every kind happened holds on every run (a 1 % stall rate
        // over a few hundred requests sometimes rolls none).
        for (sandbox::FaultPlan *plan :
             {&f.sandbox().halo().faults(), &f.sandbox().hubspot().faults()}) {
            for (const sandbox::Fault fault :
                 {sandbox::Fault::ServerError, sandbox::Fault::RateLimited,
                  sandbox::Fault::Malformed, sandbox::Fault::Stall}) {
                plan->injectNext(fault);
            }
        }
        // Tokens of both services stop working, again and again, while the import runs.
        QTimer expiry;
        int expiries = 0;
        QObject::connect(&expiry, &QTimer::timeout, &expiry, [&f, &expiries] {
            f.sandbox().expireAllTokens();
            ++expiries;
        });
        expiry.start(1500);

        JobSpec spec = f.spec();
        spec.writeHubSpotIdToHalo = linking;
        spec.batchSize = 50;
        spec.writesInFlight = 3;
        // Without links in Halo, a create whose outcome stays unknown fails at once (reported),
        // so that the clean run below has to bring those records in.
        spec.maxUnknownRetries = linking ? 5 : 1;
        spec.hubspotTransferTimeoutMs = 1500;
        spec.halo.transferTimeoutMs = 1500;
        const JobOutcome faulty = f.run(spec, 100000);
        expiry.stop();
        qInfo("import under faults: %lld ms, %lld failed", faulty.elapsedMs,
              faulty.report.counts.failed);
        QVERIFY2(faulty.finished, "the import under faults did not finish");
        QVERIFY2(faulty.report.status == QLatin1String("completed") ||
                     faulty.report.status == QLatin1String("completed_with_errors"),
                 qPrintable(faulty.report.status + QLatin1Char(' ') + faulty.report.error));
        QCOMPARE(qint64(faulty.items.size()), kCompanies);
        QCOMPARE(faulty.report.counts.read, kCompanies);
        // Every kind of fault happened during the import.
        QVERIFY(expiries > 0);
        for (const sandbox::Fault fault : {sandbox::Fault::ServerError, sandbox::Fault::RateLimited,
                                           sandbox::Fault::Malformed, sandbox::Fault::Stall}) {
            QVERIFY2(f.sandbox().halo().faults().fired(fault) +
                             f.sandbox().hubspot().faults().fired(fault) >
                         0,
                     qPrintable(sandbox::faultName(fault)));
        }
        QVERIFY(f.sandbox().haloProxy()->droppedReplies() +
                    f.sandbox().hubspotProxy()->droppedReplies() >
                0);
        for (const core::RunItem &i : faulty.items) {
            if (i.action == QLatin1String("failed"))
                QVERIFY2(!i.reason.isEmpty(), qPrintable(i.hubspotId)); // reported with a reason
        }
        checkNoDuplicates(f, firstNewId, {faulty}, linking);
        checkNoneMissing(f, faulty);

        // Without faults the next run brings in whatever failed, and still duplicates nothing.
        f.sandbox().setFaultRates(sandbox::FaultRates{});
        const JobOutcome clean = f.run(spec);
        QCOMPARE(clean.report.status, QStringLiteral("completed"));
        QCOMPARE(clean.report.counts.failed, qint64(0));
        checkNoDuplicates(f, firstNewId, {faulty, clean}, linking);
        // Zero missing: every company in scope now has its customer.
        for (const core::RunItem &i : clean.items) {
            if (!writtenAction(i.action))
                continue;
            QVERIFY(f.halo().store().client(int(i.haloId)));
            const auto link = f.store().findLinkByHubSpotId(core::Entity::Company, i.hubspotId);
            QVERIFY(link.ok() && link.value().has_value());
            QCOMPARE(link.value()->haloId, i.haloId);
        }
        const JobOutcome settled = f.run(spec);
        QCOMPARE(settled.report.counts.created + settled.report.counts.updated, qint64(0));
    }
};

QTEST_MAIN(TestEngineFaults)
#include "tst_engine_faults.moc"
