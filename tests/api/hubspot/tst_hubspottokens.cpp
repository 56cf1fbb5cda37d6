// Tests HubSpotTokens with HubSpotClient against the fake HubSpot's OAuth server over loopback:
// shared and proactive refreshes, a token expiring mid-run, reconnect-needed, static tokens and
// that no secret reaches the log.
#include "HubSpotSandbox.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QSet>
#include <QSignalSpy>
#include <QTimer>

using namespace halospot::test;

namespace {

QMutex logMutex;
QStringList logLines;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&logMutex);
    logLines.append(message);
}

QLoggingCategory::CategoryFilter previousFilter = nullptr;

// Switches every halospot category fully on, whatever QT_LOGGING_RULES says (ctest turns debug
// output off through it, and the environment outranks setFilterRules).
void allHaloSpotLogging(QLoggingCategory *category)
{
    if (previousFilter)
        previousFilter(category);
    if (qstrncmp(category->categoryName(), "halospot.", 9) == 0) {
        category->setEnabled(QtDebugMsg, true);
        category->setEnabled(QtInfoMsg, true);
        category->setEnabled(QtWarningMsg, true);
    }
}

} // namespace

class TestHubSpotTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void concurrentCallersShareOneRefresh();
    void tokenExpiringMidRunIsRefreshedAndReplayed();
    void shortLivedTokensAreRefreshedBeforeTheyExpire();
    void badRefreshTokenNeedsReconnect();
    void refusedRefreshAfter401NeedsReconnect();
    void staticTokensAreNeverRefreshed();
    void secretsNeverReachTheLog();
};

void TestHubSpotTokens::concurrentCallersShareOneRefresh()
{
    HubSpotSandbox sandbox(50, 10);
    const OAuthGrant grant = sandbox.grant();
    HubSpotTokens tokens(sandbox.settings());
    tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
    HubSpotClient client(&tokens);
    const qint64 issuedBefore = sandbox.hubspot().oauth().issuedAccessTokens();
    QList<std::shared_ptr<Awaited<HubSpotAccountInfo>>> calls;
    for (int i = 0; i < 20; ++i) {
        calls.append(std::make_shared<Awaited<HubSpotAccountInfo>>());
        client.accountInfo(calls.last()->callback());
    }
    for (const auto &call : std::as_const(calls)) {
        QTRY_VERIFY(call->done());
        QVERIFY2(call->reply->ok(), qPrintable(call->reply->message));
    }
    QCOMPARE(tokens.refreshCount(), 1);
    QCOMPARE(sandbox.hubspot().oauth().issuedAccessTokens() - issuedBefore, 1);
}

void TestHubSpotTokens::tokenExpiringMidRunIsRefreshedAndReplayed()
{
    const qint64 companies = 6000;
    HubSpotSandbox sandbox(companies);
    const OAuthGrant grant = sandbox.grant();
    HubSpotTokens tokens(sandbox.settings());
    QSignalSpy newRefreshTokens(&tokens, &HubSpotTokens::refreshTokenChanged);
    tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
    HubSpotClient client(&tokens);

    QSet<QString> ids;
    qint64 delivered = 0;
    int pages = 0;
    Awaited<qint64> all;
    client.listAll(
        QStringLiteral("companies"), {},
        [&](const QList<HubSpotObject> &page) {
            for (const HubSpotObject &o : page)
                ids.insert(o.id);
            delivered += page.size();
            if (++pages == 10) // with requests in flight on every cursor
                sandbox.hubspot().oauth().expireAllAccessTokens();
        },
        all.callback());
    QTRY_VERIFY_WITH_TIMEOUT(all.done(), 50000);
    QVERIFY2(all.reply->ok(), qPrintable(all.reply->message));
    QCOMPARE(delivered, companies);
    QCOMPARE(qint64(ids.size()), companies);
    QVERIFY(sandbox.hubspot().countForStatus(401) >= 1); // the expiry really hit requests
    QCOMPARE(tokens.refreshCount(), 2); // the first token, then exactly one refresh
    QVERIFY(!newRefreshTokens.isEmpty());
    const QString newest = newRefreshTokens.last().at(0).toString();
    QVERIFY(!newest.isEmpty());
    QVERIFY(newest != grant.refreshToken);

    // The refresh token handed back is the one to store: a new session can start from it.
    HubSpotTokens restarted(sandbox.settings());
    restarted.setOAuth(grant.clientId, grant.clientSecret, newest);
    HubSpotClient second(&restarted);
    Awaited<HubSpotAccountInfo> account;
    second.accountInfo(account.callback());
    QTRY_VERIFY(account.done());
    QVERIFY2(account.reply->ok(), qPrintable(account.reply->message));
}

void TestHubSpotTokens::shortLivedTokensAreRefreshedBeforeTheyExpire()
{
    HubSpotSandbox sandbox(50, 10);
    FaultRates rates;
    rates.tokenLifetimeSec = 120; // 2.4 s of real time at scale 50
    sandbox.hubspot().faults().setRates(rates);
    const OAuthGrant grant = sandbox.grant();
    HubSpotTokens tokens(sandbox.settings());
    tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
    HubSpotClient client(&tokens);

    // Calls spread over several token lifetimes.
    int answered = 0, failed = 0;
    QTimer timer;
    timer.setInterval(150);
    int sent = 0;
    connect(&timer, &QTimer::timeout, &client, [&] {
        if (++sent > 40)
            return timer.stop();
        client.accountInfo([&](const HubSpotReply<HubSpotAccountInfo> &reply) {
            ++answered;
            failed += reply.ok() ? 0 : 1;
        });
    });
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(answered, 40, 30000);
    QCOMPARE(failed, 0);
    QVERIFY(tokens.refreshCount() >= 3);
    QCOMPARE(sandbox.hubspot().countForStatus(401), 0); // refreshed before HubSpot had to refuse
}

