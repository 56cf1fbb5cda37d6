// Tests SecretStore against the real OS keychain (gnome-keyring in a private D-Bus session in CI):
// round trips, overwrite, delete, not-found, independence of keys and services, async completion.
#include "SecretTestSupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace halospot::api;
using namespace halospot::api::test;

class TestSecretStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void writeReadOverwriteDelete();
    void readMissingIsNotFound();
    void removeMissingSucceeds();
    void keysAreIndependent();
    void longTokenRoundTrips();
    void servicesAreSeparate();
    void completesAsynchronouslyOnOwnerThread();
    void sessionOnlyNeverTouchesKeychain();

private:
    QString key(const char *name) const { return QString::fromLatin1(name); }

    // A service name of this run only, so the user's "HaloSpot" entries are never touched.
    QString m_service = QStringLiteral("HaloSpot-test-%1")
                            .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
    QString m_otherService = m_service + QStringLiteral("-other");
    QStringList m_keys = {QStringLiteral("hubspot/refresh-token"),
                          QStringLiteral("hubspot/client-secret"),
                          QStringLiteral("hubspot/static-token"),
                          QStringLiteral("halo/client-secret"), QStringLiteral("test/probe")};
    bool m_probed = false;
};

void TestSecretStore::initTestCase()
{
    // Skip only when a real write finds no keychain (e.g. ctest outside dbus-run-session); in CI
    // the keyring is there and every case below runs.
    SecretStore store(m_service);
    store.setRetryDelayMs(200);
    const auto probe = writeSecret(store, key("test/probe"), randomSecret(16));
    QVERIFY2(probe.completed, "the keychain probe never completed");
    if (probe.result.noKeychain())
        QSKIP(qPrintable(
            QStringLiteral(
                "No keychain to test against (%1). Run the tests like CI does: "
                "scripts/dev.sh test (dbus-run-session + gnome-keyring-daemon --unlock).")
                .arg(probe.result.message)));
    QVERIFY2(probe.result.ok(), qPrintable(probe.result.message));
    QCOMPARE(store.availability(), SecretStore::Availability::Available);
    m_probed = true;
}

void TestSecretStore::cleanupTestCase()
{
    if (!m_probed)
        return;
    for (const QString &service : {m_service, m_otherService}) {
        SecretStore store(service);
        for (const QString &k : std::as_const(m_keys)) {
            const auto removed = removeSecret(store, k);
            QVERIFY(removed.result.ok());
            const auto read = readSecret(store, k);
            QVERIFY2(read.result.notFound(), "a test entry was left in the keychain");
        }
    }
}

void TestSecretStore::writeReadOverwriteDelete()
{
    SecretStore store(m_service);
    const QString first = randomSecret(40);
    const QString second = randomSecret(40);

    auto written = writeSecret(store, key("hubspot/refresh-token"), first);
    QVERIFY(written.completed);
    QVERIFY2(written.result.ok(), qPrintable(written.result.message));
    QVERIFY(written.result.message.isEmpty());

    // A second store (as after a restart) finds it: it is in the keychain, not in memory.
    SecretStore fresh(m_service);
    auto read = readSecret(fresh, key("hubspot/refresh-token"));
    QVERIFY(read.completed);
    QVERIFY2(read.result.ok(), qPrintable(read.result.message));
    QCOMPARE(read.result.value, first);

    written = writeSecret(store, key("hubspot/refresh-token"), second);
    QVERIFY(written.result.ok());
    read = readSecret(fresh, key("hubspot/refresh-token"));
    QVERIFY(read.result.ok());
    QCOMPARE(read.result.value, second);

    const auto removed = removeSecret(store, key("hubspot/refresh-token"));
    QVERIFY(removed.result.ok());
    read = readSecret(fresh, key("hubspot/refresh-token"));
    QVERIFY(read.completed);
    QVERIFY(read.result.notFound());
    QVERIFY(read.result.value.isEmpty());
}

void TestSecretStore::readMissingIsNotFound()
{
    SecretStore store(m_service);
    const auto read = readSecret(store, key("hubspot/static-token"));
    QVERIFY(read.completed);
    QCOMPARE(read.result.outcome, SecretOutcome::NotFound);
    QVERIFY2(read.result.message.isEmpty(), "not found is an answer, not an error sentence");
    QCOMPARE(store.availability(), SecretStore::Availability::Available);
}

void TestSecretStore::removeMissingSucceeds()
{
    SecretStore store(m_service);
    const auto removed = removeSecret(store, key("hubspot/static-token"));
    QVERIFY(removed.completed);
    QVERIFY2(removed.result.ok(), qPrintable(removed.result.message));
}

