// Tests the fake HubSpot's OAuth server over loopback HTTP, authorize side: the consent page, grant
// and deny redirects, redirect-URL and scope rules. Also the fixture's helpers.
#include "OAuthTestFixture.h"

#include <QRegularExpression>

void TestHubSpotOAuth::init()
{
    m_clock = std::make_unique<Clock>(1.0);
    m_service = std::make_unique<OAuthService>(m_clock.get(), HubSpotAppConfig{});
    QVERIFY(m_service->listen(0) != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
    // The component generated its own client credentials.
    QVERIFY(!oauth().config().clientId.isEmpty());
    QVERIFY(!oauth().config().clientSecret.isEmpty());
}

void TestHubSpotOAuth::cleanup()
{
    m_nam.reset();
    m_service.reset();
    m_clock.reset();
}

Reply TestHubSpotOAuth::send(const QByteArray &method, const QString &pathAndQuery,
                             const QByteArray &body, const QByteArray &contentType)
{
    QUrl url = m_service->baseUrl();
    const qsizetype q = pathAndQuery.indexOf(QLatin1Char('?'));
    url.setPath(pathAndQuery.left(q));
    if (q >= 0)
        url.setQuery(pathAndQuery.mid(q + 1), QUrl::StrictMode);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    if (!body.isEmpty() || method == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        out.headers.insert(pair.first.toLower(), pair.second);
    reply->deleteLater();
    return out;
}

QString TestHubSpotOAuth::authorizePath(Params extra, const QString &redirect) const
{
    Params params{{QStringLiteral("client_id"), m_service->oauth().config().clientId},
                  {QStringLiteral("redirect_uri"), redirect},
                  {QStringLiteral("scope"), kScopes}};
    params += extra;
    return QStringLiteral("/oauth/authorize?") + QString::fromLatin1(encode(params));
}

QString TestHubSpotOAuth::code(Params extra)
{
    oauth().config().autoApprove = true;
    const Reply r = send("GET", authorizePath(extra));
    oauth().config().autoApprove = false;
    return r.status == 302 ? r.locationItem(QStringLiteral("code")) : QString();
}

Params TestHubSpotOAuth::exchangeForm(const QString &code) const
{
    return {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
            {QStringLiteral("client_id"), m_service->oauth().config().clientId},
            {QStringLiteral("client_secret"), m_service->oauth().config().clientSecret},
            {QStringLiteral("redirect_uri"), kRedirect},
            {QStringLiteral("code"), code}};
}

QJsonObject TestHubSpotOAuth::tokens(Params extra)
{
    const QString c = code(extra);
    const Reply r = post(QStringLiteral("/oauth/v3/token"), exchangeForm(c));
    return r.status == 200 ? r.json() : QJsonObject();
}

void TestHubSpotOAuth::advance(qint64 scaledMs)
{
    // Runs the shared clock fast for a moment; expiry is measured on it, never on real time.
    const qint64 target = m_clock->nowMs() + scaledMs;
    m_clock->setScale(qMax(10.0, double(scaledMs) / 200.0));
    while (m_clock->nowMs() < target)
        QTest::qWait(2);
    m_clock->setScale(1.0);
}

void TestHubSpotOAuth::consentPageShowsButtons()
{
    const Reply r = send("GET", authorizePath({{QStringLiteral("state"), QStringLiteral("s1")}}));
    QCOMPARE(r.status, 200);
    QVERIFY(r.headers.value("content-type").startsWith("text/html"));
    QCOMPARE(r.headers.value("x-frame-options"), QByteArray("DENY"));
    const QString page = QString::fromUtf8(r.body);
    QVERIFY(page.contains(QLatin1String("id=\"grant\"")));
    QVERIFY(page.contains(QLatin1String("id=\"deny\"")));
    QVERIFY(page.contains(QLatin1String("Grant access")));
    QVERIFY(page.contains(QLatin1String("action=\"/oauth/authorize/decision\"")));
    QVERIFY(page.contains(QLatin1String("crm.objects.companies.read")));
    QVERIFY(page.contains(QString::number(oauth().config().portalId)));
    QVERIFY(page.contains(oauth().config().appName));
    QVERIFY(!page.contains(oauth().config().clientSecret));
    QVERIFY(!r.headers.contains("location"));

    // Everything shown is HTML-escaped, on the consent page and on error pages.
    oauth().config().appName = QStringLiteral("<b>Evil & Co</b>");
    const QString escaped = QString::fromUtf8(send("GET", authorizePath()).body);
    QVERIFY(escaped.contains(QLatin1String("&lt;b&gt;Evil &amp; Co&lt;/b&gt;")));
    QVERIFY(!escaped.contains(QLatin1String("<b>Evil")));
    const QString hostile = QStringLiteral("https://x.example/\"><script>alert(1)</script>");
    const Reply bad = send("GET", authorizePath({}, hostile));
    QCOMPARE(bad.status, 400);
    QVERIFY(bad.body.contains("&lt;script&gt;"));
    QVERIFY(!bad.body.contains("<script>"));
}

void TestHubSpotOAuth::grantRedirectsWithCodeAndState()
{
    // A state full of characters that need encoding comes back byte for byte.
    const QString state = QStringLiteral("a b+c&d=é%41/?#");
    const QString redirect = QStringLiteral("http://localhost:5555/callback?keep=1");
    const Reply page = send("GET", authorizePath({{QStringLiteral("state"), state}}, redirect));
    QCOMPARE(page.status, 200);
    static const QRegularExpression idRe(QStringLiteral("name=\"request\" value=\"([0-9a-f]+)\""));
    const QString requestId = idRe.match(QString::fromUtf8(page.body)).captured(1);
    QVERIFY(!requestId.isEmpty());

    const Params decision{{QStringLiteral("request"), requestId},
                          {QStringLiteral("decision"), QStringLiteral("grant")}};
    const Reply r = post(QStringLiteral("/oauth/authorize/decision"), decision);
    QCOMPARE(r.status, 302);
    const QUrl location = r.location();
    QCOMPARE(location.host(), QStringLiteral("localhost"));
    QCOMPARE(location.port(), 5555);
    QCOMPARE(location.path(), QStringLiteral("/callback"));
    QCOMPARE(r.locationItem(QStringLiteral("keep")), QStringLiteral("1"));
    QCOMPARE(r.locationItem(QStringLiteral("state")), state);
    QVERIFY(!r.locationItem(QStringLiteral("code")).isEmpty());
    QVERIFY(!QUrlQuery(location).hasQueryItem(QStringLiteral("error")));

    // The request is answered once only.
    const Reply again = post(QStringLiteral("/oauth/authorize/decision"), decision);
    QCOMPARE(again.status, 400);
    QVERIFY(!again.headers.contains("location"));
}

void TestHubSpotOAuth::denyRedirectsWithAccessDenied()
{
    const Reply page =
        send("GET", authorizePath({{QStringLiteral("state"), QStringLiteral("xyz")}}));
    static const QRegularExpression idRe(QStringLiteral("name=\"request\" value=\"([0-9a-f]+)\""));
    const QString requestId = idRe.match(QString::fromUtf8(page.body)).captured(1);
    QVERIFY(!requestId.isEmpty());
    // The buttons may also be driven with GET.
    const Reply r = send(
        "GET", QStringLiteral("/oauth/authorize/decision?request=%1&decision=deny").arg(requestId));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.location().adjusted(QUrl::RemoveQuery), QUrl(kRedirect));
    QCOMPARE(r.locationItem(QStringLiteral("error")), QStringLiteral("access_denied"));
    QVERIFY(!r.locationItem(QStringLiteral("error_description")).isEmpty());
    QCOMPARE(r.locationItem(QStringLiteral("state")), QStringLiteral("xyz"));
    QVERIFY(!QUrlQuery(r.location()).hasQueryItem(QStringLiteral("code")));
}

void TestHubSpotOAuth::autoApproveAndPortalPath()
{
    oauth().config().autoApprove = true;
    const Reply r = send("GET", authorizePath({{QStringLiteral("state"), QStringLiteral("st")}}));
    QCOMPARE(r.status, 302);
    QVERIFY(!r.locationItem(QStringLiteral("code")).isEmpty());
    QCOMPARE(r.locationItem(QStringLiteral("state")), QStringLiteral("st"));

    // No state given: none is invented.
    const Reply noState = send("GET", authorizePath());
    QCOMPARE(noState.status, 302);
    QVERIFY(!QUrlQuery(noState.location()).hasQueryItem(QStringLiteral("state")));

    QString pinned = authorizePath();
    pinned.replace(QLatin1String("/oauth/authorize"),
                   QStringLiteral("/oauth/%1/authorize").arg(oauth().config().portalId));
    QCOMPARE(send("GET", pinned).status, 302);
    pinned = authorizePath();
    pinned.replace(QLatin1String("/oauth/authorize"), QLatin1String("/oauth/999/authorize"));
    const Reply other = send("GET", pinned);
    QCOMPARE(other.status, 403);
    QVERIFY(!other.headers.contains("location"));
}

void TestHubSpotOAuth::redirectUriRules_data()
{
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<QString>("problem"); // empty: accepted
    const QString ip = QStringLiteral("IP address");
    const QString https = QStringLiteral("must use https");
    const QString invalid = QStringLiteral("not a valid absolute URL");
    QTest::newRow("localhost") << kRedirect << QString();
    QTest::newRow("LOCALHOST no port") << QStringLiteral("http://LOCALHOST/cb") << QString();
    QTest::newRow("https") << QStringLiteral("https://app.example.com/cb") << QString();
    QTest::newRow("ipv4 loopback") << QStringLiteral("http://127.0.0.1:5555/callback") << ip;
    QTest::newRow("ipv4 no port") << QStringLiteral("http://127.0.0.1/") << ip;
    QTest::newRow("ipv6 loopback") << QStringLiteral("http://[::1]:5555/callback") << ip;
    QTest::newRow("https ip") << QStringLiteral("https://10.1.2.3/cb") << ip;
    QTest::newRow("http other host") << QStringLiteral("http://example.com/cb") << https;
    QTest::newRow("custom scheme") << QStringLiteral("halospot://callback") << https;
    QTest::newRow("relative") << QStringLiteral("/callback") << invalid;
    QTest::newRow("fragment") << QStringLiteral("https://app.example.com/cb#x") << invalid;
    QTest::newRow("missing") << QString() << QStringLiteral("no redirect_uri");
}

void TestHubSpotOAuth::redirectUriRules()
{
    QFETCH(QString, redirect);
    QFETCH(QString, problem);
    const Reply r = send("GET", authorizePath({}, redirect));
    if (problem.isEmpty()) {
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("id=\"grant\""));
    } else {
        QCOMPARE(r.status, 400);
        QVERIFY(r.headers.value("content-type").startsWith("text/html"));
        QVERIFY(r.body.contains("id=\"error\""));
        QVERIFY2(QString::fromUtf8(r.body).contains(problem), r.body.constData());
        QVERIFY(!r.headers.contains("location"));
    }
    // A registered list narrows what is accepted.
    oauth().config().redirectUris = {QStringLiteral("http://localhost:7777/callback")};
    QCOMPARE(send("GET", authorizePath({}, redirect)).status, 400);
    QCOMPARE(
        send("GET", authorizePath({}, QStringLiteral("http://localhost:7777/callback"))).status,
        200);
}

