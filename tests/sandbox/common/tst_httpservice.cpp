// Tests of the HttpService base over loopback: request capture, and every FaultPlan fault firing as
// queued or as seeded rates decide.
#include "LoopbackHttp.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

class TestHttpService final : public QObject
{
    Q_OBJECT

private:
    Clock m_clock;

    static QUrl url(const EchoService &service, const QString &pathAndQuery)
    {
        return urlFor(service.port(), pathAndQuery);
    }

private Q_SLOTS:
    void listensOnLoopbackOnly()
    {
        EchoService service(&m_clock);
        const quint16 port = service.listen(0);
        QVERIFY(port != 0);
        QCOMPARE(service.port(), port);
        QCOMPARE(service.baseUrl(), QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        const auto servers = service.findChildren<QTcpServer *>();
        QCOMPARE(servers.size(), 1);
        QCOMPARE(servers.first()->serverAddress(), QHostAddress(QHostAddress::LocalHost));
    }

    void portInUseIsAnError()
    {
        EchoService first(&m_clock);
        const quint16 port = first.listen(0);
        QVERIFY(port != 0);
        EchoService second(&m_clock);
        QCOMPARE(second.listen(port), quint16(0));
        QVERIFY(second.error().contains(QString::number(port)));
    }

    void capturesMethodPathQueryHeadersAndBody()
    {
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        QNetworkAccessManager nam;
        const HttpResult r = send(
            nam, "PATCH", url(service, QStringLiteral("/crm/v3/x%20y?a=1&b=two%20words&c=%C3%A9")),
            "{\"k\":\"välue\"}", {{"X-Test", "yes"}, {"Authorization", "Bearer tok-123"}});
        QVERIFY(r.finished);
        QCOMPARE(r.error, QNetworkReply::NoError);
        QCOMPARE(r.status, 200);
        const QJsonObject echo = r.json();
        QCOMPARE(echo.value(QStringLiteral("method")).toString(), QStringLiteral("PATCH"));
        QCOMPARE(echo.value(QStringLiteral("path")).toString(), QStringLiteral("/crm/v3/x y"));
        const QJsonObject query = echo.value(QStringLiteral("query")).toObject();
        QCOMPARE(query.value(QStringLiteral("a")).toString(), QStringLiteral("1"));
        QCOMPARE(query.value(QStringLiteral("b")).toString(), QStringLiteral("two words"));
        QCOMPARE(query.value(QStringLiteral("c")).toString(), QStringLiteral("é"));
        const QJsonObject headers = echo.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("x-test")).toString(), QStringLiteral("yes"));
        QCOMPARE(headers.value(QStringLiteral("authorization")).toString(),
                 QStringLiteral("Bearer tok-123"));
        QCOMPARE(echo.value(QStringLiteral("body")).toString(),
                 QStringLiteral("{\"k\":\"välue\"}"));
        QCOMPARE(service.requestCount(), 1);
        QCOMPARE(service.countForStatus(200), 1);
    }

    void requestHelpers()
    {
        Request request;
        request.headers.insert("authorization", "bearer  abc.def ");
        QCOMPARE(request.bearerToken(), QStringLiteral("abc.def"));
        request.headers.insert("authorization", "Basic xyz");
        QVERIFY(request.bearerToken().isEmpty());
        request.body = "grant_type=client_credentials&scope=all+read&x=%26";
        const QUrlQuery form = request.form();
        QCOMPARE(form.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
                 QStringLiteral("all read"));
        QCOMPARE(form.queryItemValue(QStringLiteral("x"), QUrl::FullyDecoded), QStringLiteral("&"));
        request.query = QUrlQuery(QStringLiteral("properties=a,b&properties=c"));
        QCOMPARE(request.queryList(QStringLiteral("properties")),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        bool ok = true;
        QString error;
        request.body = "{\"a\":";
        request.json(&ok, &error);
        QVERIFY(!ok);
        QVERIFY(!error.isEmpty());
    }

    void queuedFaultsFireExactlyInOrder()
    {
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        service.faults().injectNext(Fault::ServerError, 2);
        service.faults().injectNext(Fault::RateLimited);
        service.faults().injectNext(Fault::RateLimitedNoRetry);
        service.faults().injectNext(Fault::Malformed);
        QNetworkAccessManager nam;
        const QUrl u = url(service, QStringLiteral("/thing"));

        HttpResult r = send(nam, "GET", u);
        QCOMPARE(r.status, 500);
        QVERIFY(r.isValidJson());
        r = send(nam, "GET", u);
        QCOMPARE(r.status, 500);

        r = send(nam, "GET", u);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.headers.value("retry-after"), QByteArray("1"));

        r = send(nam, "GET", u);
        QCOMPARE(r.status, 429);
        QVERIFY(!r.headers.contains("retry-after"));

        r = send(nam, "GET", u);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.isEmpty());
        QVERIFY2(!r.isValidJson(), r.body.constData());

        // Queue empty: normal service again.
        r = send(nam, "GET", u);
        QCOMPARE(r.status, 200);
        QVERIFY(r.isValidJson());
        QCOMPARE(r.json().value(QStringLiteral("path")).toString(), QStringLiteral("/thing"));

        QCOMPARE(service.faults().fired(Fault::ServerError), 2);
        QCOMPARE(service.faults().fired(Fault::RateLimited), 1);
        QCOMPARE(service.faults().fired(Fault::RateLimitedNoRetry), 1);
        QCOMPARE(service.faults().fired(Fault::Malformed), 1);
        QCOMPARE(service.faults().firedTotal(), 5);
        QCOMPARE(service.countForStatus(500), 2);
        QCOMPARE(service.countForStatus(429), 2);
        QCOMPARE(service.countForStatus(200), 2);
    }

    void malformedBodyOfAnEmptyReplyIsStillInvalidJson()
    {
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        service.faults().injectNext(Fault::Malformed);
        QNetworkAccessManager nam;
        const HttpResult r = send(nam, "GET", url(service, QStringLiteral("/big?n=2")));
        QCOMPARE(r.status, 200);
        QVERIFY2(!r.isValidJson(), r.body.constData());
    }

    void sandboxPathsAreExemptFromFaults()
    {
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        service.faults().injectNext(Fault::ServerError);
        QNetworkAccessManager nam;
        HttpResult r = send(nam, "GET", url(service, QStringLiteral("/_sandbox/state")));
        QCOMPARE(r.status, 200);
        r = send(nam, "GET", url(service, QStringLiteral("/api/x")));
        QCOMPARE(r.status, 500);
    }

    void stallNeverAnswersAndTheClientTimesOut()
    {
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        service.faults().injectNext(Fault::Stall);
        QNetworkAccessManager nam;
        const HttpResult stalled = send(nam, "GET", url(service, QStringLiteral("/slow")), {}, {},
                                        /*transfer timeout*/ 300);
        QVERIFY(stalled.finished);
        QVERIFY2(stalled.error == QNetworkReply::OperationCanceledError ||
                     stalled.error == QNetworkReply::TimeoutError,
                 qPrintable(QString::number(int(stalled.error))));
        QCOMPARE(stalled.status, 0);
        QCOMPARE(service.faults().fired(Fault::Stall), 1);
        // The request reached the service but produced no reply.
        QCOMPARE(service.requestCount(), 1);
        QCOMPARE(service.countForStatus(200), 0);
        // Other requests are still served.
        const HttpResult next = send(nam, "GET", url(service, QStringLiteral("/after")));
        QCOMPARE(next.status, 200);
    }

    void latencyIsAtLeastTheConfiguredDelay()
    {
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        FaultRates rates;
        rates.latencyMs = 150;
        rates.jitterMs = 50;
        service.faults().setRates(rates);
        QNetworkAccessManager nam;
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = send(nam, "GET", url(service, QStringLiteral("/x")));
            QCOMPARE(r.status, 200);
            QVERIFY2(r.elapsedMs >= 150, qPrintable(QString::number(r.elapsedMs)));
        }
        // The jittered part stays within its bound.
        FaultPlan plan(7);
        plan.setRates(rates);
        for (int i = 0; i < 200; ++i) {
            const int ms = plan.nextLatencyMs();
            QVERIFY(ms >= 150 && ms <= 200);
        }
    }

    void clientGivingUpDuringLatencyIsHarmless()
    {
        // The delayed reply is written after the client closed its connection.
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        FaultRates rates;
        rates.latencyMs = 400;
        service.faults().setRates(rates);
        {
            QNetworkAccessManager nam;
            const HttpResult r =
                send(nam, "GET", url(service, QStringLiteral("/x")), {}, {}, /*timeout*/ 100);
            QVERIFY(r.error != QNetworkReply::NoError);
            nam.clearConnectionCache();
        }
        // Let the delayed write happen on the closed connection.
        QTest::qWait(600);
        service.faults().setRates(FaultRates());
        QNetworkAccessManager nam;
        QCOMPARE(send(nam, "GET", url(service, QStringLiteral("/y"))).status, 200);
    }

    void stalledClientsMayLeaveBeforeTheServiceGoesAway()
    {
        auto service = std::make_unique<EchoService>(&m_clock);
        QVERIFY(service->listen(0));
        service->faults().injectNext(Fault::Stall, 2);
        {
            QNetworkAccessManager nam;
            QVERIFY(send(nam, "GET", url(*service, QStringLiteral("/a")), {}, {}, 100).error !=
                    QNetworkReply::NoError);
            QVERIFY(send(nam, "GET", url(*service, QStringLiteral("/b")), {}, {}, 100).error !=
                    QNetworkReply::NoError);
        }
        QTest::qWait(200);
        QCOMPARE(service->faults().fired(Fault::Stall), 2);
        service.reset(); // drops the held responders of closed connections
        QVERIFY(!service);
    }

    void latencyAlsoDelaysFaultReplies()
    {
        EchoService service(&m_clock);
        QVERIFY(service.listen(0));
        FaultRates rates;
        rates.latencyMs = 120;
        service.faults().setRates(rates);
        service.faults().injectNext(Fault::ServerError);
        QNetworkAccessManager nam;
        const HttpResult r = send(nam, "GET", url(service, QStringLiteral("/x")));
        QCOMPARE(r.status, 500);
        QVERIFY(r.elapsedMs >= 120);
    }

    void seededRatesAreRepeatable()
    {
        FaultRates rates;
        rates.serverError = 0.2;
        rates.rateLimited = 0.2;
        rates.retryAfter = false;
        rates.malformed = 0.1;
        QList<int> runs[2];
        for (QList<int> &statuses : runs) {
            EchoService service(&m_clock);
            service.faults() = FaultPlan(1234);
            service.faults().setRates(rates);
            QVERIFY(service.listen(0));
            QNetworkAccessManager nam;
            for (int i = 0; i < 40; ++i) {
                const HttpResult r = send(nam, "GET", url(service, QStringLiteral("/r")));
                QVERIFY(r.finished);
                if (r.status == 429)
                    QVERIFY(!r.headers.contains("retry-after"));
                statuses << (r.status == 200 && !r.isValidJson() ? -200 : r.status);
            }
        }
        QCOMPARE(runs[0], runs[1]);
        // With these rates some of each fault fires, and most requests succeed.
        QVERIFY(runs[0].contains(500));
        QVERIFY(runs[0].contains(429));
        QVERIFY(runs[0].contains(200));
        // A different seed gives a different sequence.
        FaultPlan a(1), b(2);
        a.setRates(rates);
        b.setRates(rates);
        QList<Fault> sa, sb;
        for (int i = 0; i < 100; ++i) {
            sa << a.next();
            sb << b.next();
        }
        QVERIFY(sa != sb);
    }

    void queuedDropIsLeftForTheProxy()
    {
        FaultPlan plan;
        plan.injectNext(Fault::Drop);
        plan.injectNext(Fault::ServerError);
        // The HTTP layer does not take a Drop, and does not skip past it either.
        QCOMPARE(plan.next(), Fault::None);
        QVERIFY(plan.nextConnectionDrop());
        QCOMPARE(plan.next(), Fault::ServerError);
        QVERIFY(!plan.nextConnectionDrop());
        QCOMPARE(plan.fired(Fault::Drop), 1);
    }
};

QTEST_GUILESS_MAIN(TestHttpService)
#include "tst_httpservice.moc"
