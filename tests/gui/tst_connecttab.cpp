// Tests the Connect tab driven with QTest input against the sandbox, the real keychain and a
// real SQLite file: each state (not connected, waiting, connected, failed), static tokens checked
// before they are saved, the OAuth round trip, disconnect, Halo's test steps, and a restart.
#include "ConnectTab.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "Profile.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>
#include <QUrlQuery>
#include <QUuid>

using namespace halospot;
using namespace halospot::gui;
using namespace halospot::gui::test;
using State = ConnectionManager::State;

namespace {

template<typename T>
T *child(QWidget *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void click(QAbstractButton *button)
{
    QVERIFY2(button->isVisible(), qPrintable(button->objectName()));
    QVERIFY2(button->isEnabled(), qPrintable(button->objectName()));
    QTest::mouseClick(button, Qt::LeftButton);
}

} // namespace

class TestConnectTab final : public QObject
{
    Q_OBJECT

private:
    // Shows the tab, answers its questions with yes, and restores the (empty) connections; true
    // once neither service is being checked any more, both showing "not connected".
    [[nodiscard]] static bool open(Fixture &f, ConnectTab &tab)
    {
        tab.setConfirm([](QWidget *, const QString &, const QString &) { return true; });
        tab.show();
        f.manager->restore();
        return QTest::qWaitFor(
            [&f] {
                return f.manager->hubspotState() == State::NotConfigured &&
                       f.manager->haloState() == State::NotConfigured;
            },
            20000);
    }

    // Opens the service addresses and points them at the sandbox, as an administrator would.
    void pointAtSandbox(ConnectTab &tab, Fixture &f)
    {
        auto *toggle = child<QToolButton>(&tab, "advancedToggle");
        if (!toggle->isChecked())
            QTest::mouseClick(toggle, Qt::LeftButton);
        QVERIFY(child<QWidget>(&tab, "advancedWidget")->isVisible());
        typeInto(child<QLineEdit>(&tab, "apiBaseEdit"), f.value("hubspot_api_url"));
        typeInto(child<QLineEdit>(&tab, "authBaseEdit"), f.value("hubspot_auth_url"));
    }

    // Chooses static-token sign-in against the sandbox and types the token in.
    void enterToken(ConnectTab &tab, Fixture &f, const QString &token)
    {
        QTest::mouseClick(child<QRadioButton>(&tab, "tokenRadio"), Qt::LeftButton);
        QVERIFY(child<QWidget>(&tab, "tokenPage")->isVisible());
        pointAtSandbox(tab, f);
        typeInto(child<QLineEdit>(&tab, "staticTokenEdit"), token);
    }

    // Fills in the sandbox's OAuth app with a free callback port and starts the sign-in.
    void startOAuth(ConnectTab &tab, Fixture &f)
    {
        pointAtSandbox(tab, f);
        typeInto(child<QLineEdit>(&tab, "clientIdEdit"), f.value("hubspot_client_id"));
        typeInto(child<QLineEdit>(&tab, "clientSecretEdit"), f.value("hubspot_client_secret"));
        child<QSpinBox>(&tab, "redirectPortSpin")->setValue(freePort());
        click(child<QPushButton>(&tab, "connectHubSpotButton"));
    }

    void fillHalo(ConnectTab &tab, Fixture &f, const QString &secret)
    {
        typeInto(child<QLineEdit>(&tab, "haloUrlEdit"), f.value("halo_url"));
        typeInto(child<QLineEdit>(&tab, "haloClientIdEdit"), f.value("halo_client_id"));
        typeInto(child<QLineEdit>(&tab, "haloSecretEdit"), secret);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("HaloSpotTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_connecttab"));
    }

