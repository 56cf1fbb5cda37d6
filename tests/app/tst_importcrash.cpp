// The crash test of `halospot import companies`: the real binary (secrets from the environment),
// killed with SIGKILL at 22 random moments - a third while it reads Halo's customers, the rest
// while it imports with writes in flight (sandbox latency) - and run again after each kill, then
// once to the end. Halo must then hold what one clean run leaves on an identical sandbox: the same
// customers by normalized name, as many carrying a hubspot_id, each ID once and on a customer of
// its company's name, none missing (the final report: every company that is not ambiguous or
// skipped has its customer). The seed of the kill moments is printed so that a failure can be
// repeated (HALOSPOT_CRASH_SEED=<seed>).
#include "CrashTestSupport.h"
#include "HubSpotStore.h"
#include "Names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace halospot;
using namespace halospot::app::test;

namespace {

constexpr qint64 kCompanies = 2500;
constexpr int kKills = 22;
constexpr quint64 kDataSeed = 23;
const QString kWhat = QStringLiteral("companies");

std::unique_ptr<sandbox::Sandbox> makeSandbox()
{
    sandbox::SandboxOptions options;
    options.data.companies = kCompanies;
    options.data.contacts = 10;
    options.data.seed = kDataSeed;
    options.haloWindowMax = 100000;
    options.hubspot.burstMax = 100000;
    auto box = std::make_unique<sandbox::Sandbox>(options);
    if (!box->start().ok())
        return nullptr;
    // Every reply takes a while, so that batches are surely in flight when a kill comes.
    sandbox::FaultRates slow;
    slow.latencyMs = 25;
    slow.jitterMs = 25;
    box->setFaultRates(slow);
    return box;
}

// What Halo holds: normalized name -> customers, hubspot_id -> customers (and the normalized name
// of the customer carrying it), normalized name -> customers carrying a hubspot_id.
struct HaloState
{
    qint64 customers = 0;
    QHash<QString, int> names;
    QHash<QString, int> hubspotIds;
    QHash<QString, QString> nameOfHubSpotId;
    QHash<QString, int> linkedPerName;
};

HaloState haloState(sandbox::Sandbox &box)
{
    HaloState s;
    for (const sandbox::HaloClientRec &c : box.halo().store().clientSlots()) {
        if (c.id == 0)
            continue;
        ++s.customers;
        ++s.names[core::normalizeName(c.name)];
        if (!c.hubspotId.isEmpty()) {
            ++s.hubspotIds[c.hubspotId];
            s.nameOfHubSpotId.insert(c.hubspotId, core::normalizeName(c.name));
            ++s.linkedPerName[core::normalizeName(c.name)];
        }
    }
    return s;
}

} // namespace

