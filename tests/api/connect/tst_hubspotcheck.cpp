// Tests HubSpotCheck and revokeHubSpotRefreshToken against the fake HubSpot over loopback: OAuth
// account details and scopes (introspection and the legacy token-info fallback), static tokens and
// their read probes, the refused / unreachable / TLS sentences, revocation, and no token in logs.
#include "ApiTestSupport.h"
#include "ConnectionCheck.h"
#include "HubSpotSandbox.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QUuid>

using namespace halospot::test;
using halospot::Status;
using halospot::apitest::closedPort;
using halospot::apitest::ScriptedService;

namespace {

QMutex logMutex;
QStringList logLines;
QtMessageHandler previousHandler = nullptr;
QLoggingCategory::CategoryFilter previousFilter = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logLines.append(message);
    }
    if (previousHandler && type != QtDebugMsg)
        previousHandler(type, context, message);
}

// Every halospot category logs everything here, so that "never logged" covers debug lines too.
void enableAll(QLoggingCategory *category)
{
    if (previousFilter)
        previousFilter(category);
    if (qstrncmp(category->categoryName(), "halospot", 8) == 0)
        category->setEnabled(QtDebugMsg, true);
}

QString allLogs()
{
    QMutexLocker lock(&logMutex);
    return logLines.join(QLatin1Char('\n'));
}

// The sandbox behind `front`, except that paths ending in `missing` answer 404 as on an API
// version without that endpoint; returns settings that point at `front` (port 0: not listening).
HubSpotSettings withoutEndpoint(ScriptedService &front, HubSpotSandbox &sandbox,
                                const QString &missing)
{
    front.handler = [&sandbox, missing](const Request &request) {
        if (request.path.endsWith(missing))
            return Response::json(
                404, QJsonObject{{QStringLiteral("message"), QStringLiteral("not here")}});
        return sandbox.hubspot().dispatch(request);
    };
    front.listen(0);
    HubSpotSettings settings = sandbox.settings();
    settings.apiBase = front.baseUrl();
    return settings;
}

// Both API generations the checks support: the classic v3 and a date version.
void addVersionRows()
{
    QTest::addColumn<QString>("version");
    QTest::newRow("v3") << QStringLiteral("v3");
    QTest::newRow("2026-03") << QStringLiteral("2026-03");
}

// Runs a check to the end; fails the test (empty result) when done never comes.
std::optional<HubSpotCheckResult> runCheck(HubSpotCheck &check)
{
    std::optional<HubSpotCheckResult> result;
    int calls = 0;
    check.run([&](const HubSpotCheckResult &r) {
        result = r;
        ++calls;
    });
    if (result) // done must never run inside run()
        return std::nullopt;
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
        return std::nullopt;
    QTest::qWait(50); // a second call would show up here
    if (calls != 1)
        return std::nullopt;
    return result;
}

Status revokeAndWait(const HubSpotSettings &settings, const OAuthGrant &grant, QObject *context)
{
    std::optional<Status> status;
    revokeHubSpotRefreshToken(settings, grant.clientId, grant.clientSecret, grant.refreshToken,
                              context, [&](const Status &s) { status = s; });
    if (!QTest::qWaitFor([&] { return status.has_value(); }, 30000))
        return Status::failure(QStringLiteral("test: revoke never finished"));
    return *status;
}

TokenReply refreshWith(const HubSpotSettings &settings, const OAuthGrant &grant)
{
    HubSpotTokens tokens(settings);
    tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
    std::optional<TokenReply> reply;
    QObject context;
    tokens.accessToken(&context, [&](const TokenReply &r) { reply = r; });
    if (!QTest::qWaitFor([&] { return reply.has_value(); }, 30000))
        return {ApiError::Cancelled, {}, QStringLiteral("test: no token reply")};
    return *reply;
}

} // namespace

