// Tests for the Store's typed API (settings, cursors, links, runs, write intents) on a real
// SQLite file.
#include "Store.h"
#include "StoreTestSupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace halospot;
using namespace halospot::core;
using namespace halospot::core::testing;

class TestStoreRecords final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void settingsCursorsAndLinks();
    void severalSettingsAtOnce();
    void pendingWritesJournal();
    void recordBatchIsAllOrNothing();
    void linkCountsAndRecentRuns();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString dbPath() const { return m_dir->filePath(QStringLiteral("data/halospot.db")); }
};

void TestStoreRecords::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestStoreRecords::settingsCursorsAndLinks()
{
    Store store(dbPath());
    QVERIFY(store.open().ok());
    QCOMPARE(store.setting(QStringLiteral("missing"), QStringLiteral("dflt")).value(),
             QStringLiteral("dflt"));
    // Values with quotes and SQL in them are data, not SQL.
    const QString tricky = QStringLiteral("x'); DROP TABLE settings; --");
    QVERIFY(store.setSetting(QStringLiteral("a"), tricky).ok());
    QVERIFY(store.setSetting(QStringLiteral("a"), tricky + QStringLiteral("2")).ok());
    QCOMPARE(store.setting(QStringLiteral("a")).value(), tricky + QStringLiteral("2"));
    QCOMPARE(count(store, QStringLiteral("settings")), 1);
    // A null QString is stored as an empty value, not rejected as SQL NULL.
    QVERIFY(store.setSetting(QStringLiteral("empty"), QString()).ok());
    QCOMPARE(store.setting(QStringLiteral("empty"), QStringLiteral("dflt")).value(), QString());

    QVERIFY(store.cursor(QStringLiteral("companies")).value().isEmpty());
    QVERIFY(store.setCursor(QStringLiteral("companies"), QStringLiteral("2026-01-01T00:00Z")).ok());
    QVERIFY(store.setCursor(QStringLiteral("companies"), QStringLiteral("2026-02-01T00:00Z")).ok());
    QCOMPARE(store.cursor(QStringLiteral("companies")).value(),
             QStringLiteral("2026-02-01T00:00Z"));
    QCOMPARE(count(store, QStringLiteral("cursors")), 1);

    QVERIFY(store.upsertLink(link(Entity::Company, QStringLiteral("100"), 1)).ok());
    QVERIFY(store.upsertLink(link(Entity::Company, QStringLiteral("101"), 1)).ok());
    QVERIFY(store.upsertLink(link(Entity::Contact, QStringLiteral("100"), 5)).ok());
    Link moved = link(Entity::Company, QStringLiteral("100"), 2);
    moved.base = QJsonObject{{QStringLiteral("name"), QStringLiteral("Acme Ltd")}};
    QVERIFY(store.upsertLink(moved).ok()); // same HubSpot record, relinked
    QCOMPARE(count(store, QStringLiteral("links")), 3);

    const auto company = store.findLinkByHubSpotId(Entity::Company, QStringLiteral("100"));
    QVERIFY(company.ok() && company.value().has_value());
    QCOMPARE(company.value()->haloId, 2);
    QCOMPARE(company.value()->base.value(QStringLiteral("name")).toString(),
             QStringLiteral("Acme Ltd"));
    QCOMPARE(store.findLinkByHubSpotId(Entity::Contact, QStringLiteral("100")).value()->haloId, 5);
    QVERIFY(!store.findLinkByHubSpotId(Entity::Contact, QStringLiteral("999")).value().has_value());

    const auto byHalo = store.findLinksByHaloId(Entity::Company, 1);
    QVERIFY(byHalo.ok());
    QCOMPARE(byHalo.value().size(), 1);
    QCOMPARE(byHalo.value().constFirst().hubspotId, QStringLiteral("101"));
    QVERIFY(store.findLinksByHaloId(Entity::Contact, 1).value().isEmpty());
}

void TestStoreRecords::severalSettingsAtOnce()
{
    Store store(dbPath());
    QVERIFY(store.open().ok());
    QVERIFY(store.setSetting(QStringLiteral("a"), QStringLiteral("old")).ok());
    QVERIFY(store
                .setSettings({{QStringLiteral("a"), QStringLiteral("new")},
                              {QStringLiteral("b"), QStringLiteral("{\"x\": 1}")},
                              {QStringLiteral("c"), QString()}})
                .ok());
    QCOMPARE(store.setting(QStringLiteral("a")).value(), QStringLiteral("new"));
    QCOMPARE(store.setting(QStringLiteral("b")).value(), QStringLiteral("{\"x\": 1}"));
    QCOMPARE(store.setting(QStringLiteral("c"), QStringLiteral("dflt")).value(), QString());
    QCOMPARE(count(store, QStringLiteral("settings")), 3);
    QVERIFY(store.setSettings({}).ok());

    // A closed store writes nothing and says so.
    Store closed(m_dir->filePath(QStringLiteral("other.db")));
    QVERIFY(!closed.setSettings({{QStringLiteral("a"), QStringLiteral("x")}}).ok());
}

