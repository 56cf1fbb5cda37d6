// Tests the fake HubSpot's OAuth server over loopback HTTP, token side: code exchange on every
// token path, PKCE, refresh, revocation, token info/introspection and the API-side token check.
#include "OAuthTestFixture.h"

void TestHubSpotOAuth::codeExchange_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("v1") << QStringLiteral("/oauth/v1/token");
    QTest::newRow("v3") << QStringLiteral("/oauth/v3/token");
    QTest::newRow("2026-03") << QStringLiteral("/oauth/2026-03/token");
}

void TestHubSpotOAuth::codeExchange()
{
    QFETCH(QString, path);
    const QString c = code();
    QVERIFY(!c.isEmpty());
    const Reply r = post(path, exchangeForm(c));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("cache-control"), QByteArray("no-store"));
    const QJsonObject t = r.json();
    const QString access = t.value(QStringLiteral("access_token")).toString();
    QVERIFY2(access.size() >= 100 && access.size() <= 300,
             qPrintable(QString::number(access.size())));
    QVERIFY(!t.value(QStringLiteral("refresh_token")).toString().isEmpty());
    QCOMPARE(t.value(QStringLiteral("expires_in")).toInteger(), 1800);
    QCOMPARE(t.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
    QCOMPARE(t.value(QStringLiteral("token_use")).toString(), QStringLiteral("access_token"));
    QCOMPARE(t.value(QStringLiteral("hub_id")).toInteger(), oauth().config().portalId);
    QCOMPARE(t.value(QStringLiteral("user_id")).toInteger(), oauth().config().userId);
    QCOMPARE(t.value(QStringLiteral("scopes")).toVariant().toStringList(),
             kScopes.split(QLatin1Char(' ')));

    const TokenCheck check = oauth().check(access);
    QCOMPARE(check.state, TokenState::Valid);
    QCOMPARE(check.scopes, kScopes.split(QLatin1Char(' ')));
    QCOMPARE(oauth().issuedAccessTokens(), 1);
}

void TestHubSpotOAuth::exchangeErrors()
{
    const QString c = code();
    Params form = exchangeForm(c);

    Params wrongSecret = form;
    wrongSecret[2].second = QStringLiteral("wrong");
    Reply r = post(QStringLiteral("/oauth/v3/token"), wrongSecret);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(),
             QStringLiteral("BAD_CLIENT_SECRET"));

    Params wrongClient = form;
    wrongClient[1].second = QStringLiteral("someone-else");
    r = post(QStringLiteral("/oauth/v3/token"), wrongClient);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("BAD_CLIENT_ID"));

    Params wrongRedirect = form;
    wrongRedirect[3].second = QStringLiteral("http://localhost:5556/callback");
    r = post(QStringLiteral("/oauth/v3/token"), wrongRedirect);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(),
             QStringLiteral("BAD_REDIRECT_URI"));

    Params noGrant = form;
    noGrant.removeFirst();
    r = post(QStringLiteral("/oauth/v3/token"), noGrant);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("BAD_GRANT_TYPE"));

    // Secrets in the query string: refused on v3 and the dated path, accepted on v1.
    const QString secretQuery = QStringLiteral("?client_secret=") + oauth().config().clientSecret;
    Params bodyWithoutSecret = form;
    bodyWithoutSecret.removeAt(2);
    r = send("POST", QStringLiteral("/oauth/2026-03/token") + secretQuery,
             encode(bodyWithoutSecret));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));

    // A JSON body is refused whatever its content type says.
    QJsonObject asJson;
    for (const auto &p : form)
        asJson.insert(p.first, p.second);
    r = send("POST", QStringLiteral("/oauth/v3/token"), QJsonDocument(asJson).toJson(),
             "application/json");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));

    // None of the failures used the code up; v1 takes the secret from the query string.
    r = send("POST", QStringLiteral("/oauth/v1/token") + secretQuery, encode(bodyWithoutSecret));
    QCOMPARE(r.status, 200);

    // Used once: gone.
    r = post(QStringLiteral("/oauth/v3/token"), form);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("BAD_AUTH_CODE"));
    QCOMPARE(r.json().value(QStringLiteral("message")).toString(),
             QStringLiteral("missing or unknown auth code"));
}

