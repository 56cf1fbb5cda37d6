// The data directory, keychain and waiting helpers the headless commands share.
#include "CommandContext.h"

#include "CommandLine.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>

#include <cstdio>

namespace halospot::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("halospot", text);
}

constexpr int kCommandKeychainRetryMs = 2000;

} // namespace

QString storePath(const QString &dataDir)
{
    return dataDir + QStringLiteral("/halospot.db");
}

int probeHalo(const api::HaloSettings &settings)
{
    api::HaloClient client(settings);
    // As quick as the check itself: one retry of a transient failure, not a run's long backoff.
    api::RetryPolicy policy = client.rest().retryPolicy();
    policy.maxAttempts = 2;
    policy.backoffBaseMs = 300;
    client.rest().setRetryPolicy(policy);
    QObject context;
    const api::ApiResponse response =
        awaitResult<api::ApiResponse>([&](std::function<void(const api::ApiResponse &)> done) {
            client.connectToHalo(&context, std::move(done));
        });
    switch (response.error) {
    case api::ApiError::None:
        return ExitOk;
    case api::ApiError::Http:
        return response.status >= 500 || response.status == 0 ? ExitUnreachable : ExitAuth;
    default:
        return exitCodeFor(response.error);
    }
}

Result<std::unique_ptr<CommandContext>> CommandContext::open(const QString &dataDir)
{
    using R = Result<std::unique_ptr<CommandContext>>;
    if (dataDir.isEmpty())
        return R::failure(tr("No data directory: give --data-dir or set HALOSPOT_DATA_DIR."));
    std::unique_ptr<CommandContext> context(new CommandContext);
    context->m_dataDir = dataDir;
    context->m_store = std::make_unique<core::Store>(storePath(dataDir));
    if (const Status opened = context->m_store->open(); !opened.ok())
        return R::failure(opened.error());
    const Result<QString> profile = core::profileId(*context->m_store);
    if (!profile.ok())
        return R::failure(profile.error());
    context->m_profileId = profile.value();
    context->m_secrets = std::make_unique<api::SecretStore>(api::SecretStore::defaultService());
    // The late-start retry is for the window opening at login before the Secret Service; a
    // command mostly runs on a machine that either has a keychain or never will (a server using
    // the environment variables), where a long wait would only slow every run down.
    context->m_secrets->setRetryDelayMs(kCommandKeychainRetryMs);
    context->m_credentials =
        std::make_unique<api::Credentials>(context->m_secrets.get(), context->m_profileId);
    return R(std::move(context));
}

CommandContext::~CommandContext()
{
    // The credentials refer to the secret store; end them first.
    m_credentials.reset();
    m_secrets.reset();
}

api::SecretResult CommandContext::writeSecret(api::Secret secret, const QString &value)
{
    return awaitResult<api::SecretResult>(
        [&](api::SecretStore::Done done) { m_credentials->write(secret, value, std::move(done)); });
}

api::SecretSet CommandContext::loadSecrets(const QProcessEnvironment &environment)
{
    return awaitResult<api::SecretSet>([&](std::function<void(const api::SecretSet &)> done) {
        m_credentials->loadAll(environment, std::move(done));
    });
}

Result<QString> readSecretLine(const QString &what)
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return Result<QString>::failure(tr("Could not read %1 from standard input.").arg(what));
    const QString line = QString::fromUtf8(in.readLine()).trimmed();
    if (line.isEmpty()) {
        return Result<QString>::failure(
            tr("Standard input held no %1: pipe it in, e.g. from a password manager.").arg(what));
    }
    return line;
}

QString keychainProblem(const QString &message)
{
    QString sentence = message.trimmed();
    if (sentence.isEmpty())
        return tr("The system keychain did not answer.");
    const qsizetype end = sentence.indexOf(QLatin1String(". "));
    if (end > 0)
        sentence.truncate(end + 1);
    if (!sentence.endsWith(QLatin1Char('.')))
        sentence += QLatin1Char('.');
    return sentence;
}

