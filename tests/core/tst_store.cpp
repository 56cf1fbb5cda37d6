// Tests for the Store itself: creating, reopening, migrating and refusing files, and threads;
// real SQLite files in a temporary folder, real threads.
#include "Store.h"
#include "StoreTestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <thread>

using namespace halospot;
using namespace halospot::core;
using namespace halospot::core::testing;

class TestStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void freshCreate();
    void reopenKeepsData();
    void migratesFromEachOlderVersion_data();
    void migratesFromEachOlderVersion();
    void futureVersionIsRefusedUntouched();
    void foreignDatabaseIsRefused();
    void garbageFileIsAClearError();
    void damagedFileIsAClearError();
    void unreadableFileIsAClearError();
    void directoryAtPathIsAClearError();
    void failedMigrationRollsBack();
    void foreignKeysAreEnforced();
    void twoThreadsWriteAtOnce();
    void connectionsArePerThreadAndRemoved();
    void notOpenIsAnError();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString dbPath() const { return m_dir->filePath(QStringLiteral("data/halospot.db")); }
};

void TestStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestStore::freshCreate()
{
    Store store(dbPath());
    const Status status = store.open();
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QVERIFY(QFile::exists(dbPath())); // the missing "data" folder was created
    QCOMPARE(store.version(), Store::schemaVersion());
    QVERIFY(Store::schemaVersion() >= 3);

    for (const QString &table : kAllTables)
        QVERIFY2(tableExists(dbPath(), table), qPrintable(table));
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA user_version")).toInt(),
             Store::schemaVersion());
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA application_id")).toInt(),
             Store::applicationId);

    QSqlDatabase db = store.connection();
    QVERIFY(db.isOpen());
    QSqlQuery q(db);
    QVERIFY(q.prepare(QStringLiteral("PRAGMA journal_mode")) && q.exec() && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    QVERIFY(q.prepare(QStringLiteral("PRAGMA foreign_keys")) && q.exec() && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QVERIFY(q.prepare(QStringLiteral("PRAGMA busy_timeout")) && q.exec() && q.next());
    QCOMPARE(q.value(0).toInt(), Store::busyTimeoutMs);
    QVERIFY(q.prepare(QStringLiteral("PRAGMA synchronous")) && q.exec() && q.next());
    QCOMPARE(q.value(0).toInt(), 1); // NORMAL
}

void TestStore::reopenKeepsData()
{
    qint64 runId = 0;
    {
        Store store(dbPath());
        QVERIFY(store.open().ok());
        QVERIFY(store.setSetting(QStringLiteral("halo.url"), QStringLiteral("https://x")).ok());
        QVERIFY(store.upsertLink(link(Entity::Contact, QStringLiteral("501"), 9)).ok());
        const Result<qint64> run = store.beginRun(QStringLiteral("contacts"));
        QVERIFY(run.ok());
        runId = run.value();
        QVERIFY(store.addRunItems(runId, {item(QStringLiteral("501"))}).ok());
        QVERIFY(store
                    .finishRun(runId, QStringLiteral("completed"),
                               QJsonObject{{QStringLiteral("created"), 1}})
                    .ok());
    }
    Store store(dbPath());
    QVERIFY(store.open().ok());
    QCOMPARE(store.setting(QStringLiteral("halo.url")).value(), QStringLiteral("https://x"));
    const auto found = store.findLinkByHubSpotId(Entity::Contact, QStringLiteral("501"));
    QVERIFY(found.ok() && found.value().has_value());
    QCOMPARE(found.value()->haloId, 9);
    QCOMPARE(found.value()->base.value(QStringLiteral("name")).toString(), QStringLiteral("Acme"));
    QVERIFY(found.value()->syncedAt.isValid());
    const Result<RunRecord> run = store.run(runId);
    QVERIFY2(run.ok(), qPrintable(run.error()));
    QCOMPARE(run->kind, QStringLiteral("contacts"));
    QCOMPARE(run->status, QStringLiteral("completed"));
    QCOMPARE(run->itemCount, 1);
    QCOMPARE(run->counts.value(QStringLiteral("created")).toInt(), 1);
    QVERIFY(run->finishedAt.isValid());
    QVERIFY(run->startedAt <= run->finishedAt);
}

void TestStore::migratesFromEachOlderVersion_data()
{
    QTest::addColumn<int>("from");
    for (int v = 1; v < Store::schemaVersion(); ++v)
        QTest::addRow("from v%d", v) << v;
}

void TestStore::migratesFromEachOlderVersion()
{
    QFETCH(int, from);
    qint64 runId = 0;
    {
        Store old(dbPath());
        const Status status = old.open(from);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QCOMPARE(old.version(), from);
        QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA user_version")).toInt(), from);
        if (from < 3)
            QVERIFY(!tableExists(dbPath(), QStringLiteral("cursors"))); // a v3 table
        if (from < 4)
            QVERIFY(!tableExists(dbPath(), QStringLiteral("catalog_lists"))); // a v4 table
        // Data of every table this version has.
        QVERIFY(old.setSetting(QStringLiteral("k"), QStringLiteral("v")).ok());
        QVERIFY(old.upsertLink(link(Entity::Company, QStringLiteral("11"), 22)).ok());
        runId = old.beginRun(QStringLiteral("companies")).value();
        QVERIFY(old.addRunItems(runId, {item(QStringLiteral("11"))}).ok());
        if (from >= 2) {
            QVERIFY(old.addPendingWrites({intent(QStringLiteral("11"))}).ok());
            QSqlQuery q(old.connection());
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO customer_mappings (hubspot_company_id,"
                                             " halo_client_id) VALUES (?, ?)")));
            q.addBindValue(QStringLiteral("11"));
            q.addBindValue(45);
            QVERIFY(q.exec());
        } else {
            QVERIFY(!tableExists(dbPath(), QStringLiteral("pending_writes")));
        }
    }

    Store store(dbPath());
    const Status status = store.open();
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QCOMPARE(store.version(), Store::schemaVersion());
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA user_version")).toInt(),
             Store::schemaVersion());
    for (const QString &table : kAllTables)
        QVERIFY2(tableExists(dbPath(), table), qPrintable(table));

    QCOMPARE(store.setting(QStringLiteral("k")).value(), QStringLiteral("v"));
    QCOMPARE(store.findLinksByHaloId(Entity::Company, 22).value().size(), 1);
    QCOMPARE(store.run(runId).value().itemCount, 1);
    QCOMPARE(store.pendingWrites().value().size(), from >= 2 ? 1 : 0);
    QCOMPARE(count(store, QStringLiteral("customer_mappings")), from >= 2 ? 1 : 0);
    // The upgraded file works for the newest tables too.
    QVERIFY(store.addPendingWrites({intent(QStringLiteral("12"))}).ok());
}

