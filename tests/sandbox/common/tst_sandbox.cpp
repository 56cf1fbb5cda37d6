// Tests of the composed Sandbox in-process: start-up, the described credentials working against
// both services through their proxies, faults reaching both services, and tokens expiring early.
#include "LoopbackHttp.h"
#include "Sandbox.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QTcpServer>
#include <QTest>
#include <QUrlQuery>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;
using halospot::Status;

namespace {

SandboxOptions smallOptions()
{
    SandboxOptions options;
    options.data.companies = 30;
    options.data.contacts = 60;
    options.data.seed = 7;
    return options;
}

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QUrl at(const QJsonObject &d, const char *urlKey, const QString &pathAndQuery)
{
    return QUrl(d.value(key(urlKey)).toString() + pathAndQuery);
}

QByteArray bearer(const QString &token)
{
    return "Bearer " + token.toLatin1();
}

// A Halo access token by client credentials, or empty.
QString haloToken(QNetworkAccessManager &nam, const QJsonObject &d)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
    form.addQueryItem(QStringLiteral("client_id"), d.value(key("halo_client_id")).toString());
    form.addQueryItem(QStringLiteral("client_secret"),
                      d.value(key("halo_client_secret")).toString());
    form.addQueryItem(QStringLiteral("scope"), QStringLiteral("all"));
    const HttpResult r = send(nam, "POST", at(d, "halo_url", QStringLiteral("/auth/token")),
                              form.toString(QUrl::FullyEncoded).toLatin1(),
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
    return r.status == 200 ? r.json().value(key("access_token")).toString() : QString();
}

// HubSpot OAuth tokens for the sandbox's app: authorize (auto-approved), then the code exchange.
// The app must have autoApprove set. An empty object when a step fails.
QJsonObject hubspotOAuthTokens(QNetworkAccessManager &nam, const QJsonObject &d)
{
    const QString redirect = QStringLiteral("http://localhost:9/callback");
    QUrlQuery authorize;
    authorize.addQueryItem(QStringLiteral("client_id"),
                           d.value(key("hubspot_client_id")).toString());
    authorize.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    authorize.addQueryItem(QStringLiteral("scope"),
                           QStringLiteral("oauth crm.objects.companies.read"));
    authorize.addQueryItem(QStringLiteral("state"), QStringLiteral("s1"));
    QUrl authorizeUrl = at(d, "hubspot_auth_url", QStringLiteral("/oauth/authorize"));
    authorizeUrl.setQuery(authorize);
    const HttpResult approved = send(nam, "GET", authorizeUrl);
    if (approved.status != 302)
        return {};
    const QUrlQuery back(QUrl(QString::fromLatin1(approved.headers.value("location"))));
    const QString code = back.queryItemValue(QStringLiteral("code"));
    if (code.isEmpty())
        return {};

    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("client_id"), d.value(key("hubspot_client_id")).toString());
    form.addQueryItem(QStringLiteral("client_secret"),
                      d.value(key("hubspot_client_secret")).toString());
    form.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    form.addQueryItem(QStringLiteral("code"), code);
    const HttpResult tokens =
        send(nam, "POST", at(d, "hubspot_auth_url", QStringLiteral("/oauth/v1/token")),
             form.toString(QUrl::FullyEncoded).toLatin1(),
             {{"Content-Type", "application/x-www-form-urlencoded"}});
    return tokens.status == 200 ? tokens.json() : QJsonObject();
}

int hubspotCompanies(QNetworkAccessManager &nam, const QJsonObject &d, const QString &token)
{
    return send(nam, "GET", at(d, "hubspot_api_url", QStringLiteral("/crm/v3/objects/companies")),
                {}, {{"Authorization", bearer(token)}})
        .status;
}

int haloClients(QNetworkAccessManager &nam, const QJsonObject &d, const QString &token)
{
    return send(nam, "GET", at(d, "halo_url", QStringLiteral("/api/Client")), {},
                {{"Authorization", bearer(token)}})
        .status;
}

} // namespace

