// Benchmark (not a ctest): imports N HubSpot companies (default 100 000) into Halo through the real
// engine thread under a real (offscreen) window, against the sandbox running in a child process
// with the reference docs' limits and latency, time-scaled. Prints, each with its goal: throughput
// against the binding rate-limit ceiling, Halo requests used against the minimum, peak RSS of this
// process (the app side only: the sandbox lives in the child) and the longest GUI-thread stall.
//
// The arithmetic:
// - HubSpot (public app): 110 requests per rolling 10 s = 11 req/s; a list page is 100 companies,
//   so the read ceiling is 1 100 companies/s. Halo: 500 requests per rolling 3 min = 2.78 req/s;
//   one array POST carries `batch` records.
// - Minimum HubSpot requests  K_hs   = properties (1, with field mappings) + count (1)
//                                      + ceil(N / 100) list pages.
// - Minimum Halo requests     K_halo = authinfo (1) + token (1) + FieldInfo (1, with mappings)
//                                      + ceil(C0 / page size) customer index pages
//                                      + ceil(W / batch) POSTs,
//   C0 = Halo customers before the run, W = records written (created + updated).
// - Minimum time t_min = max(K_hs / 11, K_halo / 2.78) scaled seconds: whichever service binds;
//   Halo's reads share its budget with its writes. Ceiling = N / t_min companies per second;
//   the figure is (N / t_run) / ceiling = t_min / t_run.
// - Both windows are rolling and start empty, so a client that bursts could send request i at
//   floor(i / max) windows: a run of K requests could end after floor((K - 1) / max) windows.
//   That exact bound is printed too, for information (a step function of K).
// - Latency: 300 ms + uniform 0..300 ms per reply (scaled seconds, reference sync-engineering
//   §2.2: 0.3-0.6 s per call), i.e. divided by the time scale in real milliseconds.
// - Scale: the default 3 keeps the run rate-bound (about 2 minutes for 100 000 companies). At
//   higher scales the same work is squeezed into less real time and the machine's CPU, not the
//   services' limits, becomes what binds; the ratio then measures the machine.
// - Quick run: --companies 20000 (not rate-bound: Halo's first window is not used up).
#include "BenchSupport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLoggingCategory>
#include <QTemporaryDir>

using namespace halospot;
using namespace halospot::bench;

namespace {

struct Options
{
    qint64 companies = 100000;
    double scale = 3;
    int latencyMs = 300; // scaled ms
    int jitterMs = 300;
    int batch = engine::JobSpec{}.batchSize; // the app's defaults
    int inFlight = engine::JobSpec{}.writesInFlight;
    int pageSize = 1000;
    bool mappings = true;
};

QList<core::FieldMapping> typicalMappings()
{
    QList<core::FieldMapping> out;
    const char *pairs[][2] = {{"industry", "CFindustry"},
                              {"numberofemployees", "CFnumberofemployees"},
                              {"annualrevenue", "CFannualrevenue"},
                              {"is_public", "CFisvip"},
                              {"contract_start_date", "CFcontractstart"},
                              {"description", "CFdescription"}};
    for (const auto &p : pairs) {
        core::FieldMapping m;
        m.hubspotProperty = QLatin1String(p[0]);
        m.haloFieldName = QLatin1String(p[1]);
        out.append(m);
    }
    return out;
}

// --- the parent: the app side -------------------------------------------------------------------

int runBenchmark(QApplication &app, const Options &o, const QStringList &childArgs)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer seeding;
    seeding.start();
    child.start(QCoreApplication::applicationFilePath(), childArgs);
    const QJsonObject hello = readJsonLine(child, 600000);
    if (hello.isEmpty()) {
        std::fprintf(stderr, "the sandbox did not start\n");
        return 2;
    }
    const qint64 sandboxMs = seeding.elapsed();
    const qint64 customersBefore = hello.value(QStringLiteral("halo_customers")).toInteger();

    QTemporaryDir dir;
    const QString dbPath = dir.filePath(QStringLiteral("halospot.db"));
    core::Store store(dbPath); // the GUI thread's connection (the engine opens its own)
    if (!store.open()) {
        std::fprintf(stderr, "cannot open the store\n");
        return 2;
    }

    engine::JobSpec spec = sandboxSpec(hello, o.scale, o.pageSize, dbPath);
    spec.kind = engine::JobKind::ImportCompanies;
    QStringList stages = sandbox::Generator::lifecycleStages();
    stages << QString(); // "(no stage)"
    spec.companies.lifecycleStages = stages;
    if (o.mappings)
        spec.companies.fieldMappings = typicalMappings();
    spec.batchSize = o.batch;
    spec.writesInFlight = o.inFlight;

