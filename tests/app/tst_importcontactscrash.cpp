// The crash test of `halospot import contacts`: the companies imported once cleanly, a dry run of
// the contacts (what the import should do, and how long a run takes), then the real binary
// (secrets from the environment) killed with SIGKILL 22 times - within 150 ms of a write reaching
// Halo (so the run dies with writes in flight), anywhere from its start (mostly while Halo's
// customers and users are read), or while contacts stream in - and run again after each kill,
// then once to the end. Between kills and at the end Halo never holds a HubSpot contact twice nor
// an e-mail address twice at one customer; at the end it holds exactly what the dry run
// announced: a user for each contact it would create, update or leave unchanged, no other new
// user (each carries its contact's ID), and the final report accounts for every contact once,
// as announced (created, updated and unchanged alike, since killed runs did part of the work),
// but for records Halo refused, which no preview can know. The seed of the kill moments is
// printed so that a failure can be repeated (HALOSPOT_CRASH_SEED=<seed>).
#include "CrashTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

using namespace halospot;
using namespace halospot::app::test;

namespace {

constexpr qint64 kCompanies = 250;
constexpr qint64 kContacts = 3000;
constexpr int kKills = 22;
constexpr quint64 kDataSeed = 29;

std::unique_ptr<sandbox::Sandbox> makeSandbox()
{
    sandbox::SandboxOptions options;
    options.data.companies = kCompanies;
    options.data.contacts = kContacts;
    options.data.seed = kDataSeed;
    options.haloWindowMax = 100000;
    options.hubspot.burstMax = 100000;
    auto box = std::make_unique<sandbox::Sandbox>(options);
    if (!box->start().ok())
        return nullptr;
    // Every reply takes a while, so that batches are surely in flight when a kill comes and a
    // run killed while importing has written only part of the users.
    sandbox::FaultRates slow;
    slow.latencyMs = 50;
    slow.jitterMs = 50;
    box->setFaultRates(slow);
    return box;
}

// What Halo holds of users: how many, which HubSpot contact IDs (with how many users each), and
// the duplicates a crash must never leave.
struct UserState
{
    qint64 users = 0;
    QSet<int> ids;
    QHash<QString, int> hubspotIds;
    QStringList duplicates; // "hubspot_id X twice", "a@b twice at customer N"
};

UserState userState(sandbox::Sandbox &box)
{
    UserState s;
    QHash<QString, int> emails;
    for (const sandbox::HaloUserRec &u : box.halo().store().userSlots()) {
        if (u.id == 0)
            continue;
        ++s.users;
        s.ids.insert(u.id);
        if (!u.hubspotId.isEmpty() && ++s.hubspotIds[u.hubspotId] == 2)
            s.duplicates << QStringLiteral("hubspot_id %1 twice").arg(u.hubspotId);
        if (u.email.isEmpty())
            continue;
        const QString key = QString::number(u.clientId) + QLatin1Char('/') + u.email.toCaseFolded();
        if (++emails[key] == 2) {
            s.duplicates << QStringLiteral("%1 twice at customer %2").arg(u.email).arg(u.clientId);
        }
    }
    return s;
}

bool hasUser(const QString &action)
{
    return action == QLatin1String("created") || action == QLatin1String("updated") ||
           action == QLatin1String("unchanged");
}

} // namespace

