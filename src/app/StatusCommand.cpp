// `halospot status`: loads the secrets (keychain or environment), checks HubSpot and Halo live,
// keeps a rotated HubSpot refresh token, and prints both connections, the links and the last runs
// as text or JSON.
#include "StatusCommand.h"

#include "CommandLine.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace halospot::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("halospot status", text);
}

constexpr int kRecentRuns = 5;

// One service's line in the report.
struct ServiceStatus
{
    QString state = QStringLiteral("ok"); // ok | not_configured | failed
    int exitCode = ExitOk;
    QString message;
    QJsonObject details; // what the JSON shows besides state/message
    QStringList lines;   // the same for people, one line each

    void fail(const QString &newState, int code, const QString &why)
    {
        state = newState;
        exitCode = code;
        message = why;
    }
    QJsonObject json() const
    {
        QJsonObject o = details;
        o.insert(QStringLiteral("state"), state);
        o.insert(QStringLiteral("exit_code"), exitCode);
        if (!message.isEmpty())
            o.insert(QStringLiteral("message"), message);
        return o;
    }
};

// A needed secret is missing. When the keychain could not be read at all that is the reason
// (exit 2, like auth's), otherwise the service is simply not set up (3).
void missingSecret(ServiceStatus &status, const api::SecretSet &secrets, const QString &what)
{
    if (secrets.outcome != api::SecretOutcome::Ok) {
        status.fail(QStringLiteral("failed"), ExitUsage,
                    keychainProblem(secrets.message) + QLatin1Char(' ') + what);
        return;
    }
    status.fail(QStringLiteral("not_configured"), ExitAuth, what);
}

ServiceStatus hubSpotStatus(CommandContext &context, const core::ConnectionConfig &config,
                            const api::SecretSet &secrets, bool tokenFromEnvironment)
{
    ServiceStatus status;
    const bool isStatic =
        tokenFromEnvironment || config.hubspot.auth == core::HubSpotAuthMode::StaticToken;
    QString mode = isStatic ? QStringLiteral("static-token") : QStringLiteral("oauth");
    status.details.insert(QStringLiteral("auth"), mode);
    status.details.insert(QStringLiteral("secret_source"),
                          tokenFromEnvironment ? QString::fromLatin1(api::kEnvHubSpotToken)
                                               : QStringLiteral("keychain"));
    status.details.insert(QStringLiteral("api_base"), config.hubspot.apiBase.toString());
    status.lines << tr("Sign-in:   %1%2")
                        .arg(isStatic ? tr("private-app token or service key") : tr("OAuth app"),
                             tokenFromEnvironment
                                 ? tr(" (from %1)").arg(QString::fromLatin1(api::kEnvHubSpotToken))
                                 : QString());
    status.lines << tr("API:       %1").arg(config.hubspot.apiBase.toString());

    if (const Status s =
            core::checkServiceUrl(config.hubspot.apiBase, tr("The HubSpot API address"));
        !s.ok()) {
        status.fail(QStringLiteral("failed"), ExitUsage, s.error());
        return status;
    }

    api::HubSpotTokens tokens(api::hubSpotSettings(config.hubspot));
    QString clientId;
    QString clientSecret;
    QString newRefreshToken;
    if (isStatic) {
        if (!secrets.has(api::Secret::HubSpotStaticToken)) {
            missingSecret(status, secrets,
                          tr("No HubSpot token: run 'halospot auth hubspot --token-stdin' or set "
                             "%1.")
                              .arg(QString::fromLatin1(api::kEnvHubSpotToken)));
            return status;
        }
        tokens.setStaticToken(secrets.value(api::Secret::HubSpotStaticToken));
    } else {
        clientId = config.hubspot.clientId;
        clientSecret = secrets.value(api::Secret::HubSpotClientSecret);
        const QString refreshToken = secrets.value(api::Secret::HubSpotRefreshToken);
        if (clientId.isEmpty() || clientSecret.isEmpty() || refreshToken.isEmpty()) {
            missingSecret(status, secrets,
                          tr("HubSpot is not connected: connect in HaloSpot's window, or use a "
                             "private-app token ('halospot auth hubspot --token-stdin' or %1).")
                              .arg(QString::fromLatin1(api::kEnvHubSpotToken)));
            return status;
        }
        tokens.setOAuth(clientId, clientSecret, refreshToken);
        QObject::connect(&tokens, &api::HubSpotTokens::refreshTokenChanged, &tokens,
                         [&newRefreshToken](const QString &token) { newRefreshToken = token; });
    }

    const api::HubSpotCheckResult checked = checkHubSpot(tokens, clientId, clientSecret);
    if (!newRefreshToken.isEmpty() &&
        newRefreshToken != secrets.value(api::Secret::HubSpotRefreshToken)) {
        // HubSpot may rotate the refresh token; the old one may stop working, so keep the new one.
        const api::SecretResult kept =
            context.writeSecret(api::Secret::HubSpotRefreshToken, newRefreshToken);
        if (!kept.ok())
            status.lines
                << tr("Warning:   the new refresh token was not kept: %1").arg(kept.message);
    }
    if (!checked.ok()) {
        status.fail(QStringLiteral("failed"), exitCodeFor(checked.error), checked.message);
        return status;
    }

    const api::HubSpotAccount &a = checked.account;
    status.details.insert(
        QStringLiteral("account"),
        QJsonObject{
            {QStringLiteral("portal_id"), a.portalId},
            {QStringLiteral("domain"), a.domain},
            {QStringLiteral("user"), a.user},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(a.scopes)},
            {QStringLiteral("missing_scopes"), QJsonArray::fromStringList(a.missingScopes)}});
    status.lines << tr("Portal ID: %1").arg(a.portalId) << tr("Domain:    %1").arg(a.domain);
    if (!a.user.isEmpty())
        status.lines << tr("User:      %1").arg(a.user);
    if (!a.missingScopes.isEmpty())
        status.lines << tr("Missing access: %1").arg(a.missingScopes.join(QStringLiteral(", ")));

    if (const Status s = core::saveHubSpotAccount(context.store(), api::accountSnapshot(a));
        !s.ok())
        status.lines << tr("Warning:   %1").arg(s.error());
    return status;
}

