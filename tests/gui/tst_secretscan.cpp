// Connects both services (static token, then OAuth), refreshes the HubSpot token, tests Halo and
// disconnects, with every log category on; then searches the data directory, the per-user
// settings folders and the captured log output for each secret and access token, and finds none.
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "SecretTestSupport.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QSettings>
#include <QTest>
#include <QUuid>

using namespace halospot;
using namespace halospot::gui;
using namespace halospot::gui::test;
using State = ConnectionManager::State;

namespace {

QMutex logMutex;
QStringList logLines;

void captureLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    QMutexLocker lock(&logMutex);
    logLines << QStringLiteral("%1: %2").arg(
        QLatin1String(context.category ? context.category : ""), message);
}

QString currentAccessToken(api::HubSpotTokens *tokens, QObject *context)
{
    QString token;
    bool done = false;
    tokens->accessToken(context, [&](const api::TokenReply &reply) {
        token = reply.token;
        done = true;
    });
    (void)QTest::qWaitFor([&done] { return done; }, 20000);
    return token;
}

} // namespace

class TestSecretScan final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // Per-user folders (where QSettings and caches would land) go into the temporary home;
        // the session bus stays, so the real keychain is used.
        QVERIFY(halospot::api::test::isolateUserFolders(m_home.path(), false));
        QCoreApplication::setOrganizationName(QStringLiteral("HaloSpotTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_secretscan"));
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true\nqt.*.debug=false"));
        qInstallMessageHandler(captureLog);
    }

    void noSecretLeavesTheKeychain()
    {
        QStringList secrets;
        {
            Fixture f;
            QVERIFY(f.started);
            f.sandbox->hubspot().oauth().config().rotateRefreshTokens = true;
            MainWindow window(f.store, *f.manager, f.activity, false);
            window.show();
            f.manager->restore();
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::NotConfigured, 20000);

            core::HubSpotConnectionConfig hs;
            hs.apiBase = QUrl(f.value("hubspot_api_url"));
            hs.authBase = QUrl(f.value("hubspot_auth_url"));
            hs.clientId = f.value("hubspot_client_id");
            hs.redirectPort = freePort();
            secrets << f.value("hubspot_token") << f.value("hubspot_client_secret")
                    << f.value("halo_client_secret");

            // 1. A static token, checked and saved.
            f.manager->connectHubSpotToken(hs, f.value("hubspot_token"));
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Connected, 20000);

            // 2. OAuth instead: browser round trip, tokens saved.
            f.manager->connectHubSpotOAuth(hs, f.value("hubspot_client_secret"));
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Connected, 30000);
            const QString firstRefresh = f.keychainValue(api::Secret::HubSpotRefreshToken);
            QVERIFY(!firstRefresh.isEmpty());
            secrets << firstRefresh << currentAccessToken(f.manager->hubspotTokens(), this);

            // 3. Every token expires; a restart refreshes and keeps the rotated refresh token.
            f.sandbox->expireAllTokens();
            f.manager->restore();
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Connected, 30000);
            QVERIFY(f.manager->hubspotTokens()->refreshCount() >= 1);
            QTRY_VERIFY_WITH_TIMEOUT(
                f.keychainValue(api::Secret::HubSpotRefreshToken) != firstRefresh, 20000);
            secrets << f.keychainValue(api::Secret::HubSpotRefreshToken)
                    << currentAccessToken(f.manager->hubspotTokens(), this);

            // 4. Halo, with a wrong secret first and then the right one.
            core::HaloConnectionConfig halo;
            halo.url = QUrl(f.value("halo_url"));
            halo.clientId = f.value("halo_client_id");
            // A wrong secret made up now: it must not end up anywhere either.
            const QString wrongSecret = QUuid::createUuid().toString(QUuid::Id128);
            f.manager->testHalo(halo, wrongSecret);
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::Failed, 20000);
            secrets << wrongSecret;
            f.manager->testHalo(halo, f.value("halo_client_secret"));
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::Connected, 20000);

            // 5. Disconnect, and close the window (which saves its layout).
            f.manager->disconnectHubSpot();
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::NotConfigured, 20000);
            window.close();
            QSettings().sync();

            for (const QString &secret : std::as_const(secrets)) {
                QVERIFY(secret.size() >= 12);
                const QStringList onDisk = filesContaining(f.dir.path(), secret);
                QVERIFY2(onDisk.isEmpty(), qPrintable(QStringLiteral("a secret is in ") +
                                                      onDisk.join(QStringLiteral(", "))));
            }
            QVERIFY(QFileInfo::exists(f.store.path()));
        }
        for (const QString &secret : std::as_const(secrets)) {
            const QStringList inHome = filesContaining(m_home.path(), secret);
            QVERIFY2(inHome.isEmpty(), qPrintable(QStringLiteral("a secret is in ") +
                                                  inHome.join(QStringLiteral(", "))));
        }
        QMutexLocker lock(&logMutex);
        QVERIFY2(logLines.size() > 10, "the log capture saw (almost) nothing");
        for (const QString &line : std::as_const(logLines)) {
            for (const QString &secret : std::as_const(secrets))
                QVERIFY2(!line.contains(secret), "a secret appeared in the log output");
        }
    }

private:
    QTemporaryDir m_home;
};

QTEST_MAIN(TestSecretScan)
#include "tst_secretscan.moc"