void TestSecretStore::keysAreIndependent()
{
    SecretStore store(m_service);
    const QString hubspot = randomSecret(32);
    const QString halo = randomSecret(32);
    QVERIFY(writeSecret(store, key("hubspot/client-secret"), hubspot).result.ok());
    QVERIFY(writeSecret(store, key("halo/client-secret"), halo).result.ok());

    QCOMPARE(readSecret(store, key("hubspot/client-secret")).result.value, hubspot);
    QCOMPARE(readSecret(store, key("halo/client-secret")).result.value, halo);

    QVERIFY(removeSecret(store, key("hubspot/client-secret")).result.ok());
    QVERIFY(readSecret(store, key("hubspot/client-secret")).result.notFound());
    const auto survivor = readSecret(store, key("halo/client-secret"));
    QVERIFY(survivor.result.ok());
    QCOMPARE(survivor.result.value, halo);
    QVERIFY(removeSecret(store, key("halo/client-secret")).result.ok());
}

void TestSecretStore::longTokenRoundTrips()
{
    SecretStore store(m_service);
    const QString token = randomSecret(300);
    QVERIFY(writeSecret(store, key("hubspot/static-token"), token).result.ok());
    SecretStore fresh(m_service);
    const auto read = readSecret(fresh, key("hubspot/static-token"));
    QVERIFY(read.result.ok());
    QCOMPARE(read.result.value.size(), 300);
    QCOMPARE(read.result.value, token);
    QVERIFY(removeSecret(store, key("hubspot/static-token")).result.ok());
}

void TestSecretStore::servicesAreSeparate()
{
    SecretStore mine(m_service);
    SecretStore other(m_otherService);
    const QString secret = randomSecret(24);
    QVERIFY(writeSecret(mine, key("halo/client-secret"), secret).result.ok());

    QVERIFY(readSecret(other, key("halo/client-secret")).result.notFound());
    QCOMPARE(readSecret(mine, key("halo/client-secret")).result.value, secret);
    QVERIFY(removeSecret(mine, key("halo/client-secret")).result.ok());
}

void TestSecretStore::completesAsynchronouslyOnOwnerThread()
{
    SecretStore store(m_service);
    QCOMPARE(store.thread(), QThread::currentThread());
    const QString secret = randomSecret(20);

    // Each call returns before its continuation runs; the continuation runs on the owner's thread.
    const auto written = writeSecret(store, key("hubspot/refresh-token"), secret);
    QVERIFY(written.result.ok());
    QVERIFY(!written.ranInsideCall);
    QVERIFY(written.ranOnStoreThread);

    int calls = 0;
    SecretResult last;
    store.read(key("hubspot/refresh-token"), [&](const SecretResult &r) {
        ++calls;
        last = r;
    });
    QCOMPARE(calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 30000);
    QCOMPARE(last.value, secret);

    const auto removed = removeSecret(store, key("hubspot/refresh-token"));
    QVERIFY(removed.result.ok());
    QVERIFY(!removed.ranInsideCall);
    QVERIFY(removed.ranOnStoreThread);

    // A store destroyed while its job is in flight never calls back (no dangling continuation).
    bool called = false;
    {
        SecretStore doomed(m_service);
        doomed.read(key("hubspot/refresh-token"), [&](const SecretResult &) { called = true; });
    }
    QTest::qWait(500);
    QVERIFY(!called);
}

void TestSecretStore::sessionOnlyNeverTouchesKeychain()
{
    SecretStore store(m_service);
    QSignalSpy modeSpy(&store, &SecretStore::sessionOnlyChanged);
    store.setSessionOnly(true);
    QCOMPARE(modeSpy.count(), 1);
    const QString secret = randomSecret(30);

    const auto written = writeSecret(store, key("hubspot/refresh-token"), secret);
    QVERIFY(written.result.ok());
    QCOMPARE(written.result.attempts, 0);
    QVERIFY(!written.ranInsideCall);
    QCOMPARE(readSecret(store, key("hubspot/refresh-token")).result.value, secret);

    // The keychain never saw it.
    SecretStore keychain(m_service);
    QVERIFY(readSecret(keychain, key("hubspot/refresh-token")).result.notFound());

    // Leaving session-only mode forgets the in-memory secrets and reads the keychain again.
    store.setSessionOnly(false);
    QCOMPARE(modeSpy.count(), 2);
    QVERIFY(readSecret(store, key("hubspot/refresh-token")).result.notFound());
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