ServiceStatus haloStatus(const core::ConnectionConfig &config, const api::SecretSet &secrets,
                         bool secretFromEnvironment)
{
    ServiceStatus status;
    const core::HaloConnectionConfig &halo = config.halo;
    status.details.insert(QStringLiteral("url"), halo.url.toString());
    status.details.insert(QStringLiteral("client_id"), halo.clientId);
    status.details.insert(QStringLiteral("secret_source"),
                          secretFromEnvironment ? QString::fromLatin1(api::kEnvHaloSecret)
                                                : QStringLiteral("keychain"));
    if (!halo.isConfigured()) {
        status.fail(QStringLiteral("not_configured"), ExitAuth,
                    tr("Halo is not set up: run 'halospot auth halo --url URL --client-id ID "
                       "--secret-stdin'."));
        return status;
    }
    status.lines << tr("URL:       %1").arg(halo.url.toString())
                 << tr("Client ID: %1").arg(halo.clientId);
    if (const Status s = core::checkServiceUrl(halo.url, tr("The Halo URL")); !s.ok()) {
        status.fail(QStringLiteral("failed"), ExitUsage, s.error());
        return status;
    }
    if (!halo.authUrl.isEmpty()) {
        if (const Status s = core::checkServiceUrl(halo.authUrl, tr("The Halo authorisation URL"));
            !s.ok()) {
            status.fail(QStringLiteral("failed"), ExitUsage, s.error());
            return status;
        }
    }
    if (!secrets.has(api::Secret::HaloClientSecret)) {
        missingSecret(status, secrets,
                      tr("No Halo client secret: run 'halospot auth halo --secret-stdin' or set "
                         "%1.")
                          .arg(QString::fromLatin1(api::kEnvHaloSecret)));
        return status;
    }

    const HaloCheckOutcome outcome =
        checkHalo(api::haloSettings(halo, secrets.value(api::Secret::HaloClientSecret)));
    QJsonArray steps;
    for (const api::HaloStepResult &step : outcome.steps) {
        steps.append(QJsonObject{{QStringLiteral("step"), haloStepKey(step.step)},
                                 {QStringLiteral("state"), haloStateName(step.state)},
                                 {QStringLiteral("title"), step.title},
                                 {QStringLiteral("message"), step.message}});
        status.lines << QStringLiteral("[%1] %2%3")
                            .arg(haloStateName(step.state), step.title,
                                 step.message.isEmpty() ? QString()
                                                        : QStringLiteral(": ") + step.message);
    }
    status.details.insert(QStringLiteral("steps"), steps);
    if (!outcome.ok) {
        QString why;
        for (const api::HaloStepResult &step : outcome.steps) {
            if (step.state == api::HaloStepResult::State::Failed) {
                why = step.message;
                break;
            }
        }
        status.fail(QStringLiteral("failed"), outcome.exitCode,
                    why.isEmpty() ? tr("The connection test failed.") : why);
    }
    return status;
}

QString stateText(const ServiceStatus &s)
{
    if (s.state == QLatin1String("ok"))
        return tr("working");
    if (s.state == QLatin1String("not_configured"))
        return tr("not set up");
    return tr("not working");
}

QString countsText(const QJsonObject &counts)
{
    QStringList parts;
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it.value().toInteger() != 0)
            parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value().toInteger());
    }
    return parts.join(QStringLiteral(", "));
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

// 2 before 3 before 4: what needs a person comes first.
int combinedExitCode(int a, int b)
{
    for (const int code : {int(ExitUsage), int(ExitAuth), int(ExitUnreachable)}) {
        if (a == code || b == code)
            return code;
    }
    return a != ExitOk ? a : b;
}

} // namespace