void TestHubSpotOAuth::expiredCode()
{
    const QString c = code();
    advance(301 * 1000);
    const Reply r = post(QStringLiteral("/oauth/v3/token"), exchangeForm(c));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("BAD_AUTH_CODE"));
    QVERIFY(r.json()
                .value(QStringLiteral("error_description"))
                .toString()
                .contains(QLatin1String("expired")));

    // A fresh code within its lifetime still works.
    const QString fresh = code();
    advance(60 * 1000);
    QCOMPARE(post(QStringLiteral("/oauth/v3/token"), exchangeForm(fresh)).status, 200);
}

void TestHubSpotOAuth::pkce_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("sendChallenge");
    QTest::addColumn<QString>("verifier");
    QTest::addColumn<int>("status");
    const QString good =
        QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk.good~verifier");
    QTest::newRow("right verifier") << QStringLiteral("S256") << true << good << 200;
    QTest::newRow("wrong verifier") << QStringLiteral("S256") << true << QStringLiteral("x") << 400;
    QTest::newRow("missing verifier") << QStringLiteral("S256") << true << QString() << 400;
    QTest::newRow("verifier without challenge") << QString() << false << good << 400;
    QTest::newRow("plain refused") << QStringLiteral("plain") << true << good << 302;
}

void TestHubSpotOAuth::pkce()
{
    QFETCH(QString, method);
    QFETCH(bool, sendChallenge);
    QFETCH(QString, verifier);
    QFETCH(int, status);
    const QString good =
        QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk.good~verifier");
    Params extra;
    if (sendChallenge) {
        extra += {QStringLiteral("code_challenge"), challengeFor(good)};
        extra += {QStringLiteral("code_challenge_method"), method};
    }
    if (status == 302) { // refused at the authorize step
        oauth().config().autoApprove = true;
        const Reply r = send("GET", authorizePath(extra));
        QCOMPARE(r.status, 302);
        QCOMPARE(r.locationItem(QStringLiteral("error")), QStringLiteral("invalid_request"));
        return;
    }
    Params form = exchangeForm(code(extra));
    if (!verifier.isEmpty())
        form += {QStringLiteral("code_verifier"), verifier};
    const Reply r = post(QStringLiteral("/oauth/2026-03/token"), form);
    QCOMPARE(r.status, status);
    if (status != 200) {
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_grant"));
        QVERIFY(r.json().value(QStringLiteral("access_token")).isUndefined());
    }
}

