// Benchmark (not a ctest): imports N HubSpot contacts (default 500 000, of C = 100 000 companies)
// into Halo users through the real engine thread under a real (offscreen) window, against the
// sandbox running in a child process with the reference docs' limits and latency, time-scaled.
// Prints, each with its goal: throughput against the binding rate-limit ceiling, Halo requests used
// against the minimum, peak RSS of this process (the app side only: the sandbox lives in the
// child) and its RSS as the run goes, and the longest GUI-thread stall.
//
// The set-up: the companies in the chosen lifecycle stages (default opportunity, customer and
// evangelist: 30 % of them) are imported first with the company import, as an administrator
// would; then the benchmark waits one Halo window (3 scaled minutes) so that the contact import
// starts with both rate windows empty, and imports the contacts with the default settings
// (include "company_contacts", no default site). So about 85 % x 30 % of the contacts belong to an
// imported company and are created (or matched by e-mail to the users Halo already has), 15 %
// have no company (filtered out) and the rest belong to companies that were not imported
// (skipped: no default site). Only the contact import is measured.
//
// The arithmetic (bench_import_companies.cpp has the rest):
// - Minimum HubSpot requests K_hs   = properties (1) + count (1) + ceil(N / 100) list pages
//                                     + ceil(K / 100) batch reads of companies,
//   K = the companies the contacts refer to that are not in Halo (their lifecycle stage decides
//   between the default site and "skipped", so it must be read once each).
// - Minimum Halo requests    K_halo = authinfo (1) + token (1) + FieldInfo (1, with mappings)
//                                     + ceil(C0 / page) customer pages + ceil(U0 / page) user pages
//                                     + ceil(W / batch) POSTs,
//   C0, U0 = Halo customers and users before the run, W = users written (created + updated).
// - t_min = max(K_hs / 11, K_halo / 2.78) scaled seconds; the figure is t_min / t_run.
// - Memory: VmRSS when 20 %, 50 % and 100 % of the contacts are settled (100 000, 250 000 and
//   500 000 by default): flat means the last is within 10 % (at least 10 MiB) of the first.
// - Quick run: --contacts 50000 --companies 10000 --no-wait (not rate-bound).
#include "BenchSupport.h"
#include "HubSpotStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QSet>
#include <QTemporaryDir>

using namespace halospot;
using namespace halospot::bench;

