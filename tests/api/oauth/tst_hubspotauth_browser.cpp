// Tests HubSpotAuth end to end through headless Chromium, opened via QDesktopServices.

// The app opens the authorize page with QDesktopServices::openUrl; here a URL handler for "http"
// stands in for the desktop's default browser and starts headless Chromium, which follows the
// fake HubSpot's redirect to HubSpotAuth's loopback listener and prints the page it landed on.
// Cases: grant (tokens that work on the API) and refusal (access_denied), each with the page the
// browser shows. Skipped when Chromium is not installed (scripts/dev.sh installs it).
#include "HubSpotAuth.h"
#include "HubSpotSandbox.h"

#include <QDeadlineTimer>
#include <QDesktopServices>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/types.h>
#include <unistd.h>
#endif

using namespace halospot::test;

namespace {

// Chromium on this 2-core machine takes several seconds to start; a whole case stays well below.
constexpr int kWaitMs = 60000;

// The desktop's default browser, as QDesktopServices sees it: a handler for http URLs that runs
// headless Chromium on each URL with a throwaway profile and keeps the DOM it prints.
class HeadlessBrowser final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessBrowser)

public:
    explicit HeadlessBrowser(QString program, QObject *parent = nullptr)
        : QObject(parent)
        , m_program(std::move(program))
    {}
    ~HeadlessBrowser() override { stop(); }

    bool hasProfile() const { return m_profile.isValid(); }
    const QList<QUrl> &opened() const { return m_opened; }
    bool isFinished() const
    {
        return m_process && m_process->state() == QProcess::NotRunning && m_exited;
    }
    int exitCode() const { return m_process ? m_process->exitCode() : -1; }
    // What --dump-dom printed: the DOM of the page the browser ended on.
    QString dom() const { return QString::fromUtf8(m_stdout); }
    // For failure messages: the tail of Chromium's log, which is mostly D-Bus noise.
    QByteArray diagnostics() const
    {
        return "chromium exit " + QByteArray::number(exitCode()) + "\nstdout:\n" + m_stdout +
               "\nstderr (tail):\n" + m_stderr.right(3000);
    }

    // Ends Chromium and every helper process it started (they share its process group).
    void stop()
    {
        if (!m_process)
            return;
#ifdef Q_OS_UNIX
        if (m_pid > 0)
            ::kill(-pid_t(m_pid), SIGKILL); // ESRCH when all have exited already: fine
#endif
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(10000);
        }
#ifdef Q_OS_UNIX
        // The helpers were orphaned when the browser process ended, so init reaps them; waiting
        // for that keeps each case from overlapping the next and leaves nothing behind.
        QDeadlineTimer reaped(10000);
        while (m_pid > 0 && ::kill(-pid_t(m_pid), 0) == 0 && !reaped.hasExpired())
            QThread::msleep(50);
        m_pid = 0;
#endif
        m_stdout += m_process->readAllStandardOutput();
        m_stderr += m_process->readAllStandardError();
    }

public Q_SLOTS:
    // Called by QDesktopServices::openUrl for every http URL.
    void openUrl(const QUrl &url)
    {
        m_opened << url;
        if (m_process) // one browser run per test
            return;
        m_process = new QProcess(this);
#ifdef Q_OS_UNIX
        // A group of its own, so that stop() reaches the zygote, renderer, GPU and network
        // processes as well, whatever state the browser process is left in.
        m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
#endif
        connect(m_process, &QProcess::readyReadStandardOutput, this,
                [this] { m_stdout += m_process->readAllStandardOutput(); });
        connect(m_process, &QProcess::readyReadStandardError, this,
                [this] { m_stderr += m_process->readAllStandardError(); });
        connect(m_process, &QProcess::finished, this, [this] {
            m_stdout += m_process->readAllStandardOutput();
            m_stderr += m_process->readAllStandardError();
            m_exited = true;
        });
        m_process->start(m_program, arguments(url));
        if (m_process->waitForStarted(10000))
            m_pid = m_process->processId();
        else
            failedToStart();
    }