class TestImportCrash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedAgainAndAgainLeavesWhatACleanRunLeaves()
    {
        QElapsedTimer clock;
        clock.start();
        QRandomGenerator rng(crashSeed());

        // The reference: one clean run on an identical sandbox.
        std::unique_ptr<sandbox::Sandbox> reference = makeSandbox();
        QVERIFY(reference);
        QTemporaryDir referenceDir;
        prepare(*reference, referenceDir.path());
        if (QTest::currentTestFailed())
            return;
        const Run clean = runImport(*reference, referenceDir.path(), kWhat);
        QVERIFY2(clean.exitCode == 0, qPrintable(describeRun(clean)));
        const HaloState expected = haloState(*reference);
        const qint64 referenceMs = clock.elapsed();
        qInfo("clean reference run: %lld ms, %lld customers", referenceMs, expected.customers);

        std::unique_ptr<sandbox::Sandbox> box = makeSandbox();
        QVERIFY(box);
        QTemporaryDir dir;
        prepare(*box, dir.path());
        if (QTest::currentTestFailed())
            return;
        int killed = 0;
        int finishedByThemselves = 0;
        int duringRead = 0;
        int duringWrites = 0;
        int killsWithWritesInFlight = 0;
        // Runs that end before their kill moment do not count; a bounded number of tries.
        for (int attempt = 0; killed < kKills && attempt < 3 * kKills; ++attempt) {
            // Where to strike: a third while Halo's customers are read, the rest while importing.
            const bool inRead = rng.bounded(3) == 0;
            const QByteArray phase = inRead ? "Reading Halo customers" : "Importing companies";
            const int extraMs = inRead ? int(rng.bounded(400)) : int(rng.bounded(1200));
            const KillAttempt run = runAndKill(importArguments(dir.path(), kWhat),
                                               sandboxEnvironment(*box), onLine({phase}), extraMs);
            QVERIFY2(run.outcome != KillAttempt::Broken, run.err.constData());
            if (run.outcome == KillAttempt::FinishedByItself) {
                ++finishedByThemselves;
                QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData());
                continue;
            }
            ++killed;
            ++(inRead ? duringRead : duringWrites);
            // Writes caught in flight leave their intents in the journal for the next run.
            const int pending = pendingIntents(dir.path());
            QVERIFY(pending >= 0);
            if (pending > 0)
                ++killsWithWritesInFlight;
            // Never a duplicate, even between kills.
            const HaloState now = haloState(*box);
            for (auto it = now.hubspotIds.cbegin(); it != now.hubspotIds.cend(); ++it)
                QVERIFY2(it.value() == 1, qPrintable(it.key()));
        }

        const qint64 beforeFinal = haloState(*box).customers;
        const QString reportPath = dir.filePath(QStringLiteral("final.json"));
        const Run last =
            runImport(*box, dir.path(), kWhat, {QStringLiteral("--report"), reportPath});
        QVERIFY2(last.exitCode == 0, qPrintable(describeRun(last)));
        qInfo("kills: %d (%d while reading Halo, %d while importing; %d left intents of writes in "
              "flight), runs that finished before their kill: %d; customers before the final "
              "run: %lld of %lld; final run: exit %d; %lld ms in all",
              killed, duringRead, duringWrites, killsWithWritesInFlight, finishedByThemselves,
              beforeFinal, expected.customers, last.exitCode, clock.elapsed());
        QCOMPARE(killed, kKills);
        QVERIFY(duringRead > 0 && duringWrites > 0);

        // The same customers as after the clean run, by normalized name; as many of them carry a
        // hubspot_id, each one once and each the ID of a company of that name. Which of several
        // same-named companies gets the customer may differ from the clean run (a tie the order
        // of settling decides); that is counted and shown, not failed.
        const HaloState got = haloState(*box);
        QCOMPARE(got.customers, expected.customers);
        QCOMPARE(got.names.size(), expected.names.size());
        for (auto it = expected.names.cbegin(); it != expected.names.cend(); ++it)
            QVERIFY2(got.names.value(it.key()) == it.value(), qPrintable(it.key()));
        QCOMPARE(got.hubspotIds.size(), expected.hubspotIds.size());
        QCOMPARE(got.linkedPerName, expected.linkedPerName);
        const qint64 base = sandbox::HubSpotStore::baseId(sandbox::ObjectKind::Company);
        int otherTwin = 0;
        for (auto it = got.hubspotIds.cbegin(); it != got.hubspotIds.cend(); ++it) {
            QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("twice: %1").arg(it.key())));
            const QString companyName =
                core::normalizeName(box->generator()
                                        .company(it.key().toLongLong() - base)
                                        .value(QStringLiteral("name")));
            QVERIFY2(companyName == got.nameOfHubSpotId.value(it.key()),
                     qPrintable(QStringLiteral("%1 on a customer named %2")
                                    .arg(it.key(), got.nameOfHubSpotId.value(it.key()))));
            if (!expected.hubspotIds.contains(it.key()))
                ++otherTwin;
        }
        qInfo("customers given to another of several same-named companies than in the clean "
              "run: %d",
              otherTwin);

        // The final report: one item per company; every company that is not ambiguous or
        // skipped has its customer, and that customer carries its hubspot_id.
        QFile file(reportPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray items = report.value(QStringLiteral("items")).toArray();
        QCOMPARE(qint64(items.size()), kCompanies);
        QCOMPARE(report.value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("read"))
                     .toInteger(),
                 kCompanies);
        for (const QJsonValue &v : items) {
            const QJsonObject item = v.toObject();
            const QString action = item.value(QStringLiteral("action")).toString();
            QVERIFY2(action != QLatin1String("failed"),
                     QJsonDocument(item).toJson(QJsonDocument::Compact).constData());
            if (action == QLatin1String("ambiguous") || action == QLatin1String("skipped"))
                continue;
            const int haloId = item.value(QStringLiteral("halo_id")).toInt();
            const sandbox::HaloClientRec *c = box->halo().store().client(haloId);
            QVERIFY2(c, QJsonDocument(item).toJson(QJsonDocument::Compact).constData());
        }
    }

private:
    static void prepare(sandbox::Sandbox &box, const QString &dataDir)
    {
        saveProfileIn(dataDir, sandboxProfile(box));
    }
};

QTEST_GUILESS_MAIN(TestImportCrash)
#include "tst_importcrash.moc"
