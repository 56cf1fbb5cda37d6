// EngineHost and Engine: the named engine thread, queued start/cancel, progress handed out at most
// ten times a second with the final counts, a second start refused while a job runs, cancel, and
// the host destroyed in the middle of an import - after which the next run finishes the job
// without a duplicate (intents of writes in flight are reconciled).
#include "EngineTestSupport.h"

using namespace halospot;
using namespace halospot::enginetest;

namespace {

// Linking on: every customer created since firstNewId carries a HubSpot ID no other customer
// carries, and the store links that company to exactly this customer.
void checkNewCustomersLinked(EngineFixture &f, int firstNewId)
{
    const QHash<QString, int> counts = f.hubspotIdCounts();
    int newCustomers = 0;
    for (const sandbox::HaloClientRec &c : f.halo().store().clientSlots()) {
        if (c.id < firstNewId)
            continue;
        ++newCustomers;
        QVERIFY2(!c.hubspotId.isEmpty(), qPrintable(c.name));
        QCOMPARE(counts.value(c.hubspotId), 1);
        const auto link = f.store().findLinkByHubSpotId(core::Entity::Company, c.hubspotId);
        QVERIFY(link.ok() && link.value().has_value());
        QCOMPARE(link.value()->haloId, qint64(c.id));
    }
    QVERIFY(newCustomers > 0);
    QVERIFY(f.store().pendingWrites().value().isEmpty());
}

sandbox::FaultRates slowServices()
{
    sandbox::FaultRates r;
    r.latencyMs = 15;
    r.jitterMs = 10;
    return r;
}

} // namespace

class TestEngineHost final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerEngineMetaTypes(); }

    void engineLivesOnItsNamedThread()
    {
        QThread *thread = nullptr;
        {
            EngineHost host;
            thread = host.engineThread();
            QCOMPARE(thread->objectName(), QStringLiteral("halospot-engine"));
            QVERIFY(thread->isRunning());
            QCOMPARE(host.engine()->thread(), thread);
            QVERIFY(thread != QThread::currentThread());
        }
        // Destroyed without a job: returns, the thread has ended (nothing else to check).
    }

    void progressIsCoalescedAndEndsWithTheFinalCounts()
    {
        EngineFixture f(600);
        QVERIFY(f.ok());
        f.sandbox().setFaultRates(slowServices());
        const JobOutcome out = f.run(f.spec(true));
        QVERIFY(out.finished);
        QCOMPARE(out.report.status, QStringLiteral("completed"));
        QVERIFY(out.progressSignals >= 1);
        // At most one per 100 ms tick, plus the final one.
        QVERIFY2(
            out.progressSignals <= out.elapsedMs / Engine::kUpdateIntervalMs + 2,
            qPrintable(
                QStringLiteral("%1 updates in %2 ms").arg(out.progressSignals).arg(out.elapsedMs)));
        QCOMPARE(out.lastProgress.counts, out.report.counts);
        QVERIFY(out.lastProgress.total >= 600);
        QCOMPARE(qint64(out.items.size()), out.report.counts.read);
    }

    void secondStartIsRefusedAndCancelStops()
    {
        EngineFixture f(1500);
        QVERIFY(f.ok());
        f.sandbox().setFaultRates(slowServices());
        const int firstNewId = maxClientId(f) + 1;
        EngineHost host;
        QList<RunReport> reports;
        QList<core::RunItem> items;
        QObject receiver;
        connect(host.engine(), &Engine::finished, &receiver,
                [&reports](const RunReport &r) { reports << r; });
        connect(host.engine(), &Engine::results, &receiver,
                [&items](const QList<core::RunItem> &batch) { items += batch; });
        const JobSpec spec = f.spec();
        host.start(spec);
        host.start(spec);
        QTRY_COMPARE_WITH_TIMEOUT(reports.size(), 1, 10000);
        QCOMPARE(reports.constFirst().status, QStringLiteral("failed"));
        QVERIFY(reports.constFirst().error.contains(QStringLiteral("Another job")));
        QTRY_VERIFY_WITH_TIMEOUT(items.size() > 50, 30000);
        host.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(reports.size(), 2, 10000);
        const RunReport &cancelled = reports.at(1);
        QCOMPARE(cancelled.status, QStringLiteral("cancelled"));
        QCOMPARE(f.store().run(cancelled.runId).value().status, QStringLiteral("cancelled"));
        QVERIFY(cancelled.counts.read < 1500);

        f.sandbox().setFaultRates({});
        JobSpec again = f.spec();
        const JobOutcome rest = f.runOn(host, again);
        QCOMPARE(rest.report.status, QStringLiteral("completed"));
        checkNewCustomersLinked(f, firstNewId);
    }

    void destroyingTheHostMidJobIsCleanAndTheNextRunFinishes()
    {
        EngineFixture f(1500);
        QVERIFY(f.ok());
        f.sandbox().setFaultRates(slowServices());
        const int firstNewId = maxClientId(f) + 1;
        {
            auto host = std::make_unique<EngineHost>();
            QList<core::RunItem> items;
            bool finished = false;
            QObject receiver;
            connect(host->engine(), &Engine::results, &receiver,
                    [&items](const QList<core::RunItem> &batch) { items += batch; });
            connect(host->engine(), &Engine::finished, &receiver,
                    [&finished](const RunReport &) { finished = true; });
            host->start(f.spec());
            // Wait until writes are under way, then pull the plug.
            QTRY_VERIFY_WITH_TIMEOUT(f.halo().clientCount() > firstNewId + 20 || items.size() > 300,
                                     30000);
            QThread *thread = host->engineThread();
            QVERIFY(thread->isRunning());
            host.reset();
            QVERIFY(!finished); // the job died with its engine; no report
        }
        qInfo("left behind: %d intents, %lld customers created",
              int(f.store().pendingWrites().value().size()),
              f.halo().clientCount() - firstNewId + 1);
        f.sandbox().setFaultRates({});
        const JobOutcome rest = f.run(f.spec());
        QCOMPARE(rest.report.status, QStringLiteral("completed"));
        QCOMPARE(rest.report.counts.read, qint64(1500));
        checkNewCustomersLinked(f, firstNewId);
        // And nothing is left to do.
        const JobOutcome settled = f.run(f.spec());
        QCOMPARE(settled.report.counts.created + settled.report.counts.updated, qint64(0));
    }
};

QTEST_MAIN(TestEngineHost)
#include "tst_enginehost.moc"
