// Global option parsing and command dispatch for `halospot`.
#include "CommandLine.h"

#include "AuthCommand.h"
#include "CommandContext.h"
#include "ConfigCommand.h"
#include "ImportCommand.h"
#include "SandboxCommand.h"
#include "StatusCommand.h"
#include "Version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTextStream>

namespace halospot::app {

namespace {

QString commandSummary()
{
    return QCoreApplication::translate("halospot",
                                       "Without a command HaloSpot opens its window.\n"
                                       "\n"
                                       "Commands:\n"
                                       "  sandbox   run the fake HubSpot and Halo services alone\n"
                                       "  auth      check a secret and keep it in the keychain:\n"
                                       "            auth hubspot --token-stdin | auth halo "
                                       "--secret-stdin\n"
                                       "  status    connections, links and the last runs\n"
                                       "  config    the profile (no secrets) to or from a file:\n"
                                       "            config export FILE | config import FILE\n"
                                       "  import    import companies or contacts into Halo:\n"
                                       "            import companies|contacts [--dry-run] "
                                       "[--report FILE]\n"
                                       "\n"
                                       "Run 'halospot <command> --help' for a command's options.");
}

// The global options, shared by guiRequest() (no application object yet) and runCommandLine().
struct GlobalParser
{
    QCommandLineParser parser;
    QCommandLineOption help{QStringList{QStringLiteral("h"), QStringLiteral("help")}};
    QCommandLineOption version{QStringList{QStringLiteral("v"), QStringLiteral("version")}};
    QCommandLineOption dataDir{
        QStringLiteral("data-dir"),
        QCoreApplication::translate("halospot",
                                    "Keep HaloSpot's data in <dir> (also HALOSPOT_DATA_DIR)."),
        QStringLiteral("dir")};
    QCommandLineOption verbose{QStringLiteral("verbose"),
                               QCoreApplication::translate("halospot", "Log more detail.")};
    QCommandLineOption sandbox{
        QStringLiteral("sandbox"),
        QCoreApplication::translate("halospot",
                                    "Open the window on the built-in sandbox (demo "
                                    "data, no accounts, nothing leaves this computer).")};

    GlobalParser()
    {
        parser.setOptionsAfterPositionalArgumentsMode(
            QCommandLineParser::ParseAsPositionalArguments);
        help = parser.addHelpOption();
        version = parser.addVersionOption();
        parser.addOption(dataDir);
        parser.addOption(verbose);
        parser.addOption(sandbox);
        parser.addPositionalArgument(QStringLiteral("command"),
                                     QCoreApplication::translate("halospot", "The command to run."),
                                     QStringLiteral("[command]"));
    }

    // --help, or Qt's --help-all (which addHelpOption() adds too; it is shown as --help here).
    bool wantsHelp() const
    {
        return parser.isSet(help) || parser.optionNames().contains(QLatin1String("help-all"));
    }
};

} // namespace

std::optional<GuiRequest> guiRequest(const QStringList &arguments)
{
    GlobalParser g;
    if (!g.parser.parse(arguments))
        return std::nullopt; // runCommandLine() reports the usage error
    if (g.wantsHelp() || g.parser.isSet(g.version))
        return std::nullopt;
    if (!g.parser.positionalArguments().isEmpty() && !g.parser.isSet(g.sandbox))
        return std::nullopt;
    GuiRequest request;
    request.sandbox = g.parser.isSet(g.sandbox);
    request.verbose = g.parser.isSet(g.verbose);
    request.dataDir = g.parser.value(g.dataDir);
    return request;
}

QString dataDirectory(const QString &option)
{
    if (!option.isEmpty())
        return option;
    const QString fromEnvironment = qEnvironmentVariable("HALOSPOT_DATA_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

int runCommandLine(const QStringList &arguments)
{
    QCoreApplication::setApplicationName(QStringLiteral("halospot"));
    QCoreApplication::setOrganizationName(QStringLiteral("HaloSpot"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HALOSPOT_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);

    GlobalParser g;
    QCommandLineParser &parser = g.parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("halospot", "HaloSpot: %1.\n\n%2")
            .arg(QStringLiteral(HALOSPOT_DESCRIPTION), commandSummary()));
    const QCommandLineOption &versionOption = g.version;
    const QCommandLineOption &verboseOption = g.verbose;

    if (!parser.parse(arguments)) {
        err << parser.errorText() << Qt::endl;
        return ExitUsage;
    }
    if (parser.isSet(versionOption)) {
        out << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion()
            << Qt::endl;
        return ExitOk;
    }
    if (parser.isSet(verboseOption))
        QLoggingCategory::setFilterRules(QStringLiteral("halospot.*.debug=true"));
    const QStringList rest = parser.positionalArguments();
    if (g.wantsHelp() || rest.isEmpty()) {
        out << parser.helpText();
        if (!g.wantsHelp()) {
            // main() starts the window before this is reached; a caller that gets here wanted
            // a command.
            err << QCoreApplication::translate("halospot",
                                               "No command given; give one, e.g. "
                                               "'halospot sandbox' or 'halospot status'.")
                << Qt::endl;
            return ExitUsage;
        }
        return ExitOk;
    }

    const QString command = rest.first();
    QStringList commandArgs = rest;
    commandArgs.first() = QStringLiteral("halospot ") + command;
    if (command == QLatin1String("sandbox"))
        return runSandboxCommand(commandArgs);
    GlobalOptions globals;
    globals.verbose = parser.isSet(verboseOption);
    if (command == QLatin1String("auth") || command == QLatin1String("status") ||
        command == QLatin1String("config") || command == QLatin1String("import"))
        globals.dataDir = dataDirectory(parser.value(g.dataDir));
    if (command == QLatin1String("auth"))
        return runAuthCommand(commandArgs, globals);
    if (command == QLatin1String("status"))
        return runStatusCommand(commandArgs, globals);
    if (command == QLatin1String("config"))
        return runConfigCommand(commandArgs, globals);
    if (command == QLatin1String("import"))
        return runImportCommand(commandArgs, globals);

    err << QCoreApplication::translate("halospot", "Unknown command '%1'.").arg(command) << Qt::endl
        << commandSummary() << Qt::endl;
    return ExitUsage;
}

} // namespace halospot::app
