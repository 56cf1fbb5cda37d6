// Tests `halospot --sandbox` as a new user runs it: the real binary starts its window on the
// embedded sandbox (offscreen here) and reaches "connected" for both services by itself, with no
// keychain entry and no file outside a temporary folder.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestDemoMode final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectsToTheEmbeddedSandbox()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.remove(QStringLiteral("HALOSPOT_DATA_DIR"));
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::MergedChannels);
        app.start(QStringLiteral(HALOSPOT_BINARY), {QStringLiteral("--sandbox")});
        QVERIFY(app.waitForStarted());
        QByteArray output;
        const auto seen = [&](const char *text) {
            output += app.readAll();
            return output.contains(text);
        };
        QTRY_VERIFY2_WITH_TIMEOUT(seen("Connected to HubSpot account") &&
                                      seen("Connected to Halo at 127.0.0.1"),
                                  output.constData(), 60000);
        QVERIFY2(!output.contains("problem"), output.constData());
        // SIGTERM closes the window as Quit would: a normal exit, its temporary profile removed.
        app.terminate();
        QVERIFY(app.waitForFinished(20000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        // Demo mode keeps its profile in a temporary folder: nothing lands in the user's data.
        QVERIFY(QDir(home.filePath(QStringLiteral("data"))).isEmpty() ||
                !QDir(home.filePath(QStringLiteral("data"))).exists());
    }
};

QTEST_MAIN(TestDemoMode)
#include "tst_demomode.moc"
