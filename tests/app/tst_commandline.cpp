// Tests of the top-level `halospot` command line as a user meets it: --version, --help, an unknown
// command and no command, run through the real binary.
#include <QProcess>
#include <QRegularExpression>
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
        for (const char *expected : {"--data-dir", "--verbose", "--version", "sandbox"})
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

    void noCommandExplainsWhatToDo()
    {
        // Until the window exists, no command says so instead of silently doing nothing.
        const Run r = runHalospot({});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("halospot sandbox")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
