// `halospot import`: the run lock, the profile and secrets turned into a JobSpec, the job on an
// EngineHost, SIGINT/SIGTERM as a cancel, the rotated refresh token kept, the report file, the
// summary, and the exit code (a failed run's cause asked of both services when the job does not
// say it).
#include "ImportCommand.h"

#include "CommandLine.h"
#include "Engine.h"
#include "EngineHost.h"
#include "JobSetup.h"
#include "ProfileStore.h"
#include "RunItems.h"
#include "RunLock.h"
#include "RunReportJson.h"
#include "StopSignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

namespace halospot::app {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("halospot::app::ImportCommand", text, disambiguation, n);
}

constexpr int kProgressEveryMs = 2000;
constexpr int kCancelWaitMs = 60000;
constexpr int kListPage = 500;

// Runs nested event loops until `done` holds or `timeoutMs` passed.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done();
}

// Keeps the newest refresh token HubSpot handed out in the keychain, one write at a time so that
// an older token never overwrites a newer one.
class TokenKeeper final
{
public:
    explicit TokenKeeper(api::Credentials &credentials)
        : m_credentials(credentials)
    {}
    ~TokenKeeper() { *m_alive = false; }
    TokenKeeper(const TokenKeeper &) = delete;
    TokenKeeper &operator=(const TokenKeeper &) = delete;

    void keep(const QString &token)
    {
        if (token.isEmpty())
            return;
        m_newest = token;
        writeNext();
    }
    bool idle() const { return !m_writing; }
    const QString &newest() const { return m_newest; }
    const QString &problem() const { return m_problem; }

private:
    void writeNext()
    {
        if (m_writing || m_newest == m_written)
            return;
        m_writing = true;
        const QString token = m_newest;
        std::shared_ptr<bool> alive = m_alive;
        m_credentials.write(api::Secret::HubSpotRefreshToken, token,
                            [this, alive, token](const api::SecretResult &result) {
                                if (!*alive)
                                    return;
                                m_writing = false;
                                if (result.ok()) {
                                    m_written = token;
                                    m_problem.clear();
                                } else {
                                    m_problem = keychainProblem(result.message);
                                    m_written = token; // not again and again
                                }
                                writeNext();
                            });
    }

    api::Credentials &m_credentials;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    QString m_newest;
    QString m_written;
    bool m_writing = false;
    QString m_problem;
};

QString durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString progressLine(const engine::Progress &p)
{
    const engine::Counts &c = p.counts;
    QString line = p.phase;
    if (c.read > 0 || p.total > 0) {
        line += QStringLiteral(": ");
        line +=
            p.total >= 0 ? tr("%1 of %2 read").arg(c.read).arg(p.total) : tr("%1 read").arg(c.read);
        line += tr(", %1 done (%2 created, %3 updated, %4 unchanged, %5 failed)")
                    .arg(c.settled())
                    .arg(c.created)
                    .arg(c.updated)
                    .arg(c.unchanged)
                    .arg(c.failed);
        if (p.perSecond > 0)
            line += tr(", %1/s").arg(p.perSecond, 0, 'f', 1);
        if (p.etaSeconds >= 0)
            line += tr(", about %1 left").arg(durationText(p.etaSeconds));
    }
    return line;
}

QString countsText(const engine::Counts &c)
{
    return tr("%1 read: %2 created, %3 updated, %4 unchanged, %5 skipped, %6 ambiguous, %7 "
              "failed, %8 filtered out.")
        .arg(c.read)
        .arg(c.created)
        .arg(c.updated)
        .arg(c.unchanged)
        .arg(c.skipped)
        .arg(c.ambiguous)
        .arg(c.failed)
        .arg(c.filteredOut);
}

// The exit code for a job that could not even be set up (makeJobSpec failed): a secret missing
// from a readable keychain is a sign-in matter (3, as `status` says), anything else (a missing
// address or ID, a keychain that could not be read) is configuration (2).
int setupExitCode(const core::Profile &profile, const api::SecretSet &secrets)
{
    if (secrets.outcome != api::SecretOutcome::Ok)
        return ExitUsage;
    const core::ConnectionConfig &c = profile.connection;
    if (!c.halo.isConfigured() || !c.hubspot.apiBase.isValid() || c.hubspot.apiBase.isEmpty())
        return ExitUsage;
    if (c.hubspot.auth == core::HubSpotAuthMode::OAuth && c.hubspot.clientId.isEmpty())
        return ExitUsage;
    return ExitAuth;
}