void TestHubSpotOAuth::refreshGivesNewTokens()
{
    const QJsonObject first = tokens();
    const QString access1 = first.value(QStringLiteral("access_token")).toString();
    const QString refresh1 = first.value(QStringLiteral("refresh_token")).toString();
    QVERIFY(!refresh1.isEmpty());
    const Params form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                      {QStringLiteral("client_id"), oauth().config().clientId},
                      {QStringLiteral("client_secret"), oauth().config().clientSecret},
                      {QStringLiteral("redirect_uri"), kRedirect},
                      {QStringLiteral("refresh_token"), refresh1}};
    Reply r = post(QStringLiteral("/oauth/2026-03/token"), form);
    QCOMPARE(r.status, 200);
    const QString access2 = r.json().value(QStringLiteral("access_token")).toString();
    const QString refresh2 = r.json().value(QStringLiteral("refresh_token")).toString();
    QVERIFY(!access2.isEmpty() && access2 != access1);
    QVERIFY(!refresh2.isEmpty() && refresh2 != refresh1);
    QCOMPARE(r.json().value(QStringLiteral("expires_in")).toInteger(), 1800);
    QCOMPARE(r.json().value(QStringLiteral("scopes")).toVariant().toStringList(),
             kScopes.split(QLatin1Char(' ')));
    QCOMPARE(oauth().check(access1).state, TokenState::Valid);
    QCOMPARE(oauth().check(access2).state, TokenState::Valid);

    // By default the old refresh token keeps working; v1 works too.
    QCOMPARE(post(QStringLiteral("/oauth/v1/token"), form).status, 200);

    // A narrower scope may be asked for; a wider one may not.
    Params narrow = form;
    narrow += {QStringLiteral("scope"), QStringLiteral("oauth")};
    r = post(QStringLiteral("/oauth/v3/token"), narrow);
    QCOMPARE(r.json().value(QStringLiteral("scopes")).toVariant().toStringList(),
             QStringList{QStringLiteral("oauth")});
    Params wide = form;
    wide += {QStringLiteral("scope"), QStringLiteral("crm.objects.contacts.write")};
    QCOMPARE(post(QStringLiteral("/oauth/v3/token"), wide).status, 400);

    // Another client's secret does not unlock it.
    Params wrongSecret = form;
    wrongSecret[2].second = QStringLiteral("nope");
    QCOMPARE(post(QStringLiteral("/oauth/v3/token"), wrongSecret)
                 .json()
                 .value(QStringLiteral("error"))
                 .toString(),
             QStringLiteral("invalid_client"));
}

void TestHubSpotOAuth::rotatingRefreshTokens()
{
    oauth().config().rotateRefreshTokens = true;
    const QString refresh1 = tokens().value(QStringLiteral("refresh_token")).toString();
    Params form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                {QStringLiteral("client_id"), oauth().config().clientId},
                {QStringLiteral("client_secret"), oauth().config().clientSecret},
                {QStringLiteral("refresh_token"), refresh1}};
    Reply r = post(QStringLiteral("/oauth/v3/token"), form);
    QCOMPARE(r.status, 200);
    const QString refresh2 = r.json().value(QStringLiteral("refresh_token")).toString();
    QCOMPARE(post(QStringLiteral("/oauth/v3/token"), form)
                 .json()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("BAD_REFRESH_TOKEN"));
    form[3].second = refresh2;
    QCOMPARE(post(QStringLiteral("/oauth/v3/token"), form).status, 200);
}

void TestHubSpotOAuth::badRefreshTokenBody()
{
    const Params form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                      {QStringLiteral("client_id"), oauth().config().clientId},
                      {QStringLiteral("client_secret"), oauth().config().clientSecret},
                      {QStringLiteral("refresh_token"), QStringLiteral("na1-0000-not-a-token")}};
    const QJsonObject expected{
        {QStringLiteral("error"), QStringLiteral("invalid_grant")},
        {QStringLiteral("error_description"),
         QStringLiteral("refresh token is invalid, expired or revoked")},
        {QStringLiteral("status"), QStringLiteral("BAD_REFRESH_TOKEN")},
        {QStringLiteral("message"), QStringLiteral("missing or invalid refresh token")}};
    for (const QString &path :
         {QStringLiteral("/oauth/v1/token"), QStringLiteral("/oauth/v3/token"),
          QStringLiteral("/oauth/2026-03/token")}) {
        const Reply r = post(path, form);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json(), expected);
    }
    Params missing = form;
    missing.removeLast();
    QCOMPARE(post(QStringLiteral("/oauth/v3/token"), missing).json(), expected);
}

