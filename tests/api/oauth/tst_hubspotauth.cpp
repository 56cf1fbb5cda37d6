// Tests HubSpotAuth against the fake HubSpot over loopback, with a plain HTTP client as browser.

// Cases: round trip (auto-approve and consent page), PKCE and state on the authorize URL,
// loopback-only listener, state mismatch, refusal, timeout, bad code, busy port, no secret logged.
#include "HubSpotAuth.h"
#include "HubSpotSandbox.h"

#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>

using namespace halospot::test;

namespace {

QMutex logMutex;
QStringList logLines;
QtMessageHandler previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logLines.append(message);
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

// A browser without JavaScript: follows nothing by itself, so each hop is visible.
struct Browser
{
    QNetworkAccessManager nam;

    struct Page
    {
        int status = 0;
        QByteArray body;
        QUrl location;
    };

    Page send(QNetworkReply *reply)
    {
        Page page;
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(20000)) {
            reply->deleteLater();
            return page;
        }
        page.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        page.body = reply->readAll();
        page.location = QUrl::fromEncoded(reply->rawHeader("Location"));
        reply->deleteLater();
        return page;
    }
    Page get(const QUrl &url)
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        return send(nam.get(request));
    }
    Page post(const QUrl &url, const QByteArray &form)
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
        return send(nam.post(request, form));
    }
};

bool portAcceptsOn(const QHostAddress &address, quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(address, port);
    return socket.waitForConnected(3000);
}

} // namespace

class TestHubSpotAuth final : public QObject
{
    Q_OBJECT

private:
    HubSpotAuthConfig config(HubSpotSandbox &sandbox, const QString &version = QStringLiteral("v3"))
    {
        HubSpotAuthConfig c;
        c.clientId = sandbox.hubspot().oauth().config().clientId;
        c.clientSecret = sandbox.hubspot().oauth().config().clientSecret;
        c.authBase = sandbox.hubspot().baseUrl();
        c.settings = sandbox.settings(version);
        c.port = 0;
        c.timeoutMs = 20000;
        return c;
    }

    static HubSpotAuthResult waitResult(QSignalSpy &spy)
    {
        if (spy.isEmpty() && !spy.wait(20000))
            return {ApiError::Cancelled, QStringLiteral("test: no result"), {}};
        return spy.first().first().value<HubSpotAuthResult>();
    }

private Q_SLOTS:
    void initTestCase() { previousHandler = qInstallMessageHandler(captureLog); }

    void roundTrip_data()
    {
        QTest::addColumn<bool>("consentPage");
        QTest::addColumn<QString>("version");
        QTest::newRow("auto-approve v3") << false << QStringLiteral("v3");
        QTest::newRow("consent page 2026-03") << true << QStringLiteral("2026-03");
    }

