// Tests SecretStore on a system with no keychain (no D-Bus session): the distinct NoKeychain state
// and sentence after one retry, nothing written to disk, and session-only mode working in memory.
#include "SecretTestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace halospot::api;
using namespace halospot::api::test;

class TestSecretStoreNoKeychain final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void noKeychainIsADistinctState();
    void nothingIsWrittenToDisk();
    void sessionOnlyWorksInMemory();

private:
    void expectNothingOnDisk(const QString &secret);

    QTemporaryDir m_home;
    QString m_service = QStringLiteral("HaloSpot-test-nokeychain");
    QStringList m_secrets;
};

void TestSecretStoreNoKeychain::initTestCase()
{
    QVERIFY(m_home.isValid());
    // No session bus (so no keychain), and every per-user folder in the temporary home.
    QVERIFY(isolateUserFolders(m_home.path(), true));
    QCoreApplication::setOrganizationName(QStringLiteral("HaloSpotTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_secretstore_nokeychain"));
}

void TestSecretStoreNoKeychain::expectNothingOnDisk(const QString &secret)
{
    const QStringList hits = filesContaining(m_home.path(), secret);
    QVERIFY2(hits.isEmpty(),
             qPrintable(QStringLiteral("secret found on disk in: ") + hits.join(u' ')));
    // Where QtKeychain's insecure fallback would have put it.
    QVERIFY2(!QFile::exists(QSettings().fileName()), qPrintable(QSettings().fileName()));
}

void TestSecretStoreNoKeychain::noKeychainIsADistinctState()
{
    SecretStore store(m_service);
    store.setRetryDelayMs(300);
    QSignalSpy availability(&store, &SecretStore::availabilityChanged);
    QCOMPARE(store.availability(), SecretStore::Availability::Unknown);
    const QString secret = randomSecret(40);
    m_secrets.append(secret);

    // The first failure is retried once (the Secret Service may start late), then reported.
    const auto written = writeSecret(store, QStringLiteral("hubspot/refresh-token"), secret);
    QVERIFY(written.completed);
    QVERIFY(!written.ranInsideCall);
    QCOMPARE(written.result.outcome, SecretOutcome::NoKeychain);
    QVERIFY(written.result.noKeychain());
    QCOMPARE(written.result.attempts, 2);
    QVERIFY2(written.result.message.startsWith(QStringLiteral("No keychain is available: ")),
             qPrintable(written.result.message));
    QVERIFY2(written.result.message.contains(
                 QStringLiteral("HaloSpot can keep the secret for this session only")),
             qPrintable(written.result.message));
    QVERIFY(!written.result.message.contains(secret));
    QVERIFY(!written.result.status().ok());
    QCOMPARE(written.result.status().error(), written.result.message);
    QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
    QCOMPARE(availability.count(), 1);
    QCOMPARE(availability.at(0).at(0).value<SecretStore::Availability>(),
             SecretStore::Availability::Unavailable);

    // Once known to be missing, calls fail at once (one attempt, no second delay) and a read says
    // "no keychain", not "not found".
    const auto read = readSecret(store, QStringLiteral("hubspot/refresh-token"));
    QCOMPARE(read.result.outcome, SecretOutcome::NoKeychain);
    QCOMPARE(read.result.attempts, 1);
    QVERIFY(read.result.value.isEmpty());
    const auto removed = removeSecret(store, QStringLiteral("hubspot/refresh-token"));
    QCOMPARE(removed.result.outcome, SecretOutcome::NoKeychain);
    QCOMPARE(availability.count(), 1);
}

void TestSecretStoreNoKeychain::nothingIsWrittenToDisk()
{
    QVERIFY(!m_secrets.isEmpty());
    for (const QString &secret : std::as_const(m_secrets))
        expectNothingOnDisk(secret);
}

void TestSecretStoreNoKeychain::sessionOnlyWorksInMemory()
{
    SecretStore store(m_service);
    store.setRetryDelayMs(300);
    QVERIFY(writeSecret(store, QStringLiteral("halo/client-secret"), randomSecret(12))
                .result.noKeychain());

    // The UI's offer, accepted: from now on secrets live in this object only.
    QSignalSpy mode(&store, &SecretStore::sessionOnlyChanged);
    store.setSessionOnly(true);
    QVERIFY(store.sessionOnly());
    QCOMPARE(mode.count(), 1);

    const QString token = randomSecret(300);
    const QString halo = randomSecret(32);
    const QString replaced = randomSecret(32);
    m_secrets << token << halo << replaced;

    QVERIFY(writeSecret(store, QStringLiteral("hubspot/static-token"), token).result.ok());
    QVERIFY(writeSecret(store, QStringLiteral("halo/client-secret"), replaced).result.ok());
    QVERIFY(writeSecret(store, QStringLiteral("halo/client-secret"), halo).result.ok());

    auto read = readSecret(store, QStringLiteral("hubspot/static-token"));
    QVERIFY(read.result.ok());
    QVERIFY(!read.ranInsideCall);
    QCOMPARE(read.result.value, token);
    QCOMPARE(readSecret(store, QStringLiteral("halo/client-secret")).result.value, halo);
    QVERIFY(readSecret(store, QStringLiteral("hubspot/refresh-token")).result.notFound());

    QVERIFY(removeSecret(store, QStringLiteral("hubspot/static-token")).result.ok());
    QVERIFY(readSecret(store, QStringLiteral("hubspot/static-token")).result.notFound());
    QCOMPARE(readSecret(store, QStringLiteral("halo/client-secret")).result.value, halo);

    // Memory belongs to this store: another one (as after a restart) has nothing.
    SecretStore other(m_service);
    other.setSessionOnly(true);
    QVERIFY(readSecret(other, QStringLiteral("halo/client-secret")).result.notFound());

    for (const QString &secret : std::as_const(m_secrets))
        expectNothingOnDisk(secret);

    // Switching session-only off forgets the secrets and goes back to the (missing) keychain.
    store.setSessionOnly(false);
    QCOMPARE(readSecret(store, QStringLiteral("halo/client-secret")).result.outcome,
             SecretOutcome::NoKeychain);
}

QTEST_GUILESS_MAIN(TestSecretStoreNoKeychain)
#include "tst_secretstore_nokeychain.moc"
