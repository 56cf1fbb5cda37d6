// RateLimiter: the rolling window holds for slots reserved from several threads at once, pauses
// and server headers move slots (honest headers in steady state add no phantom slots), and
// RestClients on three worker threads sharing one limiter never make a rolling-window service
// refuse a request. Also the redaction and Retry-After helpers.
#include "ApiTestSupport.h"

#include "Redact.h"
#include "RestClient.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace halospot;
using namespace halospot::api;
using halospot::apitest::ScriptedService;
using halospot::apitest::Worker;

namespace {

qint64 steadyNowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// The largest number of slots inside any half-open window [t, t + windowMs).
int densest(std::vector<qint64> slots, qint64 windowMs)
{
    std::sort(slots.begin(), slots.end());
    int best = 0;
    size_t lo = 0;
    for (size_t hi = 0; hi < slots.size(); ++hi) {
        while (slots[hi] - slots[lo] >= windowMs)
            ++lo;
        best = std::max(best, int(hi - lo + 1));
    }
    return best;
}

} // namespace

class TestRateLimiter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstWindowIsFreeThenSlotsSpread()
    {
        RateLimiter limiter(3, 1000);
        limiter.setMarginMs(0);
        QCOMPARE(limiter.reserve(), 0);
        QCOMPARE(limiter.reserve(), 0);
        QCOMPARE(limiter.reserve(), 0);
        const qint64 wait = limiter.reserve();
        QVERIFY(wait > 990 && wait <= 1000);
        QCOMPARE(limiter.reservedTotal(), 4);
    }

    void unlimitedWhenMaxIsZero()
    {
        RateLimiter limiter(0, 1000);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(limiter.reserve(), 0);
    }

    void neverMoreThanMaxInAWindowAcrossThreads()
    {
        const int max = 10;
        const qint64 window = 100;
        RateLimiter limiter(max, window);
        limiter.setMarginMs(0);
        std::vector<std::vector<qint64>> perThread(4);
        std::vector<std::thread> threads;
        for (auto &slots : perThread) {
            threads.emplace_back([&limiter, &slots] {
                for (int i = 0; i < 50; ++i) {
                    const qint64 now = steadyNowMs();
                    slots.push_back(now + limiter.reserve());
                }
            });
        }
        for (auto &t : threads)
            t.join();
        std::vector<qint64> all;
        for (const auto &slots : perThread)
            all.insert(all.end(), slots.begin(), slots.end());
        QCOMPARE(all.size(), size_t(200));
        // The clock read and the reservation are not atomic together: allow 1 ms of skew.
        QVERIFY(densest(all, window - 1) <= max);
        // And the window is used, not wasted: 200 slots at 10 per 100 ms need about 1.9 s.
        const auto [lo, hi] = std::minmax_element(all.begin(), all.end());
        QVERIFY(*hi - *lo <= 19 * window + 50);
    }

    void pauseDelaysEverySlot()
    {
        RateLimiter limiter(100, 1000);
        limiter.pauseFor(300);
        const qint64 wait = limiter.reserve();
        QVERIFY(wait > 250 && wait <= 300);
    }

    void serverHeadersCountOtherClientsRequests()
    {
        RateLimiter limiter(100, 10000);
        limiter.setMarginMs(0);
        QCOMPARE(limiter.reserve(), 0);
        // The server saw 108 of 110 used: other apps share the account's budget.
        limiter.applyHeaders(110, 2, 10000);
        QCOMPARE(limiter.maxRequests(), 110);
        QCOMPARE(limiter.reserve(), 0);
        QCOMPARE(limiter.reserve(), 0);
        QVERIFY(limiter.reserve() > 9000);
    }

    void honestHeadersAddNoPhantomSlotsInSteadyState()
    {
        // One client alone on a 5 per 300 ms service, sending one request at a time. The server
        // counts each request over the window ending when it arrives (10 ms after its slot) and
        // reports what is left; the reply is read 30 ms after the slot. With nobody else on the
        // account the headers must not move any slot: slot i is exactly where the limiter's own
        // stamps put it (right after slot i-1, or one window plus margin after slot i-5).
        const int max = 5;
        const qint64 window = 300;
        const qint64 margin = 20;
        RateLimiter limiter(max, window);
        limiter.setMarginMs(margin);
        std::vector<qint64> slots;
        for (int i = 0; i < 4 * max; ++i) {
            const qint64 now = steadyNowMs();
            const qint64 slot = now + limiter.reserve();
            qint64 earliest = slots.empty() ? now : qMax(now, slots.back());
            if (slots.size() >= size_t(max))
                earliest = qMax(earliest, slots[slots.size() - size_t(max)] + window + margin);
            // A few ms of slack: the test reads the clock just before reserve() does.
            QVERIFY2(
                slot <= earliest + 5,
                qPrintable(QStringLiteral("slot %1 is %2 ms late").arg(i).arg(slot - earliest)));
            slots.push_back(slot);
            std::this_thread::sleep_until(
                std::chrono::steady_clock::time_point(std::chrono::milliseconds(slot + 30)));
            // The server's view: requests that arrived in (arrival - window, arrival].
            const qint64 arrival = slot + 10;
            int counted = 0;
            for (const qint64 s : slots)
                counted += (s + 10 > arrival - window && s + 10 <= arrival) ? 1 : 0;
            QVERIFY(counted <= max);
            const qint64 read = steadyNowMs();
            limiter.applyHeaders(max, max - counted, window, read - slot);
        }
    }

    void applyHeadersKeepsAMarginTheCallerSet()
    {
        RateLimiter limiter(10, 1000);
        limiter.setMarginMs(200);
        limiter.applyHeaders(10, 10, 500);
        QCOMPARE(limiter.windowMs(), qint64(500));
        QCOMPARE(limiter.marginMs(), qint64(200));
        limiter.reconfigure(10, 2000);
        QCOMPARE(limiter.marginMs(), qint64(200));
        // Without a margin of the caller's, the margin follows the window.
        RateLimiter plain(10, 1000);
        const qint64 before = plain.marginMs();
        plain.applyHeaders(10, 10, 20000);
        QVERIFY(plain.marginMs() > before);
    }

    void serverHeadersStillCountRequestsSentBeforeThisReply()
    {
        // Requests of another app the server saw while ours was on the wire are still counted.
        RateLimiter limiter(10, 1000);
        limiter.setMarginMs(0);
        QCOMPARE(limiter.reserve(), 0);
        limiter.applyHeaders(10, 1, 1000, 50); // 9 used: ours (1) and 8 of theirs
        QCOMPARE(limiter.reserve(), 0);
        QVERIFY(limiter.reserve() > 900);
    }

    void sharedByClientsOnThreeThreadsNoRefusal()
    {
        // A rolling-window service (8 per 600 ms, measured where requests arrive) and three
        // clients on their own threads sharing one limiter configured with the same window.
        sandbox::Clock clock;
        ScriptedService service(&clock);
        service.window.emplace(8, 600);
        QVERIFY(service.listen(0) != 0);
        auto limiter = std::make_shared<RateLimiter>(8, 600);
        limiter->setMarginMs(60);

        const int perClient = 16;
        std::atomic<int> ok{0};
        std::atomic<int> failed{0};
        std::vector<std::unique_ptr<Worker>> workers;
        std::vector<RestClient *> clients(3, nullptr);
        for (int w = 0; w < 3; ++w) {
            workers.push_back(std::make_unique<Worker>());
            QUrl url = service.baseUrl();
            url.setPath(QStringLiteral("/w%1").arg(w));
            workers.back()->run([&, w, url] {
                auto *client = new RestClient(QStringLiteral("Test"));
                clients[size_t(w)] = client;
                client->setLimiter(QStringLiteral("general"), limiter);
                RetryPolicy noRateRetry;
                noRateRetry.maxRateLimitWaits = 0; // a 429 would end the call: visible
                client->setRetryPolicy(noRateRetry);
                for (int i = 0; i < perClient; ++i) {
                    ApiRequest r;
                    r.url = url;
                    client->send(r, client,
                                 [&](const ApiResponse &resp) { (resp.ok() ? ok : failed)++; });
                }
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(ok.load() + failed.load(), 3 * perClient, 30000);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(service.refused, 0);
        QCOMPARE(service.arrivalsMs.size(), 3 * perClient);
        // Server-side arrival times: never more than 8 inside 600 ms.
        std::vector<qint64> arrivals(service.arrivalsMs.begin(), service.arrivalsMs.end());
        QVERIFY(densest(arrivals, 600) <= 8);
        // Every thread's requests were spread over the whole run, not sent one thread at a time.
        QSet<QString> paths;
        for (const auto &r : std::as_const(service.seen))
            paths.insert(r.path);
        QCOMPARE(paths.size(), 3);
        for (int w = 0; w < 3; ++w)
            workers[size_t(w)]->runBlocking([&clients, w] { delete clients[size_t(w)]; });
    }

    void redaction()
    {
        const QUrl url(QStringLiteral(
            "https://x.invalid/auth/token?tenant=acme&client_secret=s3cret&code=abc"));
        const QString shown = redactUrl(url);
        QVERIFY(shown.contains(QLatin1String("tenant=acme")));
        QVERIFY(!shown.contains(QLatin1String("s3cret")));
        QVERIFY(!shown.contains(QLatin1String("abc")));
        QCOMPARE(redactHeader("Authorization", "Bearer abc.def"), QByteArray("Bearer <redacted>"));
        QCOMPARE(redactHeader("Accept", "application/json"), QByteArray("application/json"));
        const QByteArray form = redactBody("grant_type=client_credentials&client_secret=s3cret");
        QVERIFY(form.contains("grant_type=client_credentials"));
        QVERIFY(!form.contains("s3cret"));
        const QByteArray json = redactBody(R"({"access_token":"tok","refresh_token":"r","n":1})");
        QVERIFY(!json.contains("\"tok\"") && !json.contains("\"r\""));
        QVERIFY(json.contains("\"n\":1"));
    }

    void retryAfterForms()
    {
        ApiResponse r;
        r.headers.insert("retry-after", "3");
        QCOMPARE(RetryPolicy::retryAfterMs(r, QDateTime::currentDateTimeUtc()), qint64(3000));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        r.headers.insert("retry-after", now.addSecs(10).toString(Qt::RFC2822Date).toLatin1());
        const auto date = RetryPolicy::retryAfterMs(r, now);
        QVERIFY(date && *date > 8000 && *date <= 11000);
        ApiResponse body;
        body.json = QJsonDocument(QJsonObject{{QStringLiteral("retry_after"), 2}});
        QCOMPARE(RetryPolicy::retryAfterMs(body, now), qint64(2000));
        QVERIFY(!RetryPolicy::retryAfterMs(ApiResponse{}, now));
    }

    void backoffIsCappedWithJitter()
    {
        RetryPolicy p;
        p.backoffBaseMs = 100;
        p.backoffMaxMs = 1000;
        p.jitter = 0.5;
        for (int i = 0; i < 50; ++i) {
            const qint64 first = p.backoffMs(1);
            QVERIFY(first >= 50 && first <= 100);
            const qint64 late = p.backoffMs(12);
            QVERIFY(late >= 500 && late <= 1000);
        }
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
