// What the import benchmarks share: the services' reference limits, the sandbox child (started
// with --serve, answering "stats" on stdin), the app-side window over gui::RunResultModel refreshed
// as the tabs do, the GUI-thread stall probe, and this process's memory and CPU figures.
#pragma once

#include "Catalog.h"
#include "Engine.h"
#include "EngineHost.h"
#include "RunResultModel.h"
#include "Sandbox.h"
#include "Store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QProgressBar>
#include <QSocketNotifier>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QWidget>

#include <sys/resource.h>
#include <time.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>

namespace halospot::bench {

// The reference docs' limits: HubSpot (public app) 110 requests per rolling 10 s, Halo 500 per
// rolling 3 min.
constexpr int kHubSpotBurst = 110;
constexpr double kHubSpotWindowSec = 10;
constexpr int kHaloWindowMax = 500;
constexpr double kHaloWindowSec = 180;
constexpr double kHubSpotRate = kHubSpotBurst / kHubSpotWindowSec;
constexpr double kHaloRate = kHaloWindowMax / kHaloWindowSec;
constexpr int kProbeMs = 5;

// One line of /proc/self/status in MiB ("VmHWM", "VmRSS"), or -1.
inline double procStatusMiB(const char *key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(key) + ':';
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

// Peak resident set size of this process in MiB (VmHWM; getrusage as a fallback).
inline double peakRssMiB()
{
    const double hwm = procStatusMiB("VmHWM");
    if (hwm >= 0)
        return hwm;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

// Resident set size now, in MiB.
inline double currentRssMiB()
{
    return procStatusMiB("VmRSS");
}

// CPU time this thread has used, in ms: tells a stall the GUI thread caused (busy) from one the
// OS caused (the thread was ready but other processes had the cores).
inline double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1e6;
}

inline QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll().trimmed());
}

inline const char *verdict(bool met)
{
    return met ? "met" : "NOT met";
}

// The offscreen platform warns on every resize; the figures are what the program prints.
inline void quietHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("propagateSizeHints")) || type == QtDebugMsg ||
        type == QtInfoMsg)
        return;
    std::fprintf(stderr, "%s: %s\n", context.category ? context.category : "qt",
                 qPrintable(message));
}

// --- the child: the sandbox -------------------------------------------------------------------

struct ServeOptions
{
    qint64 companies = 0;
    qint64 contacts = 0;
    quint64 seed = 7;
    double scale = 3;
    int latencyMs = 300; // scaled ms
    int jitterMs = 300;
};

// Runs the sandbox with the reference limits and latency, time-scaled; prints its description
// (plus the Halo record counts) as one JSON line, then answers "stats" on stdin with the
// services' counters as one JSON line; end of input quits.
inline int serve(const ServeOptions &o)
{
    sandbox::SandboxOptions so;
    so.data.companies = o.companies;
    so.data.contacts = o.contacts;
    so.data.seed = o.seed;
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
    const auto stats = [&box] {
        return QJsonObject{
            {QStringLiteral("halo_requests"), box.halo().requestCount()},
            {QStringLiteral("halo_429"), box.halo().countForStatus(429)},
            {QStringLiteral("halo_customers"), box.halo().clientCount()},
            {QStringLiteral("halo_sites"), box.halo().siteCount()},
            {QStringLiteral("halo_users"), box.halo().userCount()},
            {QStringLiteral("hubspot_requests"), box.hubspot().requestCount()},
            {QStringLiteral("hubspot_429"), box.hubspot().countForStatus(429)},
        };
    };
    QJsonObject hello = box.describe();
    const QJsonObject counts = stats();
    for (auto it = counts.begin(); it != counts.end(); ++it)
        hello.insert(it.key(), it.value());
    std::printf("%s\n", QJsonDocument(hello).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);

    QSocketNotifier notifier(0, QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&notifier, &stats] {
        std::string line;
        if (!std::getline(std::cin, line)) {
            notifier.setEnabled(false);
            QCoreApplication::quit();
            return;
        }
        if (line == "stats") {
            std::printf("%s\n", QJsonDocument(stats()).toJson(QJsonDocument::Compact).constData());
            std::fflush(stdout);
        }
    });
    return QCoreApplication::exec();
}

