// The crash half of the no-duplicates guarantee: intents journaled by a run that died between
// sending a batch and recording its reply are reconciled against Halo (by the HubSpot ID written
// into Halo, or by name when linking into Halo is off) before anything is sent, so that the next
// run finds what the dead run created and creates only what is truly missing.
#include "EngineTestSupport.h"

using namespace halospot;
using namespace halospot::enginetest;

class TestEngineCrash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerEngineMetaTypes(); }

    void leftoverIntentsAreReconciledBeforeAnythingIsSent_data()
    {
        QTest::addColumn<bool>("linking");
        QTest::newRow("by hubspot id") << true;
        QTest::newRow("by name") << false;
    }

    void leftoverIntentsAreReconciledBeforeAnythingIsSent()
    {
        QFETCH(bool, linking);
        EngineFixture f(300, 31);
        QVERIFY(f.ok());
        // Ten companies that the import would create.
        QHash<QString, int> seen;
        for (qint64 i = 0; i < f.companyCount(); ++i)
            ++seen[core::normalizeName(f.company(i).value(QStringLiteral("name")))];
        QList<qint64> fresh;
        for (qint64 i = 0; i < f.companyCount() && fresh.size() < 10; ++i) {
            const QString key = core::normalizeName(f.company(i).value(QStringLiteral("name")));
            if (!key.isEmpty() && seen.value(key) == 1 && f.customersNamed(key).isEmpty())
                fresh << i;
        }
        QCOMPARE(fresh.size(), 10);

        // The "crashed" run: intents for all ten were journaled and the batch was sent; Halo
        // created the first six, then the process died before anything was recorded.
        const auto startedRun = f.store().beginRun(QStringLiteral("companies"));
        QVERIFY(startedRun.ok());
        QList<core::PendingWrite> intents;
        QJsonArray sent;
        for (int n = 0; n < fresh.size(); ++n) {
            const QString name = f.company(fresh[n]).value(QStringLiteral("name"));
            QJsonObject payload{{QStringLiteral("name"), name}};
            if (linking)
                payload.insert(QStringLiteral("hubspot_id"), f.companyId(fresh[n]));
            core::PendingWrite w;
            w.runId = startedRun.value();
            w.batchId = QStringLiteral("crashed-batch");
            w.sourceId = f.companyId(fresh[n]);
            w.naturalKey = core::normalizeName(name);
            w.payload = payload;
            intents << w;
            if (n < 6)
                sent.append(payload);
        }
        QVERIFY(f.store().addPendingWrites(intents).ok());
        const QList<qint64> createdBeforeCrash = f.haloPost(sent);
        QCOMPARE(createdBeforeCrash.size(), 6);
        const int firstNewId = int(createdBeforeCrash.constFirst());

        JobSpec spec = f.spec();
        spec.writeHubSpotIdToHalo = linking;
        const JobOutcome out = f.run(spec);
        QCOMPARE(out.report.status, QStringLiteral("completed"));
        QVERIFY(f.store().pendingWrites().value().isEmpty());
        for (int n = 0; n < fresh.size(); ++n) {
            const QString key =
                core::normalizeName(f.company(fresh[n]).value(QStringLiteral("name")));
            const QList<int> customers = f.customersNamed(key);
            QCOMPARE(customers.size(), 1); // exactly one, never a second
            const core::RunItem *item = out.item(f.companyId(fresh[n]));
            QVERIFY(item);
            QCOMPARE(item->haloId, qint64(customers.constFirst()));
            if (n < 6) {
                QCOMPARE(item->haloId, createdBeforeCrash.at(n));
                QVERIFY2(item->action != QLatin1String("created"), qPrintable(item->action));
            } else {
                QCOMPARE(item->action, QStringLiteral("created"));
            }
        }
        // The six found are counted as customers of their companies, not as new ones.
        QList<JobOutcome> runs{out};
        JobOutcome crashed;
        for (int n = 0; n < 6; ++n) {
            core::RunItem i;
            i.hubspotId = f.companyId(fresh[n]);
            i.action = QStringLiteral("created");
            crashed.items << i;
        }
        runs << crashed;
        checkNoDuplicates(f, firstNewId, runs, linking);
    }
};

QTEST_MAIN(TestEngineCrash)
#include "tst_engine_crash.moc"
