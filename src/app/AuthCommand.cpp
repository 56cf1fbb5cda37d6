// `halospot auth hubspot|halo`: option parsing, the live check of the piped-in secret, and saving
// it (plus the settings that go with it) only once the service has accepted it.
#include "AuthCommand.h"

#include "CommandLine.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTextStream>

#include <memory>
#include <optional>

namespace halospot::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("halospot auth", text);
}

using Output = CommandOutput;

// The sentence for a keychain write that did not happen, and the hint that fits a headless run.
int keychainFailure(Output &o, const api::SecretResult &result, const char *envName)
{
    QString message = keychainProblem(result.message) + QLatin1Char(' ');
    if (result.noKeychain()) {
        message += tr("Nothing was saved: HaloSpot keeps secrets only in the system keychain, "
                      "and a command cannot keep one for this session only. For headless runs "
                      "set %1 in the environment instead.")
                       .arg(QString::fromLatin1(envName));
    } else {
        message += tr("Nothing was saved.");
    }
    return o.fail(ExitUsage, message);
}

QCommandLineOption helpOption()
{
    return QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                              tr("Show this help."));
}

QString authSummary()
{
    return tr("Usage: halospot auth <service> [options]\n"
              "\n"
              "Checks a secret read from standard input and keeps it in the system keychain.\n"
              "\n"
              "Services:\n"
              "  hubspot   --token-stdin: a HubSpot private-app token or service key\n"
              "  halo      --secret-stdin: the Halo API application's client secret\n"
              "\n"
              "Run 'halospot auth <service> --help' for the options.\n");
}

// The options and sentences that differ between `auth hubspot` and `auth halo` up to the point
// where each applies its own settings.
struct SecretCommand
{
    const QCommandLineOption &help;
    const QCommandLineOption &fromStdin;
    QString unexpectedArgument; // %1: the argument
    QString stdinMissing;
};

// The open data directory and the settings saved in it, for the command to change.
struct Opened
{
    std::unique_ptr<CommandContext> context;
    core::ConnectionConfig config;
};

// Parsing, --help, the refusal of a secret on the command line, opening the data directory and
// loading its settings: the same for both services. Returns the exit code when the command is
// already over (help shown or a usage problem), nothing when it should go on with `opened`.
std::optional<int> parseAndOpen(Output &o, QCommandLineParser &parser, const QStringList &arguments,
                                const GlobalOptions &globals, const SecretCommand &command,
                                Opened &opened)
{
    if (!parser.parse(arguments))
        return o.fail(ExitUsage, parser.errorText());
    if (parser.isSet(command.help)) {
        o.out << commandHelp(parser, o.name) << Qt::flush;
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        return o.fail(ExitUsage,
                      command.unexpectedArgument.arg(parser.positionalArguments().constFirst()));
    }
    if (!parser.isSet(command.fromStdin))
        return o.fail(ExitUsage, command.stdinMissing);

    Result<std::unique_ptr<CommandContext>> context = CommandContext::open(globals.dataDir);
    if (!context.ok())
        return o.fail(ExitUsage, context.error());
    const Result<core::ConnectionConfig> loaded =
        core::ConnectionConfig::load(context.value()->store());
    if (!loaded.ok())
        return o.fail(ExitUsage, loaded.error());
    opened.context = std::move(context).value();
    opened.config = loaded.value();
    return std::nullopt;
}

bool isApiVersion(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(v[1-9][0-9]*|[0-9]{4}-[0-9]{2})$"));
    return pattern.match(text).hasMatch();
}

