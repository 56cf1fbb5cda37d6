// RestClient against a scripted loopback service: JSON, request IDs, retries (429 with and
// without Retry-After, HubSpot policies, 423, 5xx, stalls, drops through FaultProxy), the rule that
// a create is never sent twice, redirects, insecure URLs, 401 refresh + replay, worker threads.
#include "ApiTestSupport.h"

#include "FaultProxy.h"
#include "RestClient.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace halospot;
using namespace halospot::api;
using halospot::apitest::ScriptedService;
using halospot::apitest::Worker;
using sandbox::Fault;
using sandbox::Request;
using sandbox::Response;

namespace {

RetryPolicy fastPolicy()
{
    RetryPolicy p;
    p.backoffBaseMs = 20;
    p.backoffMaxMs = 200;
    p.rateLimitBaseMs = 50;
    p.rateLimitMaxMs = 200;
    p.windowWaitMs = 300;
    p.secondlyWaitMs = 200;
    return p;
}

} // namespace

class TestRestClient final : public QObject
{
    Q_OBJECT

private:
    sandbox::Clock m_clock;
    std::unique_ptr<ScriptedService> m_service;
    std::unique_ptr<RestClient> m_client;

    QUrl url(const QString &path) const
    {
        QUrl u = m_service->baseUrl();
        u.setPath(path);
        return u;
    }

    ApiResponse call(const ApiRequest &request, int timeoutMs = 20000)
    {
        std::optional<ApiResponse> result;
        m_client->send(request, this, [&result](const ApiResponse &r) { result = r; });
        (void)QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs);
        return result.value_or(ApiResponse{});
    }

    ApiRequest get(const QString &path = QStringLiteral("/things"))
    {
        ApiRequest r;
        r.url = url(path);
        r.what = QStringLiteral("read things");
        return r;
    }

    ApiRequest create()
    {
        ApiRequest r;
        r.method = "POST";
        r.url = url(QStringLiteral("/things"));
        r.body = R"([{"name":"Acme"}])";
        r.contentType = "application/json";
        r.idempotent = false;
        r.what = QStringLiteral("create 1 thing");
        return r;
    }

