// Tests for ProfileStore: the profile kept in a real store file, defaults when nothing is stored,
// a full round trip, validation of stored values and all-or-nothing saves.
#include "ConnectionConfig.h"
#include "ProfileStore.h"
#include "ProfileTestSupport.h"
#include "Store.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace halospot;
using namespace halospot::core;

class TestProfileStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_store = std::make_unique<Store>(m_dir->filePath(QStringLiteral("halospot.db")));
        QVERIFY(m_store->open().ok());
    }

    void freshStoreGivesDefaults()
    {
        const Result<Profile> loaded = loadProfile(*m_store);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        QCOMPARE(serializeProfile(loaded.value()), serializeProfile(Profile{}));
        QVERIFY(parseProfile(serializeProfile(loaded.value())).ok());
    }

    void fullProfileRoundTrips()
    {
        const Profile full = testing::fullProfile();
        const Status saved = saveProfile(*m_store, full);
        QVERIFY2(saved.ok(), qPrintable(saved.error()));
        const Result<Profile> loaded = loadProfile(*m_store);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        QCOMPARE(serializeProfile(loaded.value()), serializeProfile(full));
        QCOMPARE(loaded.value().companies, full.companies);
        QCOMPARE(loaded.value().sync, full.sync);

        // The connection part is the same one ConnectionConfig reads (auth, status, the window).
        const Result<ConnectionConfig> connection = ConnectionConfig::load(*m_store);
        QVERIFY(connection.ok());
        QCOMPARE(connection.value().halo.url, full.connection.halo.url);
        QCOMPARE(connection.value().hubspot.apiVersion, QStringLiteral("2026-03"));

        // Saving the defaults again replaces every section.
        QVERIFY(saveProfile(*m_store, Profile{}).ok());
        QCOMPARE(serializeProfile(loadProfile(*m_store).value()), serializeProfile(Profile{}));
    }

    void invalidProfileIsNotSaved()
    {
        QVERIFY(saveProfile(*m_store, testing::fullProfile()).ok());
        const QByteArray before = serializeProfile(loadProfile(*m_store).value());
        Profile bad = testing::fullProfile();
        bad.schedule.everyMinutes = 1; // below kMinScheduleMinutes
        bad.companies.lifecycleStages.clear();
        bad.connection.halo.clientId = QStringLiteral("changed");
        const Status saved = saveProfile(*m_store, bad);
        QVERIFY(!saved.ok());
        QVERIFY2(saved.error().contains(QLatin1String("schedule.every_minutes")),
                 qPrintable(saved.error()));
        QCOMPARE(serializeProfile(loadProfile(*m_store).value()), before);
    }

    void storedValuesAreValidated()
    {
        QVERIFY(m_store
                    ->setSetting(QStringLiteral("profile.sync"),
                                 QStringLiteral("{\"conflict\": \"whoever\"}"))
                    .ok());
        const Result<Profile> loaded = loadProfile(*m_store);
        QVERIFY(!loaded.ok());
        QVERIFY2(loaded.error().contains(QLatin1String("sync.conflict")),
                 qPrintable(loaded.error()));

        QVERIFY(m_store->setSetting(QStringLiteral("profile.sync"), QStringLiteral("[1")).ok());
        QVERIFY(!loadProfile(*m_store).ok());

        // A partial section keeps the defaults of what it does not name.
        QVERIFY(m_store
                    ->setSetting(QStringLiteral("profile.sync"),
                                 QStringLiteral("{\"max_archive_percent\": 40}"))
                    .ok());
        const Result<Profile> partial = loadProfile(*m_store);
        QVERIFY2(partial.ok(), qPrintable(partial.error()));
        QCOMPARE(partial.value().sync.maxArchivePercent, 40);
        QCOMPARE(partial.value().sync.conflict, ConflictPolicy::HubSpot);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
