// Global option parsing and command dispatch for `halospot`.
#include "CommandLine.h"

#include "SandboxCommand.h"
#include "Version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

namespace halospot::app {

namespace {

QString commandSummary()
{
    return QCoreApplication::translate("halospot",
                                       "Commands:\n"
                                       "  sandbox   run the fake HubSpot and Halo services alone\n"
                                       "\n"
                                       "Run 'halospot <command> --help' for a command's options.");
}

} // namespace

int runCommandLine(const QStringList &arguments)
{
    QCoreApplication::setApplicationName(QStringLiteral("halospot"));
    QCoreApplication::setOrganizationName(QStringLiteral("HaloSpot"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HALOSPOT_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("halospot", "HaloSpot: %1.\n\n%2")
            .arg(QStringLiteral(HALOSPOT_DESCRIPTION), commandSummary()));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption dataDirOption(
        QStringLiteral("data-dir"),
        QCoreApplication::translate("halospot",
                                    "Keep HaloSpot's data in <dir> (also HALOSPOT_DATA_DIR)."),
        QStringLiteral("dir"));
    const QCommandLineOption verboseOption(
        QStringLiteral("verbose"), QCoreApplication::translate("halospot", "Log more detail."));
    parser.addOption(dataDirOption);
    parser.addOption(verboseOption);
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QCoreApplication::translate("halospot", "The command to run."),
                                 QStringLiteral("[command]"));

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
    if (parser.isSet(helpOption) || rest.isEmpty()) {
        out << parser.helpText();
        if (rest.isEmpty() && !parser.isSet(helpOption)) {
            err << QCoreApplication::translate("halospot",
                                               "HaloSpot's window is not part of this build yet; "
                                               "give a command, e.g. 'halospot sandbox'.")
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

    err << QCoreApplication::translate("halospot", "Unknown command '%1'.").arg(command) << Qt::endl
        << commandSummary() << Qt::endl;
    return ExitUsage;
}

} // namespace halospot::app