int runHubSpot(const QStringList &arguments, const GlobalOptions &globals)
{
    Output o;
    o.name = arguments.constFirst();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Reads a HubSpot private-app token or service key from standard input, checks it "
           "against HubSpot and, when HubSpot accepts it, keeps it in the system keychain and "
           "switches HaloSpot to static-token sign-in. The token is never printed."));
    const QCommandLineOption help = helpOption();
    const QCommandLineOption tokenStdin(QStringLiteral("token-stdin"),
                                        tr("Read the token from standard input (required)."));
    const QCommandLineOption apiBase(QStringLiteral("api-base"),
                                     tr("HubSpot's API address (saved when the token works)."),
                                     QStringLiteral("url"));
    const QCommandLineOption apiVersion(
        QStringLiteral("api-version"),
        tr("The API version: v3, or a date version such as 2026-03 (saved when the token works)."),
        QStringLiteral("version"));
    parser.addOptions({help, tokenStdin, apiBase, apiVersion});
    Opened opened;
    if (const std::optional<int> done = parseAndOpen(
            o, parser, arguments, globals,
            {help, tokenStdin,
             tr("Unexpected argument '%1'. The token is read from standard input."),
             tr("Give --token-stdin and pipe the token in: on the command line it would be "
                "visible to other users.")},
            opened))
        return *done;
    CommandContext &context = *opened.context;
    core::ConnectionConfig &config = opened.config;
    if (parser.isSet(apiBase))
        config.hubspot.apiBase = QUrl(parser.value(apiBase), QUrl::StrictMode);
    if (const Status s =
            core::checkServiceUrl(config.hubspot.apiBase, tr("The HubSpot API address"));
        !s.ok())
        return o.fail(ExitUsage, s.error());
    if (parser.isSet(apiVersion)) {
        if (!isApiVersion(parser.value(apiVersion))) {
            return o.fail(ExitUsage, tr("'%1' is not a HubSpot API version: use v3 or a date "
                                        "version such as 2026-03.")
                                         .arg(parser.value(apiVersion)));
        }
        config.hubspot.apiVersion = parser.value(apiVersion);
    }

    const Result<QString> token = readSecretLine(tr("HubSpot token"));
    if (!token.ok())
        return o.fail(ExitUsage, token.error());

    api::HubSpotTokens tokens(api::hubSpotSettings(config.hubspot));
    tokens.setStaticToken(token.value());
    const api::HubSpotCheckResult checked = checkHubSpot(tokens);
    if (!checked.ok()) {
        const int code = exitCodeFor(checked.error);
        const QString why = code == ExitAuth ? tr("HubSpot refused the token: %1")
                                             : tr("The token could not be checked: %1");
        return o.fail(code, why.arg(checked.message) + QLatin1Char(' ') + tr("Nothing was saved."));
    }

    // The keychain first: if it cannot take the token, the settings stay as they were.
    const api::SecretResult saved =
        context.writeSecret(api::Secret::HubSpotStaticToken, token.value());
    if (!saved.ok())
        return keychainFailure(o, saved, api::kEnvHubSpotToken);

    config.hubspot.auth = core::HubSpotAuthMode::StaticToken;
    if (const Status s = config.save(context.store()); !s.ok())
        return o.fail(ExitUsage, s.error());
    if (const Status s =
            core::saveHubSpotAccount(context.store(), api::accountSnapshot(checked.account));
        !s.ok())
        return o.fail(ExitUsage, s.error());

    o.out << tr("HubSpot accepted the token; it is kept in the system keychain.") << '\n'
          << "  " << tr("Portal ID: %1").arg(checked.account.portalId) << '\n'
          << "  " << tr("Domain:    %1").arg(checked.account.domain) << '\n';
    if (!checked.account.missingScopes.isEmpty()) {
        o.out << "  "
              << tr("Missing access: %1")
                     .arg(checked.account.missingScopes.join(QStringLiteral(", ")))
              << '\n';
    }
    o.out << Qt::flush;
    return ExitOk;
}

