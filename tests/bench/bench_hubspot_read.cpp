// Benchmark (not a ctest): reads N companies from an in-process FakeHubSpot with HubSpot's real
// burst limit (110 requests per rolling 10 s) at a raised time scale and realistic latency, and
// prints how close HubSpotClient comes to the ceiling, how many 429s it got and records per scaled
// second.
//
// The arithmetic behind the defaults (scale 2, 6 requests in flight, 100 records per page):
// - HubSpot allows 110 requests per 10 s = 11 requests per (scaled) second. At scale 2 the window
//   is 5 s of real time, so the ceiling is 22 requests per real second (2 200 records/s).
// - The server answers after 80 ms + uniform 0..80 ms = 120 +- 40 ms of real latency (the Clock
//   scales windows, not latency), plus the time to build and parse 100 records: ~0.15-0.2 s per
//   request. By Little's law 22 req/s x ~0.17 s = ~4 requests must be in flight. One list cursor
//   gives 1 / 0.17 s = ~6 req/s, so HubSpotClient::listAll walks 6 cursors over disjoint ID ranges
//   in parallel; 6 is also what QNetworkAccessManager runs per host, and 6 in flight carry up to
//   ~35 req/s, enough headroom for the jitter. (At scale 3 the ceiling of 33 req/s would need
//   ~5.6 in flight: too close to 6 to hold 0.90 once the server's own work grows.)
// - 50 000 companies are 500 list pages = 4.5 windows: the run is bound by the window, which is
//   what the ratio measures. Real time: 110 free requests, then 390 / 22 = ~18 s.
// - Ratio: a client at the ceiling sends request i + 110 exactly one window after request i. The
//   window divided by the mean of (t[i+110] - t[i]) over the run is the ratio (1.0 = at the
//   ceiling); t are the times replies arrive. Also printed: requests per real second / ceiling.
#include "FakeHubSpot.h"
#include "HubSpotClient.h"
#include "HubSpotTokens.h"
#include "RateLimiter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

using namespace halospot;

namespace {

struct Options
{
    qint64 count = 50000;
    double scale = 2;
    int concurrency = 6;
    int latencyMs = 80; // 80 + uniform 0..80 = 120 +- 40 ms
    int jitterMs = 80;
    int burstMax = 110;
    qint64 burstWindowMs = 10000;
};

Options parse(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Reads N HubSpot companies from FakeHubSpot at HubSpot's rate limit."));
    parser.addHelpOption();
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("companies to read"),
                                   QStringLiteral("n"), QStringLiteral("50000"));
    const QCommandLineOption scale(
        QStringLiteral("scale"),
        QStringLiteral("sandbox time scale (windows run this much faster)"), QStringLiteral("x"),
        QStringLiteral("2"));
    const QCommandLineOption concurrency(QStringLiteral("concurrency"),
                                         QStringLiteral("requests in flight / list cursors"),
                                         QStringLiteral("n"), QStringLiteral("6"));
    const QCommandLineOption latency(QStringLiteral("latency"),
                                     QStringLiteral("fixed server latency, real ms"),
                                     QStringLiteral("ms"), QStringLiteral("80"));
    const QCommandLineOption jitter(QStringLiteral("jitter"),
                                    QStringLiteral("plus uniform 0..jitter real ms"),
                                    QStringLiteral("ms"), QStringLiteral("80"));
    parser.addOptions({count, scale, concurrency, latency, jitter});
    parser.process(app);
    Options o;
    o.count = qMax<qint64>(1, parser.value(count).toLongLong());
    o.scale = qMax(0.01, parser.value(scale).toDouble());
    o.concurrency = qMax(1, parser.value(concurrency).toInt());
    o.latencyMs = qMax(0, parser.value(latency).toInt());
    o.jitterMs = qMax(0, parser.value(jitter).toInt());
    return o;
}

// The fake HubSpot on its own thread, as a real server would be: its work (and its latency
// timers) must not share the client's event loop.
struct Server
{
    QThread thread;
    std::unique_ptr<sandbox::Generator> generator;
    std::unique_ptr<sandbox::Clock> clock;
    sandbox::FakeHubSpot *hubspot = nullptr;
    QUrl base;
    QString token;

    void start(const Options &o)
    {
        thread.setObjectName(QStringLiteral("fake-hubspot"));
        thread.start();
        generator = std::make_unique<sandbox::Generator>(sandbox::GeneratorConfig{42, o.count, 10});
        clock = std::make_unique<sandbox::Clock>(o.scale);
        auto *anchor = new QObject;
        anchor->moveToThread(&thread);
        QMetaObject::invokeMethod(
            anchor,
            [this, &o] {
                sandbox::HubSpotConfig config;
                config.burstMax = o.burstMax;
                config.burstWindowMs = o.burstWindowMs;
                hubspot = new sandbox::FakeHubSpot(generator.get(), config, {}, clock.get());
                sandbox::FaultRates rates;
                rates.latencyMs = o.latencyMs;
                rates.jitterMs = o.jitterMs;
                hubspot->faults().setRates(rates);
                hubspot->listen(0);
                base = hubspot->baseUrl();
                token = hubspot->staticToken();
            },
            Qt::BlockingQueuedConnection);
        anchor->deleteLater();
    }