class TestHubSpotCheck final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        previousHandler = qInstallMessageHandler(captureLog);
        previousFilter = QLoggingCategory::installFilter(enableAll);
    }

    void requiredScopesAreTheFourObjectScopes()
    {
        QStringList scopes = HubSpotCheck::requiredScopes();
        scopes.sort();
        QCOMPARE(scopes, (QStringList{QStringLiteral("crm.objects.companies.read"),
                                      QStringLiteral("crm.objects.companies.write"),
                                      QStringLiteral("crm.objects.contacts.read"),
                                      QStringLiteral("crm.objects.contacts.write")}));
    }

    // OAuth: introspection names user, domain, portal and scopes; account-info adds the rest.
    void oauthAccount_data() { addVersionRows(); }
    void oauthAccount()
    {
        QFETCH(QString, version);
        HubSpotSandbox sandbox(5, 5);
        const OAuthGrant grant = sandbox.grant();
        QVERIFY(!grant.refreshToken.isEmpty());
        HubSpotTokens tokens(sandbox.settings(version));
        tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
        HubSpotCheck check(&tokens, grant.clientId, grant.clientSecret);
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->message));
        const HubSpotAppConfig &app = sandbox.hubspot().oauth().config();
        const HubSpotAccount &account = result->account;
        QCOMPARE(account.portalId, app.portalId);
        QCOMPARE(account.domain, app.hubDomain);
        QCOMPARE(account.user, app.userEmail);
        QCOMPARE(account.timeZone, QStringLiteral("Europe/Berlin"));
        QCOMPARE(account.accountType, QStringLiteral("STANDARD"));
        QVERIFY(account.scopesKnown);
        for (const QString &scope : HubSpotCheck::requiredScopes())
            QVERIFY2(account.scopes.contains(scope), qPrintable(scope));
        QVERIFY(account.missingScopes.isEmpty());

        const QString logs = allLogs();
        QVERIFY(!logs.contains(grant.refreshToken));
        QVERIFY(!logs.contains(grant.clientSecret));
        QVERIFY(!logs.contains(grant.accessToken));
    }

    // A grant without the write scopes: the check succeeds but names what is missing.
    void oauthWithFewerScopes()
    {
        HubSpotSandbox sandbox(5, 5);
        const OAuthGrant grant =
            oauthGrant(sandbox.hubspot(),
                       {QStringLiteral("oauth"), QStringLiteral("crm.objects.companies.read"),
                        QStringLiteral("crm.objects.contacts.read")});
        QVERIFY(!grant.refreshToken.isEmpty());
        HubSpotTokens tokens(sandbox.settings());
        tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
        HubSpotCheck check(&tokens, grant.clientId, grant.clientSecret);
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->message));
        QCOMPARE(result->account.missingScopes,
                 (QStringList{QStringLiteral("crm.objects.companies.write"),
                              QStringLiteral("crm.objects.contacts.write")}));
        QVERIFY(result->message.contains(QLatin1String("crm.objects.companies.write")));
        QVERIFY(result->message.contains(QLatin1String("crm.objects.contacts.write")));
    }

    // Where introspection is missing (404), the legacy token-info endpoint answers instead; the
    // token in its path never reaches a log line.
    void legacyTokenInfoFallback()
    {
        HubSpotSandbox sandbox(5, 5);
        ScriptedService front(&sandbox.clock());
        const HubSpotSettings settings =
            withoutEndpoint(front, sandbox, QStringLiteral("/introspect"));
        QVERIFY(front.port() != 0);
        const OAuthGrant grant = sandbox.grant();
        HubSpotTokens tokens(settings);
        tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
        HubSpotCheck check(&tokens, grant.clientId, grant.clientSecret);
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->message));
        QCOMPARE(result->account.user, sandbox.hubspot().oauth().config().userEmail);
        QCOMPARE(result->account.portalId, sandbox.hubspot().oauth().config().portalId);
        QVERIFY(result->account.scopesKnown);
        QVERIFY(result->account.missingScopes.isEmpty());
        bool sawLegacy = false;
        for (const Request &r : std::as_const(front.seen))
            sawLegacy = sawLegacy || r.path.startsWith(QLatin1String("/oauth/v1/access-tokens/"));
        QVERIFY(sawLegacy);
        const QString logs = allLogs();
        QVERIFY(logs.contains(QLatin1String("access-tokens/<redacted>")));
        for (const Request &r : std::as_const(front.seen)) {
            const QString token = r.path.section(QLatin1Char('/'), -1);
            if (r.path.startsWith(QLatin1String("/oauth/v1/access-tokens/")))
                QVERIFY(!logs.contains(token));
        }
    }

    // The app's client secret is wrong (the access token itself is fine and cached).
    void oauthWrongClientSecret()
    {
        HubSpotSandbox sandbox(5, 5);
        const OAuthGrant grant = sandbox.grant();
        HubSpotTokens tokens(sandbox.settings());
        tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken, grant.accessToken,
                        QDateTime::currentDateTimeUtc().addSecs(1800));
        HubSpotCheck check(&tokens, grant.clientId, QStringLiteral("not-the-secret"));
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY(!result->ok());
        QCOMPARE(result->error, ApiError::Unauthorized);
        QVERIFY2(result->message.contains(QLatin1String("client ID or client secret")),
                 qPrintable(result->message));
    }

    void staticToken()
    {
        HubSpotSandbox sandbox(5, 5);
        const QString token = sandbox.hubspot().oauth().addStaticToken();
        HubSpotTokens tokens(sandbox.settings());
        tokens.setStaticToken(token);
        HubSpotCheck check(&tokens, QString(), QString());
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->message));
        QCOMPARE(result->account.portalId, sandbox.hubspot().oauth().config().portalId);
        QCOMPARE(result->account.domain, QStringLiteral("app-eu1.hubspot.com"));
        QVERIFY(result->account.user.isEmpty());
        QVERIFY(!result->account.scopesKnown);
        QVERIFY(result->account.missingScopes.isEmpty());
        QVERIFY(!allLogs().contains(token));
    }

    // A static token that may read companies but not contacts: the contacts probe's 403 names
    // the scope.
    void staticTokenWithoutContactRead()
    {
        HubSpotSandbox sandbox(5, 5);
        const QString token = sandbox.hubspot().oauth().addStaticToken(
            {QStringLiteral("crm.objects.companies.read"),
             QStringLiteral("crm.objects.companies.write")});
        HubSpotTokens tokens(sandbox.settings());
        tokens.setStaticToken(token);
        HubSpotCheck check(&tokens, QString(), QString());
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->message));
        QCOMPARE(result->account.missingScopes,
                 QStringList{QStringLiteral("crm.objects.contacts.read")});
        QVERIFY2(result->message.contains(QLatin1String("crm.objects.contacts.read")),
                 qPrintable(result->message));
    }

    void badStaticTokenIsRefused()
    {
        HubSpotSandbox sandbox(5, 5);
        const QString token =
            QStringLiteral("pat-na1-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        HubSpotTokens tokens(sandbox.settings());
        tokens.setStaticToken(token);
        HubSpotCheck check(&tokens, QString(), QString());
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY(!result->ok());
        QCOMPARE(result->error, ApiError::Unauthorized);
        QVERIFY2(result->message.contains(QLatin1String("HubSpot refused the token")),
                 qPrintable(result->message));
        QVERIFY(!result->message.contains(token));
        QVERIFY(!allLogs().contains(token));
    }

    // Network failures get one sentence each: refused port, unresolvable name, TLS handshake.
    void unreachable_data()
    {
        halospot::apitest::addUnreachableRows("base", QStringLiteral("hubspot.invalid"));
    }
    void unreachable()
    {
        QFETCH(QString, base);
        QFETCH(QString, expected);
        HubSpotSandbox sandbox(5, 5);
        // https to the sandbox's plain-HTTP port: the TLS handshake cannot succeed.
        base.replace(QLatin1String("PLAIN"), QString::number(sandbox.port()));
        HubSpotSettings settings = sandbox.settings();
        settings.apiBase = QUrl(base);
        HubSpotTokens tokens(settings);
        tokens.setStaticToken(sandbox.hubspot().oauth().addStaticToken());
        HubSpotCheck check(&tokens, QString(), QString());
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY(!result->ok());
        QCOMPARE(result->error, ApiError::Network);
        QVERIFY2(result->message.contains(expected), qPrintable(result->message));
    }

    // OAuth against an unreachable host: the token refresh fails and the sentence says why.
    void oauthUnreachable()
    {
        HubSpotSandbox sandbox(5, 5);
        const OAuthGrant grant = sandbox.grant();
        HubSpotSettings settings = sandbox.settings();
        settings.apiBase = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort()));
        HubSpotTokens tokens(settings);
        // A cached access token: the introspection is the first call, with the check's short
        // retry policy.
        tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken, grant.accessToken,
                        QDateTime::currentDateTimeUtc().addSecs(1800));
        HubSpotCheck check(&tokens, grant.clientId, grant.clientSecret);
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY(!result->ok());
        QVERIFY2(result->message.contains(QLatin1String("connection was refused")),
                 qPrintable(result->message));
        QVERIFY(!result->message.contains(grant.accessToken));
    }

    // Cancel ends a run without done; a new run afterwards reports once.
    void cancelAndRerun()
    {
        HubSpotSandbox sandbox(5, 5);
        HubSpotTokens tokens(sandbox.settings());
        tokens.setStaticToken(sandbox.hubspot().oauth().addStaticToken());
        HubSpotCheck check(&tokens, QString(), QString());
        int cancelledCalls = 0;
        check.run([&](const HubSpotCheckResult &) { ++cancelledCalls; });
        check.cancel();
        const auto result = runCheck(check);
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->message));
        QCOMPARE(cancelledCalls, 0);
    }

    // Disconnect: the refresh token is dead afterwards (POST …/token/revoke).
    void revokeKillsRefreshToken_data() { addVersionRows(); }
    void revokeKillsRefreshToken()
    {
        QFETCH(QString, version);
        HubSpotSandbox sandbox(5, 5);
        const OAuthGrant grant = sandbox.grant();
        const HubSpotSettings settings = sandbox.settings(version);
        QVERIFY(refreshWith(settings, grant).ok()); // alive before
        QObject context;
        const Status status = revokeAndWait(settings, grant, &context);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        const TokenReply after = refreshWith(settings, grant);
        QCOMPARE(after.error, ApiError::ReconnectNeeded);

        // The check of such a connection asks the user to connect again.
        HubSpotTokens tokens(settings);
        tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
        HubSpotCheck check(&tokens, grant.clientId, grant.clientSecret);
        const auto result = runCheck(check);
        QVERIFY(result);
        QCOMPARE(result->error, ApiError::ReconnectNeeded);
        QVERIFY(!allLogs().contains(grant.refreshToken));
    }

    // Without the newer endpoint (404), DELETE /oauth/v1/refresh-tokens/{token} revokes.
    void revokeFallsBackToLegacyDelete()
    {
        HubSpotSandbox sandbox(5, 5);
        ScriptedService front(&sandbox.clock());
        const HubSpotSettings settings =
            withoutEndpoint(front, sandbox, QStringLiteral("/token/revoke"));
        QVERIFY(front.port() != 0);
        const OAuthGrant grant = sandbox.grant();
        QObject context;
        const Status status = revokeAndWait(settings, grant, &context);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QCOMPARE(front.seenWithMethod("DELETE"), 1);
        QCOMPARE(refreshWith(sandbox.settings(), grant).error, ApiError::ReconnectNeeded);

        // A token HubSpot no longer knows counts as revoked (the DELETE answers 404).
        OAuthGrant unknown = grant;
        unknown.refreshToken = QStringLiteral("na1-00000000-0000-4000-8000-000000000000");
        const Status again = revokeAndWait(settings, unknown, &context);
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QVERIFY(!allLogs().contains(grant.refreshToken));
    }

    void revokeWithWrongSecretFails()
    {
        HubSpotSandbox sandbox(5, 5);
        OAuthGrant grant = sandbox.grant();
        grant.clientSecret = QStringLiteral("wrong-secret");
        QObject context;
        const Status status = revokeAndWait(sandbox.settings(), grant, &context);
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QLatin1String("client ID or client secret")),
                 qPrintable(status.error()));
        grant.clientSecret = sandbox.hubspot().oauth().config().clientSecret;
        QVERIFY(refreshWith(sandbox.settings(), grant).ok()); // still alive
    }
};

QTEST_GUILESS_MAIN(TestHubSpotCheck)
#include "tst_hubspotcheck.moc"
