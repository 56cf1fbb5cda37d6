// `halospot config export|import FILE`: the profile through ProfileStore, checked by parseProfile
// and (on import, when the services can be asked) against live data by ProfileReferenceCheck.
#include "ConfigCommand.h"

#include "CommandLine.h"
#include "HaloClient.h"
#include "HubSpotClient.h"
#include "JobSetup.h"
#include "Profile.h"
#include "ProfileReferences.h"
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

// Whether the profile names anything that only the services can confirm.
bool hasReferences(const core::Profile &p)
{
    bool stages = false;
    for (const QStringList *list : {&p.companies.lifecycleStages, &p.contacts.lifecycleStages}) {
        for (const QString &stage : *list)
            stages = stages || !stage.trimmed().isEmpty();
    }
    return stages || !p.companies.fieldMappings.isEmpty() ||
           !p.companies.customerMappings.isEmpty() || !p.contacts.fieldMappings.isEmpty() ||
           p.contacts.defaultSiteId.has_value();
}

// The references checked against the services the new profile names, signed in with the secrets
// this data directory already has (keychain, or the environment's overrides). Returns the
// problems (empty: all good or not checked); *warning says why nothing or not everything was
// checked.
QStringList checkReferences(CommandContext &context, const core::Profile &imported,
                            QString *warning)
{
    core::Profile profile = imported;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!environment.value(QString::fromLatin1(api::kEnvHubSpotToken)).trimmed().isEmpty())
        profile.connection.hubspot.auth = core::HubSpotAuthMode::StaticToken;
    for (const QUrl &url : {profile.connection.hubspot.apiBase, profile.connection.halo.url}) {
        if (const Status s = core::checkServiceUrl(url, tr("A service address")); !s.ok()) {
            *warning = s.error();
            return {};
        }
    }
    const api::SecretSet secrets = context.loadSecrets(environment);
    engine::JobSetupOptions setup;
    setup.storePath = context.store().path();
    const Result<engine::JobSpec> spec = engine::makeJobSpec(profile, secrets, setup);
    if (!spec.ok()) {
        *warning = spec.error().split(QLatin1Char('\n')).join(QLatin1Char(' '));
        return {};
    }

    // A quick verdict: one retry of a passing failure, not an import's long backoff.
    const auto quick = [](api::RestClient &rest) {
        api::RetryPolicy policy = rest.retryPolicy();
        policy.maxAttempts = 2;
        policy.backoffBaseMs = 300;
        policy.maxRateLimitWaits = 3;
        rest.setRetryPolicy(policy);
    };
    api::HubSpotTokens tokens(spec.value().hubspot);
    const engine::HubSpotCredentials &c = spec.value().hubspotCredentials;
    QString newRefreshToken;
    if (!c.staticToken.isEmpty()) {
        tokens.setStaticToken(c.staticToken);
    } else {
        tokens.setOAuth(c.clientId, c.clientSecret, c.refreshToken);
        QObject::connect(&tokens, &api::HubSpotTokens::refreshTokenChanged, &tokens,
                         [&newRefreshToken](const QString &token) { newRefreshToken = token; });
    }
    api::HubSpotClient hubspot(&tokens);
    quick(hubspot.rest());
    api::HaloClient halo(spec.value().halo);
    quick(halo.rest());
    engine::ProfileReferenceCheck check(&hubspot, &halo);
    const engine::ReferenceCheckResult result = awaitResult<engine::ReferenceCheckResult>(
        [&](std::function<void(const engine::ReferenceCheckResult &)> done) {
            check.run(imported, std::move(done));
        });
    // HubSpot may have rotated the refresh token while signing in: keep the new one.
    if (!newRefreshToken.isEmpty()) {
        const api::SecretResult kept =
            context.writeSecret(api::Secret::HubSpotRefreshToken, newRefreshToken);
        if (!kept.ok())
            *warning = tr("The new HubSpot refresh token could not be kept: %1")
                           .arg(keychainProblem(kept.message));
    }
    if (!result.complete)
        *warning = result.error;
    return result.problems;
}

int importProfile(Output &o, const GlobalOptions &globals, const QString &file, bool check)
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
    if (check && hasReferences(profile.value())) {
        QString warning;
        const QStringList problems = checkReferences(*context.value(), profile.value(), &warning);
        if (!problems.isEmpty()) {
            o.err << o.name << ": "
                  << tr("The profile was not imported (%n problem(s) with what it refers to in "
                        "HubSpot or Halo); nothing was changed.",
                        nullptr, int(problems.size()))
                  << Qt::endl;
            for (const QString &line : problems)
                o.err << line << Qt::endl;
            if (!warning.isEmpty())
                o.err << tr("Not everything could be checked: %1").arg(warning) << Qt::endl;
            return ExitUsage;
        }
        if (!warning.isEmpty()) {
            o.err << o.name << ": "
                  << tr("Warning: the lifecycle stages, fields, customers and sites the profile "
                        "names were not checked against HubSpot and Halo: %1 The import checks "
                        "them again when it starts.")
                         .arg(warning)
                  << Qt::endl;
        }
    }
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
    const QCommandLineOption noCheck(
        QStringLiteral("no-check"),
        tr("Import without checking the stages, fields, customers and sites the profile names "
           "against HubSpot and Halo (done by default when the stored or environment secrets "
           "can sign in)."));
    parser.addOption(noCheck);
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
        return importProfile(o, globals, file, !parser.isSet(noCheck));

    Result<std::unique_ptr<CommandContext>> context = CommandContext::open(globals.dataDir);
    if (!context.ok())
        return o.fail(ExitUsage, context.error());
    return exportProfile(o, *context.value(), file);
}

} // namespace halospot::app