// The arguments that make the benchmark's own binary serve.
inline QStringList serveArguments(const ServeOptions &o)
{
    return {
        QStringLiteral("--serve"),    QStringLiteral("--companies"), QString::number(o.companies),
        QStringLiteral("--contacts"), QString::number(o.contacts),   QStringLiteral("--scale"),
        QString::number(o.scale),     QStringLiteral("--latency"),   QString::number(o.latencyMs),
        QStringLiteral("--jitter"),   QString::number(o.jitterMs)};
}

// --- the parent: the app side -------------------------------------------------------------------

inline QJsonObject readJsonLine(QProcess &child, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!child.canReadLine() && t.elapsed() < timeoutMs)
        child.waitForReadyRead(100);
    return QJsonDocument::fromJson(child.readLine()).object();
}

// The sandbox child's counters now.
inline QJsonObject childStats(QProcess &child)
{
    child.write("stats\n");
    return readJsonLine(child, 30000);
}

// A job's settings for the sandbox the child described (`hello`), without the kind's own.
inline engine::JobSpec sandboxSpec(const QJsonObject &hello, double scale, int pageSize,
                                   const QString &storePath)
{
    engine::JobSpec spec;
    spec.hubspot.apiBase = QUrl(hello.value(QStringLiteral("hubspot_api_url")).toString());
    spec.hubspot.timeScale = scale;
    spec.hubspotCredentials.staticToken = hello.value(QStringLiteral("hubspot_token")).toString();
    spec.halo.url = QUrl(hello.value(QStringLiteral("halo_url")).toString());
    spec.halo.clientId = hello.value(QStringLiteral("halo_client_id")).toString();
    spec.halo.clientSecret = hello.value(QStringLiteral("halo_client_secret")).toString();
    spec.halo.timeScale = scale;
    spec.halo.pageSize = pageSize;
    spec.halo.windowMax = kHaloWindowMax;
    spec.halo.windowMs = qint64(kHaloWindowSec * 1000);
    spec.storePath = storePath;
    return spec;
}

// What a user sees during an import: a label, a progress bar and the result list, a real
// QTableView over gui::RunResultModel, with new rows appended and counted per action at most
// every 300 ms as the import tabs do. Measures how long the window spends on the engine's
// results.
class ResultWindow final
{
public:
    static constexpr const char *kModelName = "gui::RunResultModel (pages read from the store)";

    ResultWindow(core::Store &store, engine::Engine *engine)
        : m_store(store)
        , m_catalog(store)
        , m_model(store, m_catalog)
    {
        auto *layout = new QVBoxLayout(&m_window);
        m_label = new QLabel(&m_window);
        m_bar = new QProgressBar(&m_window);
        auto *view = new QTableView(&m_window);
        layout->addWidget(m_label);
        layout->addWidget(m_bar);
        layout->addWidget(view);
        view->verticalHeader()->setDefaultSectionSize(20);
        view->setModel(&m_model);
        m_window.resize(900, 600);
        m_window.show();
        QObject::connect(engine, &engine::Engine::progress, &m_window,
                         [this](const engine::Progress &p) { onProgress(p); });
        QObject::connect(engine, &engine::Engine::results, &m_window,
                         [this](const QList<core::RunItem> &items) { onResults(items); });
    }
    ResultWindow(const ResultWindow &) = delete;
    ResultWindow &operator=(const ResultWindow &) = delete;