int runStatusCommand(const QStringList &arguments, const GlobalOptions &globals)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString name = arguments.value(0, QStringLiteral("halospot status"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Checks both connections live (secrets from the system keychain, or from %1 and %2 "
           "when set) and shows them with the link counts and the last runs. Exits 0 only when "
           "both services work.")
            .arg(QString::fromLatin1(api::kEnvHubSpotToken),
                 QString::fromLatin1(api::kEnvHaloSecret)));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  tr("Print one JSON object instead of text."));
    parser.addOptions({help, json});
    if (!parser.parse(arguments)) {
        err << name << ": " << parser.errorText() << Qt::endl;
        return ExitUsage;
    }
    if (parser.isSet(help)) {
        out << commandHelp(parser, name) << Qt::flush;
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << name << ": "
            << tr("Unexpected argument '%1'.").arg(parser.positionalArguments().constFirst())
            << Qt::endl;
        return ExitUsage;
    }

    const Result<std::unique_ptr<CommandContext>> opened = CommandContext::open(globals.dataDir);
    if (!opened.ok()) {
        err << name << ": " << opened.error() << Qt::endl;
        return ExitUsage;
    }
    CommandContext &context = *opened.value();
    const Result<core::ConnectionConfig> config = core::ConnectionConfig::load(context.store());
    if (!config.ok()) {
        err << name << ": " << config.error() << Qt::endl;
        return ExitUsage;
    }

    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const auto fromEnvironment = [&environment](const char *variable) {
        return !environment.value(QString::fromLatin1(variable)).trimmed().isEmpty();
    };
    const api::SecretSet secrets = context.loadSecrets(environment);
    const ServiceStatus hubspot =
        hubSpotStatus(context, config.value(), secrets, fromEnvironment(api::kEnvHubSpotToken));
    const ServiceStatus halo =
        haloStatus(config.value(), secrets, fromEnvironment(api::kEnvHaloSecret));

    core::Store &store = context.store();
    const Result<qint64> companies = store.linkCount(core::Entity::Company);
    const Result<qint64> contacts = store.linkCount(core::Entity::Contact);
    const Result<QList<core::RunRecord>> runs = store.recentRuns(kRecentRuns);
    for (const QString &problem :
         {companies.ok() ? QString() : companies.error(),
          contacts.ok() ? QString() : contacts.error(), runs.ok() ? QString() : runs.error()}) {
        if (!problem.isEmpty())
            err << name << ": " << problem << '\n';
    }
    const int exitCode = combinedExitCode(hubspot.exitCode, halo.exitCode);

    if (parser.isSet(json)) {
        QJsonArray runList;
        for (const core::RunRecord &r : runs.ok() ? runs.value() : QList<core::RunRecord>()) {
            runList.append(QJsonObject{{QStringLiteral("id"), r.id},
                                       {QStringLiteral("kind"), r.kind},
                                       {QStringLiteral("dry_run"), r.dryRun},
                                       {QStringLiteral("status"), r.status},
                                       {QStringLiteral("started_at"), timeText(r.startedAt)},
                                       {QStringLiteral("finished_at"), timeText(r.finishedAt)},
                                       {QStringLiteral("counts"), r.counts}});
        }
        const QJsonObject document{
            {QStringLiteral("data_dir"), context.dataDir()},
            {QStringLiteral("hubspot"), hubspot.json()},
            {QStringLiteral("halo"), halo.json()},
            {QStringLiteral("links"),
             QJsonObject{{QStringLiteral("companies"), companies.ok() ? companies.value() : -1},
                         {QStringLiteral("contacts"), contacts.ok() ? contacts.value() : -1}}},
            {QStringLiteral("runs"), runList},
            {QStringLiteral("exit_code"), exitCode}};
        out << QString::fromUtf8(QJsonDocument(document).toJson(QJsonDocument::Indented))
            << Qt::flush;
        return exitCode;
    }

    const auto printService = [&out](const QString &title, const ServiceStatus &s) {
        out << title << ": " << stateText(s) << '\n';
        for (const QString &line : s.lines)
            out << "  " << line << '\n';
        if (!s.message.isEmpty())
            out << "  " << tr("Problem:   %1").arg(s.message) << '\n';
    };
    out << tr("Data:      %1").arg(context.dataDir()) << '\n';
    printService(QStringLiteral("HubSpot"), hubspot);
    printService(QStringLiteral("Halo"), halo);
    out << tr("Links:     %1 companies, %2 contacts")
               .arg(companies.ok() ? QString::number(companies.value()) : QStringLiteral("?"),
                    contacts.ok() ? QString::number(contacts.value()) : QStringLiteral("?"))
        << '\n';
    out << tr("Last runs:") << '\n';
    if (!runs.ok() || runs.value().isEmpty())
        out << "  " << tr("(none)") << '\n';
    for (const core::RunRecord &r : runs.ok() ? runs.value() : QList<core::RunRecord>()) {
        out << "  #" << r.id << ' ' << r.kind << (r.dryRun ? tr(" (dry run)") : QString()) << ", "
            << r.status << ", " << tr("started %1").arg(timeText(r.startedAt));
        const QString counts = countsText(r.counts);
        if (!counts.isEmpty())
            out << ", " << counts;
        out << '\n';
    }
    out << Qt::flush;
    return exitCode;
}

} // namespace halospot::app
