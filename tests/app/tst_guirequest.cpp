// Tests of what main() decides before it creates an application object (window or command), of
// where the data directory is, and of runCommandLine() without a command, all in-process.
#include "CommandContext.h"
#include "CommandLine.h"

#include <QStandardPaths>
#include <QTest>

using namespace halospot::app;

namespace {

QStringList args(std::initializer_list<const char *> list)
{
    QStringList result{QStringLiteral("halospot")};
    for (const char *a : list)
        result.append(QString::fromLatin1(a));
    return result;
}

} // namespace

class TestGuiRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noCommandMeansTheWindow()
    {
        const std::optional<GuiRequest> r = guiRequest(args({}));
        QVERIFY(r.has_value());
        QVERIFY(!r->sandbox);
        QVERIFY(!r->verbose);
        QVERIFY(r->dataDir.isEmpty());
    }

    void globalOptionsReachTheWindow()
    {
        const auto r = guiRequest(args({"--verbose", "--data-dir", "/tmp/hs-data"}));
        QVERIFY(r.has_value());
        QVERIFY(r->verbose);
        QCOMPARE(r->dataDir, QStringLiteral("/tmp/hs-data"));
        QVERIFY(!r->sandbox);
        QCOMPARE(guiRequest(args({"--data-dir=/x"}))->dataDir, QStringLiteral("/x"));
    }

    void sandboxForcesTheWindow()
    {
        QVERIFY(guiRequest(args({"--sandbox"}))->sandbox);
        // Even with a command: the demo is what was asked for.
        const auto withCommand = guiRequest(args({"--sandbox", "status"}));
        QVERIFY(withCommand.has_value());
        QVERIFY(withCommand->sandbox);
    }

    void commandsHelpVersionAndErrorsAreNotTheWindow()
    {
        QVERIFY(!guiRequest(args({"status"})).has_value());
        QVERIFY(!guiRequest(args({"--data-dir", "/x", "auth", "hubspot"})).has_value());
        QVERIFY(!guiRequest(args({"--help"})).has_value());
        QVERIFY(!guiRequest(args({"-h"})).has_value());
        QVERIFY(!guiRequest(args({"--help-all"})).has_value());
        QVERIFY(!guiRequest(args({"--sandbox", "--help"})).has_value());
        QVERIFY(!guiRequest(args({"--version"})).has_value());
        QVERIFY(!guiRequest(args({"--sandbox", "--version"})).has_value());
        // A usage error is runCommandLine()'s to report.
        QVERIFY(!guiRequest(args({"--no-such-option"})).has_value());
        QVERIFY(!guiRequest(args({"--data-dir"})).has_value());
        // A command's own options are the command's.
        QVERIFY(!guiRequest(args({"status", "--help"})).has_value());
    }

    void dataDirectoryOrder()
    {
        const QByteArray saved = qgetenv("HALOSPOT_DATA_DIR");
        qputenv("HALOSPOT_DATA_DIR", "/tmp/from-env");
        QCOMPARE(dataDirectory(QStringLiteral("/tmp/from-option")),
                 QStringLiteral("/tmp/from-option"));
        QCOMPARE(dataDirectory(QString()), QStringLiteral("/tmp/from-env"));
        qunsetenv("HALOSPOT_DATA_DIR");
        const QString platform = dataDirectory(QString());
        QVERIFY(!platform.isEmpty());
        QCOMPARE(platform, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
        if (!saved.isEmpty())
            qputenv("HALOSPOT_DATA_DIR", saved);
    }

    void storeFileName()
    {
        QCOMPARE(storePath(QStringLiteral("/data")), QStringLiteral("/data/halospot.db"));
    }

    void runCommandLineWithoutCommandIsUsage()
    {
        // main() starts the window first; reaching runCommandLine() without a command is a usage
        // error that says what to do.
        QCOMPARE(runCommandLine(args({})), int(ExitUsage));
        QCOMPARE(runCommandLine(args({"--verbose"})), int(ExitUsage));
        QCOMPARE(runCommandLine(args({"--sandbox", "--help"})), int(ExitOk));
        QCOMPARE(runCommandLine(args({"--help-all"})), int(ExitOk));
    }
};

QTEST_GUILESS_MAIN(TestGuiRequest)
#include "tst_guirequest.moc"
