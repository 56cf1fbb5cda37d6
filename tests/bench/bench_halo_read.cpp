// Benchmark (not a ctest): reads N Halo clients from an in-process FakeHalo with Halo's real window
// (500 requests per 3 minutes) at a raised time scale and realistic latency, and prints how close
// the HaloClient comes to the window's ceiling, how many 429s it caused and records per scaled
// second.
//
// The arithmetic behind the defaults (scale 60, page size 25, 4 threads x 6 in flight):
// - Halo allows 500 requests per 180 s = 2.78 requests per (scaled) second. At scale 60 the
//   window is 3 s of real time, so the ceiling is 166.7 requests per real second.
// - The server answers after 120 ms +- 40 ms of real latency (the Clock scales windows, not
//   latency). By Little's law, keeping 166.7 req/s going needs 166.7 x ~0.125 s = ~21 requests in
//   flight. QNetworkAccessManager opens 6 connections per host, and one manager serves one thread,
//   so 4 reader threads x 6 in flight = 24 (a ceiling of ~190 req/s) are enough; 3 would not be.
// - With 25 rows per page, 50 000 clients take 2 000 page requests = 4 windows, so the run is
//   bound by the window, not finished inside the first (free) window: that is what the ratio
//   measures. (In real use larger pages are better, as Halo counts requests, not rows: try
//   --page-size 1000.)
// - Ratio: for a rolling window a client at the ceiling sends request i + max exactly one window
//   after request i. The mean of (t[i+max] - t[i]) over the run, compared with the window, gives
//   the ratio; it is computed from the times replies arrive (all requests, tokens included).
#include "FakeHalo.h"
#include "HaloClient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMutex>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

using namespace halospot;

namespace {

struct Options
{
    int clients = 50000;
    double scale = 60;
    int pageSize = 25;
    int threads = 4;
    int concurrency = 6;
    int latencyMs = 80; // 80 + uniform 0..80 = 120 +- 40 ms
    int jitterMs = 80;
    int windowMax = 500;
    qint64 windowMs = 180000;
};

Options parse(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Reads N Halo clients from FakeHalo at Halo's rate limit."));
    parser.addHelpOption();
    const QCommandLineOption clients(QStringLiteral("clients"), QStringLiteral("clients to read"),
                                     QStringLiteral("n"), QStringLiteral("50000"));
    const QCommandLineOption scale(QStringLiteral("scale"), QStringLiteral("clock scale"),
                                   QStringLiteral("x"), QStringLiteral("60"));
    const QCommandLineOption pageSize(QStringLiteral("page-size"), QStringLiteral("rows per page"),
                                      QStringLiteral("n"), QStringLiteral("25"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("reader threads"),
                                     QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption concurrency(QStringLiteral("concurrency"),
                                         QStringLiteral("pages in flight per thread"),
                                         QStringLiteral("n"), QStringLiteral("6"));
    const QCommandLineOption latency(QStringLiteral("latency"),
                                     QStringLiteral("server latency floor, real ms"),
                                     QStringLiteral("ms"), QStringLiteral("80"));
    const QCommandLineOption jitter(QStringLiteral("jitter"),
                                    QStringLiteral("plus uniform 0..jitter real ms"),
                                    QStringLiteral("ms"), QStringLiteral("80"));
    parser.addOptions({clients, scale, pageSize, threads, concurrency, latency, jitter});
    parser.process(app);
    Options o;
    o.clients = parser.value(clients).toInt();
    o.scale = parser.value(scale).toDouble();
    o.pageSize = parser.value(pageSize).toInt();
    o.threads = qMax(1, parser.value(threads).toInt());
    o.concurrency = qMax(1, parser.value(concurrency).toInt());
    o.latencyMs = parser.value(latency).toInt();
    o.jitterMs = parser.value(jitter).toInt();
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parse(app);
    // Per-request debug lines would cost more than the requests themselves.
    QLoggingCategory::setFilterRules(QStringLiteral("halospot.*.debug=false"));

    sandbox::Clock clock(o.scale);
    sandbox::HaloConfig config;
    config.windowMax = o.windowMax;
    config.windowMs = o.windowMs;
    sandbox::FakeHalo halo(config, &clock);
    QElapsedTimer seeding;
    seeding.start();
    for (int i = 0; i < o.clients; ++i)
        halo.addClient(QStringLiteral("Client %1").arg(i, 6, 10, QLatin1Char('0')),
                       QStringLiteral("https://c%1.invalid").arg(i));
    const qint64 seedingMs = seeding.elapsed();
    if (halo.listen(0) == 0) {
        std::fprintf(stderr, "%s\n", qPrintable(halo.error()));
        return 2;
    }
    sandbox::FaultRates rates;
    rates.latencyMs = o.latencyMs;
    rates.jitterMs = o.jitterMs;
    halo.faults().setRates(rates);

    api::HaloSettings settings;
    settings.url = halo.baseUrl();
    settings.clientId = halo.config().clientId;
    settings.clientSecret = halo.config().clientSecret;
    settings.pageSize = o.pageSize;
    settings.pageConcurrency = o.concurrency;
    settings.windowMax = o.windowMax;
    settings.windowMs = o.windowMs;
    settings.timeScale = o.scale;
    const auto limiter = api::HaloClient::makeLimiter(settings);

    QMutex mutex;
    std::vector<qint64> replies; // real ms since start, one per reply (every request)
    std::atomic<qint64> rows{0};
    std::atomic<int> finished{0};
    std::atomic<int> failures{0};
    QElapsedTimer run;

    std::vector<std::unique_ptr<QThread>> threads;
    std::vector<api::HaloClient *> clients(size_t(o.threads), nullptr);
    run.start();
    for (int t = 0; t < o.threads; ++t) {
        auto thread = std::make_unique<QThread>();
        thread->start();
        auto *context = new QObject;
        context->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::finished, context, &QObject::deleteLater);
        QMetaObject::invokeMethod(context, [&, t] {
            auto *client = new api::HaloClient(settings, limiter);
            clients[size_t(t)] = client;
            client->rest().setReplyObserver([&](const api::ApiRequest &, const api::ApiResponse &) {
                QMutexLocker lock(&mutex);
                replies.push_back(run.elapsed());
            });
            client->listPages(
                api::HaloResource::Client, {}, t + 1, o.threads, client,
                [&rows](const QJsonArray &page) { rows += page.size(); },
                [&](const api::ApiResponse &r) {
                    if (!r.ok()) {
                        ++failures;
                        std::fprintf(stderr, "reader %d failed: %s\n", t, qPrintable(r.message));
                    }
                    ++finished;
                });
        });
        threads.push_back(std::move(thread));
    }

    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (finished.load() == o.threads)
            app.quit();
    });
    poll.start(20);
    app.exec();
    const qint64 elapsedMs = run.elapsed();