    void startsDisconnected()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));
        QCOMPARE(f.manager->haloState(), State::NotConfigured);
        QVERIFY(child<QLabel>(&tab, "hubspotStatusLabel")
                    ->text()
                    .contains(QLatin1String("Not connected")));
        QVERIFY(!child<QWidget>(&tab, "accountWidget")->isVisible());
        QVERIFY(!child<QPushButton>(&tab, "disconnectHubSpotButton")->isVisible());
        // Nothing entered: the buttons say so by being disabled.
        QVERIFY(!child<QPushButton>(&tab, "connectHubSpotButton")->isEnabled());
        QVERIFY(!child<QPushButton>(&tab, "testHaloButton")->isEnabled());
        QCOMPARE(child<QLabel>(&tab, "redirectUrlLabel")
                     ->text()
                     .contains(QLatin1String("http://localhost:8765/callback")),
                 true);
        QSpinBox *port = child<QSpinBox>(&tab, "redirectPortSpin");
        port->setFocus();
        port->selectAll();
        QTest::keyClicks(port, QStringLiteral("9876"));
        QVERIFY(child<QLabel>(&tab, "redirectUrlLabel")
                    ->text()
                    .contains(QLatin1String("http://localhost:9876/callback")));
    }

    void staticTokenIsCheckedThenSaved()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));

        enterToken(tab, f, f.value("hubspot_token"));
        // Return in the token field connects, as the button would.
        QTest::keyClick(child<QLineEdit>(&tab, "staticTokenEdit"), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Connected, 20000);

        QVERIFY(child<QWidget>(&tab, "accountWidget")->isVisible());
        QCOMPARE(child<QLabel>(&tab, "portalIdValue")->text().toLongLong(),
                 f.sandbox->hubspot().oauth().config().portalId);
        QVERIFY(child<QPushButton>(&tab, "disconnectHubSpotButton")->isVisible());
        QVERIFY(!child<QPushButton>(&tab, "connectHubSpotButton")->isVisible());
        QVERIFY(child<QLineEdit>(&tab, "staticTokenEdit")->text().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(f.keychainValue(api::Secret::HubSpotStaticToken),
                                  f.value("hubspot_token"), 20000);
        // Settings (not secrets) went to the store.
        QCOMPARE(f.store.setting(QStringLiteral("hubspot.auth")).value(),
                 QStringLiteral("static-token"));

        // Declining the confirmation changes nothing.
        QString asked;
        tab.setConfirm([&asked](QWidget *, const QString &, const QString &text) {
            asked = text;
            return false;
        });
        click(child<QPushButton>(&tab, "disconnectHubSpotButton"));
        QVERIFY(asked.contains(QLatin1String("paste it again")));
        QCOMPARE(f.manager->hubspotState(), State::Connected);
        QCOMPARE(f.keychainValue(api::Secret::HubSpotStaticToken), f.value("hubspot_token"));

        tab.setConfirm([](QWidget *, const QString &, const QString &) { return true; });
        click(child<QPushButton>(&tab, "disconnectHubSpotButton"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::NotConfigured, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(f.keychainValue(api::Secret::HubSpotStaticToken).isEmpty(), 20000);
        QVERIFY(child<QPushButton>(&tab, "connectHubSpotButton")->isVisible());
    }

    void checkAgainAfterAFailure()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));
        core::HubSpotConnectionConfig hs;
        hs.apiBase = QUrl(f.value("hubspot_api_url"));
        f.manager->connectHubSpotToken(hs, f.value("hubspot_token"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Connected, 20000);
        auto *retry = child<QPushButton>(&tab, "retryHubSpotButton");
        QVERIFY(!retry->isVisible());

        // HubSpot fails for a while: the saved token is kept and can be checked again.
        f.sandbox->hubspot().faults().injectNext(sandbox::Fault::ServerError, 20);
        f.manager->recheckHubSpot();
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Failed, 30000);
        QVERIFY(retry->isVisible());
        QVERIFY(child<QPushButton>(&tab, "disconnectHubSpotButton")->isVisible());
        f.sandbox->hubspot().faults().clearQueued();
        click(retry);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Connected, 30000);
        QVERIFY(!retry->isVisible());
        QCOMPARE(f.keychainValue(api::Secret::HubSpotStaticToken), f.value("hubspot_token"));
    }

    void refusedTokenIsNotSaved()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));
        enterToken(tab, f,
                   QStringLiteral("pat-na1-") + QUuid::createUuid().toString(QUuid::WithoutBraces));
        click(child<QPushButton>(&tab, "connectHubSpotButton"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Failed, 20000);
        const QString status = child<QLabel>(&tab, "hubspotStatusLabel")->text();
        QVERIFY2(status.contains(QLatin1String("token"), Qt::CaseInsensitive), qPrintable(status));
        QVERIFY(f.keychainValue(api::Secret::HubSpotStaticToken).isEmpty());
        // The error is in the Activity view too, and the form can be corrected and retried.
        QVERIFY(!f.activity.entries().isEmpty());
        QVERIFY(f.activity.entries().last().isError);
        QVERIFY(child<QPushButton>(&tab, "connectHubSpotButton")->isEnabled());
    }

    void insecureAddressIsRefused()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));
        typeInto(child<QLineEdit>(&tab, "haloUrlEdit"), QStringLiteral("http://halo.example.com"));
        typeInto(child<QLineEdit>(&tab, "haloClientIdEdit"), QStringLiteral("abc"));
        typeInto(child<QLineEdit>(&tab, "haloSecretEdit"), QStringLiteral("not-sent"));
        click(child<QPushButton>(&tab, "testHaloButton"));
        QCOMPARE(f.manager->haloState(), State::Failed);
        const QString status = child<QLabel>(&tab, "haloStatusLabel")->text();
        QVERIFY2(status.contains(QLatin1String("https://")), qPrintable(status));
        // Nothing was saved for an address that was refused.
        QVERIFY(f.store.setting(QStringLiteral("halo.url")).value().isEmpty());
    }

    void oauthRoundTripAndDisconnect()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));

        // The browser is held back until the tab has shown the waiting state.
        bool holdBrowser = true;
        QUrl pending;
        f.manager->setBrowserOpener([&](const QUrl &url) {
            pending = url;
            if (!holdBrowser)
                f.browser.open(url);
            return true;
        });
        startOAuth(tab, f);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Waiting, 10000);
        QVERIFY(child<QWidget>(&tab, "waitingFrame")->isVisible());
        QVERIFY(child<QPushButton>(&tab, "copyLinkButton")->isEnabled());
        QVERIFY(!child<QPushButton>(&tab, "connectHubSpotButton")->isEnabled());
        QVERIFY(pending.toString().contains(QLatin1String("code_challenge_method=S256")));
        QCOMPARE(
            QUrlQuery(pending).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
            QStringLiteral("http://localhost:%1/callback")
                .arg(child<QSpinBox>(&tab, "redirectPortSpin")->value()));
        // No secret in the URL handed to the browser.
        QVERIFY(!pending.toString().contains(f.value("hubspot_client_secret")));

        f.browser.open(pending);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Connected, 30000);
        const api::HubSpotAccount &account = f.manager->hubspotAccount();
        QCOMPARE(account.portalId, f.sandbox->hubspot().oauth().config().portalId);
        QVERIFY(account.scopesKnown);
        QVERIFY2(account.missingScopes.isEmpty(), qPrintable(account.missingScopes.join(u',')));
        QVERIFY(!child<QLabel>(&tab, "userValue")->text().isEmpty());
        QVERIFY(child<QLabel>(&tab, "scopesValue")
                    ->text()
                    .contains(QLatin1String("crm.objects.companies.write")));
        QVERIFY(!child<QWidget>(&tab, "waitingFrame")->isVisible());

        const QString refresh = f.keychainValue(api::Secret::HubSpotRefreshToken);
        QVERIFY(!refresh.isEmpty());
        QCOMPARE(f.keychainValue(api::Secret::HubSpotClientSecret),
                 f.value("hubspot_client_secret"));

        click(child<QPushButton>(&tab, "disconnectHubSpotButton"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::NotConfigured, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(f.keychainValue(api::Secret::HubSpotRefreshToken).isEmpty(),
                                 20000);
        QVERIFY(f.keychainValue(api::Secret::HubSpotClientSecret).isEmpty());
        // HubSpot no longer accepts the refresh token: it was revoked, not just forgotten.
        api::HubSpotSettings settings;
        settings.apiBase = QUrl(f.value("hubspot_api_url"));
        api::HubSpotTokens probe(settings);
        probe.setOAuth(f.value("hubspot_client_id"), f.value("hubspot_client_secret"), refresh);
        bool answered = false;
        api::TokenReply reply;
        probe.accessToken(this, [&](const api::TokenReply &r) {
            reply = r;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
        QVERIFY(!reply.ok());
        QCOMPARE(reply.error, api::ApiError::ReconnectNeeded);
    }

    void oauthCanBeCancelledAndTimesOut()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));
        // The browser "fails to open": the tab offers the link instead.
        f.manager->setBrowserOpener([](const QUrl &) { return false; });
        startOAuth(tab, f);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Waiting, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(&tab, "hubspotStatusLabel")
                                     ->text()
                                     .contains(QLatin1String("did not open")),
                                 10000);
        click(child<QPushButton>(&tab, "copyLinkButton"));
        QVERIFY(QGuiApplication::clipboard()->text().contains(QLatin1String("/oauth/authorize")));
        click(child<QPushButton>(&tab, "cancelHubSpotButton"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::NotConfigured, 10000);
        QVERIFY(
            child<QLabel>(&tab, "hubspotStatusLabel")->text().contains(QLatin1String("cancelled")));

        // Nobody comes back from the browser: a clean timeout with a sentence.
        f.manager->setAuthTimeoutMs(1500);
        f.manager->setBrowserOpener([](const QUrl &) { return true; });
        click(child<QPushButton>(&tab, "connectHubSpotButton"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::Failed, 20000);
        QVERIFY(f.manager->hubspotMessage().contains(QLatin1String("did not answer")));
        QVERIFY(child<QPushButton>(&tab, "connectHubSpotButton")->isEnabled());
    }

    void haloStepsShowWhatWorks()
    {
        Fixture f;
        QVERIFY(f.started);
        ConnectTab tab(*f.manager);
        QVERIFY(open(f, tab));

        fillHalo(tab, f, QStringLiteral("wrong-secret"));
        click(child<QPushButton>(&tab, "testHaloButton"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::Failed, 20000);
        auto *steps = child<QListWidget>(&tab, "haloStepsList");
        QVERIFY(steps->isVisible());
        QCOMPARE(steps->count(), 4);
        QCOMPARE(steps->item(0)->data(Qt::UserRole).toInt(),
                 int(api::HaloStepResult::State::Failed));
        QVERIFY2(steps->item(0)->text().contains(QLatin1String("secret"), Qt::CaseInsensitive),
                 qPrintable(steps->item(0)->text()));
        QCOMPARE(steps->item(3)->data(Qt::UserRole).toInt(),
                 int(api::HaloStepResult::State::Skipped));
        QVERIFY(f.keychainValue(api::Secret::HaloClientSecret).isEmpty());

        typeInto(child<QLineEdit>(&tab, "haloSecretEdit"), f.value("halo_client_secret"));
        QTest::keyClick(child<QLineEdit>(&tab, "haloSecretEdit"), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::Connected, 20000);
        QCOMPARE(steps->count(), 4);
        for (int i = 0; i < steps->count(); ++i) {
            QVERIFY2(steps->item(i)->data(Qt::UserRole).toInt() ==
                         int(api::HaloStepResult::State::Ok),
                     qPrintable(steps->item(i)->text()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(f.keychainValue(api::Secret::HaloClientSecret),
                                  f.value("halo_client_secret"), 20000);
        QVERIFY(child<QLineEdit>(&tab, "haloSecretEdit")->text().isEmpty());
        QVERIFY(child<QPushButton>(&tab, "forgetHaloButton")->isVisible());

        // A restart finds both from the store and the keychain and checks them again.
        f.manager = std::make_unique<ConnectionManager>(f.store, *f.credentials);
        ConnectTab again(*f.manager);
        again.show();
        f.manager->restore();
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::Connected, 20000);
        QCOMPARE(child<QLineEdit>(&again, "haloUrlEdit")->text(), f.value("halo_url"));

        click(child<QPushButton>(&again, "forgetHaloButton"));
        QCOMPARE(f.manager->haloState(), State::NotConfigured);
        QTRY_VERIFY_WITH_TIMEOUT(f.keychainValue(api::Secret::HaloClientSecret).isEmpty(), 20000);
    }

    void profileImportAndExportFromTheFileMenu()
    {
        Fixture f;
        QVERIFY(f.started);
        MainWindow window(f.store, *f.manager, f.activity, false);
        window.show();
        f.manager->restore();
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::NotConfigured, 20000);
        const QString exported = f.dir.filePath(QStringLiteral("out.json"));
        const QString incoming = f.dir.filePath(QStringLiteral("in.json"));
        QString chosen = exported;
        window.setFileChooser([&chosen](QWidget *, bool) { return chosen; });

        auto *exportAction = window.findChild<QAction *>(QStringLiteral("exportProfileAction"));
        exportAction->trigger();
        QFile out(exported);
        QVERIFY(out.open(QIODevice::ReadOnly));
        const Result<core::Profile> defaults = core::parseProfile(out.readAll());
        QVERIFY2(defaults.ok(), qPrintable(defaults.error()));

        // A profile pointing at the sandbox's Halo: imported, the Connect tab shows it at once.
        core::Profile next = defaults.value();
        next.connection.halo.url = QUrl(f.value("halo_url"));
        next.connection.halo.clientId = f.value("halo_client_id");
        QFile in(incoming);
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write(core::serializeProfile(next));
        in.close();
        chosen = incoming;
        window.findChild<QAction *>(QStringLiteral("importProfileAction"))->trigger();
        QCOMPARE(f.manager->config().halo.url, QUrl(f.value("halo_url")));
        QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(window.connectTab(), "haloUrlEdit")->text(),
                                  f.value("halo_url"), 10000);

        // A broken profile changes nothing and says why, path by path.
        QVERIFY(in.open(QIODevice::WriteOnly | QIODevice::Truncate));
        in.write(
            R"({"format": "halospot-profile", "version": 1, "halo": {"url": 5, "secret": "x"}})");
        in.close();
        const qsizetype before = f.activity.entries().size();
        QVERIFY(!window.importProfile(incoming));
        QCOMPARE(f.manager->config().halo.url, QUrl(f.value("halo_url")));
        QStringList lines;
        for (qsizetype i = before; i < f.activity.entries().size(); ++i) {
            QVERIFY(f.activity.entries().at(i).isError);
            lines << f.activity.entries().at(i).message;
        }
        QVERIFY2(lines.join(u'\n').contains(QLatin1String("halo.url")),
                 qPrintable(lines.join(u'\n')));
        QVERIFY2(lines.join(u'\n').contains(QLatin1String("halo.secret")),
                 qPrintable(lines.join(u'\n')));
    }

    void mainWindowShowsBothConnections()
    {
        Fixture f;
        QVERIFY(f.started);
        MainWindow window(f.store, *f.manager, f.activity, true);
        QAbstractItemModelTester tester(&f.activity,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(window.findChild<QWidget *>(QStringLiteral("demoBanner"))->isVisible());
        f.manager->restore();
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->hubspotState(), State::NotConfigured, 20000);
        QVERIFY(window.hubspotIndicator()->text().contains(QLatin1String("not connected")));
        ConnectTab *tab = window.connectTab();
        fillHalo(*tab, f, f.value("halo_client_secret"));
        click(child<QPushButton>(tab, "testHaloButton"));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::Connected, 20000);
        QVERIFY(window.haloIndicator()->text().contains(QLatin1String("connected")));
        QVERIFY(window.haloIndicator()->text().contains(QLatin1String("127.0.0.1")));
        QVERIFY(f.activity.rowCount() > 0);

        // The layout is remembered in this data directory.
        window.resize(900, 640);
        window.close();
        QVERIFY(!f.store.setting(QStringLiteral("ui.main_window.geometry")).value().isEmpty());
        MainWindow second(f.store, *f.manager, f.activity, false);
        QVERIFY(!second.findChild<QWidget *>(QStringLiteral("demoBanner"))->isVisible());
        QCOMPARE(second.size(), QSize(900, 640));
    }
};

QTEST_MAIN(TestConnectTab)
#include "tst_connecttab.moc"