class TestSandbox final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAndDescribesItself()
    {
        Sandbox sandbox(smallOptions());
        QVERIFY(sandbox.describe().value(key("hubspot_api_url")).toString().isEmpty());
        const Status started = sandbox.start();
        QVERIFY2(started.ok(), qPrintable(started.error()));
        QVERIFY(sandbox.isStarted());

        const QJsonObject d = sandbox.describe();
        const char *keys[] = {"hubspot_api_url",   "hubspot_auth_url",      "hubspot_token",
                              "hubspot_client_id", "hubspot_client_secret", "halo_url",
                              "halo_client_id",    "halo_client_secret"};
        QCOMPARE(d.size(), 8);
        for (const char *k : keys)
            QVERIFY2(!d.value(key(k)).toString().isEmpty(), k);
        QCOMPARE(d.value(key("hubspot_auth_url")), d.value(key("hubspot_api_url")));
        QCOMPARE(d.value(key("hubspot_token")).toString(), sandbox.hubspot().staticToken());
        QCOMPARE(d.value(key("halo_client_secret")).toString(),
                 sandbox.halo().config().clientSecret);

        // The advertised URLs are the proxies', on loopback; the services sit behind them.
        const QUrl hubspot(d.value(key("hubspot_api_url")).toString());
        const QUrl halo(d.value(key("halo_url")).toString());
        QCOMPARE(hubspot.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(halo.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(sandbox.hubspotProxy() && sandbox.haloProxy());
        QCOMPARE(hubspot.port(), int(sandbox.hubspotProxy()->port()));
        QCOMPARE(halo.port(), int(sandbox.haloProxy()->port()));
        QCOMPARE(sandbox.hubspotProxy()->targetPort(), sandbox.hubspot().port());
        QCOMPARE(sandbox.haloProxy()->targetPort(), sandbox.halo().port());
        QCOMPARE(sandbox.hubspot().baseUrl(), hubspot);
    }

    void secretsAreRandomPerSandbox()
    {
        Sandbox a(smallOptions());
        Sandbox b(smallOptions());
        QVERIFY(a.start().ok());
        QVERIFY(b.start().ok());
        const QJsonObject da = a.describe();
        const QJsonObject db = b.describe();
        for (const char *k : {"hubspot_token", "hubspot_client_id", "hubspot_client_secret",
                              "halo_client_id", "halo_client_secret"})
            QVERIFY2(da.value(key(k)) != db.value(key(k)), k);
        QVERIFY(da.value(key("halo_client_secret")).toString().size() >= 32);
        QVERIFY(da.value(key("hubspot_client_secret")).toString().size() >= 32);
    }

    void dataComesFromTheGenerator()
    {
        Sandbox sandbox(smallOptions());
        QCOMPARE(sandbox.generator().config().companies, 30);
        QCOMPARE(sandbox.generator().config().contacts, 60);
        QCOMPARE(sandbox.generator().config().seed, quint64(7));
        QCOMPARE(sandbox.hubspot().companyCount(), 30);
        QCOMPARE(sandbox.hubspot().contactCount(), 60);
        const auto clients = sandbox.generator().haloClients();
        QCOMPARE(sandbox.halo().clientCount(), qint64(clients.size()));
        qint64 users = 0;
        for (const HaloUserSeed &user : sandbox.generator().haloUsers())
            users += (user.clientIndex >= 0 && user.clientIndex < clients.size()) ? 1 : 0;
        QCOMPARE(sandbox.halo().userCount(), users);
    }

    void timeScaleDrivesTheClock()
    {
        SandboxOptions options = smallOptions();
        options.timeScale = 25;
        Sandbox sandbox(options);
        QCOMPARE(sandbox.clock().scale(), 25.0);
        QTest::qWait(40);
        QVERIFY(sandbox.clock().nowMs() >= 40 * 25);
    }

    void printedCredentialsWorkOnBothServices()
    {
        Sandbox sandbox(smallOptions());
        QVERIFY(sandbox.start().ok());
        const QJsonObject d = sandbox.describe();
        QNetworkAccessManager nam;

        const HttpResult companies =
            send(nam, "GET",
                 at(d, "hubspot_api_url", QStringLiteral("/crm/v3/objects/companies?limit=5")), {},
                 {{"Authorization", bearer(d.value(key("hubspot_token")).toString())}});
        QCOMPARE(companies.status, 200);
        QCOMPARE(companies.json().value(key("results")).toArray().size(), 5);
        // Paging links point at the advertised (proxy) origin, not the service's inner port.
        const QUrl next(companies.json()
                            .value(key("paging"))
                            .toObject()
                            .value(key("next"))
                            .toObject()
                            .value(key("link"))
                            .toString());
        QCOMPARE(next.port(), QUrl(d.value(key("hubspot_api_url")).toString()).port());

        const QString token = haloToken(nam, d);
        QVERIFY(!token.isEmpty());
        const HttpResult clients =
            send(nam, "GET", at(d, "halo_url", QStringLiteral("/api/Client")), {},
                 {{"Authorization", bearer(token)}});
        QCOMPARE(clients.status, 200);
        QVERIFY(clients.isValidJson());
    }

    void faultRatesReachBothServices()
    {
        SandboxOptions options = smallOptions();
        options.faults.serverError = 1.0;
        Sandbox sandbox(options);
        QVERIFY(sandbox.start().ok());
        const QJsonObject d = sandbox.describe();
        QNetworkAccessManager nam;
        const QString hubspotToken = d.value(key("hubspot_token")).toString();
        QVERIFY(hubspotCompanies(nam, d, hubspotToken) >= 500);
        QVERIFY(haloToken(nam, d).isEmpty()); // the token request itself fails
        QVERIFY(sandbox.hubspot().faults().fired(Fault::ServerError) >= 1);
        QVERIFY(sandbox.halo().faults().fired(Fault::ServerError) >= 1);

        sandbox.setFaultRates(FaultRates());
        QCOMPARE(hubspotCompanies(nam, d, hubspotToken), 200);
        const QString token = haloToken(nam, d);
        QVERIFY(!token.isEmpty());
        QCOMPARE(haloClients(nam, d, token), 200);
    }

    void dropsHappenInBothProxies()
    {
        SandboxOptions options = smallOptions();
        options.faults.drop = 1.0;
        Sandbox sandbox(options);
        QVERIFY(sandbox.start().ok());
        const QJsonObject d = sandbox.describe();
        QNetworkAccessManager nam;
        const HttpResult hubspot =
            send(nam, "GET", at(d, "hubspot_api_url", QStringLiteral("/crm/v3/objects/companies")),
                 {}, {{"Authorization", bearer(d.value(key("hubspot_token")).toString())}});
        QVERIFY(hubspot.finished);
        QVERIFY(hubspot.error != QNetworkReply::NoError);
        const HttpResult halo =
            send(nam, "GET", at(d, "halo_url", QStringLiteral("/api/authinfo")));
        QVERIFY(halo.finished);
        QVERIFY(halo.error != QNetworkReply::NoError);
        QVERIFY(sandbox.hubspotProxy()->droppedReplies() >= 1);
        QVERIFY(sandbox.haloProxy()->droppedReplies() >= 1);
    }

    void queuedFaultsTargetOneService()
    {
        Sandbox sandbox(smallOptions());
        QVERIFY(sandbox.start().ok());
        const QJsonObject d = sandbox.describe();
        const QString hubspotToken = d.value(key("hubspot_token")).toString();
        QNetworkAccessManager nam;

        sandbox.hubspot().faults().injectNext(Fault::Drop);
        const HttpResult cut =
            send(nam, "GET", at(d, "hubspot_api_url", QStringLiteral("/crm/v3/objects/companies")),
                 {}, {{"Authorization", bearer(hubspotToken)}});
        QVERIFY(cut.error != QNetworkReply::NoError);
        QCOMPARE(sandbox.hubspotProxy()->droppedReplies(), 1);
        QCOMPARE(sandbox.haloProxy()->droppedReplies(), 0);
        QCOMPARE(hubspotCompanies(nam, d, hubspotToken), 200);

        sandbox.halo().faults().injectNext(Fault::RateLimitedNoRetry);
        const HttpResult limited =
            send(nam, "GET", at(d, "halo_url", QStringLiteral("/api/authinfo")));
        QCOMPARE(limited.status, 429);
        QVERIFY(!limited.headers.contains("retry-after"));
        QCOMPARE(hubspotCompanies(nam, d, hubspotToken), 200);
    }

    void tokensExpireEarly()
    {
        SandboxOptions options = smallOptions();
        options.timeScale = 20; // 2 scaled seconds pass in 100 real milliseconds
        options.faults.tokenLifetimeSec = 2;
        Sandbox sandbox(options);
        sandbox.hubspot().oauth().config().autoApprove = true;
        QVERIFY(sandbox.start().ok());
        const QJsonObject d = sandbox.describe();
        QNetworkAccessManager nam;

        // Halo: a client-credentials token that stops working after its shortened lifetime.
        const QString halo = haloToken(nam, d);
        QVERIFY(!halo.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(haloClients(nam, d, halo), 401, 10000);

        // HubSpot: an OAuth access token.
        const QJsonObject tokens = hubspotOAuthTokens(nam, d);
        QCOMPARE(tokens.value(key("expires_in")).toInteger(), 2);
        const QString access = tokens.value(key("access_token")).toString();
        QVERIFY(!access.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(hubspotCompanies(nam, d, access), 401, 10000);
        // The static token is a private-app token: it never expires.
        QCOMPARE(hubspotCompanies(nam, d, d.value(key("hubspot_token")).toString()), 200);
    }

    void expiringAllTokensMidRun()
    {
        Sandbox sandbox(smallOptions());
        sandbox.hubspot().oauth().config().autoApprove = true;
        QVERIFY(sandbox.start().ok());
        const QJsonObject d = sandbox.describe();
        QNetworkAccessManager nam;
        const QString halo = haloToken(nam, d);
        const QString hubspot = hubspotOAuthTokens(nam, d).value(key("access_token")).toString();
        QVERIFY(!halo.isEmpty());
        QVERIFY(!hubspot.isEmpty());
        QCOMPARE(haloClients(nam, d, halo), 200);
        QCOMPARE(hubspotCompanies(nam, d, hubspot), 200);

        sandbox.expireAllTokens();
        QCOMPARE(haloClients(nam, d, halo), 401);
        QCOMPARE(hubspotCompanies(nam, d, hubspot), 401);
        QCOMPARE(hubspotCompanies(nam, d, d.value(key("hubspot_token")).toString()), 200);
        // New tokens work again.
        QCOMPARE(haloClients(nam, d, haloToken(nam, d)), 200);
    }

    void timeScaleCanChangeWhileRunning()
    {
        Sandbox sandbox(smallOptions());
        const qint64 before = sandbox.clock().nowMs();
        sandbox.setTimeScale(100);
        QCOMPARE(sandbox.clock().scale(), 100.0);
        QTest::qWait(30);
        QVERIFY(sandbox.clock().nowMs() >= before + 30 * 100);
    }

    void runsWithoutProxies()
    {
        SandboxOptions options = smallOptions();
        options.proxy = false;
        Sandbox sandbox(options);
        QVERIFY(sandbox.start().ok());
        QVERIFY(!sandbox.hubspotProxy());
        QVERIFY(!sandbox.haloProxy());
        QCOMPARE(sandbox.hubspotUrl().port(), int(sandbox.hubspot().port()));
        QCOMPARE(sandbox.haloUrl().port(), int(sandbox.halo().port()));
        QNetworkAccessManager nam;
        QCOMPARE(hubspotCompanies(nam, sandbox.describe(), sandbox.hubspot().staticToken()), 200);
    }

    void givenPortsAreUsedAndABusyPortFails()
    {
        // Two free ports: listen, note, release.
        quint16 ports[2] = {0, 0};
        {
            QTcpServer a, b;
            QVERIFY(a.listen(QHostAddress(QHostAddress::LocalHost), 0));
            QVERIFY(b.listen(QHostAddress(QHostAddress::LocalHost), 0));
            ports[0] = a.serverPort();
            ports[1] = b.serverPort();
        }
        SandboxOptions options = smallOptions();
        options.hubspotPort = ports[0];
        options.haloPort = ports[1];
        Sandbox first(options);
        const Status started = first.start();
        QVERIFY2(started.ok(), qPrintable(started.error()));
        QCOMPARE(first.hubspotUrl().port(), int(ports[0]));
        QCOMPARE(first.haloUrl().port(), int(ports[1]));

        Sandbox second(options);
        const Status clash = second.start();
        QVERIFY(!clash.ok());
        QVERIFY2(clash.error().contains(QString::number(ports[0])), qPrintable(clash.error()));
        QVERIFY(!second.isStarted());
        QVERIFY(second.describe().value(key("halo_url")).toString().isEmpty());
        // The first sandbox is unaffected.
        QNetworkAccessManager nam;
        QCOMPARE(hubspotCompanies(nam, first.describe(), first.hubspot().staticToken()), 200);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
