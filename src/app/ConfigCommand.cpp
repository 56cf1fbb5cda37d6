// `halospot config export|import FILE`: the profile through ProfileStore, checked by parseProfile.
#include "ConfigCommand.h"

#include "CommandLine.h"
#include "Profile.h"
#include "ProfileStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>

namespace halospot::app {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("halospot::app::ConfigCommand", text, disambiguation, n);
}

using Output = CommandOutput;

bool isStdio(const QString &file)
{
    return file == QLatin1String("-");
}

int exportProfile(Output &o, CommandContext &context, const QString &file)
{
    const Result<core::Profile> profile = core::loadProfile(context.store());
    if (!profile.ok())
        return o.fail(ExitUsage, profile.error());
    const QByteArray bytes = core::serializeProfile(profile.value());
    if (isStdio(file)) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
            return o.fail(ExitUsage, tr("Could not write the profile to standard output."));
        out.flush();
        return ExitOk;
    }
    // QSaveFile: an existing file is replaced whole or not at all.
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        return o.fail(ExitUsage,
                      tr("Could not write the profile to %1: %2").arg(file, out.errorString()));
    }
    return ExitOk;
}

int importProfile(Output &o, const GlobalOptions &globals, const QString &file)
{
    QFile in;
    const bool opened = isStdio(file) ? in.open(stdin, QIODevice::ReadOnly)
                                      : (in.setFileName(file), in.open(QIODevice::ReadOnly));
    if (!opened)
        return o.fail(ExitUsage, tr("Could not read %1: %2").arg(file, in.errorString()));
    const QByteArray bytes = in.readAll();

    // Checked before the data directory is even opened: an invalid file changes nothing.
    QStringList errors;
    const Result<core::Profile> profile = core::parseProfile(bytes, &errors);
    if (!profile.ok()) {
        if (errors.isEmpty())
            errors.append(profile.error());
        o.err << o.name << ": "
              << tr("The profile was not imported (%n problem(s)); nothing was changed.", nullptr,
                    int(errors.size()))
              << Qt::endl;
        for (const QString &line : errors)
            o.err << line << Qt::endl;
        return ExitUsage;
    }

    Result<std::unique_ptr<CommandContext>> context = CommandContext::open(globals.dataDir);
    if (!context.ok())
        return o.fail(ExitUsage, context.error());
    if (const Status s = core::saveProfile(context.value()->store(), profile.value()); !s.ok())
        return o.fail(ExitUsage, s.error());
    const core::Profile &p = profile.value();
    o.out << tr("Imported the profile: %1 customer mapping(s), %2 company and %3 contact field "
                "mapping(s); schedule %4.")
                 .arg(p.companies.customerMappings.size())
                 .arg(p.companies.fieldMappings.size())
                 .arg(p.contacts.fieldMappings.size())
                 .arg(p.schedule.enabled ? tr("every %1 minutes").arg(p.schedule.everyMinutes)
                                         : tr("off"))
          << Qt::endl;
    return ExitOk;
}

} // namespace

int runConfigCommand(const QStringList &arguments, const GlobalOptions &globals)
{
    Output o;
    o.name = arguments.value(0, QStringLiteral("halospot config"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Export the profile (no secrets) to a file, or import one: all of it or nothing."));
    const QCommandLineOption help = parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), tr("export or import"));
    parser.addPositionalArgument(QStringLiteral("file"),
                                 tr("The profile file; - for standard output or input."));
    if (!parser.parse(arguments))
        return o.fail(ExitUsage, parser.errorText());
    if (parser.isSet(help)) {
        o.out << commandHelp(parser, o.name, QStringLiteral(" export|import FILE")) << Qt::flush;
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (positional.size() != 2 ||
        (action != QLatin1String("export") && action != QLatin1String("import"))) {
        return o.fail(ExitUsage, tr("Give 'export FILE' or 'import FILE' (FILE may be -)."));
    }
    const QString &file = positional.at(1);
    if (action == QLatin1String("import"))
        return importProfile(o, globals, file);

    Result<std::unique_ptr<CommandContext>> context = CommandContext::open(globals.dataDir);
    if (!context.ok())
        return o.fail(ExitUsage, context.error());
    return exportProfile(o, *context.value(), file);
}

} // namespace halospot::app
