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
#include "Engine.h"
#include "EngineHost.h"
#include "Sandbox.h"
#include "Store.h"

#include "Catalog.h"
#include "RunResultModel.h"

#include <QAbstractTableModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLoggingCategory>
#include <QProcess>
#include <QProgressBar>
#include <QSocketNotifier>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QVBoxLayout>
#include <QWidget>

#include <sys/resource.h>
#include <time.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

using namespace halospot;

namespace {

constexpr int kHubSpotBurst = 110; // per 10 s
constexpr double kHubSpotWindowSec = 10;
constexpr int kHaloWindowMax = 500; // per 180 s
constexpr double kHaloWindowSec = 180;
constexpr int kProbeMs = 5;

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

// Peak resident set size of this process in MiB (VmHWM; getrusage as a fallback).
double peakRssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = status.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

// CPU time this thread has used, in ms: tells a stall the GUI thread caused (busy) from one the
// OS caused (the thread was ready but other processes had the cores).
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1e6;
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll().trimmed());
}

// --- the child: the sandbox -------------------------------------------------------------------

int serve(const Options &o)
{
    sandbox::SandboxOptions so;
    so.data.companies = o.companies;
    so.data.contacts = 0;
    so.data.seed = 7;
    so.timeScale = o.scale;
    so.proxy = false;
    so.hubspot.burstMax = kHubSpotBurst;
    so.hubspot.burstWindowMs = qint64(kHubSpotWindowSec * 1000);
    so.haloWindowMax = kHaloWindowMax;
    so.haloWindowMs = qint64(kHaloWindowSec * 1000);
    so.faults.latencyMs = int(std::lround(o.latencyMs / o.scale));
    so.faults.jitterMs = int(std::lround(o.jitterMs / o.scale));
    sandbox::Sandbox box(so);
    const Status started = box.start();
    if (!started) {
        std::fprintf(stderr, "sandbox: %s\n", qPrintable(started.error()));
        return 2;
    }
    QJsonObject hello = box.describe();
    hello.insert(QStringLiteral("halo_customers"), box.halo().clientCount());
    std::printf("%s\n", QJsonDocument(hello).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);

    // Commands on stdin: "stats" prints the services' counters, end of input quits.
    QSocketNotifier notifier(0, QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&box, &notifier] {
        std::string line;
        if (!std::getline(std::cin, line)) {
            notifier.setEnabled(false);
            QCoreApplication::quit();
            return;
        }
        if (line == "stats") {
            const QJsonObject stats{
                {QStringLiteral("halo_requests"), box.halo().requestCount()},
                {QStringLiteral("halo_429"), box.halo().countForStatus(429)},
                {QStringLiteral("halo_customers"), box.halo().clientCount()},
                {QStringLiteral("hubspot_requests"), box.hubspot().requestCount()},
                {QStringLiteral("hubspot_429"), box.hubspot().countForStatus(429)},
            };
            std::printf("%s\n", QJsonDocument(stats).toJson(QJsonDocument::Compact).constData());
            std::fflush(stdout);
        }
    });
    return QCoreApplication::exec();
}

// --- the parent: the app side -------------------------------------------------------------------

QJsonObject readJsonLine(QProcess &child, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!child.canReadLine() && t.elapsed() < timeoutMs)
        child.waitForReadyRead(100);
    return QJsonDocument::fromJson(child.readLine()).object();
}