private Q_SLOTS:
    void init()
    {
        m_service = std::make_unique<ScriptedService>(&m_clock);
        QVERIFY(m_service->listen(0) != 0);
        m_client = std::make_unique<RestClient>(QStringLiteral("Test"));
        m_client->setRetryPolicy(fastPolicy());
        m_client->setTransferTimeoutMs(5000);
    }

    void cleanup()
    {
        m_client.reset();
        m_service.reset();
    }

    void jsonInAndOutWithRequestId()
    {
        m_service->handler = [](const Request &r) {
            bool ok = false;
            const QJsonDocument doc = r.json(&ok);
            return Response::json(201, QJsonObject{{QStringLiteral("echo"), doc.array()},
                                                   {QStringLiteral("ok"), ok}});
        };
        ApiRequest r = create();
        r.idempotent = true;
        const ApiResponse response = call(r);
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(response.status, 201);
        QCOMPARE(response.json.object().value(QLatin1String("echo")).toArray().size(), 1);
        QVERIFY(response.json.object().value(QLatin1String("ok")).toBool());
        QCOMPARE(m_service->seen.size(), 1);
        const Request &seen = m_service->seen.first();
        QCOMPARE(seen.header("content-type"), QByteArray("application/json"));
        QCOMPARE(seen.header("accept"), QByteArray("application/json"));
        QCOMPARE(seen.header("x-request-id").size(), 36);
        QCOMPARE(response.requestId, seen.header("x-request-id"));
        QCOMPARE(response.header("content-type"), QByteArray("application/json;charset=utf-8"));
    }

    void serverErrorsAreRetriedForReadsWithNewRequestIds()
    {
        int calls = 0;
        m_service->handler = [&calls](const Request &) {
            return ++calls <= 2 ? Response::json(503, QJsonObject{})
                                : Response::json(200, QJsonObject{});
        };
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(response.attempts, 3);
        QCOMPARE(m_service->countForStatus(503), 2);
        QCOMPARE(m_service->requestCount(), 3);
        QSet<QByteArray> ids;
        for (const Request &r : std::as_const(m_service->seen))
            ids.insert(r.header("x-request-id"));
        QCOMPARE(ids.size(), 3);
        QVERIFY(ids.contains(response.requestId));
    }

    void serverErrorsGiveUpAfterMaxAttempts()
    {
        RetryPolicy p = fastPolicy();
        p.maxAttempts = 3;
        m_client->setRetryPolicy(p);
        m_service->faults().injectNext(Fault::ServerError, 10);
        const ApiResponse response = call(get());
        QCOMPARE(response.error, ApiError::Http);
        QCOMPARE(response.status, 500);
        QCOMPARE(response.attempts, 3);
        QVERIFY(response.message.contains(QLatin1String("read things")));
        QVERIFY(response.message.contains(QLatin1String("3 attempts")));
    }

    void rateLimitStormWithRetryAfter()
    {
        m_service->faults().injectNext(Fault::RateLimited, 2); // Retry-After: 1
        QElapsedTimer t;
        t.start();
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(m_service->countForStatus(429), 2);
        QCOMPARE(response.attempts, 3);
        QVERIFY(t.elapsed() >= 1900); // two Retry-After waits of one second were honoured
    }

    void rateLimitStormWithoutRetryAfter()
    {
        m_service->faults().injectNext(Fault::RateLimitedNoRetry, 5);
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(m_service->countForStatus(429), 5);
        QCOMPARE(response.attempts, 6);
    }

    void manyCallsUnderA429StormAllSucceed()
    {
        m_service->faults().injectNext(Fault::RateLimitedNoRetry, 12);
        int ok = 0;
        for (int i = 0; i < 10; ++i)
            m_client->send(get(), this, [&ok](const ApiResponse &r) { ok += r.ok() ? 1 : 0; });
        QTRY_COMPARE_WITH_TIMEOUT(ok, 10, 20000);
        QCOMPARE(m_service->countForStatus(429), 12);
    }

    void createsAreResentAfter429()
    {
        // A 429 means the service refused the request, so even a create may go again.
        m_service->faults().injectNext(Fault::RateLimitedNoRetry, 1);
        const ApiResponse response = call(create());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(m_service->seenWithMethod("POST"), 1);
    }

    void hubspotTenSecondlyWaitsForTheWindowAndPausesTheLimiter()
    {
        auto limiter = std::make_shared<RateLimiter>(100, 10000);
        m_client->setLimiter(QStringLiteral("general"), limiter);
        int calls = 0;
        m_service->handler = [&calls](const Request &) {
            if (calls++ == 0) {
                Response r = Response::json(
                    429, QJsonObject{
                             {QStringLiteral("policyName"), QStringLiteral("TEN_SECONDLY_ROLLING")},
                             {QStringLiteral("message"),
                              QStringLiteral("You have reached your ten_secondly_rolling "
                                             "limit.")}});
                r.setHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "400");
                return r;
            }
            return Response::json(200, QJsonObject{});
        };
        QElapsedTimer t;
        t.start();
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QVERIFY(t.elapsed() >= 400);
        QCOMPARE(calls, 2);
    }

    void hubspotLimitHeadersAreRealMillisecondsUnderATimeScale()
    {
        // A sandbox at time scale 10 sends the interval already divided by 10: neither the
        // limiter's window nor the wait after TEN_SECONDLY_ROLLING may divide it again.
        RetryPolicy policy = fastPolicy();
        policy.timeScale = 10;
        m_client->setRetryPolicy(policy);
        auto limiter = std::make_shared<RateLimiter>(100, 10000);
        m_client->setLimiter(QStringLiteral("general"), limiter);
        int calls = 0;
        m_service->handler = [&calls](const Request &) {
            Response r =
                calls++ == 0
                    ? Response::json(429, QJsonObject{{QStringLiteral("policyName"),
                                                       QStringLiteral("TEN_SECONDLY_ROLLING")}})
                    : Response::json(200, QJsonObject{});
            r.setHeader("X-HubSpot-RateLimit-Max", "7");
            r.setHeader("X-HubSpot-RateLimit-Remaining", "5");
            r.setHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "400");
            return r;
        };
        QElapsedTimer t;
        t.start();
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QVERIFY(t.elapsed() >= 400);
        QCOMPARE(calls, 2);
        QCOMPARE(limiter->windowMs(), qint64(400));
        QCOMPARE(limiter->maxRequests(), 7);
    }

    void hubspotSecondlySearchLimitWaitsOneSecondSetting()
    {
        int calls = 0;
        m_service->handler = [&calls](const Request &) {
            if (calls++ == 0)
                return Response::json(429, QJsonObject{{QStringLiteral("message"),
                                                        QStringLiteral("You have reached your "
                                                                       "secondly limit.")}});
            return Response::json(200, QJsonObject{});
        };
        QElapsedTimer t;
        t.start();
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QVERIFY(t.elapsed() >= 200); // fastPolicy().secondlyWaitMs
    }

    void dailyLimitStopsWithAResetTime()
    {
        m_service->handler = [](const Request &) {
            return Response::json(
                429, QJsonObject{{QStringLiteral("policyName"), QStringLiteral("DAILY")},
                                 {QStringLiteral("message"),
                                  QStringLiteral("You have reached your daily limit.")}});
        };
        const ApiResponse response = call(get());
        QCOMPARE(response.error, ApiError::DailyLimit);
        QCOMPARE(response.attempts, 1);
        QVERIFY(response.message.contains(QLatin1String("midnight")));
        QVERIFY(response.message.contains(QLatin1String("read things")));
    }

    void lockedWaitsAtLeastTwoSeconds()
    {
        int calls = 0;
        m_service->handler = [&calls](const Request &) {
            return calls++ == 0 ? Response::json(423, QJsonObject{})
                                : Response::json(200, QJsonObject{});
        };
        QElapsedTimer t;
        t.start();
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QVERIFY(t.elapsed() >= 2000);
    }

    void stalledReadTimesOutAndIsRetried()
    {
        m_client->setTransferTimeoutMs(300);
        m_service->faults().injectNext(Fault::Stall, 1);
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(response.attempts, 2);
    }

    void attemptDeadlineEndsASlowAttempt()
    {
        m_client->setTransferTimeoutMs(10000);
        m_client->setAttemptDeadlineMs(300);
        m_service->faults().injectNext(Fault::Stall, 1);
        QElapsedTimer t;
        t.start();
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(response.attempts, 2);
        QVERIFY(t.elapsed() < 10000); // the deadline, not the transfer timeout, ended attempt 1
    }

    void stalledCreateIsOutcomeUnknownAndNotResent()
    {
        m_client->setTransferTimeoutMs(300);
        m_service->faults().injectNext(Fault::Stall, 1);
        const ApiResponse response = call(create());
        QCOMPARE(response.error, ApiError::OutcomeUnknown);
        QCOMPARE(response.attempts, 1);
        QVERIFY(response.message.contains(QLatin1String("create 1 thing")));
        QTest::qWait(600); // time enough for any (wrong) re-send to arrive
        QCOMPARE(m_service->requestCount(), 1);
    }

    void serverErrorOnCreateIsOutcomeUnknown()
    {
        m_service->faults().injectNext(Fault::ServerError, 1);
        const ApiResponse response = call(create());
        QCOMPARE(response.error, ApiError::OutcomeUnknown);
        QTest::qWait(200);
        QCOMPARE(m_service->requestCount(), 1);
    }

    void malformedReadIsRetried()
    {
        m_service->handler = [](const Request &) {
            return Response::json(200, QJsonObject{{QStringLiteral("results"), QJsonArray{1, 2}}});
        };
        m_service->faults().injectNext(Fault::Malformed, 1);
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(response.attempts, 2);
        QCOMPARE(response.json.object().value(QLatin1String("results")).toArray().size(), 2);
    }

    void droppedConnectionsAreRetriedForReads()
    {
        sandbox::FaultProxy proxy(&m_service->faults());
        const quint16 port = proxy.listen(0, m_service->port());
        QVERIFY(port != 0);
        m_service->handler = [](const Request &) {
            return Response::json(
                200, QJsonObject{{QStringLiteral("padding"), QString(2000, QLatin1Char('x'))}});
        };
        m_service->faults().injectNext(Fault::Drop, 2);
        ApiRequest r = get();
        r.url.setPort(port);
        const ApiResponse response = call(r);
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(proxy.droppedReplies(), 2);
        QCOMPARE(response.attempts, 3);
    }

    void droppedCreateIsOutcomeUnknownAndNotResent()
    {
        sandbox::FaultProxy proxy(&m_service->faults());
        const quint16 port = proxy.listen(0, m_service->port());
        QVERIFY(port != 0);
        m_service->faults().injectNext(Fault::Drop, 1);
        ApiRequest r = create();
        r.url.setPort(port);
        const ApiResponse response = call(r);
        QCOMPARE(response.error, ApiError::OutcomeUnknown);
        QTest::qWait(300);
        QCOMPARE(m_service->seenWithMethod("POST"), 1);
        QCOMPARE(proxy.droppedReplies(), 1);
    }

    void redirectsStayOnTheHost()
    {
        const quint16 port = m_service->port();
        m_service->handler = [port](const Request &r) {
            if (r.path == QLatin1String("/same"))
                return Response::redirect(QUrl(QStringLiteral("/target")));
            if (r.path == QLatin1String("/away")) {
                QUrl other;
                other.setScheme(QStringLiteral("http"));
                other.setHost(QStringLiteral("127.0.0.2"));
                other.setPort(port);
                other.setPath(QStringLiteral("/target"));
                return Response::redirect(other);
            }
            return Response::json(200, QJsonObject{{QStringLiteral("at"), r.path}});
        };
        const ApiResponse same = call(get(QStringLiteral("/same")));
        QVERIFY2(same.ok(), qPrintable(same.message));
        QCOMPARE(same.json.object().value(QLatin1String("at")).toString(),
                 QStringLiteral("/target"));

        const ApiResponse away = call(get(QStringLiteral("/away")));
        QCOMPARE(away.error, ApiError::Refused);
        QVERIFY(away.message.contains(QLatin1String("127.0.0.2")));
        QCOMPARE(m_service->seen.size(), 3); // /same, /target, /away — never the other host
    }

    void insecureUrlsAreRefusedWithoutSending()
    {
        ApiRequest r = get();
        r.url = QUrl(QStringLiteral("http://example.invalid/api/things"));
        const ApiResponse response = call(r);
        QCOMPARE(response.error, ApiError::Refused);
        QCOMPARE(response.attempts, 0);
        QVERIFY(response.message.contains(QLatin1String("https")));
        QVERIFY(isSecureOrLoopback(QUrl(QStringLiteral("https://acme.halopsa.com"))));
        QVERIFY(isSecureOrLoopback(QUrl(QStringLiteral("http://localhost:8080/x"))));
        QVERIFY(isSecureOrLoopback(QUrl(QStringLiteral("http://127.0.0.1:8080/x"))));
        QVERIFY(!isSecureOrLoopback(QUrl(QStringLiteral("http://10.0.0.1/x"))));
        QVERIFY(!isSecureOrLoopback(QUrl(QStringLiteral("ftp://acme.halopsa.com/x"))));
    }

    void unauthorizedRefreshesOnceAndReplays()
    {
        int generation = 1;
        int refreshes = 0;
        m_client->setAuthenticator(
            [&generation, this](QNetworkRequest &request, RestClient::Ready ready) {
                // Asynchronous on purpose, like a token fetch.
                QTimer::singleShot(10, this, [&generation, &request, ready] {
                    request.setRawHeader("Authorization",
                                         "Bearer token-" + QByteArray::number(generation));
                    ready(true, QString());
                });
            });
        QList<QByteArray> rejected;
        m_client->setUnauthorizedHandler(
            [&](const QNetworkRequest &failed, std::function<void(bool)> retry) {
                // The handler learns which credentials the failed attempt carried.
                rejected.append(failed.rawHeader("Authorization"));
                ++refreshes;
                ++generation;
                retry(true);
            });
        m_service->handler = [](const Request &r) {
            if (r.bearerToken() != QLatin1String("token-2"))
                return Response::json(401, QJsonObject{});
            return Response::json(200, QJsonObject{});
        };
        const ApiResponse response = call(get());
        QVERIFY2(response.ok(), qPrintable(response.message));
        QCOMPARE(refreshes, 1);
        QCOMPARE(response.attempts, 2);
        QCOMPARE(rejected, QList<QByteArray>{"Bearer token-1"});

        // A second 401 after the replay is final: one refresh per request.
        m_service->handler = [](const Request &) { return Response::json(401, QJsonObject{}); };
        const ApiResponse denied = call(get());
        QCOMPARE(denied.error, ApiError::Unauthorized);
        QCOMPARE(refreshes, 2);
        QCOMPARE(denied.attempts, 2);
        QCOMPARE(rejected.last(), QByteArray("Bearer token-2"));
    }

    void authenticatorFailureEndsTheRequest()
    {
        m_client->setAuthenticator([this](QNetworkRequest &, RestClient::Ready ready) {
            m_client->setAuthFailureKind(ApiError::ReconnectNeeded);
            ready(false, QStringLiteral("Connect again."));
        });
        const ApiResponse response = call(get());
        QCOMPARE(response.error, ApiError::ReconnectNeeded);
        QCOMPARE(response.message, QStringLiteral("Connect again."));
        QCOMPARE(m_service->requestCount(), 0);
    }

    void cancelAllEndsRunningAndQueuedRequests()
    {
        m_client->setMaxInFlight(1);
        m_service->faults().injectNext(Fault::Stall, 1);
        QList<ApiError> errors;
        for (int i = 0; i < 3; ++i)
            m_client->send(get(), this, [&errors](const ApiResponse &r) { errors << r.error; });
        QTRY_COMPARE(m_service->requestCount(), 1);
        QCOMPARE(m_client->queuedCount(), 2);
        m_client->cancelAll();
        QCOMPARE(errors,
                 (QList<ApiError>{ApiError::Cancelled, ApiError::Cancelled, ApiError::Cancelled}));
        QCOMPARE(m_client->runningCount(), 0);
    }

    void callbacksAreDroppedWhenTheContextDies()
    {
        auto context = std::make_unique<QObject>();
        bool called = false;
        m_client->send(get(), context.get(), [&called](const ApiResponse &) { called = true; });
        context.reset();
        QTRY_COMPARE(m_service->requestCount(), 1);
        QTest::qWait(100);
        QVERIFY(!called);
    }

    void worksOnAWorkerThread()
    {
        Worker worker;
        RestClient *client = nullptr;
        std::atomic<bool> done{false};
        std::atomic<bool> ok{false};
        std::atomic<bool> inWorker{false};
        std::atomic<bool> namInWorker{false};
        const ApiRequest request = get();
        worker.run([&] {
            client = new RestClient(QStringLiteral("Test"));
            client->setRetryPolicy(fastPolicy());
            client->send(request, client, [&, client](const ApiResponse &r) {
                ok = r.ok();
                inWorker = QThread::currentThread() == client->thread();
                namInWorker = client->networkAccessManager()->thread() == QThread::currentThread();
                done = true;
            });
        });
        m_service->faults().injectNext(Fault::ServerError, 1); // the retry runs there too
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
        QVERIFY(ok.load());
        QVERIFY(inWorker.load());
        QVERIFY(namInWorker.load());
        QVERIFY(worker.thread() != QThread::currentThread());
        QCOMPARE(m_service->requestCount(), 2);
        worker.runBlocking([&client] { delete client; });
    }
};

QTEST_GUILESS_MAIN(TestRestClient)
#include "tst_restclient.moc"