class TestImportContactsCrash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedAgainAndAgainLeavesWhatTheDryRunAnnounced()
    {
        QElapsedTimer clock;
        clock.start();
        QRandomGenerator rng(crashSeed());

        std::unique_ptr<sandbox::Sandbox> box = makeSandbox();
        QVERIFY(box);
        QTemporaryDir dir;
        prepare(*box, dir.path());
        if (QTest::currentTestFailed())
            return;
        const UserState atStart = userState(*box);
        QVERIFY2(atStart.duplicates.isEmpty(), qPrintable(atStart.duplicates.join(u'\n')));

        // What the import should do.
        const QString dryPath = dir.filePath(QStringLiteral("dry.json"));
        QElapsedTimer dryClock;
        dryClock.start();
        const Run dry =
            runImport(*box, dir.path(), QStringLiteral("contacts"),
                      {QStringLiteral("--dry-run"), QStringLiteral("--report"), dryPath});
        const qint64 dryMs = dryClock.elapsed();
        QVERIFY2(dry.exitCode == 0 || dry.exitCode == 1, qPrintable(describeRun(dry)));
        const QJsonObject dryReport = readJson(dryPath);
        const QJsonObject dryCounts = dryReport.value(QStringLiteral("counts")).toObject();
        QSet<QString> withUser;            // contacts the import leaves with a Halo user
        QHash<QString, QString> announced; // hubspot_id -> the dry run's action
        for (const QJsonValue &v : dryReport.value(QStringLiteral("items")).toArray()) {
            const QJsonObject item = v.toObject();
            const QString id = item.value(QStringLiteral("hubspot_id")).toString();
            announced.insert(id, item.value(QStringLiteral("action")).toString());
            if (hasUser(announced.value(id)))
                withUser.insert(id);
        }
        const qint64 toCreate = dryCounts.value(QStringLiteral("created")).toInteger();
        QVERIFY2(toCreate > 100, qPrintable(dry.out));
        qInfo("dry run: %lld ms; %lld to create, %lld contacts with a user in the end", dryMs,
              toCreate, qint64(withUser.size()));

        int killed = 0;
        int finishedByThemselves = 0;
        int killsWithWritesInFlight = 0;
        int anywhere = 0;  // kills anywhere from the start (mostly while Halo is read)
        int importing = 0; // kills while contacts stream in
        int writing = 0;   // kills just after Halo received a write
        // While users remain to be created, two thirds of the kills come within 150 ms of a
        // write reaching Halo, so that each such run dies with writes in flight after writing a
        // little; the others (and all once everything is written) come anywhere in the run, from
        // its start to about as long as the latest whole run took (a first guess: twice the dry
        // run), or within 1.5 s of the "Importing contacts" phase.
        qint64 window = 2 * dryMs;
        // Runs that end before their kill moment do not count; a bounded number of tries.
        for (int attempt = 0; killed < kKills && attempt < 3 * kKills; ++attempt) {
            const qint64 users = box->halo().userCount();
            const bool left = users < atStart.users + toCreate;
            const quint32 roll = rng.bounded(3);
            enum
            {
                Anywhere,
                Importing,
                Writing
            } mode = left && roll > 0 ? Writing
                     : roll == 0      ? Anywhere
                                      : Importing;
            KillTrigger trigger;
            int extraMs = 0;
            switch (mode) {
            case Anywhere:
                trigger = onLine({QByteArrayLiteral("Importing contacts.")}); // the banner
                extraMs = int(rng.bounded(quint32(qMax<qint64>(window, 50))));
                break;
            case Importing: // the phase line has no full stop
                trigger = onLine({QByteArrayLiteral("Importing contacts\n"),
                                  QByteArrayLiteral("Importing contacts:")});
                extraMs = int(rng.bounded(1500));
                break;
            case Writing:
                trigger = [&box, users](const QByteArray &) {
                    return box->halo().userCount() > users;
                };
                extraMs = int(rng.bounded(150));
                break;
            }
            const KillAttempt run =
                runAndKill(importArguments(dir.path(), QStringLiteral("contacts")),
                           sandboxEnvironment(*box), trigger, extraMs, 60000);
            QVERIFY2(run.outcome != KillAttempt::Broken, run.err.constData());
            if (run.outcome == KillAttempt::FinishedByItself) {
                ++finishedByThemselves;
                QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData());
                window = run.elapsedMs;
                continue;
            }
            ++killed;
            ++(mode == Anywhere ? anywhere : mode == Importing ? importing : writing);
            // Writes caught in flight leave their intents in the journal for the next run.
            const int pending = pendingIntents(dir.path());
            QVERIFY(pending >= 0);
            if (pending > 0)
                ++killsWithWritesInFlight;
            qInfo("kill %d: %s +%d ms, %d intents left, %lld users", killed,
                  mode == Anywhere    ? "anywhere"
                  : mode == Importing ? "importing"
                                      : "writing",
                  extraMs, pending, box->halo().userCount());
            // Never a duplicate, even between kills.
            const UserState now = userState(*box);
            QVERIFY2(now.duplicates.isEmpty(),
                     qPrintable(QStringLiteral("after kill %1: %2")
                                    .arg(killed)
                                    .arg(now.duplicates.join(QStringLiteral("; ")))));
        }

        const qint64 beforeFinal = userState(*box).users;
        const QString reportPath = dir.filePath(QStringLiteral("final.json"));
        const Run last = runImport(*box, dir.path(), QStringLiteral("contacts"),
                                   {QStringLiteral("--report"), reportPath});
        qInfo("kills: %d (%d anywhere, %d while importing, %d just after a write; %d left "
              "intents of writes in flight), runs that finished before their kill: %d; users at "
              "the start %lld, before the final run %lld, announced %lld; final run: exit %d; "
              "%lld ms in all",
              killed, anywhere, importing, writing, killsWithWritesInFlight, finishedByThemselves,
              atStart.users, beforeFinal, atStart.users + toCreate, last.exitCode, clock.elapsed());
        QCOMPARE(killed, kKills);
        QVERIFY(writing > 0 && anywhere + importing > 0);

        // The final report: every contact once, as the dry run announced it - created, updated
        // or unchanged alike, since earlier runs did part of the work - except for records Halo
        // refused, which no preview can know. Each contact with a user names an existing user
        // that carries its ID (or none, for a user matched by e-mail that Halo refused to update).
        const QJsonObject report = readJson(reportPath);
        const QJsonArray items = report.value(QStringLiteral("items")).toArray();
        QCOMPARE(qint64(items.size()), kContacts);
        const QJsonObject counts = report.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("read")).toInteger(), kContacts);
        const qint64 failed = counts.value(QStringLiteral("failed")).toInteger();
        QVERIFY2(last.exitCode == (failed > 0 ? 1 : 0), qPrintable(describeRun(last)));
        QSet<QString> seen;
        qint64 refused = 0;
        qint64 refusedCreations = 0;
        for (const QJsonValue &v : items) {
            const QJsonObject item = v.toObject();
            const QByteArray what = QJsonDocument(item).toJson(QJsonDocument::Compact);
            const QString id = item.value(QStringLiteral("hubspot_id")).toString();
            QVERIFY2(!seen.contains(id), what.constData());
            seen.insert(id);
            const QString action = item.value(QStringLiteral("action")).toString();
            const QString before = announced.value(id);
            const bool user = hasUser(action);
            if (user != hasUser(before) || (!user && action != before)) {
                QVERIFY2(
                    action == QLatin1String("failed") &&
                        (before == QLatin1String("created") ||
                         before == QLatin1String("updated")) &&
                        item.value(QStringLiteral("reason"))
                            .toString()
                            .contains(QStringLiteral("Halo refused")),
                    qPrintable(
                        QStringLiteral("announced %1: %2").arg(before, QString::fromUtf8(what))));
                ++refused;
                if (before == QLatin1String("created"))
                    ++refusedCreations;
                continue;
            }
            if (!user)
                continue;
            const sandbox::HaloUserRec *rec =
                box->halo().store().user(item.value(QStringLiteral("halo_id")).toInt());
            QVERIFY2(rec, what.constData());
            QVERIFY2(rec->hubspotId.isEmpty() || rec->hubspotId == id, what.constData());
        }
        QCOMPARE(failed, dryCounts.value(QStringLiteral("failed")).toInteger() + refused);
        for (const char *key : {"filtered_out", "skipped", "ambiguous"})
            QCOMPARE(counts.value(QLatin1String(key)).toInteger(),
                     dryCounts.value(QLatin1String(key)).toInteger());
        qInfo("records Halo refused (announced as created or updated): %lld", refused);

        // No duplicates; exactly the users announced, each new one carrying its contact's ID.
        const UserState got = userState(*box);
        QVERIFY2(got.duplicates.isEmpty(), qPrintable(got.duplicates.join(u'\n')));
        QCOMPARE(got.users, atStart.users + toCreate - refusedCreations);
        for (auto it = got.hubspotIds.cbegin(); it != got.hubspotIds.cend(); ++it)
            QVERIFY2(withUser.contains(it.key()), qPrintable(it.key()));
        for (const sandbox::HaloUserRec &u : box->halo().store().userSlots()) {
            if (u.id != 0 && !atStart.ids.contains(u.id))
                QVERIFY2(!u.hubspotId.isEmpty(), qPrintable(u.email));
        }
    }

private:
    // The profile (every company stage but two, whose companies' contacts go to a default site)
    // and the companies imported cleanly: this test kills contact imports only.
    static void prepare(sandbox::Sandbox &box, const QString &dataDir)
    {
        const int client = box.halo().addClient(QStringLiteral("Web leads"));
        QVERIFY(client > 0);
        core::Profile p = sandboxProfile(box);
        p.companies.lifecycleStages.removeAll(QStringLiteral("subscriber"));
        p.companies.lifecycleStages.removeAll(QStringLiteral("lead"));
        p.contacts.include = core::ContactInclude::CompanyContacts;
        p.contacts.defaultSiteId = box.halo().store().client(client)->mainSiteId;
        saveProfileIn(dataDir, p);
        if (QTest::currentTestFailed())
            return;
        const Run companies = runImport(box, dataDir, QStringLiteral("companies"));
        QVERIFY2(companies.exitCode == 0, qPrintable(describeRun(companies)));
    }
    static QJsonObject readJson(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }
};

QTEST_GUILESS_MAIN(TestImportContactsCrash)
#include "tst_importcontactscrash.moc"