const char *verdict(bool met)
{
    return met ? "met" : "NOT met";
}

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

    engine::JobSpec spec;
    spec.kind = engine::JobKind::ImportCompanies;
    spec.hubspot.apiBase = QUrl(hello.value(QStringLiteral("hubspot_api_url")).toString());
    spec.hubspot.timeScale = o.scale;
    spec.hubspotCredentials.staticToken = hello.value(QStringLiteral("hubspot_token")).toString();
    spec.halo.url = QUrl(hello.value(QStringLiteral("halo_url")).toString());
    spec.halo.clientId = hello.value(QStringLiteral("halo_client_id")).toString();
    spec.halo.clientSecret = hello.value(QStringLiteral("halo_client_secret")).toString();
    spec.halo.timeScale = o.scale;
    spec.halo.pageSize = o.pageSize;
    spec.halo.windowMax = kHaloWindowMax;
    spec.halo.windowMs = qint64(kHaloWindowSec * 1000);
    QStringList stages = sandbox::Generator::lifecycleStages();
    stages << QString(); // "(no stage)"
    spec.companies.lifecycleStages = stages;
    if (o.mappings)
        spec.companies.fieldMappings = typicalMappings();
    spec.storePath = dbPath;
    spec.batchSize = o.batch;
    spec.writesInFlight = o.inFlight;

    // The window: what a user sees during an import.
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *label = new QLabel(&window);
    auto *bar = new QProgressBar(&window);
    auto *view = new QTableView(&window);
    layout->addWidget(label);
    layout->addWidget(bar);
    layout->addWidget(view);
    view->verticalHeader()->setDefaultSectionSize(20);
    core::Catalog catalog(store);
    gui::RunResultModel model(store, catalog);
    const char *modelName = "gui::RunResultModel (pages read from the store)";
    view->setModel(&model);
    window.resize(900, 600);
    window.show();

    engine::registerEngineMetaTypes();
    engine::EngineHost host;
    bool done = false;
    engine::RunReport report;
    engine::Progress last;
    qint64 resultRows = 0;
    qint64 worstResultsSlotMs = 0; // the longest time the window spent on one results() batch
    QElapsedTimer slotClock;
    QElapsedTimer countsClock;
    qint64 worstRefreshMs = 0; // RunResultModel::refresh(), which also keeps the per-action counts
    QObject::connect(host.engine(), &engine::Engine::progress, &window,
                     [&](const engine::Progress &p) {
                         last = p;
                         label->setText(QStringLiteral("%1 — %2 of %3, %4/s")
                                            .arg(p.phase)
                                            .arg(p.counts.settled())
                                            .arg(p.total)
                                            .arg(p.perSecond, 0, 'f', 1));
                         bar->setMaximum(int(qMax<qint64>(p.total, 1)));
                         bar->setValue(int(p.counts.settled()));
                     });
    QObject::connect(host.engine(), &engine::Engine::results, &window,
                     [&](const QList<core::RunItem> &items) {
                         slotClock.start();
                         resultRows += items.size();
                         if (model.runId() == 0) {
                             const auto runs = store.recentRuns(1);
                             if (runs && !runs.value().isEmpty())
                                 model.setRun(runs.value().constFirst().id);
                         }
                         // As the Companies tab does: new rows appended (the view stays
                         // where the user put it) and counted per action, at most every
                         // 300 ms.
                         if (!countsClock.isValid() || countsClock.elapsed() >= 300) {
                             countsClock.start();
                             QElapsedTimer part;
                             part.start();
                             model.refresh();
                             worstRefreshMs = qMax(worstRefreshMs, part.elapsed());
                         }
                         worstResultsSlotMs = qMax(worstResultsSlotMs, slotClock.elapsed());
                     });
    QObject::connect(host.engine(), &engine::Engine::finished, &window,
                     [&](const engine::RunReport &r) {
                         report = r;
                         done = true;
                         app.quit();
                     });

    // The event-loop latency probe: how late a 5 ms timer fires on the GUI thread.
    QElapsedTimer probeClock;
    qint64 lastTick = 0;
    qint64 worstStall = 0;
    qint64 worstStallAt = 0;
    double lastCpu = 0;
    double worstBusy = 0;     // the most GUI-thread CPU time between two ticks, ms
    double worstStallCpu = 0; // GUI-thread CPU time during the worst (wall-clock) stall
    qint64 stallsOver50 = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kProbeMs);
    QObject::connect(&probe, &QTimer::timeout, &window, [&] {
        const qint64 now = probeClock.elapsed();
        const qint64 late = now - lastTick - kProbeMs;
        lastTick = now;
        const double cpu = threadCpuMs();
        const double busy = cpu - lastCpu;
        lastCpu = cpu;
        worstBusy = qMax(worstBusy, busy);
        if (late > worstStall) {
            worstStall = late;
            worstStallAt = now;
            worstStallCpu = busy;
        }
        if (late > 50)
            ++stallsOver50;
    });

    QElapsedTimer run;
    QTimer::singleShot(0, &window, [&] {
        probeClock.start();
        lastCpu = threadCpuMs();
        probe.start();
        run.start();
        host.start(spec);
    });
    app.exec();
    const qint64 runMs = run.elapsed();
    probe.stop();
    const double peakMiB = peakRssMiB();

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
                worstStallAt, worstStallCpu, worstResultsSlotMs);
    std::printf("    most GUI-thread CPU time between two probe ticks: %.1f ms (a stall the "
                "window itself causes; the rest of a wall-clock stall is the OS giving the "
                "cores to other processes)\n",
                worstBusy);
    std::printf("    longest RunResultModel::refresh() (new rows + per-action counts): %lld ms\n",
                worstRefreshMs);
    std::printf("    machine load average at the end: %s\n", qPrintable(loadAverage()));
    // Failed records are data the sandbox makes unconvertible on purpose (e.g. industries Halo
    // has no option for); the run itself must complete.
    const bool ok = report.status == QLatin1String("completed") ||
                    report.status == QLatin1String("completed_with_errors");
    return ok ? 0 : 1;
}

} // namespace

// The offscreen platform warns on every resize; the figures are what this program prints.
void quietHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("propagateSizeHints")) || type == QtDebugMsg ||
        type == QtInfoMsg)
        return;
    std::fprintf(stderr, "%s: %s\n", context.category ? context.category : "qt",
                 qPrintable(message));
}

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
    parser.addOptions(
        {serveOpt, companies, scale, latency, jitter, batch, inFlight, pageSize, noMappings});
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

    if (serving)
        return serve(o);
    const QStringList childArgs = {
        QStringLiteral("--serve"),    QStringLiteral("--companies"), QString::number(o.companies),
        QStringLiteral("--scale"),    QString::number(o.scale),      QStringLiteral("--latency"),
        QString::number(o.latencyMs), QStringLiteral("--jitter"),    QString::number(o.jitterMs)};
    return runBenchmark(static_cast<QApplication &>(*app), o, childArgs);
}