namespace {

struct Options
{
    qint64 contacts = 500000;
    qint64 companies = 100000;
    double scale = 3;
    int latencyMs = 300; // scaled ms
    int jitterMs = 300;
    int batch = engine::JobSpec{}.batchSize; // the app's defaults
    int inFlight = engine::JobSpec{}.writesInFlight;
    int pageSize = 1000;
    QStringList stages = {QStringLiteral("opportunity"), QStringLiteral("customer"),
                          QStringLiteral("evangelist")};
    bool wait = true;
};

// One import on the engine, run to its end while the window lives.
engine::RunReport runJob(QApplication &app, engine::EngineHost &host, const engine::JobSpec &spec,
                         qint64 *runMs)
{
    engine::RunReport report;
    bool done = false;
    QObject receiver;
    QObject::connect(host.engine(), &engine::Engine::finished, &receiver,
                     [&](const engine::RunReport &r) {
                         report = r;
                         done = true;
                         app.quit();
                     });
    QElapsedTimer run;
    QTimer::singleShot(0, &receiver, [&] {
        run.start();
        host.start(spec);
    });
    app.exec();
    *runMs = run.elapsed();
    if (!done)
        report.status = QStringLiteral("did not finish");
    return report;
}

void pause(qint64 ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// The companies the contacts refer to that are not linked to a Halo customer: the job must learn
// their lifecycle stage from HubSpot.
qint64 companiesToLookUp(const Options &o, const core::Store &store)
{
    sandbox::GeneratorConfig config;
    config.seed = ServeOptions{}.seed;
    config.companies = o.companies;
    config.contacts = o.contacts;
    const sandbox::Generator generator(config);
    std::vector<bool> referred(size_t(o.companies), false);
    for (qint64 i = 0; i < o.contacts; ++i) {
        for (const qint64 c : generator.contactCompanies(i))
            referred[size_t(c)] = true;
    }
    const qint64 base = sandbox::HubSpotStore::baseId(sandbox::ObjectKind::Company);
    qint64 n = 0;
    for (qint64 c = 0; c < o.companies; ++c) {
        if (!referred[size_t(c)])
            continue;
        const auto link =
            store.findLinkByHubSpotId(core::Entity::Company, QString::number(base + c));
        if (!link.ok() || !link.value())
            ++n;
    }
    return n;
}

void printCounts(const char *what, const engine::Counts &c)
{
    std::printf("  %s: read %lld, filtered out %lld, created %lld, updated %lld, unchanged %lld, "
                "skipped %lld, ambiguous %lld, failed %lld\n",
                what, c.read, c.filteredOut, c.created, c.updated, c.unchanged, c.skipped,
                c.ambiguous, c.failed);
}

int runBenchmark(QApplication &app, const Options &o, const ServeOptions &so)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer seeding;
    seeding.start();
    child.start(QCoreApplication::applicationFilePath(), serveArguments(so));
    const QJsonObject hello = readJsonLine(child, 1200000);
    if (hello.isEmpty()) {
        std::fprintf(stderr, "the sandbox did not start\n");
        return 2;
    }
    const qint64 sandboxMs = seeding.elapsed();

    QTemporaryDir dir;
    const QString dbPath = dir.filePath(QStringLiteral("halospot.db"));
    core::Store store(dbPath); // the GUI thread's connection (the engine opens its own)
    if (!store.open()) {
        std::fprintf(stderr, "cannot open the store\n");
        return 2;
    }

    engine::registerEngineMetaTypes();
    engine::EngineHost host;
    ResultWindow window(store, host.engine());
    StallProbe probe(window.widget());

    // 1. The companies, as an administrator imports them first.
    engine::JobSpec companies = sandboxSpec(hello, o.scale, o.pageSize, dbPath);
    companies.kind = engine::JobKind::ImportCompanies;
    companies.companies.lifecycleStages = o.stages;
    companies.batchSize = o.batch;
    companies.writesInFlight = o.inFlight;
    probe.start();
    qint64 companyMs = 0;
    const engine::RunReport companyReport = runJob(app, host, companies, &companyMs);
    probe.stop();
    const qint64 companyStall = probe.worstStall;
    if (companyReport.status != QLatin1String("completed") &&
        companyReport.status != QLatin1String("completed_with_errors")) {
        std::fprintf(stderr, "the company import ended %s: %s\n", qPrintable(companyReport.status),
                     qPrintable(companyReport.error));
        return 1;
    }
    const double rssAfterCompanies = currentRssMiB();
    const double peakAfterCompanies = peakRssMiB();
    const qint64 lookUps = companiesToLookUp(o, store);
    if (o.wait) {
        // Both rolling windows empty again before the measured run.
        const qint64 ms = qint64(std::ceil(kHaloWindowSec * 1000 / o.scale)) + 1000;
        std::fprintf(stderr, "companies imported in %lld ms; waiting %lld ms for Halo's window\n",
                     companyMs, ms);
        pause(ms);
    }
    const QJsonObject before = childStats(child);

    // 2. The contacts: measured.
    engine::JobSpec spec = sandboxSpec(hello, o.scale, o.pageSize, dbPath);
    spec.kind = engine::JobKind::ImportContacts;
    spec.companies.lifecycleStages = o.stages;
    spec.contacts.include = core::ContactInclude::CompanyContacts;
    spec.batchSize = o.batch;
    spec.writesInFlight = o.inFlight;
    const QList<qint64> marks = {o.contacts / 5, o.contacts / 2};
    QList<double> rssAt(marks.size(), -1);
    window.newRun();
    window.setProgressHook([&](const engine::Progress &p) {
        if (p.kind != engine::JobKind::ImportContacts)
            return;
        for (qsizetype i = 0; i < marks.size(); ++i) {
            if (rssAt[i] < 0 && p.counts.settled() >= marks[i])
                rssAt[i] = currentRssMiB();
        }
    });
    const qint64 rowsBefore = window.resultRows;
    probe.start();
    qint64 runMs = 0;
    const engine::RunReport report = runJob(app, host, spec, &runMs);
    probe.stop();
    const double rssAtEnd = currentRssMiB();
    const double peakMiB = peakRssMiB();
    const QJsonObject after = childStats(child);
    child.closeWriteChannel();
    child.waitForFinished(30000);

    const auto used = [&](const char *key) {
        return after.value(QLatin1String(key)).toInteger() -
               before.value(QLatin1String(key)).toInteger();
    };
    const engine::Counts &c = report.counts;
    const qint64 n = c.read;
    const qint64 written = c.created + c.updated;
    const qint64 customersBefore = before.value(QStringLiteral("halo_customers")).toInteger();
    const qint64 usersBefore = before.value(QStringLiteral("halo_users")).toInteger();
    const qint64 contactPages = (n + 99) / 100;
    const qint64 batchReads = (lookUps + 99) / 100;
    const qint64 kHs = 1 + 1 + contactPages + batchReads;
    const qint64 customerPages = (customersBefore + o.pageSize - 1) / o.pageSize;
    const qint64 userPages = (usersBefore + o.pageSize - 1) / o.pageSize;
    const qint64 posts = (written + o.batch - 1) / o.batch;
    const qint64 kHalo = 2 + customerPages + userPages + posts;
    const double tHs = double(kHs) / kHubSpotRate;
    const double tHalo = double(kHalo) / kHaloRate;
    const double tMin = qMax(tHs, tHalo);
    const double tRun = double(runMs) * o.scale / 1000.0; // scaled seconds
    const double throughput = double(n) / tRun;
    const double ceiling = double(n) / tMin;
    const double ratio = throughput / ceiling;
    const qint64 haloUsed = used("halo_requests");
    const qint64 hsUsed = used("hubspot_requests");
    const double requestRatio = double(haloUsed) / double(kHalo);
    const double hsRatio = double(hsUsed) / double(kHs);

    std::printf("bench_import_contacts: %lld contacts, %lld companies (stages %s), scale %gx, "
                "latency %d..%d ms (scaled), batch %d, %d writes in flight, Halo page size %d\n",
                o.contacts, o.companies, qPrintable(o.stages.join(u',')), o.scale, o.latencyMs,
                o.latencyMs + o.jitterMs, o.batch, o.inFlight, o.pageSize);
    std::printf("  sandbox (child process) ready after %lld ms\n", sandboxMs);
    std::printf("  companies first: %s in %lld ms real; RSS after it %.1f MiB (peak %.1f MiB), "
                "longest GUI stall during it %lld ms\n",
                qPrintable(companyReport.status), companyMs, rssAfterCompanies, peakAfterCompanies,
                companyStall);
    printCounts("company counts", companyReport.counts);
    std::printf("  Halo before the contacts: %lld customers, %lld users, %lld sites%s\n",
                customersBefore, usersBefore,
                before.value(QStringLiteral("halo_sites")).toInteger(),
                o.wait ? "; both rate windows empty" : "; rate windows NOT cleared (--no-wait)");
    std::printf("  contact import status: %s %s\n", qPrintable(report.status),
                qPrintable(report.error));
    printCounts("contact counts", c);
    std::printf("    result rows handed out %lld; Halo users after: %lld (+%lld)\n",
                window.resultRows - rowsBefore,
                after.value(QStringLiteral("halo_users")).toInteger(),
                after.value(QStringLiteral("halo_users")).toInteger() - usersBefore);
    std::printf("  run: %lld ms real = %.1f s scaled\n", runMs, tRun);
    std::printf("  HubSpot: %lld requests (min %lld = 2 + %lld contact pages + %lld batch reads of "
                "%lld companies not in Halo; used / min %.3f), %lld x 429; min time %.1f s "
                "(%.1f req/s)\n",
                hsUsed, kHs, contactPages, batchReads, lookUps, hsRatio, used("hubspot_429"), tHs,
                kHubSpotRate);
    std::printf("  Halo: %lld requests (min %lld = 2 auth + %lld customer pages + %lld user pages "
                "+ ceil(%lld written / %d) POSTs), %lld x 429; min time %.1f s (%.2f req/s)\n",
                haloUsed, kHalo, customerPages, userPages, written, o.batch, used("halo_429"),
                tHalo, kHaloRate);
    std::printf("  binding: %s; ceiling %.1f contacts/s; achieved %.1f contacts/s\n",
                tHalo >= tHs ? "Halo writes (with its reads)" : "HubSpot reads", ceiling,
                throughput);
    std::printf("  result view: %s; %lld rows, %lld failed in its counts\n",
                ResultWindow::kModelName, qint64(window.model().rowCount()),
                window.model().actionCount(QStringLiteral("failed")));
    std::printf("\n");
    const bool ratioMet = ratio >= 0.90;
    const bool requestsMet = requestRatio <= 1.10;
    const bool rssMet = peakMiB <= 250;
    const double first = rssAt.value(0);
    const bool flat = first > 0 && rssAtEnd - first <= qMax(10.0, first * 0.10);
    const bool stallMet = probe.worstStall <= 50;
    std::printf("  throughput / binding ceiling: %.3f   (goal >= 0.90: %s)\n", ratio,
                verdict(ratioMet));
    std::printf("  Halo requests used / minimum: %.3f   (goal <= 1.10: %s)\n", requestRatio,
                verdict(requestsMet));
    std::printf("  peak RSS (VmHWM, app process, companies and contacts): %.1f MiB   (goal <= 250 "
                "MB: %s)\n",
                peakMiB, verdict(rssMet));
    std::printf("  RSS (VmRSS) with %lld contacts settled: %.1f MiB; with %lld: %.1f MiB; with "
                "%lld (the end): %.1f MiB   (flat: %s)\n",
                marks.value(0), first, marks.value(1), rssAt.value(1), n, rssAtEnd, verdict(flat));
    std::printf("  longest GUI-thread stall: %lld ms; stalls over 50 ms: %lld   (goal <= 50 ms: "
                "%s)\n",
                probe.worstStall, probe.stallsOver50, verdict(stallMet));
    std::printf("    worst stall at %lld ms into the run, the GUI thread busy %.1f ms of it; "
                "longest results() slot: %lld ms\n",
                probe.worstStallAt, probe.worstStallCpu, window.worstResultsSlotMs);
    std::printf("    most GUI-thread CPU time between two probe ticks: %.1f ms (a stall the "
                "window itself causes; the rest of a wall-clock stall is the OS giving the "
                "cores to other processes)\n",
                probe.worstBusy);
    std::printf("    longest RunResultModel::refresh() (new rows + per-action counts): %lld ms\n",
                window.worstRefreshMs);
    std::printf("    machine load average at the end: %s\n", qPrintable(loadAverage()));
    const bool ok = report.status == QLatin1String("completed") ||
                    report.status == QLatin1String("completed_with_errors");
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    qInstallMessageHandler(quietHandler);
    bool serving = false;
    for (int i = 1; i < argc; ++i)
        serving = serving || std::string(argv[i]) == "--serve";
    if (!serving && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Per-request debug lines would cost more than the requests themselves.
    QLoggingCategory::setFilterRules(QStringLiteral("halospot.*.debug=false"));

    std::unique_ptr<QCoreApplication> app;
    if (serving)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);

    const Options defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Imports the companies in the chosen stages, then N HubSpot contacts into "
                       "Halo users on the sandbox, and prints the contact import's throughput, "
                       "request, memory and GUI-stall figures."));
    parser.addHelpOption();
    const QCommandLineOption serveOpt(QStringLiteral("serve"),
                                      QStringLiteral("internal: run the sandbox child"));
    const QCommandLineOption contacts(QStringLiteral("contacts"),
                                      QStringLiteral("HubSpot contacts"), QStringLiteral("n"),
                                      QString::number(defaults.contacts));
    const QCommandLineOption companies(QStringLiteral("companies"),
                                       QStringLiteral("HubSpot companies"), QStringLiteral("n"),
                                       QString::number(defaults.companies));
    const QCommandLineOption stages(
        QStringLiteral("stages"),
        QStringLiteral("company lifecycle stages imported, comma-separated"),
        QStringLiteral("list"), defaults.stages.join(u','));
    const QCommandLineOption scale(QStringLiteral("scale"), QStringLiteral("clock scale"),
                                   QStringLiteral("x"), QStringLiteral("3"));
    const QCommandLineOption latency(QStringLiteral("latency"),
                                     QStringLiteral("reply latency floor, scaled ms"),
                                     QStringLiteral("ms"), QStringLiteral("300"));
    const QCommandLineOption jitter(QStringLiteral("jitter"),
                                    QStringLiteral("plus uniform 0..jitter, scaled ms"),
                                    QStringLiteral("ms"), QStringLiteral("300"));
    const QCommandLineOption batch(QStringLiteral("batch"),
                                   QStringLiteral("records per Halo POST (default: JobSpec's)"),
                                   QStringLiteral("n"), QString::number(defaults.batch));
    const QCommandLineOption inFlight(QStringLiteral("in-flight"),
                                      QStringLiteral("Halo POSTs in flight (default: JobSpec's)"),
                                      QStringLiteral("n"), QString::number(defaults.inFlight));
    const QCommandLineOption pageSize(QStringLiteral("page-size"),
                                      QStringLiteral("Halo rows per list page"),
                                      QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption noWait(
        QStringLiteral("no-wait"),
        QStringLiteral("start the contacts right after the companies (Halo's window not cleared)"));
    parser.addOptions({serveOpt, contacts, companies, stages, scale, latency, jitter, batch,
                       inFlight, pageSize, noWait});
    parser.process(*app);
    Options o;
    o.contacts = qMax<qint64>(1, parser.value(contacts).toLongLong());
    o.companies = qMax<qint64>(1, parser.value(companies).toLongLong());
    o.stages = parser.value(stages).split(u',', Qt::SkipEmptyParts);
    o.scale = qMax(1.0, parser.value(scale).toDouble());
    o.latencyMs = parser.value(latency).toInt();
    o.jitterMs = parser.value(jitter).toInt();
    o.batch = qMax(1, parser.value(batch).toInt());
    o.inFlight = qMax(1, parser.value(inFlight).toInt());
    o.pageSize = qMax(1, parser.value(pageSize).toInt());
    o.wait = !parser.isSet(noWait);

    ServeOptions so;
    so.companies = o.companies;
    so.contacts = o.contacts;
    so.scale = o.scale;
    so.latencyMs = o.latencyMs;
    so.jitterMs = o.jitterMs;
    if (serving)
        return serve(so);
    return runBenchmark(static_cast<QApplication &>(*app), o, so);
}
