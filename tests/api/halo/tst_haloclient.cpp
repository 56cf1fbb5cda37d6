// HaloClient against FakeHalo over loopback: authinfo discovery and its fallback, tokens reused and
// refreshed (after expireAllTokens and proactively before expiry), paging that returns every row
// once, array POSTs with object or array replies, DELETE, every Halo error shape as a sentence,
// Halo's own 429 window, stalled creates, and a client running on a worker thread.
#include "ApiTestSupport.h"

#include "FakeHalo.h"
#include "HaloClient.h"
#include "HaloErrorText.h"

#include <QTest>

#include <atomic>

using namespace halospot;
using namespace halospot::api;
using halospot::apitest::ScriptedService;
using halospot::apitest::Worker;
using sandbox::FakeHalo;
using sandbox::Fault;
using sandbox::Request;
using sandbox::Response;

class TestHaloClient final : public QObject
{
    Q_OBJECT

private:
    sandbox::Clock m_clock;
    std::unique_ptr<FakeHalo> m_halo;

    HaloSettings settings() const
    {
        HaloSettings s;
        s.url = m_halo->baseUrl();
        s.clientId = m_halo->config().clientId;
        s.clientSecret = m_halo->config().clientSecret;
        s.pageSize = 100;
        return s;
    }

    template<typename Call>
    ApiResponse wait(Call call, int timeoutMs = 20000)
    {
        std::optional<ApiResponse> result;
        call([&result](const ApiResponse &r) { result = r; });
        (void)QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs);
        return result.value_or(ApiResponse{});
    }

    QJsonArray listAll(HaloClient &client, HaloResource resource, const QUrlQuery &filters = {},
                       ApiResponse *final = nullptr)
    {
        std::optional<ApiResponse> result;
        QJsonArray rows;
        client.listAll(resource, filters, this, [&](const ApiResponse &r, const QJsonArray &all) {
            result = r;
            rows = all;
        });
        (void)QTest::qWaitFor([&result] { return result.has_value(); }, 30000);
        if (final)
            *final = result.value_or(ApiResponse{});
        return rows;
    }

    std::pair<ApiResponse, QJsonArray> post(HaloClient &client, HaloResource resource,
                                            const QJsonArray &records)
    {
        std::optional<ApiResponse> result;
        QJsonArray saved;
        client.post(resource, records, this, [&](const ApiResponse &r, const QJsonArray &s) {
            result = r;
            saved = s;
        });
        (void)QTest::qWaitFor([&result] { return result.has_value(); }, 20000);
        return {result.value_or(ApiResponse{}), saved};
    }

