// Tests of the top-level `halospot` command line as a user meets it: --version, --help (also with
// --sandbox), an unknown command and option, and --verbose, run through the real binary.
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runHalospot(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(HALOSPOT_BINARY), arguments);
    Run r;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

// Starts `halospot [--verbose] sandbox` with every request stalled, makes one request, and returns
// what the program wrote on stderr (where its log goes) after it was stopped.
QString stderrOfStalledRequest(bool verbose)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES")); // the test runner's own rules would win
    process.setProcessEnvironment(env);
    QStringList args;
    if (verbose)
        args << QStringLiteral("--verbose");
    args << QStringLiteral("sandbox") << QStringLiteral("--print-json")
         << QStringLiteral("--companies") << QStringLiteral("5") << QStringLiteral("--contacts")
         << QStringLiteral("5") << QStringLiteral("--stall-rate") << QStringLiteral("1");
    process.start(QStringLiteral(HALOSPOT_BINARY), args);
    for (int waited = 0; !process.canReadLine() && waited < 20; ++waited)
        process.waitForReadyRead(1000);
    if (!process.canReadLine())
        return QStringLiteral("(no JSON line)");
    const QJsonObject info = QJsonDocument::fromJson(process.readLine()).object();
    QNetworkAccessManager nam;
    QNetworkRequest request(
        QUrl(info.value(QStringLiteral("halo_url")).toString() + QStringLiteral("/api/authinfo")));
    request.setTransferTimeout(500);
    QNetworkReply *reply = nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(10000);
    reply->deleteLater();
    process.terminate();
    process.waitForFinished(10000);
    return QString::fromUtf8(process.readAllStandardError());
}

} // namespace

class TestCommandLine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionPrintsNameAndVersion()
    {
        const Run r = runHalospot({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("halospot ")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\d+\\.\\d+\\.\\d+"))),
                 qPrintable(r.out));
    }

    void helpListsOptionsAndCommands()
    {
        const Run r = runHalospot({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *expected :
             {"--data-dir", "--verbose", "--version", "--sandbox", "sandbox", "auth", "status"})
            QVERIFY2(r.out.contains(QLatin1String(expected)), expected);
    }

    void unknownCommandIsBadUsage()
    {
        const Run r = runHalospot({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("Unknown command 'frobnicate'")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void unknownGlobalOptionIsBadUsage()
    {
        const Run r = runHalospot({QStringLiteral("--no-such-option")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("no-such-option")), qPrintable(r.err));
    }

    void verboseTurnsOnDebugLogging()
    {
        // Debug lines are off by default and --verbose turns them on: a stalled request is
        // logged by the sandbox only when asked for.
        const QString quiet = stderrOfStalledRequest(false);
        const QString verbose = stderrOfStalledRequest(true);
        QVERIFY2(verbose.contains(QStringLiteral("stalls")), qPrintable(verbose));
        QVERIFY2(!quiet.contains(QStringLiteral("stalls")), qPrintable(quiet));
        QVERIFY2(quiet.contains(QStringLiteral("stopped")), qPrintable(quiet));
    }

    void sandboxOptionWithHelpPrintsHelp()
    {
        // --help wins over --sandbox: the help, not the window. (Without a command the binary
        // opens the window, so "no command" is tested in-process in tst_guirequest.)
        const Run r = runHalospot({QStringLiteral("--sandbox"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("--sandbox")), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
