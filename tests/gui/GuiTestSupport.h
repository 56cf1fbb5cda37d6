// Test helpers for the window: a sandbox with both services, a fresh data directory and store, a
// keychain service of the test's own, and a "browser" that follows the OAuth redirects over HTTP.
#pragma once

#include "ActivityModel.h"
#include "ConnectionManager.h"
#include "Credentials.h"
#include "Sandbox.h"
#include "SecretStore.h"
#include "SecretTestSupport.h"
#include "Store.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

namespace halospot::gui::test {

// A port nobody listens on right now (the OAuth redirect port must be a fixed number).
inline quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

// Opens the authorize URL like a browser would: follows HubSpot's redirect to the loopback
// callback, so that HaloSpot's listener receives the code.
class HttpBrowser final : public QObject
{
public:
    bool open(const QUrl &url)
    {
        opened.append(url);
        get(url, 0);
        return true;
    }
    QList<QUrl> opened;
    QByteArray lastPage;

private:
    void get(const QUrl &url, int hops)
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_nam.get(request);
        connect(reply, &QNetworkReply::finished, this, [this, reply, url, hops] {
            reply->deleteLater();
            const QUrl location = reply->header(QNetworkRequest::LocationHeader).toUrl();
            lastPage = reply->readAll();
            if (location.isValid() && hops < 5)
                get(url.resolved(location), hops + 1);
        });
    }
    QNetworkAccessManager m_nam;
};

// Everything the Connect tab stands on, built fresh per test.
struct Fixture
{
    explicit Fixture(bool autoApprove = true)
        : store(QDir(dir.path()).filePath(QStringLiteral("halospot.db")))
        , secrets(QStringLiteral("HaloSpot-test-") + QUuid::createUuid().toString(QUuid::Id128))
    {
        sandbox::SandboxOptions options;
        options.data.companies = 20;
        options.data.contacts = 40;
        options.proxy = false;
        sandbox = std::make_unique<sandbox::Sandbox>(options);
        sandbox->hubspot().oauth().config().autoApprove = autoApprove;
        started = sandbox->start().ok() && store.open().ok();
        profile = core::profileId(store).value();
        credentials = std::make_unique<api::Credentials>(&secrets, profile);
        manager = std::make_unique<ConnectionManager>(store, *credentials);
        QObject::connect(manager.get(), &ConnectionManager::activity, &activity,
                         [this](const QString &source, const QString &message, bool isError) {
                             activity.add(source, message, isError);
                         });
        manager->setBrowserOpener([this](const QUrl &url) { return browser.open(url); });
    }

    ~Fixture()
    {
        // Leave nothing behind in the test keychain.
        for (const api::Secret s :
             {api::Secret::HubSpotClientSecret, api::Secret::HubSpotRefreshToken,
              api::Secret::HubSpotStaticToken, api::Secret::HaloClientSecret}) {
            bool done = false;
            secrets.remove(api::secretKey(profile, s),
                           [&done](const api::SecretResult &) { done = true; });
            (void)QTest::qWaitFor([&done] { return done; }, 10000);
        }
    }

    QJsonObject demo() const { return sandbox->describe(); }
    QString value(const char *key) const { return demo().value(QLatin1String(key)).toString(); }

    // The secret under `which`, or "" (read through the real keychain).
    QString keychainValue(api::Secret which)
    {
        QString value;
        bool done = false;
        secrets.read(api::secretKey(profile, which), [&](const api::SecretResult &r) {
            value = r.value;
            done = true;
        });
        (void)QTest::qWaitFor([&done] { return done; }, 15000);
        return value;
    }

    QTemporaryDir dir;
    core::Store store;
    api::SecretStore secrets;
    std::unique_ptr<sandbox::Sandbox> sandbox;
    bool started = false;
    QString profile;
    std::unique_ptr<api::Credentials> credentials;
    ActivityModel activity;
    HttpBrowser browser;
    std::unique_ptr<ConnectionManager> manager;
};

// Searching folders for a secret's bytes: SecretTestSupport's.
using halospot::api::test::filesContaining;

} // namespace halospot::gui::test