void TestHubSpotOAuth::revokeThenRefreshFails()
{
    const QJsonObject t = tokens();
    const QString access = t.value(QStringLiteral("access_token")).toString();
    const QString refresh1 = t.value(QStringLiteral("refresh_token")).toString();
    Params form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                {QStringLiteral("client_id"), oauth().config().clientId},
                {QStringLiteral("client_secret"), oauth().config().clientSecret},
                {QStringLiteral("refresh_token"), refresh1}};
    const QString refresh2 = post(QStringLiteral("/oauth/v3/token"), form)
                                 .json()
                                 .value(QStringLiteral("refresh_token"))
                                 .toString();
    QVERIFY(!refresh2.isEmpty());

    // Legacy delete: the whole installation's refresh tokens die, access tokens live on.
    QCOMPARE(send("DELETE", QStringLiteral("/oauth/v1/refresh-tokens/") + refresh2).status, 204);
    for (const QString &rt : {refresh1, refresh2}) {
        form[3].second = rt;
        const Reply r = post(QStringLiteral("/oauth/v3/token"), form);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(),
                 QStringLiteral("BAD_REFRESH_TOKEN"));
    }
    QCOMPARE(oauth().check(access).state, TokenState::Valid);
    QCOMPARE(send("GET", QStringLiteral("/oauth/v1/refresh-tokens/") + refresh2).status, 404);
    QCOMPARE(send("DELETE", QStringLiteral("/oauth/v1/refresh-tokens/na1-unknown")).status, 404);

    // Current revoke endpoint: refresh token and access token.
    const QJsonObject t2 = tokens();
    const Params revokeBase{{QStringLiteral("client_id"), oauth().config().clientId},
                            {QStringLiteral("client_secret"), oauth().config().clientSecret}};
    Params revokeRefresh = revokeBase;
    revokeRefresh +=
        {QStringLiteral("token"), t2.value(QStringLiteral("refresh_token")).toString()};
    revokeRefresh += {QStringLiteral("token_type_hint"), QStringLiteral("refresh_token")};
    QCOMPARE(post(QStringLiteral("/oauth/v3/token/revoke"), revokeRefresh).status, 200);
    form[3].second = t2.value(QStringLiteral("refresh_token")).toString();
    QCOMPARE(post(QStringLiteral("/oauth/2026-03/token"), form).status, 400);

    Params revokeAccess = revokeBase;
    revokeAccess += {QStringLiteral("token"), t2.value(QStringLiteral("access_token")).toString()};
    QCOMPARE(post(QStringLiteral("/oauth/2026-03/token/revoke"), revokeAccess).status, 200);
    QCOMPARE(oauth().check(t2.value(QStringLiteral("access_token")).toString()).state,
             TokenState::Unknown);

    // Unknown tokens are not an error (RFC 7009); bad client credentials are.
    Params unknown = revokeBase;
    unknown += {QStringLiteral("token"), QStringLiteral("whatever")};
    QCOMPARE(post(QStringLiteral("/oauth/v3/token/revoke"), unknown).status, 200);
    unknown[1].second = QStringLiteral("wrong");
    QCOMPARE(post(QStringLiteral("/oauth/v3/token/revoke"), unknown).status, 400);
}