    template<typename T>
    T ask(std::function<T()> question)
    {
        T answer{};
        QMetaObject::invokeMethod(
            hubspot, [&] { answer = question(); }, Qt::BlockingQueuedConnection);
        return answer;
    }

    void stop()
    {
        QMetaObject::invokeMethod(
            hubspot, [this] { delete hubspot; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // Per-request debug lines would flood the terminal and cost the client's thread time that the
    // measurement is about; QT_LOGGING_RULES still overrides this.
    QLoggingCategory::setFilterRules(QStringLiteral("halospot.*.debug=false"));
    const Options o = parse(app);

    Server server;
    server.start(o);

    api::HubSpotSettings settings;
    settings.apiBase = server.base;
    settings.timeScale = o.scale;
    api::HubSpotTokens tokens(settings);
    tokens.setStaticToken(server.token);
    api::HubSpotClient client(&tokens);
    client.setConcurrency(o.concurrency);
    auto general = api::HubSpotClient::makeGeneralLimiter(settings, o.burstMax);
    client.setLimiters(general, api::HubSpotClient::makeSearchLimiter(settings));

    QElapsedTimer clock;
    std::vector<qint64> replies; // real ms at which each reply arrived
    replies.reserve(size_t(o.count / 100 + 64));
    qint64 rateLimited = 0;
    QObject::connect(&client, &api::HubSpotClient::replied, &client, [&](int status) {
        replies.push_back(clock.elapsed());
        rateLimited += status == 429 ? 1 : 0;
    });

    QSet<QString> ids;
    qint64 delivered = 0;
    bool ok = false;
    QString error;
    std::printf("reading %lld companies: scale %.2f, %d in flight, latency %d+0..%d ms, "
                "limit %d per %lld ms\n",
                static_cast<long long>(o.count), o.scale, o.concurrency, o.latencyMs, o.jitterMs,
                o.burstMax, static_cast<long long>(o.burstWindowMs));
    std::fflush(stdout);
    clock.start();
    client.listAll(
        QStringLiteral("companies"), {},
        [&](const QList<api::HubSpotObject> &page) {
            for (const api::HubSpotObject &object : page)
                ids.insert(object.id);
            delivered += page.size();
        },
        [&](const api::HubSpotReply<qint64> &reply) {
            ok = reply.ok();
            error = reply.message;
            app.quit();
        });
    app.exec();
    const double elapsedS = double(clock.elapsed()) / 1000.0;

    const qint64 server429 =
        server.ask<qint64>([&] { return server.hubspot->countForStatus(429); });
    const qint64 serverRequests =
        server.ask<qint64>([&] { return server.hubspot->requestCount(); });
    server.stop();

    // Requests counted by the general limiter (the list pages; the one search probe has its own).
    const qint64 generalRequests = general->reservedTotal();
    const double windowRealMs = double(o.burstWindowMs) / o.scale;
    const double ceilingPerS = double(o.burstMax) * 1000.0 / windowRealMs;
    double gapSum = 0;
    qint64 gaps = 0;
    for (size_t i = 0; i + size_t(o.burstMax) < replies.size(); ++i) {
        gapSum += double(replies[i + size_t(o.burstMax)] - replies[i]);
        ++gaps;
    }
    const double windowRatio = gaps > 0 ? windowRealMs / (gapSum / double(gaps)) : 0.0;
    const double rateRatio = double(generalRequests) / elapsedS / ceilingPerS;

    std::printf("result: %s%s\n", ok ? "ok" : "FAILED ", ok ? "" : qPrintable(error));
    std::printf("records: %lld delivered, %lld distinct (expected %lld)\n",
                static_cast<long long>(delivered), static_cast<long long>(ids.size()),
                static_cast<long long>(o.count));
    std::printf("time: %.2f s real = %.1f s scaled\n", elapsedS, elapsedS * o.scale);
    std::printf("requests: %lld list (general limiter), %lld at the server in total\n",
                static_cast<long long>(generalRequests), static_cast<long long>(serverRequests));
    std::printf("ceiling: %.1f requests per real second (%d per %.0f real ms)\n", ceilingPerS,
                o.burstMax, windowRealMs);
    std::printf("ratio (window / mean time for %d requests): %.3f\n", o.burstMax, windowRatio);
    std::printf("ratio (requests per real second / ceiling, first free window included): %.3f\n",
                rateRatio);
    std::printf("429s: %lld seen by the client, %lld sent by the server\n",
                static_cast<long long>(rateLimited), static_cast<long long>(server429));
    std::printf("records per scaled second: %.1f (ceiling %.0f)\n",
                double(delivered) / (elapsedS * o.scale), double(o.burstMax) / 10.0 * 100.0);
    const bool good = ok && delivered == o.count && ids.size() == o.count;
    return good ? 0 : 1;
}