void TestStoreRecords::pendingWritesJournal()
{
    Store store(dbPath());
    QVERIFY(store.open().ok());
    const auto ids = store.addPendingWrites(
        {intent(QStringLiteral("1")), intent(QStringLiteral("2")), intent(QStringLiteral("3"))});
    QVERIFY2(ids.ok(), qPrintable(ids.error()));
    QCOMPARE(ids.value().size(), 3);

    // A second intent for a record that already has one is refused, and the whole call with it.
    const auto again = store.addPendingWrites(
        {intent(QStringLiteral("4"), QStringLiteral("b2")), intent(QStringLiteral("2"))});
    QVERIFY(!again.ok());
    QVERIFY2(again.error().contains(QStringLiteral("UNIQUE")), qPrintable(again.error()));

    auto pending = store.pendingWrites();
    QVERIFY(pending.ok());
    QCOMPARE(pending.value().size(), 3);
    const PendingWrite &first = pending.value().constFirst();
    QCOMPARE(first.id, ids.value().constFirst());
    QCOMPARE(first.sourceId, QStringLiteral("1"));
    QCOMPARE(first.batchId, QStringLiteral("b1"));
    QCOMPARE(first.target, WriteTarget::Halo);
    QCOMPARE(first.naturalKey, QStringLiteral("Acme 1"));
    QCOMPARE(first.payload.value(QStringLiteral("name")).toString(), QStringLiteral("Acme 1"));
    QVERIFY(first.createdAt.isValid());

    QVERIFY(store.clearPendingWrites({ids.value().at(0), ids.value().at(2)}).ok());
    pending = store.pendingWrites();
    QCOMPARE(pending.value().size(), 1);
    QCOMPARE(pending.value().constFirst().sourceId, QStringLiteral("2"));
}

void TestStoreRecords::recordBatchIsAllOrNothing()
{
    Store store(dbPath());
    QVERIFY(store.open().ok());
    const qint64 runId = store.beginRun(QStringLiteral("companies")).value();
    const QList<qint64> ids =
        store.addPendingWrites({intent(QStringLiteral("1")), intent(QStringLiteral("2"))}).value();

    // The results point at a run that does not exist: nothing of the batch may be kept.
    const Status bad =
        store.recordBatch(runId + 100, {link(Entity::Company, QStringLiteral("1"), 8)},
                          {item(QStringLiteral("1"))}, ids);
    QVERIFY(!bad.ok());
    QCOMPARE(count(store, QStringLiteral("links")), 0);
    QCOMPARE(store.pendingWrites().value().size(), 2);

    const Status good = store.recordBatch(runId, {link(Entity::Company, QStringLiteral("1"), 8)},
                                          {item(QStringLiteral("1"))}, {ids.at(0)});
    QVERIFY2(good.ok(), qPrintable(good.error()));
    QCOMPARE(count(store, QStringLiteral("links")), 1);
    QCOMPARE(store.run(runId).value().itemCount, 1);
    QCOMPARE(store.pendingWrites().value().size(), 1);
    QVERIFY(store.finishRun(runId, QStringLiteral("completed")).ok());
    QVERIFY(!store.finishRun(runId + 100, QStringLiteral("completed")).ok());
}

void TestStoreRecords::linkCountsAndRecentRuns()
{
    Store store(dbPath());
    QVERIFY(store.open().ok());
    QCOMPARE(store.linkCount(Entity::Company).value(), 0);
    QVERIFY(store.recentRuns(5).value().isEmpty());

    QVERIFY(store.upsertLink(link(Entity::Company, QStringLiteral("1"), 1)).ok());
    QVERIFY(store.upsertLink(link(Entity::Company, QStringLiteral("2"), 1)).ok());
    QVERIFY(store.upsertLink(link(Entity::Company, QStringLiteral("2"), 3)).ok()); // relinked
    QVERIFY(store.upsertLink(link(Entity::Contact, QStringLiteral("1"), 9)).ok());
    QCOMPARE(store.linkCount(Entity::Company).value(), 2);
    QCOMPARE(store.linkCount(Entity::Contact).value(), 1);

    QList<qint64> ids;
    for (const char *kind : {"companies", "contacts", "sync"})
        ids.append(store.beginRun(QString::fromLatin1(kind), kind[0] == 's').value());
    const QJsonObject counts{{QStringLiteral("created"), 2}};
    QVERIFY(store.finishRun(ids.at(0), QStringLiteral("completed"), counts).ok());
    QVERIFY(store.addRunItems(ids.at(1), {item(QStringLiteral("1"))}).ok());

    // Newest first (runs started in the same millisecond fall back to the ID), and the limit holds.
    const auto two = store.recentRuns(2);
    QVERIFY2(two.ok(), qPrintable(two.error()));
    QCOMPARE(two.value().size(), 2);
    QCOMPARE(two.value().at(0).id, ids.at(2));
    QCOMPARE(two.value().at(0).kind, QStringLiteral("sync"));
    QVERIFY(two.value().at(0).dryRun);
    QCOMPARE(two.value().at(0).status, QStringLiteral("running"));
    QCOMPARE(two.value().at(1).id, ids.at(1));
    QCOMPARE(two.value().at(1).itemCount, 1);
    const auto all = store.recentRuns(10).value();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(2).status, QStringLiteral("completed"));
    QCOMPARE(all.at(2).counts, counts);
    QVERIFY(all.at(2).finishedAt.isValid());
    QVERIFY(store.recentRuns(0).value().isEmpty());
}

QTEST_GUILESS_MAIN(TestStoreRecords)
#include "tst_storerecords.moc"