private:
    void failedToStart()
    {
        m_stderr +=
            "could not start " + m_program.toUtf8() + ": " + m_process->errorString().toUtf8();
        m_exited = true; // nothing to wait for
    }

    QStringList arguments(const QUrl &url) const
    {
        return {
            QStringLiteral("--headless"),
            // Tests run as root in CI, where Chromium refuses to start with its sandbox on.
            QStringLiteral("--no-sandbox"),
            QStringLiteral("--disable-gpu"),
            QStringLiteral("--disable-dev-shm-usage"),
            QStringLiteral("--user-data-dir=") + m_profile.path(),
            QStringLiteral("--no-first-run"),
            QStringLiteral("--no-default-browser-check"),
            QStringLiteral("--password-store=basic"), // no keyring prompts through D-Bus
            // No traffic beyond loopback. Without these, Chromium resolves and contacts
            // accounts.google.com, clients2.google.com and update.googleapis.com (sign-in,
            // extension and component updates) even in headless mode.
            QStringLiteral("--disable-quic"),
            QStringLiteral("--disable-background-networking"),
            QStringLiteral("--disable-component-update"),
            QStringLiteral("--disable-sync"),
            QStringLiteral("--disable-extensions"),
            QStringLiteral("--disable-default-apps"),
            QStringLiteral("--disable-domain-reliability"),
            QStringLiteral("--disable-client-side-phishing-detection"),
            QStringLiteral("--disable-breakpad"),
            QStringLiteral("--no-pings"),
            QStringLiteral("--no-service-autorun"),
            QStringLiteral("--metrics-recording-only"),
            QStringLiteral("--disable-features=OptimizationHints,MediaRouter,"
                           "DialMediaRouteProvider,Translate,AutofillServerCommunication,"
                           "CertificateTransparencyComponentUpdater,DnsOverHttps"),
            // The backstop: every host name but the two this test uses fails to resolve inside
            // Chromium, so no DNS query ever leaves the machine. localhost is deliberately not
            // mapped: Chromium resolves it itself to ::1 and 127.0.0.1, tries ::1 first (refused,
            // since HubSpotAuth listens on 127.0.0.1 only) and falls back to 127.0.0.1, as desktop
            // browsers do, so the test sees what a user's browser does. (Only a navigation that
            // fails to resolve would make Chromium probe DNS outside these rules; both hosts here
            // always resolve.)
            QStringLiteral("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE "
                           "127.0.0.1"),
            QStringLiteral("--dump-dom"),
            url.toString(QUrl::FullyEncoded),
        };
    }

    QString m_program;
    QTemporaryDir m_profile;
    QList<QUrl> m_opened;
    QProcess *m_process = nullptr;
    qint64 m_pid = 0;
    bool m_exited = false;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

struct HttpAnswer
{
    int status = 0;
    QJsonObject json;
};

HttpAnswer getWithToken(const QUrl &url, const QString &token)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    HttpAnswer answer;
    if (reply->isFinished() || done.wait(20000)) {
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.json = QJsonDocument::fromJson(reply->readAll()).object();
    }
    delete reply;
    return answer;
}

} // namespace

class TestHubSpotAuthBrowser final : public QObject
{
    Q_OBJECT

private:
    static HubSpotAuthConfig config(HubSpotSandbox &sandbox)
    {
        HubSpotAuthConfig c;
        c.clientId = sandbox.hubspot().oauth().config().clientId;
        c.clientSecret = sandbox.hubspot().oauth().config().clientSecret;
        c.authBase = sandbox.hubspot().baseUrl();
        c.settings = sandbox.settings();
        c.port = 0;
        c.timeoutMs = kWaitMs;
        return c;
    }

    // Starts the flow the way the app does: the opener is QDesktopServices::openUrl.
    bool startWithDesktopServices(HubSpotAuth &auth)
    {
        auth.setBrowserOpener([](const QUrl &url) { return QDesktopServices::openUrl(url); });
        return auth.start();
    }

