// Tests SecretStore's late-start retry: the first keychain call finds no session bus, the bus and a
// gnome-keyring start during the retry delay (as at a slow login), and the retried write lands.
#include "SecretTestSupport.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace halospot::api;
using namespace halospot::api::test;

class TestSecretStoreLateStart final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void retrySucceedsWhenKeyringStartsLate();

private:
    bool secretServiceUp() const;

    QTemporaryDir m_home;
    QString m_busAddress;
    QProcess m_bus;
    QProcess m_keyring;
};

void TestSecretStoreLateStart::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon")).isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("dbus-send")).isEmpty())
        QSKIP("dbus-daemon, dbus-send and gnome-keyring-daemon are needed (scripts/dev.sh installs "
              "them).");
    QVERIFY(m_home.isValid());
    // A private world: per-user directories in the temporary home, and a bus address whose socket
    // does not exist yet (so the first keychain call fails the way it does before login finishes).
    const QString home = m_home.path();
    for (const char *dir : {"config", "data", "cache", "runtime"})
        QVERIFY(QDir(home).mkpath(QString::fromLatin1(dir)));
    QVERIFY(QFile::setPermissions(home + QStringLiteral("/runtime"),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    m_busAddress = QStringLiteral("unix:path=") + home + QStringLiteral("/bus");
    qputenv("HOME", home.toUtf8());
    qputenv("XDG_CONFIG_HOME", (home + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (home + QStringLiteral("/data")).toUtf8());
    qputenv("XDG_CACHE_HOME", (home + QStringLiteral("/cache")).toUtf8());
    qputenv("XDG_RUNTIME_DIR", (home + QStringLiteral("/runtime")).toUtf8());
    qputenv("DBUS_SESSION_BUS_ADDRESS", m_busAddress.toUtf8());
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
}

void TestSecretStoreLateStart::cleanupTestCase()
{
    // Only the processes this test started; the keyring files go with the temporary home.
    for (QProcess *p : {&m_keyring, &m_bus}) {
        if (p->state() != QProcess::NotRunning) {
            p->terminate();
            if (!p->waitForFinished(5000))
                p->kill();
            p->waitForFinished(5000);
        }
    }
}

bool TestSecretStoreLateStart::secretServiceUp() const
{
    QProcess ask;
    ask.start(QStringLiteral("dbus-send"),
              {QStringLiteral("--session"), QStringLiteral("--print-reply"),
               QStringLiteral("--dest=org.freedesktop.DBus"), QStringLiteral("/"),
               QStringLiteral("org.freedesktop.DBus.NameHasOwner"),
               QStringLiteral("string:org.freedesktop.secrets")});
    return ask.waitForFinished(5000) && ask.exitCode() == 0 &&
           ask.readAllStandardOutput().contains("true");
}

void TestSecretStoreLateStart::retrySucceedsWhenKeyringStartsLate()
{
    SecretStore store(QStringLiteral("HaloSpot-test-latestart"));
    store.setRetryDelayMs(8000);
    QSignalSpy availability(&store, &SecretStore::availabilityChanged);
    const QString secret = randomSecret(64);

    int calls = 0;
    SecretResult written;
    store.write(QStringLiteral("hubspot/refresh-token"), secret, [&](const SecretResult &r) {
        ++calls;
        written = r;
    });
    // The first attempt fails at once (no bus); the store is now waiting to retry, not reporting.
    QTest::qWait(500);
    QCOMPARE(calls, 0);
    QCOMPARE(store.availability(), SecretStore::Availability::Unknown);

    // Login finishes: the session bus and the keyring come up.
    m_bus.start(QStringLiteral("dbus-daemon"),
                {QStringLiteral("--session"), QStringLiteral("--nofork"),
                 QStringLiteral("--address=") + m_busAddress, QStringLiteral("--print-address")});
    QVERIFY(m_bus.waitForStarted(5000));
    QVERIFY(m_bus.waitForReadyRead(5000));
    m_keyring.start(QStringLiteral("gnome-keyring-daemon"),
                    {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                     QStringLiteral("--components=secrets")});
    QVERIFY(m_keyring.waitForStarted(5000));
    m_keyring.write(randomSecret(12).toUtf8());
    m_keyring.closeWriteChannel();
    QTRY_VERIFY_WITH_TIMEOUT(secretServiceUp(), 6000);
    QCOMPARE(calls, 0); // the retry has not fired yet, so it is the retry that must succeed

    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 30000);
    QVERIFY2(written.ok(), qPrintable(written.message));
    QCOMPARE(written.attempts, 2);
    QCOMPARE(store.availability(), SecretStore::Availability::Available);
    QCOMPARE(availability.count(), 1);

    const auto read = readSecret(store, QStringLiteral("hubspot/refresh-token"));
    QVERIFY2(read.result.ok(), qPrintable(read.result.message));
    QCOMPARE(read.result.value, secret);
    QCOMPARE(read.result.attempts, 1);
    QVERIFY(removeSecret(store, QStringLiteral("hubspot/refresh-token")).result.ok());
}

QTEST_GUILESS_MAIN(TestSecretStoreLateStart)
#include "tst_secretstore_latestart.moc"
