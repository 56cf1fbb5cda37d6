// FakeHalo over loopback: authinfo discovery, client-credentials tokens and their failures, bearer
// checks, token expiry, the rolling-window limit, injected faults and the routing rules.
#include "HaloHttp.h"

#include <QTest>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

class TestFakeHaloAuth final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<FakeHalo> m_halo;

    FakeHalo &startHalo(HaloConfig config = {})
    {
        m_clock = std::make_unique<Clock>();
        m_halo = std::make_unique<FakeHalo>(std::move(config), m_clock.get());
        if (m_halo->listen() == 0)
            qFatal("FakeHalo did not listen");
        return *m_halo;
    }

private Q_SLOTS:
    void cleanup()
    {
        m_halo.reset();
        m_clock.reset();
    }

    void authInfoIsAnonymous()
    {
        FakeHalo &halo = startHalo();
        HaloHttp http(halo);
        const HttpReply r = http.get(QStringLiteral("/api/authinfo"));
        QCOMPARE(r.status, 200);
        const QString base = halo.baseUrl().toString();
        QCOMPARE(r.object().value(QStringLiteral("auth_url")).toString(),
                 base + QStringLiteral("/auth"));
        QCOMPARE(r.object().value(QStringLiteral("tenant_id")).toString(),
                 QStringLiteral("sandbox"));
        // Paths are case-insensitive.
        QCOMPARE(http.get(QStringLiteral("/api/AuthInfo")).status, 200);
    }

    void randomCredentialsWhenNoneConfigured()
    {
        FakeHalo &halo = startHalo();
        QVERIFY(halo.config().clientId.size() >= 12);
        QVERIFY(halo.config().clientSecret.size() >= 32);
        Clock other;
        FakeHalo second(HaloConfig{}, &other);
        QVERIFY(second.config().clientSecret != halo.config().clientSecret);
    }

    void tokenWithAndWithoutTenant()
    {
        FakeHalo &halo = startHalo(HaloConfig{QStringLiteral("app"), QStringLiteral("s3cret")});
        HaloHttp http(halo);
        for (const QString &tenant : {QStringLiteral("sandbox"), QString()}) {
            const HttpReply r =
                http.requestToken(QStringLiteral("app"), QStringLiteral("s3cret"), tenant);
            QCOMPARE(r.status, 200);
            const QJsonObject o = r.object();
            QCOMPARE(o.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
            QCOMPARE(o.value(QStringLiteral("expires_in")).toInt(), 3600);
            QCOMPARE(o.value(QStringLiteral("scope")).toString(), QStringLiteral("all"));
            QVERIFY(!o.value(QStringLiteral("refresh_token")).toString().isEmpty());
            http.token = o.value(QStringLiteral("access_token")).toString();
            QVERIFY(!http.token.isEmpty());
            QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
        }
    }

    void tokenFailures()
    {
        FakeHalo &halo = startHalo(HaloConfig{QStringLiteral("app"), QStringLiteral("s3cret")});
        HaloHttp http(halo);

        HttpReply r = http.requestToken(QStringLiteral("app"), QStringLiteral("wrong"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_client"));
        QVERIFY(!r.object().value(QStringLiteral("error_description")).toString().isEmpty());

        r = http.requestToken(QStringLiteral("nobody"), QStringLiteral("s3cret"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_client"));

        r = http.requestToken(QStringLiteral("app"), QStringLiteral("s3cret"),
                              QStringLiteral("elsewhere"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_request"));
        QVERIFY(r.object()
                    .value(QStringLiteral("error_description"))
                    .toString()
                    .contains(QStringLiteral("elsewhere")));

        r = http.requestToken(QStringLiteral("app"), QStringLiteral("s3cret"), {},
                              QStringLiteral("password"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("unsupported_grant_type"));

        // A JSON body is not a token request.
        r = http.postRaw(QStringLiteral("/auth/token"), R"({"grant_type":"client_credentials"})",
                         "application/json");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_request"));
    }

    void tokenLifetimeIsConfigurable()
    {
        FakeHalo &halo = startHalo();
        HaloHttp http(halo);
        halo.config().tokenLifetimeSec = 120;
        HttpReply r = http.requestToken(halo.config().clientId, halo.config().clientSecret);
        QCOMPARE(r.object().value(QStringLiteral("expires_in")).toInt(), 120);
        FaultRates rates;
        rates.tokenLifetimeSec = 7;
        halo.faults().setRates(rates);
        r = http.requestToken(halo.config().clientId, halo.config().clientSecret);
        QCOMPARE(r.object().value(QStringLiteral("expires_in")).toInt(), 7);
    }

    void apiNeedsValidBearer()
    {
        FakeHalo &halo = startHalo();
        HaloHttp http(halo);
        HttpReply r = http.get(QStringLiteral("/api/Client"));
        QCOMPARE(r.status, 401);
        QVERIFY(!r.object().value(QStringLiteral("Message")).toString().isEmpty());
        QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
        http.token = QStringLiteral("made-up");
        QCOMPARE(http.get(QStringLiteral("/api/Users")).status, 401);
        QCOMPARE(http.get(QStringLiteral("/api/FieldInfo")).status, 401);
    }

    void expiredTokenIsRejected()
    {
        FakeHalo &halo = startHalo();
        halo.config().tokenLifetimeSec = 60;
        HaloHttp http(halo);
        QVERIFY(http.login(halo));
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
        // Speed the clock up so that the token's 60 seconds pass at once.
        m_clock->setScale(1000.0);
        QTRY_VERIFY(m_clock->nowMs() > 61000);
        m_clock->setScale(1.0);
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 401);

        QVERIFY(http.login(halo));
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
        halo.expireAllTokens();
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 401);
        QVERIFY(http.login(halo));
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
    }

    void refreshTokenIsSingleUse()
    {
        FakeHalo &halo = startHalo();
        HaloHttp http(halo);
        const HttpReply first =
            http.requestToken(halo.config().clientId, halo.config().clientSecret);
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("client_id"), halo.config().clientId);
        form.addQueryItem(QStringLiteral("client_secret"), halo.config().clientSecret);
        form.addQueryItem(QStringLiteral("refresh_token"),
                          first.object().value(QStringLiteral("refresh_token")).toString());
        const QByteArray body = form.toString(QUrl::FullyEncoded).toLatin1();
        HttpReply r =
            http.postRaw(QStringLiteral("/auth/token"), body, "application/x-www-form-urlencoded");
        QCOMPARE(r.status, 200);
        QVERIFY(!r.object().value(QStringLiteral("access_token")).toString().isEmpty());
        r = http.postRaw(QStringLiteral("/auth/token"), body, "application/x-www-form-urlencoded");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_grant"));
    }

    void rollingWindowAnswers429()
    {
        HaloConfig config;
        config.windowMax = 5;
        config.windowMs = 60000;
        FakeHalo &halo = startHalo(config);
        HaloHttp http(halo);
        QVERIFY(http.login(halo)); // the token request counts too
        for (int i = 0; i < 4; ++i)
            QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
        HttpReply r = http.get(QStringLiteral("/api/Client"));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.string(),
                 QStringLiteral("Rate Limit Reached - 5 Requests per rolling 1 minute window"));
        QVERIFY(r.header("Retry-After").toInt() >= 1);
        // Inspection endpoints are outside the limit.
        r = http.get(QStringLiteral("/_sandbox/stats"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("window_remaining")).toInt(), 0);
        QVERIFY(r.object().value(QStringLiteral("rate_limited")).toInt() >= 1);
        // Once the window has rolled on, requests pass again.
        m_clock->setScale(1000.0);
        QTRY_VERIFY(m_clock->nowMs() > 61000);
        m_clock->setScale(1.0);
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
        // A larger window configured at run time takes effect at once.
        halo.config().windowMax = 100;
        for (int i = 0; i < 10; ++i)
            QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
    }

    void injectedFaultsHaveHaloBodies()
    {
        FakeHalo &halo = startHalo();
        HaloHttp http(halo);
        QVERIFY(http.login(halo));
        halo.faults().injectNext(Fault::RateLimited);
        HttpReply r = http.get(QStringLiteral("/api/Client"));
        QCOMPARE(r.status, 429);
        QVERIFY(r.hasHeader("Retry-After"));
        QVERIFY(r.string().startsWith(QStringLiteral("Rate Limit Reached")));
        halo.faults().injectNext(Fault::RateLimitedNoRetry);
        r = http.get(QStringLiteral("/api/Client"));
        QCOMPARE(r.status, 429);
        QVERIFY(!r.hasHeader("Retry-After"));
        halo.faults().injectNext(Fault::ServerError);
        r = http.get(QStringLiteral("/api/Client"));
        QCOMPARE(r.status, 500);
        QCOMPARE(r.object().value(QStringLiteral("ClassName")).toString(),
                 QStringLiteral("System.Exception"));
        QVERIFY(!r.object().value(QStringLiteral("Message")).toString().isEmpty());
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
    }

    void routing()
    {
        FakeHalo &halo = startHalo();
        HaloHttp http(halo);
        QVERIFY(http.login(halo));
        QCOMPARE(http.get(QStringLiteral("/api/client")).status, 200);
        QCOMPARE(http.get(QStringLiteral("/API/CLIENT/")).status, 200);
        QCOMPARE(http.get(QStringLiteral("/api/users")).status, 200);
        HttpReply r = http.get(QStringLiteral("/api/Tickets"));
        QCOMPARE(r.status, 404);
        QVERIFY(r.object().contains(QStringLiteral("Message")));
        r = http.send("PUT", QStringLiteral("/api/Client"), {}, "[]", "application/json");
        QCOMPARE(r.status, 405);
        QVERIFY(
            r.object().value(QStringLiteral("Message")).toString().contains(QStringLiteral("PUT")));
    }
};

QTEST_GUILESS_MAIN(TestFakeHaloAuth)
#include "tst_fakehalo_auth.moc"