void TestHubSpotOAuth::tokenInfoAndIntrospect()
{
    const QJsonObject t = tokens();
    const QString access = t.value(QStringLiteral("access_token")).toString();
    const QString refresh = t.value(QStringLiteral("refresh_token")).toString();
    const HubSpotAppConfig &app = oauth().config();

    Reply r = send("GET", QStringLiteral("/oauth/v1/access-tokens/") + access);
    QCOMPARE(r.status, 200);
    QJsonObject info = r.json();
    QCOMPARE(info.value(QStringLiteral("token")).toString(), access);
    QCOMPARE(info.value(QStringLiteral("user")).toString(), app.userEmail);
    QCOMPARE(info.value(QStringLiteral("hub_domain")).toString(), app.hubDomain);
    QCOMPARE(info.value(QStringLiteral("scopes")).toVariant().toStringList(),
             kScopes.split(QLatin1Char(' ')));
    QCOMPARE(info.value(QStringLiteral("hub_id")).toInteger(), app.portalId);
    QCOMPARE(info.value(QStringLiteral("app_id")).toInteger(), app.appId);
    QCOMPARE(info.value(QStringLiteral("user_id")).toInteger(), app.userId);
    QVERIFY(info.value(QStringLiteral("expires_in")).toInteger() > 1700);
    QVERIFY(info.value(QStringLiteral("expires_in")).toInteger() <= 1800);
    QCOMPARE(info.value(QStringLiteral("token_type")).toString(), QStringLiteral("access"));

    r = send("GET", QStringLiteral("/oauth/v1/refresh-tokens/") + refresh);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("client_id")).toString(), app.clientId);
    QCOMPARE(r.json().value(QStringLiteral("hub_id")).toInteger(), app.portalId);
    QCOMPARE(r.json().value(QStringLiteral("token")).toString(), refresh);

    const Params creds{{QStringLiteral("client_id"), app.clientId},
                       {QStringLiteral("client_secret"), app.clientSecret}};
    Params ask = creds;
    ask += {QStringLiteral("token"), access};
    ask += {QStringLiteral("token_type_hint"), QStringLiteral("access_token")};
    r = post(QStringLiteral("/oauth/v3/token/introspect"), ask);
    QCOMPARE(r.status, 200);
    info = r.json();
    QCOMPARE(info.value(QStringLiteral("active")).toBool(), true);
    QCOMPARE(info.value(QStringLiteral("token_use")).toString(), QStringLiteral("access_token"));
    QCOMPARE(info.value(QStringLiteral("client_id")).toString(), app.clientId);
    QCOMPARE(info.value(QStringLiteral("hub_id")).toInteger(), app.portalId);
    QCOMPARE(info.value(QStringLiteral("app_id")).toInteger(), app.appId);
    QCOMPARE(info.value(QStringLiteral("user_id")).toInteger(), app.userId);
    QCOMPARE(info.value(QStringLiteral("token")).toString(), access);
    QVERIFY(info.value(QStringLiteral("expires_in")).toInteger() > 1700);
    QCOMPARE(info.value(QStringLiteral("scopes")).toVariant().toStringList(),
             kScopes.split(QLatin1Char(' ')));

    ask = creds;
    ask += {QStringLiteral("token"), refresh};
    r = post(QStringLiteral("/oauth/2026-03/token/introspect"), ask);
    QCOMPARE(r.json().value(QStringLiteral("active")).toBool(), true);
    QCOMPARE(r.json().value(QStringLiteral("token_use")).toString(),
             QStringLiteral("refresh_token"));

    ask = creds;
    ask += {QStringLiteral("token"), QStringLiteral("garbage")};
    r = post(QStringLiteral("/oauth/v3/token/introspect"), ask);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json(), QJsonObject({{QStringLiteral("active"), false}}));

    ask[1].second = QStringLiteral("wrong-secret");
    QCOMPARE(post(QStringLiteral("/oauth/v3/token/introspect"), ask).status, 400);

    // Expired: inactive, and the legacy info endpoint no longer knows it.
    oauth().expireAllAccessTokens();
    ask = creds;
    ask += {QStringLiteral("token"), access};
    QCOMPARE(post(QStringLiteral("/oauth/v3/token/introspect"), ask).json(),
             QJsonObject({{QStringLiteral("active"), false}}));
    QCOMPARE(send("GET", QStringLiteral("/oauth/v1/access-tokens/") + access).status, 404);
}

void TestHubSpotOAuth::checkStates()
{
    QCOMPARE(oauth().check(QString()).state, TokenState::Unknown);
    QCOMPARE(oauth().check(QStringLiteral("garbage")).state, TokenState::Unknown);
    const QJsonObject t = tokens();
    const QString access = t.value(QStringLiteral("access_token")).toString();
    // A refresh token is not a bearer token.
    QCOMPARE(oauth().check(t.value(QStringLiteral("refresh_token")).toString()).state,
             TokenState::Unknown);
    QCOMPARE(oauth().check(access).state, TokenState::Valid);
    const QString staticToken = oauth().addStaticToken();

    oauth().expireAllAccessTokens();
    TokenCheck c = oauth().check(access);
    QCOMPARE(c.state, TokenState::Expired);
    QCOMPARE(c.expiredSecondsAgo, 0);
    QCOMPARE(c.scopes, kScopes.split(QLatin1Char(' ')));
    QCOMPARE(oauth().check(staticToken).state, TokenState::Valid);

    advance(5000);
    c = oauth().check(access);
    QCOMPARE(c.state, TokenState::Expired);
    QVERIFY2(c.expiredSecondsAgo >= 5 && c.expiredSecondsAgo < 60,
             qPrintable(QString::number(c.expiredSecondsAgo)));

    // Tokens issued afterwards are fine again.
    QCOMPARE(oauth().check(tokens().value(QStringLiteral("access_token")).toString()).state,
             TokenState::Valid);
}