    QWidget *widget() { return &m_window; }
    gui::RunResultModel &model() { return m_model; }
    const engine::Progress &lastProgress() const { return m_last; }
    // Called on every progress signal after the window showed it.
    void setProgressHook(std::function<void(const engine::Progress &)> hook)
    {
        m_hook = std::move(hook);
    }
    // The next run's results replace the list (as a tab does when a new run starts).
    void newRun()
    {
        m_model.setRun(0);
        m_countsClock.invalidate();
    }

    qint64 resultRows = 0;
    qint64 worstResultsSlotMs = 0; // the longest time the window spent on one results() batch
    qint64 worstRefreshMs = 0; // RunResultModel::refresh(), which also keeps the per-action counts

private:
    void onProgress(const engine::Progress &p)
    {
        m_last = p;
        m_label->setText(QStringLiteral("%1 — %2 of %3, %4/s")
                             .arg(p.phase)
                             .arg(p.counts.settled())
                             .arg(p.total)
                             .arg(p.perSecond, 0, 'f', 1));
        m_bar->setMaximum(int(qMax<qint64>(p.total, 1)));
        m_bar->setValue(int(p.counts.settled()));
        if (m_hook)
            m_hook(p);
    }
    void onResults(const QList<core::RunItem> &items)
    {
        QElapsedTimer slotClock;
        slotClock.start();
        resultRows += items.size();
        if (m_model.runId() == 0) {
            const auto runs = m_store.recentRuns(1);
            if (runs && !runs.value().isEmpty())
                m_model.setRun(runs.value().constFirst().id);
        }
        // New rows appended (the view stays where the user put it) and counted per action, at
        // most every 300 ms.
        if (!m_countsClock.isValid() || m_countsClock.elapsed() >= 300) {
            m_countsClock.start();
            QElapsedTimer part;
            part.start();
            m_model.refresh();
            worstRefreshMs = qMax(worstRefreshMs, part.elapsed());
        }
        worstResultsSlotMs = qMax(worstResultsSlotMs, slotClock.elapsed());
    }

    core::Store &m_store;
    core::Catalog m_catalog;
    gui::RunResultModel m_model;
    QWidget m_window;
    QLabel *m_label = nullptr;
    QProgressBar *m_bar = nullptr;
    engine::Progress m_last;
    QElapsedTimer m_countsClock;
    std::function<void(const engine::Progress &)> m_hook;
};

// The event-loop latency probe: how late a 5 ms timer fires on the GUI thread, and how much of
// that the GUI thread itself was busy.
class StallProbe final
{
public:
    explicit StallProbe(QObject *context)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kProbeMs);
        QObject::connect(&m_timer, &QTimer::timeout, context, [this] { tick(); });
    }
    StallProbe(const StallProbe &) = delete;
    StallProbe &operator=(const StallProbe &) = delete;

    // Starts (again) with fresh figures; times are counted from here.
    void start()
    {
        worstStall = 0;
        worstStallAt = 0;
        worstBusy = 0;
        worstStallCpu = 0;
        stallsOver50 = 0;
        m_clock.start();
        m_lastTick = 0;
        m_lastCpu = threadCpuMs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    qint64 worstStall = 0;
    qint64 worstStallAt = 0;
    double worstBusy = 0;     // the most GUI-thread CPU time between two ticks, ms
    double worstStallCpu = 0; // GUI-thread CPU time during the worst (wall-clock) stall
    qint64 stallsOver50 = 0;

private:
    void tick()
    {
        const qint64 now = m_clock.elapsed();
        const qint64 late = now - m_lastTick - kProbeMs;
        m_lastTick = now;
        const double cpu = threadCpuMs();
        const double busy = cpu - m_lastCpu;
        m_lastCpu = cpu;
        worstBusy = qMax(worstBusy, busy);
        if (late > worstStall) {
            worstStall = late;
            worstStallAt = now;
            worstStallCpu = busy;
        }
        if (late > 50)
            ++stallsOver50;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTick = 0;
    double m_lastCpu = 0;
};

} // namespace halospot::bench