void TestHubSpotTokens::badRefreshTokenNeedsReconnect()
{
    HubSpotSandbox sandbox(10, 10);
    const OAuthGrant grant = sandbox.grant();
    HubSpotTokens tokens(sandbox.settings());
    QSignalSpy reconnect(&tokens, &HubSpotTokens::reconnectNeeded);
    tokens.setOAuth(grant.clientId, grant.clientSecret, QStringLiteral("na1-not-a-refresh-token"));
    HubSpotClient client(&tokens);
    Awaited<HubSpotAccountInfo> first;
    client.accountInfo(first.callback());
    QTRY_VERIFY(first.done());
    QCOMPARE(first.reply->error, ApiError::ReconnectNeeded);
    QVERIFY(first.reply->message.contains(QStringLiteral("Connect HubSpot again")));
    QCOMPARE(reconnect.size(), 1);
    QVERIFY(tokens.needsReconnect());

    // Later calls fail at once, without asking HubSpot again.
    const qint64 requests = sandbox.hubspot().requestCount();
    Awaited<HubSpotPage> second;
    client.listPage(QStringLiteral("companies"), {}, {}, second.callback());
    QTRY_VERIFY(second.done());
    QCOMPARE(second.reply->error, ApiError::ReconnectNeeded);
    QCOMPARE(sandbox.hubspot().requestCount(), requests);

    // Connecting again clears the state.
    tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
    Awaited<HubSpotAccountInfo> third;
    client.accountInfo(third.callback());
    QTRY_VERIFY(third.done());
    QVERIFY2(third.reply->ok(), qPrintable(third.reply->message));
}

void TestHubSpotTokens::refusedRefreshAfter401NeedsReconnect()
{
    HubSpotSandbox sandbox(10, 10);
    const OAuthGrant grant = sandbox.grant();
    HubSpotTokens tokens(sandbox.settings());
    // A still-valid access token from the last session, and a refresh token HubSpot revoked.
    tokens.setOAuth(grant.clientId, grant.clientSecret, QStringLiteral("na1-revoked"),
                    grant.accessToken, QDateTime::currentDateTimeUtc().addSecs(1800));
    HubSpotClient client(&tokens);
    Awaited<HubSpotAccountInfo> first;
    client.accountInfo(first.callback());
    QTRY_VERIFY(first.done());
    QVERIFY2(first.reply->ok(), qPrintable(first.reply->message));
    QCOMPARE(tokens.refreshCount(), 0);

    sandbox.hubspot().oauth().expireAllAccessTokens();
    Awaited<HubSpotAccountInfo> second;
    client.accountInfo(second.callback());
    QTRY_VERIFY(second.done());
    QCOMPARE(second.reply->error, ApiError::ReconnectNeeded);
    QCOMPARE(sandbox.hubspot().countForStatus(401), 1);
}

void TestHubSpotTokens::staticTokensAreNeverRefreshed()
{
    HubSpotSandbox sandbox(10, 10);
    HubSpotTokens tokens(sandbox.settings());
    tokens.setStaticToken(sandbox.hubspot().staticToken());
    HubSpotClient client(&tokens);
    Awaited<HubSpotAccountInfo> ok;
    client.accountInfo(ok.callback());
    QTRY_VERIFY(ok.done());
    QVERIFY2(ok.reply->ok(), qPrintable(ok.reply->message));
    QCOMPARE(tokens.refreshCount(), 0);

    tokens.setStaticToken(QStringLiteral("pat-na1-wrong"));
    Awaited<HubSpotAccountInfo> refused;
    client.accountInfo(refused.callback());
    QTRY_VERIFY(refused.done());
    QCOMPARE(refused.reply->error, ApiError::Unauthorized);
    QCOMPARE(tokens.refreshCount(), 0);
}

void TestHubSpotTokens::secretsNeverReachTheLog()
{
    HubSpotSandbox sandbox(300, 10);
    const OAuthGrant grant = sandbox.grant();
    previousFilter = QLoggingCategory::installFilter(allHaloSpotLogging);
    {
        QMutexLocker lock(&logMutex);
        logLines.clear();
    }
    const QtMessageHandler previous = qInstallMessageHandler(captureLog);
    QString newest;
    {
        HubSpotTokens tokens(sandbox.settings());
        connect(&tokens, &HubSpotTokens::refreshTokenChanged, &tokens,
                [&newest](const QString &token) { newest = token; });
        tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
        HubSpotClient client(&tokens);
        Awaited<qint64> all;
        client.listAll(
            QStringLiteral("companies"), {}, [](const QList<HubSpotObject> &) {}, all.callback());
        QTRY_VERIFY(all.done());
        sandbox.hubspot().oauth().expireAllAccessTokens();
        Awaited<HubSpotAccountInfo> account;
        client.accountInfo(account.callback());
        QTRY_VERIFY(account.done());
        QVERIFY(account.reply->ok());
    }
    qInstallMessageHandler(previous);
    QLoggingCategory::installFilter(previousFilter);
    QMutexLocker lock(&logMutex);
    QVERIFY(logLines.size() > 5); // logging really was on
    QVERIFY(!newest.isEmpty());
    for (const QString &line : std::as_const(logLines)) {
        QVERIFY2(!line.contains(grant.clientSecret), "client secret logged");
        QVERIFY2(!line.contains(grant.refreshToken), "refresh token logged");
        QVERIFY2(!line.contains(newest), "new refresh token logged");
        QVERIFY2(!line.contains(grant.accessToken), "access token logged");
    }
}

QTEST_GUILESS_MAIN(TestHubSpotTokens)
#include "tst_hubspottokens.moc"