void TestHubSpotOAuth::lifetimeOverrides()
{
    oauth().config().accessTokenLifetimeSec = 60;
    QCOMPARE(tokens().value(QStringLiteral("expires_in")).toInteger(), 60);

    FaultRates rates;
    rates.tokenLifetimeSec = 2;
    m_service->faults().setRates(rates);
    const QJsonObject t = tokens();
    QCOMPARE(t.value(QStringLiteral("expires_in")).toInteger(), 2);
    const QString access = t.value(QStringLiteral("access_token")).toString();
    QCOMPARE(oauth().check(access).state, TokenState::Valid);
    advance(3500);
    const TokenCheck c = oauth().check(access);
    QCOMPARE(c.state, TokenState::Expired);
    QVERIFY(c.expiredSecondsAgo >= 1);

    rates.tokenLifetimeSec = 0;
    m_service->faults().setRates(rates);
    const QJsonObject zero = tokens();
    QCOMPARE(zero.value(QStringLiteral("expires_in")).toInteger(), 0);
    QCOMPARE(oauth().check(zero.value(QStringLiteral("access_token")).toString()).state,
             TokenState::Expired);

    rates.tokenLifetimeSec = -1; // back to the app's lifetime
    m_service->faults().setRates(rates);
    QCOMPARE(tokens().value(QStringLiteral("expires_in")).toInteger(), 60);
}

void TestHubSpotOAuth::staticTokens()
{
    const QString all = oauth().addStaticToken();
    const QString contactsOnly =
        oauth().addStaticToken({QStringLiteral("crm.objects.contacts.read")});
    QVERIFY(all.startsWith(QLatin1String("pat-")));
    QVERIFY(all != contactsOnly);
    QCOMPARE(oauth().check(all).scopes, HubSpotOAuth::defaultScopes());
    QCOMPARE(oauth().check(contactsOnly).scopes,
             QStringList{QStringLiteral("crm.objects.contacts.read")});
    advance(2LL * 3600 * 1000);
    oauth().expireAllAccessTokens();
    QCOMPARE(oauth().check(all).state, TokenState::Valid);
    QCOMPARE(oauth().check(contactsOnly).state, TokenState::Valid);
    // Private-app tokens are not OAuth tokens: the OAuth info endpoint doesn't know them.
    QCOMPARE(send("GET", QStringLiteral("/oauth/v1/access-tokens/") + all).status, 404);
    QCOMPARE(oauth().issuedAccessTokens(), 0);
}

void TestHubSpotOAuth::otherPaths()
{
    Request request;
    request.method = "GET";
    request.path = QStringLiteral("/crm/v3/objects/companies");
    QVERIFY(!oauth().handle(request, m_service->baseUrl()).has_value());
    request.path = QStringLiteral("/oauthx");
    QVERIFY(!oauth().handle(request, m_service->baseUrl()).has_value());

    QCOMPARE(send("GET", QStringLiteral("/oauth/v9/token")).status, 404);
    QCOMPARE(send("GET", QStringLiteral("/oauth/v3/token")).status, 405);
    QCOMPARE(send("POST", QStringLiteral("/oauth/authorize"), "x=1").status, 405);
    QCOMPARE(send("POST", QStringLiteral("/oauth/v1/token/introspect"), "x=1").status, 404);
}