// Asks both services what the failed run's API error would have said: 3 before 4 before 2.
int probeServices(const engine::JobSpec &spec, TokenKeeper &keeper)
{
    api::HubSpotTokens tokens(spec.hubspot);
    const engine::HubSpotCredentials &c = spec.hubspotCredentials;
    if (!c.staticToken.isEmpty()) {
        tokens.setStaticToken(c.staticToken);
    } else {
        tokens.setOAuth(c.clientId, c.clientSecret,
                        keeper.newest().isEmpty() ? c.refreshToken : keeper.newest());
        QObject::connect(&tokens, &api::HubSpotTokens::refreshTokenChanged, &tokens,
                         [&keeper](const QString &token) { keeper.keep(token); });
    }
    const api::HubSpotCheckResult hubspot = checkHubSpot(tokens, c.clientId, c.clientSecret);
    const int hubspotCode = exitCodeFor(hubspot.error);
    const int haloCode = probeHalo(spec.halo);
    for (const int code : {int(ExitAuth), int(ExitUnreachable), int(ExitUsage)}) {
        if (hubspotCode == code || haloCode == code)
            return code;
    }
    return ExitOk;
}

int failedRunExitCode(const engine::RunReport &report, const engine::JobSpec &spec,
                      TokenKeeper &keeper)
{
    if (report.failureError) {
        if (*report.failureError == api::ApiError::None)
            return ExitUsage;
        return exitCodeFor(*report.failureError);
    }
    const int probed = probeServices(spec, keeper);
    if (probed != ExitOk)
        return probed;
    // Both services sign in and answer now: a run that ended before it read a single record was
    // stopped by something of this computer's (field mappings that cannot work, the database);
    // one that ended later met a service that kept refusing and has recovered since.
    return report.counts.read == 0 ? int(ExitUsage) : int(ExitUnreachable);
}

// The failed and ambiguous records with their reasons, read from the store a page at a time.
void printRecords(CommandOutput &o, const core::Store &store, qint64 runId, const QString &action,
                  const QString &title)
{
    qint64 offset = 0;
    for (;;) {
        const auto page = core::runItems(store, runId, action, offset, kListPage);
        if (!page.ok()) {
            o.err << o.name << ": " << page.error() << Qt::endl;
            return;
        }
        if (offset == 0 && !page.value().isEmpty())
            o.out << title << '\n';
        for (const core::RunItem &item : page.value())
            o.out << "  " << item.hubspotId << ": " << item.reason << '\n';
        offset += page.value().size();
        if (page.value().size() < kListPage)
            return;
    }
}

// Why the profile's contact settings cannot work, checked before anything runs; empty when they
// can (what needs the services, such as the default site's existence, is the job's to check).
QString contactSettingsProblem(const core::ContactSettings &contacts)
{
    if (contacts.include == core::ContactInclude::CompanyContactsAndStages &&
        contacts.lifecycleStages.isEmpty()) {
        return tr("contacts.include is \"company_contacts_and_stages\" but "
                  "contacts.lifecycle_stages is empty: choose the contact lifecycle stages to "
                  "include, or set contacts.include to \"company_contacts\" "
                  "(`halospot config import FILE`).");
    }
    return {};
}

// The sentences that differ between the two imports.
struct ImportTexts
{
    QString starting;
    QString dryRunStarting;
    QString title;
    QString dryRunTitle;
    QString ambiguous;
};

ImportTexts importTexts(engine::JobKind kind)
{
    if (kind == engine::JobKind::ImportContacts) {
        return {tr("Importing contacts."),
                tr("Dry run of the contact import: nothing is written to Halo."),
                tr("Contact import: %1."), tr("Dry run of the contact import: %1."),
                tr("Ambiguous:")};
    }
    return {tr("Importing companies."),
            tr("Dry run of the company import: nothing is written to Halo."),
            tr("Company import: %1."), tr("Dry run of the company import: %1."),
            tr("Ambiguous (add a customer mapping to choose):")};
}

} // namespace