    engine::registerEngineMetaTypes();
    engine::EngineHost host;
    // The window: what a user sees during an import.
    ResultWindow window(store, host.engine());
    gui::RunResultModel &model = window.model();
    const char *modelName = ResultWindow::kModelName;
    bool done = false;
    engine::RunReport report;
    QObject::connect(host.engine(), &engine::Engine::finished, window.widget(),
                     [&](const engine::RunReport &r) {
                         report = r;
                         done = true;
                         app.quit();
                     });

    StallProbe probe(window.widget());
    QElapsedTimer run;
    QTimer::singleShot(0, window.widget(), [&] {
        probe.start();
        run.start();
        host.start(spec);
    });
    app.exec();
    const qint64 runMs = run.elapsed();
    probe.stop();
    const double peakMiB = peakRssMiB();
    const qint64 resultRows = window.resultRows;
    const qint64 worstStall = probe.worstStall;
    const qint64 stallsOver50 = probe.stallsOver50;

    child.write("stats\n");
    const QJsonObject stats = readJsonLine(child, 30000);
    child.closeWriteChannel();
    child.waitForFinished(30000);
    if (!done) {
        std::fprintf(stderr, "the import did not finish\n");
        return 1;
    }

    const engine::Counts &c = report.counts;
    const qint64 n = c.read;
    const qint64 written = c.created + c.updated;
    const qint64 kHs = (o.mappings ? 1 : 0) + 1 + (n + 99) / 100;
    const qint64 indexPages = (customersBefore + o.pageSize - 1) / o.pageSize;
    const qint64 kHalo = 2 + (o.mappings ? 1 : 0) + indexPages + (written + o.batch - 1) / o.batch;
    const double hsRate = kHubSpotBurst / kHubSpotWindowSec;
    const double haloRate = kHaloWindowMax / kHaloWindowSec;
    const double tHs = double(kHs) / hsRate;
    const double tHalo = double(kHalo) / haloRate;
    const double tMin = qMax(tHs, tHalo);
    // The exact bound of a rolling window that starts empty: request i can go at
    // floor(i / max) windows (a client bursting each whole window at once).
    const double tHsStrict = double((kHs - 1) / kHubSpotBurst) * kHubSpotWindowSec;
    const double tHaloStrict = double((kHalo - 1) / kHaloWindowMax) * kHaloWindowSec;
    const double tMinStrict = qMax(tHsStrict, tHaloStrict);
    const double tRun = double(runMs) * o.scale / 1000.0; // scaled seconds
    const double throughput = double(n) / tRun;
    const double ceiling = double(n) / tMin;
    const double ratio = throughput / ceiling;
    const double ratioStrict = tMinStrict > 0 ? tMinStrict / tRun : 0;
    // The stats request is not part of the import; nothing else talked to Halo.
    const qint64 haloUsed = stats.value(QStringLiteral("halo_requests")).toInteger();
    const qint64 hsUsed = stats.value(QStringLiteral("hubspot_requests")).toInteger();
    const double requestRatio = double(haloUsed) / double(kHalo);