private Q_SLOTS:
    void init()
    {
        m_halo = std::make_unique<FakeHalo>(sandbox::HaloConfig{}, &m_clock);
        QVERIFY(m_halo->listen(0) != 0);
    }

    void cleanup() { m_halo.reset(); }

    void defaultsFollowHalosWindow()
    {
        HaloSettings s;
        const auto limiter = HaloClient::makeLimiter(s);
        QCOMPARE(limiter->maxRequests(), 500);
        QCOMPARE(limiter->windowMs(), qint64(180000));
        s.timeScale = 60;
        QCOMPARE(HaloClient::makeLimiter(s)->windowMs(), qint64(3000));
    }

    void discoversAuthAndReusesTheToken()
    {
        HaloClient client(settings());
        const ApiResponse connected = wait([&](auto done) { client.connectToHalo(this, done); });
        QVERIFY2(connected.ok(), qPrintable(connected.message));
        QCOMPARE(client.tenant(), QStringLiteral("sandbox"));
        QCOMPARE(client.tokenUrl().path(), QStringLiteral("/auth"));
        m_halo->addClient(QStringLiteral("Acme"));
        for (int i = 0; i < 3; ++i) {
            ApiResponse final;
            listAll(client, HaloResource::Client, {}, &final);
            QVERIFY2(final.ok(), qPrintable(final.message));
        }
        QCOMPARE(client.tokenFetches(), 1);
        QCOMPARE(m_halo->countForStatus(401), 0);
    }

    void fallsBackToAuthWithoutAuthinfo()
    {
        ScriptedService plain(&m_clock);
        QVERIFY(plain.listen(0) != 0);
        plain.handler = [](const Request &r) {
            if (r.path == QLatin1String("/auth/token"))
                return Response::json(
                    200, QJsonObject{{QStringLiteral("access_token"), QStringLiteral("t")},
                                     {QStringLiteral("expires_in"), 3600}});
            if (r.path == QLatin1String("/api/Client"))
                return Response::json(200, QJsonObject{{QStringLiteral("record_count"), 0},
                                                       {QStringLiteral("clients"), QJsonArray{}}});
            return Response::json(404, QJsonValue(QStringLiteral("Not found")));
        };
        HaloSettings s = settings();
        s.url = plain.baseUrl();
        HaloClient client(s);
        ApiResponse final;
        listAll(client, HaloResource::Client, {}, &final);
        QVERIFY2(final.ok(), qPrintable(final.message));
        QStringList paths;
        for (const auto &r : std::as_const(plain.seen))
            paths << r.path;
        QCOMPARE(paths, (QStringList{QStringLiteral("/api/authinfo"), QStringLiteral("/auth/token"),
                                     QStringLiteral("/api/Client")}));
        // No tenant known: none sent.
        QVERIFY(!plain.seen.at(1).query.hasQueryItem(QStringLiteral("tenant")));
        QCOMPARE(plain.seen.at(2).bearerToken(), QStringLiteral("t"));
    }

    void sendsTheTenantAndRejectsAWrongOne()
    {
        HaloSettings s = settings();
        s.tenant = QStringLiteral("other");
        HaloClient client(s);
        const ApiResponse r = wait([&](auto done) { client.connectToHalo(this, done); });
        QCOMPARE(r.error, ApiError::Unauthorized);
        QVERIFY2(r.message.contains(QLatin1String("tenant 'other'")), qPrintable(r.message));
    }

    void wrongSecretIsASentence()
    {
        HaloSettings s = settings();
        s.clientSecret = QStringLiteral("wrong");
        HaloClient client(s);
        const ApiResponse r = wait([&](auto done) { client.connectToHalo(this, done); });
        QCOMPARE(r.error, ApiError::Unauthorized);
        QVERIFY2(r.message.contains(QLatin1String("client ID or secret")), qPrintable(r.message));
        QVERIFY2(r.message.contains(QLatin1String("credentials are invalid")),
                 qPrintable(r.message));
        // A call needing the token fails with the same sentence instead of being sent.
        const ApiResponse get =
            wait([&](auto done) { client.get(HaloResource::Client, 1, {}, this, done); });
        QCOMPARE(get.error, ApiError::Unauthorized);
        QCOMPARE(m_halo->countForStatus(401), 2); // the two token requests only
    }

    void refreshesAfterTokensExpireEarly()
    {
        HaloClient client(settings());
        const int id = m_halo->addClient(QStringLiteral("Acme"));
        const ApiResponse first =
            wait([&](auto done) { client.get(HaloResource::Client, id, {}, this, done); });
        QVERIFY2(first.ok(), qPrintable(first.message));
        m_halo->expireAllTokens();
        const ApiResponse second =
            wait([&](auto done) { client.get(HaloResource::Client, id, {}, this, done); });
        QVERIFY2(second.ok(), qPrintable(second.message));
        QCOMPARE(second.json.object().value(QLatin1String("name")).toString(),
                 QStringLiteral("Acme"));
        QCOMPARE(client.tokenFetches(), 2);
        QCOMPARE(m_halo->countForStatus(401), 1);
    }

    void refreshesProactivelyBeforeExpiry()
    {
        m_halo->config().tokenLifetimeSec = 2; // usable for 1.8 s (a tenth kept as margin)
        HaloClient client(settings());
        const int id = m_halo->addClient(QStringLiteral("Acme"));
        for (int i = 0; i < 2; ++i) {
            const ApiResponse r =
                wait([&](auto done) { client.get(HaloResource::Client, id, {}, this, done); });
            QVERIFY2(r.ok(), qPrintable(r.message));
            if (i == 0)
                QTest::qWait(1900);
        }
        QCOMPARE(client.tokenFetches(), 2);
        QCOMPARE(m_halo->countForStatus(401), 0); // refreshed before Halo could refuse it
    }

    void pagingReturnsEveryClientOnce()
    {
        QSet<int> added;
        for (int i = 0; i < 2345; ++i)
            added.insert(
                m_halo->addClient(QStringLiteral("Client %1").arg(i, 5, 10, QLatin1Char('0'))));
        HaloClient client(settings());
        ApiResponse final;
        const QJsonArray rows = listAll(client, HaloResource::Client, {}, &final);
        QVERIFY2(final.ok(), qPrintable(final.message));
        QCOMPARE(rows.size(), 2345);
        QSet<int> seen;
        for (const QJsonValue &v : rows)
            seen.insert(v.toObject().value(QLatin1String("id")).toInt());
        QCOMPARE(seen, added);
        QCOMPARE(final.attempts, 24); // ceil(2345 / 100) pages, each asked for once
    }

    void pagingSitesUsersAndFieldInfo()
    {
        const int clientId = m_halo->addClient(QStringLiteral("Acme"));
        const int siteId = m_halo->addSite(clientId, QStringLiteral("Branch"));
        for (int i = 0; i < 250; ++i)
            QVERIFY(m_halo->addUser(siteId, QStringLiteral("F%1").arg(i), QStringLiteral("S"),
                                    QStringLiteral("u%1@acme.invalid").arg(i)) > 0);
        HaloClient client(settings());
        ApiResponse final;
        const QJsonArray users =
            listAll(client, HaloResource::Users,
                    QUrlQuery{{QStringLiteral("client_id"), QString::number(clientId)}}, &final);
        QVERIFY2(final.ok(), qPrintable(final.message));
        QCOMPARE(users.size(), 250);
        const QJsonArray sites = listAll(client, HaloResource::Site, {}, &final);
        QVERIFY2(final.ok(), qPrintable(final.message));
        QCOMPARE(sites.size(), 2); // the main site and the branch
        listAll(client, HaloResource::FieldInfo, {}, &final);
        QVERIFY2(final.ok(), qPrintable(final.message));
    }

    void postsAcceptObjectAndArrayReplies()
    {
        HaloClient client(settings());
        const auto [one, savedOne] =
            post(client, HaloResource::Client,
                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Solo Ltd")}}});
        QVERIFY2(one.ok(), qPrintable(one.message));
        QCOMPARE(savedOne.size(), 1);
        const int soloId = savedOne.first().toObject().value(QLatin1String("id")).toInt();
        QVERIFY(soloId > 0);

        const auto [many, savedMany] =
            post(client, HaloResource::Client,
                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("A Ltd")}},
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("B Ltd")}},
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("C Ltd")}}});
        QVERIFY2(many.ok(), qPrintable(many.message));
        QCOMPARE(savedMany.size(), 3);
        QCOMPARE(m_halo->clientCount(), 4);

        // An update carries the id: re-sendable, and it changes the record in Halo.
        const auto [update, savedUpdate] =
            post(client, HaloResource::Client,
                 QJsonArray{QJsonObject{
                     {QStringLiteral("id"), soloId},
                     {QStringLiteral("website"), QStringLiteral("https://solo.invalid")}}});
        QVERIFY2(update.ok(), qPrintable(update.message));
        const ApiResponse read =
            wait([&](auto done) { client.get(HaloResource::Client, soloId, {}, this, done); });
        QCOMPARE(read.json.object().value(QLatin1String("website")).toString(),
                 QStringLiteral("https://solo.invalid"));
        QCOMPARE(m_halo->clientCount(), 4);

        const ApiResponse removed = wait([&](auto done) {
            client.remove(HaloResource::Client,
                          savedMany.first().toObject().value(QLatin1String("id")).toInt(), this,
                          done);
        });
        QVERIFY2(removed.ok(), qPrintable(removed.message));
        QCOMPARE(m_halo->clientCount(), 3);
    }

    void haloErrorShapesBecomeSentences()
    {
        HaloClient client(settings());
        // Bare JSON string (404).
        const ApiResponse missing =
            wait([&](auto done) { client.get(HaloResource::Client, 987654, {}, this, done); });
        QCOMPARE(missing.status, 404);
        QVERIFY2(missing.message.startsWith(QLatin1String("Halo could not find the client")),
                 qPrintable(missing.message));
        QVERIFY2(missing.message.contains(QLatin1String("987654")), qPrintable(missing.message));

        // Field-keyed validation, naming the record and the field.
        const auto [invalid, none] =
            post(client, HaloResource::Client,
                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Good Ltd")}},
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("Bad Ltd")},
                                        {QStringLiteral("inactive"), QStringLiteral("maybe")}}});
        QCOMPARE(invalid.status, 400);
        QVERIFY2(invalid.message.contains(QStringLiteral("record 2 (“Bad Ltd”)")),
                 qPrintable(invalid.message));
        QVERIFY2(invalid.message.contains(QStringLiteral("field “inactive”")),
                 qPrintable(invalid.message));
        QVERIFY2(invalid.message.contains(QLatin1String("true or false")),
                 qPrintable(invalid.message));

        // {"resultCode", "errorMessage"}: an unknown custom field.
        const auto [custom, none2] =
            post(client, HaloResource::Client,
                 QJsonArray{QJsonObject{
                     {QStringLiteral("name"), QStringLiteral("Custom Ltd")},
                     {QStringLiteral("customfields"),
                      QJsonArray{QJsonObject{{QStringLiteral("id"), 424242},
                                             {QStringLiteral("value"), QStringLiteral("x")}}}}}});
        QCOMPARE(custom.status, 400);
        QVERIFY2(custom.message.contains(QLatin1String("424242")), qPrintable(custom.message));
        QVERIFY2(custom.message.startsWith(QLatin1String("Halo refused to create 1 client")),
                 qPrintable(custom.message));

        // {"ClassName", "Message"}: a body that is not an array of objects.
        ApiRequest raw;
        raw.method = "POST";
        raw.url = m_halo->baseUrl().resolved(QUrl(QStringLiteral("/api/Client")));
        raw.body = "{not json";
        raw.contentType = "application/json";
        raw.what = QStringLiteral("send a broken body");
        const ApiResponse broken = wait([&](auto done) { client.rest().send(raw, this, done); });
        QCOMPARE(broken.status, 400);
        QVERIFY2(broken.message.startsWith(QLatin1String("Halo refused to send a broken body: ")),
                 qPrintable(broken.message));
        QVERIFY(!broken.message.contains(QLatin1String("ClassName")));

        // {"Message"}: no token at all.
        ApiRequest anonymous;
        anonymous.url = m_halo->baseUrl().resolved(QUrl(QStringLiteral("/api/Client")));
        anonymous.authenticate = false;
        anonymous.what = QStringLiteral("list clients");
        const ApiResponse denied =
            wait([&](auto done) { client.rest().send(anonymous, this, done); });
        QCOMPARE(denied.error, ApiError::Unauthorized);
        QVERIFY2(denied.message.contains(QLatin1String("Authorization has been denied")),
                 qPrintable(denied.message));

        // Shapes Halo uses elsewhere, straight through the parser.
        QCOMPARE(parseHaloError(R"("Rate Limit Reached - 500 Requests")").text,
                 QStringLiteral("Rate Limit Reached - 500 Requests"));
        const auto oauth =
            parseHaloError(R"({"error":"invalid_client","error_description":"Nope."})");
        QCOMPARE(oauth.text, QStringLiteral("Nope. (invalid_client)"));
        const auto field = parseHaloError(R"({"[3].emailaddress":"Email is invalid"})");
        QCOMPARE(field.recordIndex, 3);
        QCOMPARE(field.field, QStringLiteral("emailaddress"));
        const auto problem = parseHaloError(
            R"({"title":"One or more validation errors occurred.","errors":{"Name":["Required"]}})");
        QCOMPARE(problem.field, QStringLiteral("Name"));
        QCOMPARE(problem.text, QStringLiteral("Required"));
        QVERIFY(parseHaloError("<html><body>502</body></html>").text.isEmpty());
    }

    void halosOwnWindowIsWaitedOut()
    {
        // Halo's window smaller than the client believes: Halo's 429s (with Retry-After) are
        // waited out and every call succeeds.
        m_halo->config().windowMax = 6;
        m_halo->config().windowMs = 1000;
        HaloClient client(settings());
        const int id = m_halo->addClient(QStringLiteral("Acme"));
        int ok = 0;
        for (int i = 0; i < 14; ++i)
            client.get(HaloResource::Client, id, {}, this,
                       [&ok](const ApiResponse &r) { ok += r.ok() ? 1 : 0; });
        QTRY_COMPARE_WITH_TIMEOUT(ok, 14, 30000);
        QVERIFY(m_halo->countForStatus(429) > 0);
    }

    void injected429sWithoutRetryAfterAreRetried()
    {
        HaloClient client(settings());
        RetryPolicy fast = client.rest().retryPolicy();
        fast.rateLimitBaseMs = 50;
        client.rest().setRetryPolicy(fast);
        const int id = m_halo->addClient(QStringLiteral("Acme"));
        const ApiResponse warm =
            wait([&](auto done) { client.get(HaloResource::Client, id, {}, this, done); });
        QVERIFY(warm.ok());
        m_halo->faults().injectNext(Fault::RateLimitedNoRetry, 3);
        m_halo->faults().injectNext(Fault::ServerError, 2);
        ApiResponse final;
        listAll(client, HaloResource::Client, {}, &final);
        QVERIFY2(final.ok(), qPrintable(final.message));
        QCOMPARE(m_halo->countForStatus(429), 3);
    }

    void stalledCreateIsOutcomeUnknownAndNotResent()
    {
        HaloSettings s = settings();
        s.transferTimeoutMs = 400;
        HaloClient client(s);
        const ApiResponse connected = wait([&](auto done) { client.connectToHalo(this, done); });
        QVERIFY(connected.ok());
        const qint64 before = m_halo->requestCount();
        m_halo->faults().injectNext(Fault::Stall, 1);
        const auto [r, saved] =
            post(client, HaloResource::Client,
                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Maybe Ltd")}}});
        QCOMPARE(r.error, ApiError::OutcomeUnknown);
        QVERIFY2(r.message.contains(QLatin1String("create 1 client")), qPrintable(r.message));
        QTest::qWait(800);
        QCOMPARE(m_halo->requestCount() - before, 1);
    }

    void insecureUrlIsRefused()
    {
        HaloSettings s = settings();
        s.url = QUrl(QStringLiteral("http://halo.example.invalid"));
        HaloClient client(s);
        const ApiResponse r = wait([&](auto done) { client.connectToHalo(this, done); });
        QCOMPARE(r.error, ApiError::Refused);
        QVERIFY2(r.message.contains(QLatin1String("https")), qPrintable(r.message));
    }

    void worksOnAWorkerThread()
    {
        for (int i = 0; i < 450; ++i)
            m_halo->addClient(QStringLiteral("W%1").arg(i));
        Worker worker;
        const HaloSettings s = settings();
        std::atomic<int> rows{-1};
        std::atomic<bool> sameThread{false};
        HaloClient *client = nullptr;
        worker.run([&] {
            client = new HaloClient(s);
            client->listAll(HaloResource::Client, {}, client,
                            [&, client](const ApiResponse &r, const QJsonArray &all) {
                                sameThread = QThread::currentThread() == client->thread();
                                rows = r.ok() ? int(all.size()) : -2;
                            });
        });
        QTRY_VERIFY_WITH_TIMEOUT(rows.load() != -1, 20000);
        QCOMPARE(rows.load(), 450);
        QVERIFY(sameThread.load());
        worker.runBlocking([&client] { delete client; });
    }
};

QTEST_GUILESS_MAIN(TestHaloClient)
#include "tst_haloclient.moc"