int runImportCommand(const QStringList &arguments, const GlobalOptions &globals)
{
    CommandOutput o;
    o.name = arguments.value(0, QStringLiteral("halospot import"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Imports HubSpot companies into Halo customers, or HubSpot contacts into Halo users, "
           "with the stored profile. Secrets come from the system keychain, or from %1 and %2 "
           "when set. Progress goes to stderr, the results to stdout. Exit codes: 0 done; 1 "
           "records failed; 2 bad usage or configuration; 3 authentication failed; 4 a service "
           "unreachable or refusing; 5 cancelled or another run holds the lock.")
            .arg(QString::fromLatin1(api::kEnvHubSpotToken),
                 QString::fromLatin1(api::kEnvHaloSecret)));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help."));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    tr("Show what the import would do; write nothing to Halo."));
    const QCommandLineOption report(QStringLiteral("report"),
                                    tr("Write the JSON report of the run to <file>."),
                                    QStringLiteral("file"));
    parser.addOptions({help, dryRun, report});
    parser.addPositionalArgument(QStringLiteral("what"), tr("companies or contacts"));
    if (!parser.parse(arguments))
        return o.fail(ExitUsage, parser.errorText());
    if (parser.isSet(help)) {
        o.out << commandHelp(parser, o.name, QStringLiteral(" companies|contacts")) << Qt::flush;
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return o.fail(ExitUsage, tr("Give what to import: 'companies' or 'contacts'."));
    engine::JobKind kind = engine::JobKind::ImportCompanies;
    if (positional.first() == QLatin1String("contacts")) {
        kind = engine::JobKind::ImportContacts;
    } else if (positional.first() != QLatin1String("companies")) {
        return o.fail(
            ExitUsage,
            tr("Unknown import '%1': give 'companies' or 'contacts'.").arg(positional[0]));
    }
    const ImportTexts texts = importTexts(kind);
    const QString reportFile = parser.value(report);
    if (parser.isSet(report)) {
        const QFileInfo info(reportFile);
        if (reportFile.isEmpty() || info.isDir() || !info.absoluteDir().exists()) {
            return o.fail(ExitUsage, tr("The report file %1 cannot be written: its folder does "
                                        "not exist or it is a folder.")
                                         .arg(reportFile));
        }
    }

    Result<std::unique_ptr<CommandContext>> opened = CommandContext::open(globals.dataDir);
    if (!opened.ok())
        return o.fail(ExitUsage, opened.error());
    CommandContext &context = *opened.value();

    // One run per data directory at a time (the window takes the same lock).
    core::RunLock lock(context.dataDir());
    if (const Status locked = lock.tryLock(); !locked.ok()) {
        return o.fail(lock.lastFailure() == core::RunLock::Failure::HeldByAnother ? ExitCancelled
                                                                                  : ExitUsage,
                      locked.error());
    }

    Result<core::Profile> loaded = core::loadProfile(context.store());
    if (!loaded.ok())
        return o.fail(ExitUsage, loaded.error());
    core::Profile profile = loaded.value();
    if (kind == engine::JobKind::ImportContacts) {
        if (const QString problem = contactSettingsProblem(profile.contacts); !problem.isEmpty())
            return o.fail(ExitUsage, problem);
    }
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // A token in the environment wins, whatever sign-in the profile keeps (as `status` does).
    if (!environment.value(QString::fromLatin1(api::kEnvHubSpotToken)).trimmed().isEmpty())
        profile.connection.hubspot.auth = core::HubSpotAuthMode::StaticToken;
    for (const auto &[url, what] :
         {std::pair{profile.connection.hubspot.apiBase, tr("The HubSpot API address")},
          std::pair{profile.connection.halo.url, tr("The Halo URL")}}) {
        if (url.isEmpty())
            continue; // makeJobSpec names what is missing
        if (const Status s = core::checkServiceUrl(url, what); !s.ok())
            return o.fail(ExitUsage, s.error());
    }
    // Both secrets in the environment and a static token: the keychain is not needed at all (a
    // server without one runs without waiting for it).
    api::SecretSet secrets;
    const QString envToken =
        environment.value(QString::fromLatin1(api::kEnvHubSpotToken)).trimmed();
    const QString envSecret = environment.value(QString::fromLatin1(api::kEnvHaloSecret)).trimmed();
    if (!envToken.isEmpty() && !envSecret.isEmpty()) {
        secrets.values.insert(api::Secret::HubSpotStaticToken, envToken);
        secrets.values.insert(api::Secret::HaloClientSecret, envSecret);
    } else {
        secrets = context.loadSecrets(environment);
    }
    engine::JobSetupOptions setup;
    setup.kind = kind;
    setup.dryRun = parser.isSet(dryRun);
    setup.storePath = context.store().path();
    const Result<engine::JobSpec> made = engine::makeJobSpec(profile, secrets, setup);
    if (!made.ok()) {
        for (const QString &line : made.error().split(QLatin1Char('\n')))
            o.err << o.name << ": " << line << '\n';
        o.err << Qt::flush;
        return setupExitCode(profile, secrets);
    }
    const engine::JobSpec &spec = made.value();

    // The run. Its end quits the application's loop; so does SIGINT/SIGTERM (StopSignal), which
    // then cancels the job and waits for its report: writes whose outcome is unknown stay in the
    // intent journal for the next run.
    TokenKeeper keeper(context.credentials());
    engine::EngineHost host;
    engine::RunReport result;
    bool finished = false;
    engine::Progress last;
    QString printedPhase;
    QString printedLine;
    QElapsedTimer sincePrinted;
    // The same line again only after a while: a run waiting on a service still shows it lives.
    const auto printProgress = [&] {
        const QString line = progressLine(last);
        if (last.phase.isEmpty() || (line == printedLine && sincePrinted.isValid() &&
                                     sincePrinted.elapsed() < 3 * kProgressEveryMs))
            return;
        printedPhase = last.phase;
        printedLine = line;
        sincePrinted.start();
        o.err << line << Qt::endl;
    };
    QObject receiver;
    QObject::connect(host.engine(), &engine::Engine::progress, &receiver,
                     [&](const engine::Progress &p) {
                         last = p;
                         if (p.phase != printedPhase)
                             printProgress();
                     });
    QObject::connect(host.engine(), &engine::Engine::hubspotRefreshTokenChanged, &receiver,
                     [&keeper](const QString &token) { keeper.keep(token); });
    QObject::connect(host.engine(), &engine::Engine::finished, &receiver,
                     [&](const engine::RunReport &r) {
                         result = r;
                         finished = true;
                         QCoreApplication::exit(0);
                     });
    QTimer ticker;
    ticker.setInterval(kProgressEveryMs);
    QObject::connect(&ticker, &QTimer::timeout, &receiver, printProgress);
    ticker.start();
    o.err << (spec.dryRun ? texts.dryRunStarting : texts.starting) << Qt::endl;
    {
        StopSignal stop;
        host.start(spec);
        QCoreApplication::exec();
    }
    if (!finished) {
        o.err << tr("Stopping: cancelling the import…") << Qt::endl;
        host.cancel();
        if (!waitUntil([&finished] { return finished; }, kCancelWaitMs))
            return o.fail(ExitCancelled, tr("The import did not stop in time; it was ended."));
    }
    ticker.stop();
    printProgress();

    int code = ExitOk;
    if (result.status == QLatin1String("completed_with_errors"))
        code = ExitRecordsFailed;
    else if (result.status == QLatin1String("cancelled"))
        code = ExitCancelled;
    else if (result.status != QLatin1String("completed"))
        code = failedRunExitCode(result, spec, keeper);

    // HubSpot may have rotated the refresh token: the old one may be dead, so the new one must be
    // in the keychain before this process ends.
    waitUntil([&keeper] { return keeper.idle(); }, kCancelWaitMs);
    if (!keeper.problem().isEmpty()) {
        o.err << o.name << ": "
              << tr("The new HubSpot refresh token could not be kept in the keychain: %1 The "
                    "next run may have to sign in again.")
                     .arg(keeper.problem())
              << Qt::endl;
    }

    bool reportWritten = false;
    if (!reportFile.isEmpty()) {
        const Result<qint64> written = engine::writeReportFile(context.store(), result, reportFile);
        reportWritten = written.ok();
        if (!written.ok()) {
            o.err << o.name << ": " << written.error() << Qt::endl;
            if (code == ExitOk || code == ExitRecordsFailed)
                code = ExitUsage;
        }
    }

    const QString title = spec.dryRun ? texts.dryRunTitle : texts.title;
    o.out << title.arg(result.status) << '\n' << countsText(result.counts) << '\n';
    if (!result.error.isEmpty())
        o.out << result.error << '\n';
    if (result.runId > 0) {
        printRecords(o, context.store(), result.runId, QStringLiteral("failed"),
                     spec.dryRun ? tr("Would fail:") : tr("Failed:"));
        printRecords(o, context.store(), result.runId, QStringLiteral("ambiguous"),
                     texts.ambiguous);
    }
    if (reportWritten)
        o.out << tr("Report: %1").arg(QDir::toNativeSeparators(reportFile)) << '\n';
    o.out << Qt::flush;
    if (code != ExitOk && code != ExitRecordsFailed && !result.error.isEmpty())
        o.err << o.name << ": " << result.error << Qt::endl;
    return code;
}

} // namespace halospot::app
