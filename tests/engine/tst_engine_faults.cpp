// The no-duplicates guarantees of the company import under faults: runs through 5xx, 429 storms,
// malformed replies, stalls, dropped connections and expiring tokens finish with every HubSpot
// company in Halo exactly once (by HubSpot ID, and by name when linking into Halo is off),
// failures reported with their reason, and a clean re-run bringing in whatever failed.
#include "EngineTestSupport.h"

#include <QTimer>

using namespace halospot;
using namespace halospot::enginetest;

namespace {

constexpr qint64 kCompanies = 1000;

bool writtenAction(const QString &action)
{
    return action == QLatin1String("created") || action == QLatin1String("updated") ||
           action == QLatin1String("unchanged");
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
        EngineFixture f(kCompanies, linking ? 21 : 22);
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
        // Tokens of both services stop working, again and again, while the import runs.
        QTimer expiry;
        QObject::connect(&expiry, &QTimer::timeout, &expiry,
                         [&f] { f.sandbox().expireAllTokens(); });
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
        const JobOutcome faulty = f.run(spec, 55000);
        expiry.stop();
        qInfo("import under faults: %lld ms, %lld failed", faulty.elapsedMs,
              faulty.report.counts.failed);
        QVERIFY2(faulty.finished, "the import under faults did not finish");
        QVERIFY2(faulty.report.status == QLatin1String("completed") ||
                     faulty.report.status == QLatin1String("completed_with_errors"),
                 qPrintable(faulty.report.status + QLatin1Char(' ') + faulty.report.error));
        QCOMPARE(qint64(faulty.items.size()), kCompanies);
        QCOMPARE(faulty.report.counts.read, kCompanies);
        QVERIFY(f.sandbox().halo().faults().firedTotal() > 0);
        QVERIFY(f.sandbox().haloProxy()->droppedReplies() +
                    f.sandbox().hubspotProxy()->droppedReplies() >
                0);
        for (const core::RunItem &i : faulty.items) {
            if (i.action == QLatin1String("failed"))
                QVERIFY2(!i.reason.isEmpty(), qPrintable(i.hubspotId)); // reported with a reason
        }
        checkNoDuplicates(f, firstNewId, {faulty}, linking);

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