void TestHubSpotOAuth::unknownClientGetsErrorPage()
{
    QString path = authorizePath();
    path.replace(oauth().config().clientId, QStringLiteral("not-the-client"));
    const Reply r = send("GET", path);
    QCOMPARE(r.status, 400);
    QVERIFY(r.headers.value("content-type").startsWith("text/html"));
    QVERIFY(r.body.contains("Unknown app"));
    QVERIFY(!r.headers.contains("location"));

    const Reply missing =
        send("GET", QStringLiteral("/oauth/authorize?redirect_uri=%1&scope=oauth")
                        .arg(QString::fromLatin1(QUrl::toPercentEncoding(kRedirect))));
    QCOMPARE(missing.status, 400);
    QVERIFY(!missing.headers.contains("location"));
}

void TestHubSpotOAuth::scopeErrorsRedirect()
{
    const Params state{{QStringLiteral("state"), QStringLiteral("s")}};
    QString path = authorizePath(state);
    path.replace(QLatin1String("oauth%20"), QLatin1String("oauth%20tickets%20"));
    Reply r = send("GET", path);
    QCOMPARE(r.status, 302);
    QCOMPARE(r.locationItem(QStringLiteral("error")), QStringLiteral("invalid_scope"));
    QVERIFY(r.locationItem(QStringLiteral("error_description")).contains(QLatin1String("tickets")));
    QCOMPARE(r.locationItem(QStringLiteral("state")), QStringLiteral("s"));

    r = send("GET", QStringLiteral("/oauth/authorize?client_id=%1&redirect_uri=%2&state=s")
                        .arg(oauth().config().clientId,
                             QString::fromLatin1(QUrl::toPercentEncoding(kRedirect))));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.locationItem(QStringLiteral("error")), QStringLiteral("invalid_scope"));

    // Optional scopes the app can't have are dropped; grantable ones are added.
    const QJsonObject t = tokens(
        {{QStringLiteral("optional_scope"), QStringLiteral("tickets crm.objects.contacts.write")}});
    const QStringList scopes = t.value(QStringLiteral("scopes")).toVariant().toStringList();
    QVERIFY(scopes.contains(QStringLiteral("crm.objects.contacts.write")));
    QVERIFY(!scopes.contains(QStringLiteral("tickets")));
    QVERIFY(scopes.contains(QStringLiteral("crm.objects.companies.read")));
}

QTEST_GUILESS_MAIN(TestHubSpotOAuth)