    for (int t = 0; t < o.threads; ++t) {
        QMetaObject::invokeMethod(
            clients[size_t(t)], [c = clients[size_t(t)]] { delete c; },
            Qt::BlockingQueuedConnection);
        threads[size_t(t)]->quit();
        threads[size_t(t)]->wait();
    }

    std::sort(replies.begin(), replies.end());
    const auto n = qint64(replies.size());
    const qint64 max = o.windowMax;
    const double windowRealMs = double(o.windowMs) / o.scale;
    const double allowedPerSec = double(o.windowMax) / (double(o.windowMs) / 1000.0); // scaled
    double ratio = 0;
    if (n > max) {
        double firstMean = 0, lastMean = 0;
        for (qint64 i = 0; i < max; ++i) {
            firstMean += double(replies[size_t(i)]);
            lastMean += double(replies[size_t(n - max + i)]);
        }
        firstMean /= double(max);
        lastMean /= double(max);
        // mean over i of (t[i+max] - t[i]) = (lastMean - firstMean) * max / (n - max)
        const double meanGap = (lastMean - firstMean) * double(max) / double(n - max);
        ratio = windowRealMs / meanGap;
    }
    const double scaledSec = double(elapsedMs) * o.scale / 1000.0;
    const double overallRate = double(n) / scaledSec;

    std::printf("bench_halo_read: %d clients, page size %d, %d threads x %d in flight, scale %gx, "
                "latency %d..%d ms (real)\n",
                o.clients, o.pageSize, o.threads, o.concurrency, o.scale, o.latencyMs,
                o.latencyMs + o.jitterMs);
    std::printf("  seeding: %lld ms; run: %lld ms real = %.1f s scaled; requests: %lld "
                "(server saw %lld)\n",
                seedingMs, elapsedMs, scaledSec, n, halo.requestCount());
    std::printf("  rows read: %lld of %d; failed readers: %d\n", qint64(rows.load()), o.clients,
                failures.load());
    std::printf("  allowed rate: %.3f req/s scaled (%d per %lld s)\n", allowedPerSec, o.windowMax,
                o.windowMs / 1000);
    std::printf("  steady-state ratio (achieved / allowed): %.3f%s\n", ratio,
                n > max ? "" : "  (fewer requests than one window: not rate-bound)");
    std::printf(
        "  whole-run rate incl. the free first window: %.3f req/s scaled (%.2f x allowed)\n",
        overallRate, overallRate / allowedPerSec);
    std::printf("  429 responses: %lld\n", halo.countForStatus(429));
    std::printf("  records per scaled second: %.1f\n", double(rows.load()) / scaledSec);
    return failures.load() == 0 ? 0 : 1;
}