    // The whole browser round trip yields tokens the sandbox API accepts; the sandbox demands
    // the PKCE verifier whenever a challenge was sent, so success also proves PKCE.
    void roundTrip()
    {
        QFETCH(bool, consentPage);
        QFETCH(QString, version);
        HubSpotSandbox sandbox(20, 20);
        sandbox.hubspot().oauth().config().autoApprove = !consentPage;
        HubSpotAuth auth(config(sandbox, version));
        QList<QUrl> opened;
        auth.setBrowserOpener([&opened](const QUrl &url) {
            opened << url;
            return true;
        });
        QSignalSpy ready(&auth, &HubSpotAuth::authorizeUrlReady);
        QSignalSpy browserFailed(&auth, &HubSpotAuth::browserFailed);
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(auth.start());
        QVERIFY(auth.isRunning());
        const quint16 port = auth.port();
        QVERIFY(port != 0);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(ready.size(), 1);
        QCOMPARE(browserFailed.size(), 0);
        const QUrl url = opened.first();
        QCOMPARE(url, auth.authorizeUrl());

        // The authorize URL as SPEC §1.1 wants it.
        QCOMPARE(url.path(), QStringLiteral("/oauth/authorize"));
        const QUrlQuery q(url);
        QCOMPARE(q.queryItemValue(QStringLiteral("client_id")),
                 sandbox.hubspot().oauth().config().clientId);
        const QString redirect = QStringLiteral("http://localhost:%1/callback").arg(port);
        QCOMPARE(q.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded), redirect);
        QCOMPARE(auth.redirectUri(), QUrl(redirect));
        QStringList scopes =
            q.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded).split(QLatin1Char(' '));
        scopes.sort();
        QStringList required = HubSpotAuth::requiredScopes();
        required.sort();
        QCOMPARE(scopes, required);
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
        QVERIFY(q.queryItemValue(QStringLiteral("state")).size() >= 32);
        QVERIFY(!url.toString().contains(sandbox.hubspot().oauth().config().clientSecret));

        Browser browser;
        Browser::Page page = browser.get(url);
        if (consentPage) {
            QCOMPARE(page.status, 200);
            const QRegularExpression requestId(
                QStringLiteral("name=\"request\" value=\"([^\"]+)\""));
            const auto match = requestId.match(QString::fromUtf8(page.body));
            QVERIFY(match.hasMatch());
            QVERIFY(page.body.contains("id=\"grant\""));
            QUrl decision = sandbox.hubspot().baseUrl();
            decision.setPath(QStringLiteral("/oauth/authorize/decision"));
            page = browser.post(decision, "decision=grant&request=" +
                                              QUrl::toPercentEncoding(match.captured(1)));
        }
        QCOMPARE(page.status, 302);
        QVERIFY(page.location.toString().startsWith(redirect + QLatin1Char('?')));
        const Browser::Page landing = browser.get(page.location);
        QCOMPARE(landing.status, 200);
        QVERIFY(landing.body.contains("You can close this window and return to HaloSpot"));

        const HubSpotAuthResult result = waitResult(finished);
        QVERIFY2(result.ok(), qPrintable(result.message));
        QCOMPARE(finished.size(), 1);
        QVERIFY(!auth.isRunning());
        const HubSpotGrant &grant = result.grant;
        QVERIFY(!grant.accessToken.isEmpty());
        QVERIFY(!grant.refreshToken.isEmpty());
        QVERIFY(grant.expiresInSec > 0);
        QVERIFY(grant.expiresAtUtc > QDateTime::currentDateTimeUtc());
        QCOMPARE(grant.hubId, sandbox.hubspot().oauth().config().portalId);
        for (const QString &scope : HubSpotAuth::requiredScopes())
            QVERIFY2(grant.scopes.contains(scope), qPrintable(scope));

        // The token works on the API.
        QNetworkRequest api(sandbox.settings(version).url(
            sandbox.settings(version).objectsPath(QStringLiteral("companies"))));
        api.setRawHeader("Authorization", "Bearer " + grant.accessToken.toUtf8());
        const Browser::Page companies = browser.send(browser.nam.get(api));
        QCOMPARE(companies.status, 200);
        QVERIFY(companies.body.contains("\"results\""));

        // The listener is gone.
        QVERIFY(!portAcceptsOn(QHostAddress(QHostAddress::LocalHost), port));

        // Nothing secret was logged on the way.
        QMutexLocker lock(&logMutex);
        const QString all = logLines.join(QLatin1Char('\n'));
        QVERIFY(!all.contains(grant.accessToken));
        QVERIFY(!all.contains(grant.refreshToken));
        QVERIFY(!all.contains(sandbox.hubspot().oauth().config().clientSecret));
    }

    // Bound to 127.0.0.1 only: no other address of this machine (nor ::1) reaches it.
    void listensOnLoopbackOnly()
    {
        HubSpotSandbox sandbox(5, 5);
        HubSpotAuth auth(config(sandbox));
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(auth.start());
        const quint16 port = auth.port();
        QCOMPARE(auth.listenAddress(), QHostAddress(QHostAddress::LocalHost));
        QVERIFY(portAcceptsOn(QHostAddress(QHostAddress::LocalHost), port));
        QVERIFY(!portAcceptsOn(QHostAddress(QHostAddress::LocalHostIPv6), port));
        // A socket bound to 127.0.0.1 cannot be reached through any other interface; the test
        // sends nothing to the machine's other addresses (traffic stays on loopback).
        auth.cancel();
        QCOMPARE(waitResult(finished).error, ApiError::Cancelled);
    }

    // A callback whose state is not ours is refused and its (valid) code is never exchanged.
    void stateMismatch()
    {
        HubSpotSandbox sandbox(5, 5);
        HubSpotAuth auth(config(sandbox));
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(auth.start());
        Browser browser;
        const Browser::Page redirect = browser.get(auth.authorizeUrl());
        QCOMPARE(redirect.status, 302);
        QUrl forged = redirect.location;
        QUrlQuery q(forged);
        QVERIFY(!q.queryItemValue(QStringLiteral("code")).isEmpty());
        q.removeAllQueryItems(QStringLiteral("state"));
        q.addQueryItem(QStringLiteral("state"), QStringLiteral("forged-state"));
        forged.setQuery(q);
        const qint64 issuedBefore = sandbox.hubspot().oauth().issuedAccessTokens();
        const Browser::Page landing = browser.get(forged);
        QCOMPARE(landing.status, 200);
        QVERIFY(landing.body.contains("does not belong"));
        const HubSpotAuthResult result = waitResult(finished);
        QCOMPARE(result.error, ApiError::Refused);
        QVERIFY(result.message.contains(QStringLiteral("state mismatch")));
        QVERIFY(!auth.isRunning());
        QTest::qWait(200); // any token request would have reached the sandbox by now
        QCOMPARE(sandbox.hubspot().oauth().issuedAccessTokens(), issuedBefore);
    }

    // Deny on the consent page comes back as error=access_denied: a clear refusal.
    void refused()
    {
        HubSpotSandbox sandbox(5, 5);
        sandbox.hubspot().oauth().config().autoApprove = false;
        HubSpotAuth auth(config(sandbox));
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(auth.start());
        Browser browser;
        const Browser::Page consent = browser.get(auth.authorizeUrl());
        QCOMPARE(consent.status, 200);
        const auto match = QRegularExpression(QStringLiteral("name=\"request\" value=\"([^\"]+)\""))
                               .match(QString::fromUtf8(consent.body));
        QVERIFY(match.hasMatch());
        QUrl decision = sandbox.hubspot().baseUrl();
        decision.setPath(QStringLiteral("/oauth/authorize/decision"));
        const Browser::Page redirect = browser.post(
            decision, "decision=deny&request=" + QUrl::toPercentEncoding(match.captured(1)));
        QCOMPARE(redirect.status, 302);
        QVERIFY(redirect.location.query().contains(QStringLiteral("error=access_denied")));
        const Browser::Page landing = browser.get(redirect.location);
        QCOMPARE(landing.status, 200);
        QVERIFY(landing.body.contains("refused"));
        const HubSpotAuthResult result = waitResult(finished);
        QCOMPARE(result.error, ApiError::Refused);
        QVERIFY(result.message.contains(QStringLiteral("refused")));
        QCOMPARE(sandbox.hubspot().oauth().issuedAccessTokens(), 0);
    }

    // Nobody comes back: a clean timeout, and the port can be taken again.
    void timeout()
    {
        HubSpotSandbox sandbox(5, 5);
        HubSpotAuthConfig c = config(sandbox);
        c.timeoutMs = 300;
        HubSpotAuth auth(c);
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(auth.start());
        const quint16 port = auth.port();
        const HubSpotAuthResult result = waitResult(finished);
        QCOMPARE(result.error, ApiError::Timeout);
        QVERIFY(!result.message.isEmpty());
        QVERIFY(!auth.isRunning());
        QTcpServer again;
        QVERIFY(again.listen(QHostAddress::LocalHost, port));
    }

    // Right state, invented code: the exchange is refused and reported as a sentence.
    void badCode()
    {
        HubSpotSandbox sandbox(5, 5);
        HubSpotAuth auth(config(sandbox));
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(auth.start());
        const QString state =
            QUrlQuery(auth.authorizeUrl()).queryItemValue(QStringLiteral("state"));
        QUrl forged = auth.redirectUri();
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("code"), QStringLiteral("na1-not-a-real-code"));
        q.addQueryItem(QStringLiteral("state"), state);
        forged.setQuery(q);
        Browser browser;
        QCOMPARE(browser.get(forged).status, 200);
        const HubSpotAuthResult result = waitResult(finished);
        QCOMPARE(result.error, ApiError::Http);
        QVERIFY(
            result.message.startsWith(QStringLiteral("HubSpot refused the authorization code")));
        QVERIFY(!result.message.contains(sandbox.hubspot().oauth().config().clientSecret));
        QCOMPARE(sandbox.hubspot().oauth().issuedAccessTokens(), 0);
    }

    // A busy port is reported at once, and the opener reports when the browser did not open.
    void busyPortAndBrowserFailure()
    {
        HubSpotSandbox sandbox(5, 5);
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        HubSpotAuthConfig c = config(sandbox);
        c.port = squatter.serverPort();
        HubSpotAuth busy(c);
        QSignalSpy busyFinished(&busy, &HubSpotAuth::finished);
        QVERIFY(!busy.start());
        QCOMPARE(busyFinished.size(), 1);
        QCOMPARE(busyFinished.first().first().value<HubSpotAuthResult>().error, ApiError::Network);

        HubSpotAuth auth(config(sandbox));
        auth.setBrowserOpener([](const QUrl &) { return false; });
        QSignalSpy failed(&auth, &HubSpotAuth::browserFailed);
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(auth.start());
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().toUrl(), auth.authorizeUrl());
        QVERIFY(auth.isRunning()); // the user may still paste the link
        auth.cancel();
        QCOMPARE(waitResult(finished).error, ApiError::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestHubSpotAuth)
#include "tst_hubspotauth.moc"