int exitCodeFor(api::ApiError error)
{
    switch (error) {
    case api::ApiError::None:
        return ExitOk;
    case api::ApiError::Unauthorized:
    case api::ApiError::ReconnectNeeded:
        return ExitAuth;
    case api::ApiError::Refused:
        return ExitUsage;
    case api::ApiError::Cancelled:
        return ExitCancelled;
    case api::ApiError::Network:
    case api::ApiError::Timeout:
    case api::ApiError::Http:
    case api::ApiError::RateLimited:
    case api::ApiError::DailyLimit:
    case api::ApiError::OutcomeUnknown:
    case api::ApiError::Malformed:
        break;
    }
    return ExitUnreachable;
}

api::HubSpotCheckResult checkHubSpot(api::HubSpotTokens &tokens, const QString &clientId,
                                     const QString &clientSecret)
{
    api::HubSpotCheck check(&tokens, clientId, clientSecret);
    return awaitResult<api::HubSpotCheckResult>(
        [&](std::function<void(const api::HubSpotCheckResult &)> done) {
            check.run(std::move(done));
        });
}

bool HaloCheckOutcome::tokenOk() const
{
    for (const api::HaloStepResult &step : steps) {
        if (step.step == api::HaloStep::Token)
            return step.state == api::HaloStepResult::State::Ok ||
                   step.state == api::HaloStepResult::State::Warning;
    }
    return false;
}

HaloCheckOutcome checkHalo(const api::HaloSettings &settings,
                           const std::function<void(const api::HaloStepResult &)> &onStep)
{
    HaloCheckOutcome outcome;
    {
        api::HaloCheck check(settings);
        QEventLoop loop;
        bool finished = false;
        if (onStep)
            QObject::connect(&check, &api::HaloCheck::stepFinished, &loop, onStep);
        QObject::connect(&check, &api::HaloCheck::finished, &loop,
                         [&](bool ok, const QList<api::HaloStepResult> &results) {
                             outcome.ok = ok;
                             outcome.steps = results;
                             finished = true;
                             loop.quit();
                         });
        check.run();
        if (!finished)
            loop.exec();
    }
    if (outcome.ok)
        return outcome;
    // A later step that failed after a token was issued is a permission or data problem.
    // Halo's token step failed: ask once more for a token, this time seeing the API error itself,
    // to tell "your credentials are wrong" (3) from "Halo could not be reached" (4); HaloCheck
    // reports sentences only. Working this time means the first failure was passing (4).
    if (outcome.tokenOk()) {
        outcome.exitCode = ExitAuth;
    } else {
        const int probed = probeHalo(settings);
        outcome.exitCode = probed == ExitOk ? int(ExitUnreachable) : probed;
    }
    return outcome;
}

QString commandHelp(const QCommandLineParser &parser, const QString &name, const QString &usageTail)
{
    QString text = parser.helpText();
    const qsizetype firstBreak = text.indexOf(QLatin1Char('\n'));
    if (firstBreak >= 0)
        text.replace(0, firstBreak, tr("Usage: %1 [options]%2").arg(name, usageTail));
    return text;
}

QString haloStateName(api::HaloStepResult::State state)
{
    switch (state) {
    case api::HaloStepResult::State::Ok:
        return QStringLiteral("ok");
    case api::HaloStepResult::State::Warning:
        return QStringLiteral("warning");
    case api::HaloStepResult::State::Failed:
        return QStringLiteral("failed");
    case api::HaloStepResult::State::Skipped:
        break;
    }
    return QStringLiteral("skipped");
}

QString haloStepKey(api::HaloStep step)
{
    switch (step) {
    case api::HaloStep::Token:
        return QStringLiteral("token");
    case api::HaloStep::ReadCustomers:
        return QStringLiteral("read_customers");
    case api::HaloStep::ReadFields:
        return QStringLiteral("read_fields");
    case api::HaloStep::WritePermission:
        break;
    }
    return QStringLiteral("write_permission");
}

} // namespace halospot::app