void TestStore::futureVersionIsRefusedUntouched()
{
    {
        Store store(dbPath());
        QVERIFY(store.open().ok());
        QVERIFY(store.setSetting(QStringLiteral("k"), QStringLiteral("v")).ok());
    }
    // As if a newer HaloSpot had written it, in the rollback journal mode.
    QVERIFY(rawExec(dbPath(), QStringLiteral("PRAGMA journal_mode = DELETE")));
    QVERIFY(rawExec(dbPath(), QStringLiteral("PRAGMA user_version = 99")));

    Store store(dbPath());
    const Status status = store.open();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("newer version of HaloSpot")),
             qPrintable(status.error()));
    QVERIFY(status.error().contains(QDir::toNativeSeparators(dbPath())));
    QVERIFY(!store.isOpen());
    QVERIFY(!store.connection().isValid());

    QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA user_version")).toInt(), 99);
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA journal_mode")).toString(),
             QStringLiteral("delete"));
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("SELECT value FROM settings")).toString(),
             QStringLiteral("v"));
}

void TestStore::foreignDatabaseIsRefused()
{
    QVERIFY(QDir().mkpath(QFileInfo(dbPath()).absolutePath()));
    QVERIFY(rawExec(dbPath(), QStringLiteral("CREATE TABLE settings (a, b, c)")));
    Store store(dbPath());
    const Status status = store.open();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("not a HaloSpot database")),
             qPrintable(status.error()));
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA user_version")).toInt(), 0);
}

void TestStore::garbageFileIsAClearError()
{
    QVERIFY(QDir().mkpath(QFileInfo(dbPath()).absolutePath()));
    QFile file(dbPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray garbage;
    for (int i = 0; i < 512; ++i)
        garbage += "This is not an SQLite database. ";
    file.write(garbage);
    file.close();

    Store store(dbPath());
    const Status status = store.open();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("damaged or not a database file")),
             qPrintable(status.error()));
    QVERIFY(status.error().contains(QDir::toNativeSeparators(dbPath())));
    QVERIFY(status.error().contains(QStringLiteral("Move it aside")));
    QVERIFY(!store.isOpen());
    // Nothing was written to it, and HaloSpot let go of it.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), garbage);
    QVERIFY(!QFile::exists(dbPath() + QStringLiteral("-wal")));
    QVERIFY(!store.setSetting(QStringLiteral("k"), QStringLiteral("v")).ok());
}