int runHalo(const QStringList &arguments, const GlobalOptions &globals)
{
    Output o;
    o.name = arguments.constFirst();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Saves the Halo connection settings given, reads the API application's client secret "
           "from standard input and runs Halo's connection test with it. The secret is kept in "
           "the system keychain when Halo issues a token with it; it is never printed."));
    const QCommandLineOption help = helpOption();
    const QCommandLineOption secretStdin(
        QStringLiteral("secret-stdin"),
        tr("Read the client secret from standard input (required)."));
    const QCommandLineOption url(QStringLiteral("url"),
                                 tr("The Halo instance, e.g. https://acme.halopsa.com."),
                                 QStringLiteral("url"));
    const QCommandLineOption clientId(QStringLiteral("client-id"),
                                      tr("The API application's client ID."), QStringLiteral("id"));
    const QCommandLineOption tenant(QStringLiteral("tenant"),
                                    tr("The tenant (hosted Halo; empty: discovered)."),
                                    QStringLiteral("tenant"));
    const QCommandLineOption authUrl(
        QStringLiteral("auth-url"),
        tr("The authorisation server (empty: discovered through /api/authinfo)."),
        QStringLiteral("url"));
    parser.addOptions({help, secretStdin, url, clientId, tenant, authUrl});
    Opened opened;
    if (const std::optional<int> done = parseAndOpen(
            o, parser, arguments, globals,
            {help, secretStdin,
             tr("Unexpected argument '%1'. The secret is read from standard input."),
             tr("Give --secret-stdin and pipe the client secret in: on the command line it would "
                "be visible to other users.")},
            opened))
        return *done;
    CommandContext &context = *opened.context;
    core::ConnectionConfig &config = opened.config;
    core::HaloConnectionConfig &halo = config.halo;
    if (parser.isSet(url))
        halo.url = QUrl(parser.value(url), QUrl::StrictMode);
    if (parser.isSet(clientId))
        halo.clientId = parser.value(clientId).trimmed();
    if (parser.isSet(tenant))
        halo.tenant = parser.value(tenant).trimmed();
    if (parser.isSet(authUrl)) {
        halo.authUrl = parser.value(authUrl).trimmed().isEmpty()
                           ? QUrl()
                           : QUrl(parser.value(authUrl), QUrl::StrictMode);
    }
    if (const Status s = core::checkServiceUrl(halo.url, tr("The Halo URL")); !s.ok())
        return o.fail(ExitUsage, s.error() + QLatin1Char(' ') + tr("Give it with --url."));
    if (!halo.authUrl.isEmpty()) {
        if (const Status s = core::checkServiceUrl(halo.authUrl, tr("The Halo authorisation URL"));
            !s.ok())
            return o.fail(ExitUsage, s.error());
    }
    if (halo.clientId.isEmpty())
        return o.fail(ExitUsage, tr("No Halo client ID: give it with --client-id."));

    const Result<QString> secret = readSecretLine(tr("Halo client secret"));
    if (!secret.ok())
        return o.fail(ExitUsage, secret.error());
    if (const Status s = config.save(context.store()); !s.ok())
        return o.fail(ExitUsage, s.error());

    o.out << tr("Testing the connection to %1...").arg(halo.url.toString()) << '\n' << Qt::flush;
    const HaloCheckOutcome outcome =
        checkHalo(api::haloSettings(halo, secret.value()), [&o](const api::HaloStepResult &step) {
            o.out << "  [" << haloStateName(step.state) << "] " << step.title;
            if (!step.message.isEmpty())
                o.out << ": " << step.message;
            o.out << '\n' << Qt::flush;
        });
    if (!outcome.tokenOk()) {
        const QString why = outcome.exitCode == ExitAuth
                                ? tr("Halo did not issue a token with this client ID, secret and "
                                     "tenant.")
                                : tr("Halo could not be reached.");
        return o.fail(outcome.exitCode, why + QLatin1Char(' ') + tr("The secret was not saved."));
    }
    const api::SecretResult saved =
        context.writeSecret(api::Secret::HaloClientSecret, secret.value());
    if (!saved.ok())
        return keychainFailure(o, saved, api::kEnvHaloSecret);
    o.out << tr("Halo issued a token; the client secret is kept in the system keychain.") << '\n';
    if (!outcome.ok)
        o.out << tr("Some checks failed (see above); fix them before importing.") << '\n';
    o.out << Qt::flush;
    return ExitOk;
}

} // namespace

int runAuthCommand(const QStringList &arguments, const GlobalOptions &globals)
{
    const QString name = arguments.value(0, QStringLiteral("halospot auth"));
    const QString service = arguments.value(1);
    if (service == QLatin1String("-h") || service == QLatin1String("--help")) {
        QTextStream(stdout) << authSummary() << Qt::flush;
        return ExitOk;
    }
    QStringList rest = arguments.mid(1);
    if (!rest.isEmpty())
        rest.first() = name + QLatin1Char(' ') + service;
    if (service == QLatin1String("hubspot"))
        return runHubSpot(rest, globals);
    if (service == QLatin1String("halo"))
        return runHalo(rest, globals);
    QTextStream err(stderr);
    if (service.isEmpty())
        err << name << ": " << tr("Name the service: hubspot or halo.") << '\n';
    else
        err << name << ": " << tr("Unknown service '%1'.").arg(service) << '\n';
    err << authSummary() << Qt::flush;
    return ExitUsage;
}

} // namespace halospot::app