    std::printf("bench_import_companies: %lld companies, scale %gx, latency %d..%d ms (scaled), "
                "batch %d, %d writes in flight, Halo page size %d, %s field mappings\n",
                o.companies, o.scale, o.latencyMs, o.latencyMs + o.jitterMs, o.batch, o.inFlight,
                o.pageSize, o.mappings ? "6" : "no");
    std::printf("  sandbox (child process) ready after %lld ms; Halo customers before: %lld\n",
                sandboxMs, customersBefore);
    std::printf("  status: %s %s\n", qPrintable(report.status), qPrintable(report.error));
    std::printf("  counts: read %lld, filtered out %lld, created %lld, updated %lld, unchanged "
                "%lld, skipped %lld, ambiguous %lld, failed %lld; result rows handed out %lld\n",
                c.read, c.filteredOut, c.created, c.updated, c.unchanged, c.skipped, c.ambiguous,
                c.failed, resultRows);
    std::printf("  run: %lld ms real = %.1f s scaled; Halo customers after: %lld\n", runMs, tRun,
                stats.value(QStringLiteral("halo_customers")).toInteger());
    std::printf("  HubSpot: %lld requests (min %lld), %lld x 429; read ceiling %.0f companies/s "
                "(%.1f req/s x 100), min time %.1f s\n",
                hsUsed, kHs, stats.value(QStringLiteral("hubspot_429")).toInteger(), hsRate * 100,
                hsRate, tHs);
    std::printf("  Halo: %lld requests (min %lld = 2 auth + %d FieldInfo + %lld index pages + "
                "ceil(%lld written / %d) POSTs), %lld x 429; min time %.1f s (%.2f req/s)\n",
                haloUsed, kHalo, o.mappings ? 1 : 0, indexPages, written, o.batch,
                stats.value(QStringLiteral("halo_429")).toInteger(), tHalo, haloRate);
    std::printf("  binding: %s; ceiling %.1f companies/s; achieved %.1f companies/s\n",
                tHalo >= tHs ? "Halo writes (with its reads)" : "HubSpot reads", ceiling,
                throughput);
    std::printf("  result view: %s; %lld rows, %lld failed in its counts\n", modelName,
                qint64(model.rowCount()), model.actionCount(QStringLiteral("failed")));
    std::printf("\n");
    const bool ratioMet = ratio >= 0.90;
    const bool requestsMet = requestRatio <= 1.10;
    const bool rssMet = peakMiB <= 250;
    const bool stallMet = worstStall <= 50;
    std::printf("  throughput / binding ceiling: %.3f   (goal >= 0.90: %s)\n", ratio,
                verdict(ratioMet));
    std::printf(
        "    against the exact rolling-window bound (%.0f s: every window used in one burst "
        "as it opens): %.3f (information)\n",
        tMinStrict, ratioStrict);
    std::printf("  Halo requests used / minimum: %.3f   (goal <= 1.10: %s)\n", requestRatio,
                verdict(requestsMet));
    std::printf("  peak RSS (VmHWM, app process): %.1f MiB   (goal <= 250 MB: %s)\n", peakMiB,
                verdict(rssMet));
    std::printf("  longest GUI-thread stall: %lld ms; stalls over 50 ms: %lld   (goal <= 50 ms: "
                "%s)\n",
                worstStall, stallsOver50, verdict(stallMet));
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
    // Failed records are data the sandbox makes unconvertible on purpose (e.g. industries Halo
    // has no option for); the run itself must complete.
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

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Imports N HubSpot companies into Halo on the sandbox and prints the "
                       "throughput, request, memory and GUI-stall figures."));
    parser.addHelpOption();
    const QCommandLineOption serveOpt(QStringLiteral("serve"),
                                      QStringLiteral("internal: run the sandbox child"));
    const QCommandLineOption companies(QStringLiteral("companies"),
                                       QStringLiteral("HubSpot companies"), QStringLiteral("n"),
                                       QStringLiteral("100000"));
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
                                   QStringLiteral("n"), QString::number(Options{}.batch));
    const QCommandLineOption inFlight(QStringLiteral("in-flight"),
                                      QStringLiteral("Halo POSTs in flight (default: JobSpec's)"),
                                      QStringLiteral("n"), QString::number(Options{}.inFlight));
    const QCommandLineOption pageSize(QStringLiteral("page-size"),
                                      QStringLiteral("Halo rows per list page"),
                                      QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption noMappings(QStringLiteral("no-mappings"),
                                        QStringLiteral("import names only (no field mappings)"));
    const QCommandLineOption contacts(QStringLiteral("contacts"),
                                      QStringLiteral("HubSpot contacts in the sandbox"),
                                      QStringLiteral("n"), QStringLiteral("0"));
    parser.addOptions({serveOpt, companies, contacts, scale, latency, jitter, batch, inFlight,
                       pageSize, noMappings});
    parser.process(*app);
    Options o;
    o.companies = parser.value(companies).toLongLong();
    o.scale = qMax(1.0, parser.value(scale).toDouble());
    o.latencyMs = parser.value(latency).toInt();
    o.jitterMs = parser.value(jitter).toInt();
    o.batch = qMax(1, parser.value(batch).toInt());
    o.inFlight = qMax(1, parser.value(inFlight).toInt());
    o.pageSize = qMax(1, parser.value(pageSize).toInt());
    o.mappings = !parser.isSet(noMappings);

    ServeOptions so;
    so.companies = o.companies;
    so.contacts = parser.value(contacts).toLongLong();
    so.scale = o.scale;
    so.latencyMs = o.latencyMs;
    so.jitterMs = o.jitterMs;
    if (serving)
        return serve(so);
    const QStringList childArgs = serveArguments(so);
    return runBenchmark(static_cast<QApplication &>(*app), o, childArgs);
}