void TestStore::damagedFileIsAClearError()
{
    {
        Store store(dbPath());
        QVERIFY(store.open().ok());
        QVERIFY(store.setSetting(QStringLiteral("k"), QStringLiteral("v")).ok());
    } // the last connection closing folds the WAL back into the file
    QVERIFY(!QFile::exists(dbPath() + QStringLiteral("-wal")));
    // Keep the 100-byte header (so it still looks like SQLite) and wreck the schema page after it.
    QFile file(dbPath());
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.size() > 4096);
    QVERIFY(file.seek(100));
    file.write(QByteArray(4096 - 100, char(0x5a)));
    file.close();

    Store store(dbPath());
    const Status status = store.open();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("damaged or not a database file")),
             qPrintable(status.error()));
    QVERIFY(!store.isOpen());
}

void TestStore::unreadableFileIsAClearError()
{
    {
        Store store(dbPath());
        QVERIFY(store.open().ok());
    }
    QFile file(dbPath());
    QVERIFY(file.setPermissions(QFileDevice::Permissions()));
    const auto restore =
        qScopeGuard([&] { file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); });
    if (file.open(QIODevice::ReadOnly))
        QSKIP("Running with privileges that ignore file permissions (root); "
              "directoryAtPathIsAClearError covers an unopenable path instead.");

    Store store(dbPath());
    const Status status = store.open();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("could not open or read")),
             qPrintable(status.error()));
    QVERIFY(status.error().contains(QDir::toNativeSeparators(dbPath())));
}

void TestStore::directoryAtPathIsAClearError()
{
    QVERIFY(QDir().mkpath(dbPath()));
    Store store(dbPath());
    const Status status = store.open();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("is a folder, not a file")),
             qPrintable(status.error()));
    QVERIFY(!store.isOpen());

    // A path below a regular file cannot be created either.
    const QString blocker = m_dir->filePath(QStringLiteral("blocker"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    Store below(blocker + QStringLiteral("/sub/halospot.db"));
    const Status belowStatus = below.open();
    QVERIFY(!belowStatus.ok());
    QVERIFY2(belowStatus.error().contains(QStringLiteral("could not create the folder")),
             qPrintable(belowStatus.error()));
}

void TestStore::failedMigrationRollsBack()
{
    {
        Store store(dbPath());
        QVERIFY(store.open().ok());
    }
    QList<Migration> broken = Store::migrations();
    const int next = Store::schemaVersion() + 1;
    broken.append(Migration{next,
                            {QStringLiteral("CREATE TABLE half_made (x INTEGER)"),
                             QStringLiteral("INSERT INTO settings (key, value) VALUES ('m', 'x')"),
                             QStringLiteral("INSERT INTO no_such_table VALUES (1)")}});
    {
        Store store(dbPath(), broken);
        const Status status = store.open();
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QStringLiteral("schema version %1").arg(next)),
                 qPrintable(status.error()));
        QVERIFY2(status.error().contains(QStringLiteral("no_such_table")),
                 qPrintable(status.error()));
        QVERIFY(!store.isOpen());
    }
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("PRAGMA user_version")).toInt(),
             Store::schemaVersion());
    QVERIFY(!tableExists(dbPath(), QStringLiteral("half_made")));
    QCOMPARE(rawScalar(dbPath(), QStringLiteral("SELECT count(*) FROM settings")).toInt(), 0);

    // A fresh file with a broken step keeps the steps before it, each being its own transaction.
    const QString other = m_dir->filePath(QStringLiteral("other.db"));
    {
        Store store(other, broken);
        QVERIFY(!store.open().ok());
    }
    QCOMPARE(rawScalar(other, QStringLiteral("PRAGMA user_version")).toInt(),
             Store::schemaVersion());
    // And a list out of order is refused before touching anything.
    QList<Migration> unordered = Store::migrations();
    unordered.swapItemsAt(0, 1);
    Store bad(m_dir->filePath(QStringLiteral("third.db")), unordered);
    QVERIFY(!bad.open().ok());
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("third.db"))));
}

void TestStore::foreignKeysAreEnforced()
{
    Store store(dbPath());
    QVERIFY(store.open().ok());
    const Status status = store.addRunItems(424242, {item(QStringLiteral("1"))});
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("FOREIGN KEY")), qPrintable(status.error()));
    QCOMPARE(count(store, QStringLiteral("run_items")), 0);

    // Deleting a run takes its items with it; an intent tied to it survives, untied.
    const qint64 runId = store.beginRun(QStringLiteral("companies")).value();
    QVERIFY(store.addRunItems(runId, {item(QStringLiteral("1")), item(QStringLiteral("2"))}).ok());
    PendingWrite w = intent(QStringLiteral("1"));
    w.runId = runId;
    QVERIFY(store.addPendingWrites({w}).ok());
    QCOMPARE(count(store, QStringLiteral("run_items")), 2);
    QSqlQuery q(store.connection());
    QVERIFY(q.prepare(QStringLiteral("DELETE FROM runs WHERE id = ?")));
    q.addBindValue(runId);
    QVERIFY(q.exec());
    QCOMPARE(count(store, QStringLiteral("run_items")), 0);
    const auto pending = store.pendingWrites();
    QCOMPARE(pending.value().size(), 1);
    QCOMPARE(pending.value().constFirst().runId, 0);
}