    QString m_chromium;
    std::unique_ptr<HeadlessBrowser> m_browser;

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<HubSpotAuthResult>();
        m_chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
        if (m_chromium.isEmpty())
            QSKIP("chromium is not installed (scripts/dev.sh installs it); the browser test of "
                  "HubSpotAuth needs it.");
    }

    void init()
    {
        m_browser = std::make_unique<HeadlessBrowser>(m_chromium);
        QVERIFY(m_browser->hasProfile());
        QDesktopServices::setUrlHandler(QStringLiteral("http"), m_browser.get(), "openUrl");
    }

    void cleanup()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        if (m_browser)
            m_browser->stop();
        m_browser.reset();
    }

    // Authorize page → redirect to http://localhost:<port>/callback → code exchange: the grant
    // works on the API and the browser shows HubSpotAuth's own page.
    void grant()
    {
        // Real-time clock: the code and token lifetimes must not run out while Chromium starts.
        HubSpotSandbox sandbox(5, 5, 1.0); // auto-approve: no consent click needed
        QVERIFY(sandbox.hubspot().oauth().config().autoApprove);
        HubSpotAuth auth(config(sandbox));
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QSignalSpy browserFailed(&auth, &HubSpotAuth::browserFailed);
        QVERIFY(startWithDesktopServices(auth));
        QCOMPARE(browserFailed.size(), 0);
        QCOMPARE(m_browser->opened(), QList<QUrl>{auth.authorizeUrl()});

        QTRY_VERIFY2_WITH_TIMEOUT(!finished.isEmpty(), m_browser->diagnostics().constData(),
                                  kWaitMs + 5000);
        const HubSpotAuthResult result = finished.first().first().value<HubSpotAuthResult>();
        QVERIFY2(result.ok(), qPrintable(result.message + QLatin1Char('\n') +
                                         QString::fromUtf8(m_browser->diagnostics())));
        QCOMPARE(finished.size(), 1);
        QVERIFY(!result.grant.accessToken.isEmpty());
        QVERIFY(!result.grant.refreshToken.isEmpty());
        QCOMPARE(result.grant.hubId, sandbox.hubspot().oauth().config().portalId);

        // The browser landed on the loopback listener's page (so it reached localhost even if it
        // tried ::1 first) and printed it.
        QTRY_VERIFY2_WITH_TIMEOUT(m_browser->isFinished(), m_browser->diagnostics().constData(),
                                  kWaitMs);
        const QString dom = m_browser->dom();
        QVERIFY2(dom.contains(QStringLiteral("HaloSpot is connecting to HubSpot")),
                 m_browser->diagnostics().constData());
        QVERIFY2(dom.contains(QStringLiteral("You can close this window and return to HaloSpot.")),
                 m_browser->diagnostics().constData());

        // The access token works on the API: account-info names the hub of the grant.
        const HubSpotSettings settings = sandbox.settings();
        const HttpAnswer account =
            getWithToken(settings.url(settings.accountInfoPath()), result.grant.accessToken);
        QCOMPARE(account.status, 200);
        QCOMPARE(account.json.value(QStringLiteral("portalId")).toInteger(), result.grant.hubId);
        QCOMPARE(getWithToken(settings.url(settings.objectsPath(QStringLiteral("companies"))),
                              result.grant.accessToken)
                     .status,
                 200);
        QCOMPARE(sandbox.hubspot().oauth().issuedAccessTokens(), 1);
    }

    // The user refuses in the browser (the sandbox answers as if Deny was clicked): a refusal,
    // no token, and the browser shows HubSpotAuth's "Not connected" page.
    void refusal()
    {
        HubSpotSandbox sandbox(5, 5, 1.0);
        sandbox.hubspot().oauth().config().autoDeny = true;
        HubSpotAuth auth(config(sandbox));
        QSignalSpy finished(&auth, &HubSpotAuth::finished);
        QVERIFY(startWithDesktopServices(auth));
        QCOMPARE(m_browser->opened(), QList<QUrl>{auth.authorizeUrl()});

        QTRY_VERIFY2_WITH_TIMEOUT(!finished.isEmpty(), m_browser->diagnostics().constData(),
                                  kWaitMs + 5000);
        const HubSpotAuthResult result = finished.first().first().value<HubSpotAuthResult>();
        QVERIFY2(result.error == ApiError::Refused,
                 qPrintable(result.message + QLatin1Char('\n') +
                            QString::fromUtf8(m_browser->diagnostics())));
        QCOMPARE(result.message, QStringLiteral("Access to HubSpot was refused in the browser."));
        QVERIFY(result.grant.accessToken.isEmpty());
        QVERIFY(!auth.isRunning());

        QTRY_VERIFY2_WITH_TIMEOUT(m_browser->isFinished(), m_browser->diagnostics().constData(),
                                  kWaitMs);
        const QString dom = m_browser->dom();
        QVERIFY2(dom.contains(QStringLiteral("Not connected")),
                 m_browser->diagnostics().constData());
        QVERIFY2(dom.contains(QStringLiteral("Access to HubSpot was refused in the browser.")),
                 m_browser->diagnostics().constData());
        QVERIFY2(dom.contains(QStringLiteral("You can close this window and return to HaloSpot.")),
                 m_browser->diagnostics().constData());
        QCOMPARE(sandbox.hubspot().oauth().issuedAccessTokens(), 0);
    }
};

QTEST_MAIN(TestHubSpotAuthBrowser)
#include "tst_hubspotauth_browser.moc"