void TestStore::twoThreadsWriteAtOnce()
{
    Store store(dbPath());
    QVERIFY(store.open().ok());

    constexpr int kRows = 1000;
    constexpr int kPerTransaction = 25; // many small transactions so the writers interleave
    std::atomic<int> ready = 0;

    struct Outcome
    {
        qint64 runId = 0;
        QStringList errors;
        QString connectionName;
    };
    auto writer = [&](Outcome *out, const QString &prefix) {
        // Both threads start writing together (std::latch is missing from some libc++ builds).
        ++ready;
        while (ready.load() < 2)
            std::this_thread::yield();
        out->connectionName = store.connection().connectionName();
        const Result<qint64> run = store.beginRun(prefix);
        if (!run) {
            out->errors.append(run.error());
            return;
        }
        out->runId = run.value();
        for (int done = 0; done < kRows; done += kPerTransaction) {
            QList<RunItem> items;
            for (int i = done; i < done + kPerTransaction; ++i)
                items.append(item(QStringLiteral("%1-%2").arg(prefix).arg(i)));
            if (const Status s = store.addRunItems(out->runId, items); !s)
                out->errors.append(s.error());
            if (const Status s = store.setSetting(prefix, QString::number(done)); !s)
                out->errors.append(s.error());
        }
    };

    Outcome a, b;
    // One Qt thread and one plain std::thread: both must get their own connection.
    std::unique_ptr<QThread> qtThread(
        QThread::create([&] { writer(&a, QStringLiteral("qthread")); }));
    qtThread->start();
    std::thread stdThread([&] { writer(&b, QStringLiteral("stdthread")); });
    QVERIFY(qtThread->wait(QDeadlineTimer(60000)));
    stdThread.join();

    QVERIFY2(a.errors.isEmpty(), qPrintable(a.errors.join(QLatin1Char('\n'))));
    QVERIFY2(b.errors.isEmpty(), qPrintable(b.errors.join(QLatin1Char('\n'))));
    QVERIFY(!a.connectionName.isEmpty());
    QVERIFY(!b.connectionName.isEmpty());
    QVERIFY(a.connectionName != b.connectionName);
    QVERIFY(a.connectionName != store.connection().connectionName());

    QCOMPARE(count(store, QStringLiteral("run_items")), 2 * kRows);
    QCOMPARE(store.run(a.runId).value().itemCount, kRows);
    QCOMPARE(store.run(b.runId).value().itemCount, kRows);
    QCOMPARE(store.setting(QStringLiteral("qthread")).value(),
             QString::number(kRows - kPerTransaction));

    // The threads' connections went away with the threads.
    QVERIFY(!QSqlDatabase::contains(a.connectionName));
    QVERIFY(!QSqlDatabase::contains(b.connectionName));
}

void TestStore::connectionsArePerThreadAndRemoved()
{
    QString name;
    {
        Store store(dbPath());
        QVERIFY(store.open().ok());
        name = store.connection().connectionName();
        QVERIFY(QSqlDatabase::contains(name));
        QCOMPARE(store.connection().connectionName(), name); // one per thread, reused

        // Two stores on one file in one thread do not share a connection.
        Store second(dbPath());
        QVERIFY(second.open().ok());
        QVERIFY(second.connection().connectionName() != name);
        QVERIFY(second.setSetting(QStringLiteral("from"), QStringLiteral("second")).ok());
        QCOMPARE(store.setting(QStringLiteral("from")).value(), QStringLiteral("second"));
    }
    QVERIFY(!QSqlDatabase::contains(name)); // removed when the owning Store went away
    for (const QString &n : QSqlDatabase::connectionNames())
        QVERIFY2(!n.startsWith(QStringLiteral("halospot.store.")), qPrintable(n));
}

void TestStore::notOpenIsAnError()
{
    Store store(dbPath());
    QVERIFY(!store.connection().isValid());
    const Status status = store.setSetting(QStringLiteral("k"), QStringLiteral("v"));
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("not open")), qPrintable(status.error()));
    QVERIFY(!store.setting(QStringLiteral("k")).ok());
    QVERIFY(!QFile::exists(dbPath()));
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
