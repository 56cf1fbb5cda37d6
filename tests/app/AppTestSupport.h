// Helpers for the tests that run the real `halospot` binary against an in-process sandbox: running
// it with piped stdin while this process keeps serving, opening the data directory it used, and
// reading or removing what it left in the keychain.
#pragma once

#include "CommandContext.h"
#include "ConnectionConfig.h"
#include "Credentials.h"
#include "Sandbox.h"
#include "SecretTestSupport.h"
#include "Store.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

namespace halospot::app::test {

struct Run
{
    int exitCode = -1; // -1: crashed or did not finish
    QString out;
    QString err;
};

// The environment a child gets: this one (its D-Bus session, so the same keychain) without the
// secret overrides, unless a test sets them.
inline QProcessEnvironment childEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QString::fromLatin1(api::kEnvHubSpotToken));
    env.remove(QString::fromLatin1(api::kEnvHaloSecret));
    env.remove(QStringLiteral("HALOSPOT_DATA_DIR"));
    return env;
}

// Runs the binary to its end with `input` on stdin. The wait runs this thread's event loop, so an
// in-process sandbox keeps answering the child.
inline Run runHalospot(const QStringList &arguments, const QByteArray &input = {},
                       const QProcessEnvironment &environment = childEnvironment(),
                       int timeoutMs = 60000)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(HALOSPOT_BINARY), arguments);
    Run r;
    if (!process.waitForStarted(10000))
        return r;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
    }
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    if (process.exitStatus() == QProcess::NormalExit && !finished.isEmpty())
        r.exitCode = process.exitCode();
    return r;
}

inline QString describeRun(const Run &r)
{
    return QStringLiteral("exit %1\n--- stdout\n%2--- stderr\n%3")
        .arg(r.exitCode)
        .arg(r.out, r.err);
}

// A small sandbox on loopback with its printed credentials.
struct SandboxFixture
{
    std::unique_ptr<sandbox::Sandbox> box;
    QJsonObject info;

    bool start()
    {
        sandbox::SandboxOptions options;
        options.data.companies = 5;
        options.data.contacts = 10;
        box = std::make_unique<sandbox::Sandbox>(options);
        if (!box->start().ok())
            return false;
        info = box->describe();
        return true;
    }
    QString value(const char *key) const { return info.value(QString::fromLatin1(key)).toString(); }
    QString hubspotUrl() const { return value("hubspot_api_url"); }
    QString hubspotToken() const { return value("hubspot_token"); }
    QString haloUrl() const { return value("halo_url"); }
    QString haloClientId() const { return value("halo_client_id"); }
    QString haloSecret() const { return value("halo_client_secret"); }
};

// A refresh token of the sandbox's OAuth app, as the browser sign-in would leave: authorize
// (approved at once), then the code exchanged at the token endpoint. Empty on failure.
inline QString sandboxRefreshToken(SandboxFixture &sandbox)
{
    sandbox.box->hubspot().oauth().config().autoApprove = true;
    const QString redirect = QStringLiteral("http://localhost:8765/callback");
    QNetworkAccessManager nam;
    const auto send = [&nam](const QNetworkRequest &request, const QByteArray &form) {
        QNetworkReply *reply = form.isNull() ? nam.get(request) : nam.post(request, form);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(20000);
        reply->deleteLater();
        return reply;
    };
    QUrl authorize(sandbox.value("hubspot_auth_url") + QStringLiteral("/oauth/authorize"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("client_id"), sandbox.value("hubspot_client_id"));
    q.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    q.addQueryItem(QStringLiteral("scope"),
                   QStringLiteral("oauth crm.objects.companies.read crm.objects.companies.write "
                                  "crm.objects.contacts.read crm.objects.contacts.write"));
    authorize.setQuery(q);
    QNetworkRequest first(authorize);
    first.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                       QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *approved = send(first, QByteArray());
    const QUrl location(QString::fromUtf8(approved->rawHeader("Location")));
    const QString code = QUrlQuery(location).queryItemValue(QStringLiteral("code"));
    if (code.isEmpty())
        return {};
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("code"), code);
    form.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    form.addQueryItem(QStringLiteral("client_id"), sandbox.value("hubspot_client_id"));
    form.addQueryItem(QStringLiteral("client_secret"), sandbox.value("hubspot_client_secret"));
    QNetworkRequest exchange(QUrl(sandbox.hubspotUrl() + QStringLiteral("/oauth/v1/token")));
    exchange.setHeader(QNetworkRequest::ContentTypeHeader,
                       QByteArrayLiteral("application/x-www-form-urlencoded"));
    QNetworkReply *tokens = send(exchange, form.toString(QUrl::FullyEncoded).toUtf8());
    return QJsonDocument::fromJson(tokens->readAll())
        .object()
        .value(QStringLiteral("refresh_token"))
        .toString();
}

// A loopback URL where nothing listens (a port just given up).
inline QString closedPortUrl()
{
    QTcpServer server;
    if (!server.listen(QHostAddress(QHostAddress::LocalHost), 0))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return QStringLiteral("http://127.0.0.1:%1").arg(port);
}

// The data directory a command used, opened from this process.
struct DataDir
{
    QString path;
    std::unique_ptr<core::Store> store;

    explicit DataDir(QString dir)
        : path(std::move(dir))
        , store(std::make_unique<core::Store>(storePath(path)))
    {
        if (!store->open().ok())
            store.reset();
    }
    QString profile() const { return store ? core::profileId(*store).value() : QString(); }
    QString setting(const QString &key) const
    {
        return store ? store->setting(key).value() : QString();
    }
    core::ConnectionConfig config() const
    {
        return store ? core::ConnectionConfig::load(*store).value() : core::ConnectionConfig();
    }
};

// The keychain the binary uses (SecretStore::defaultService()); entries are under a random
// profile ID per data directory, so tests never meet the user's own.
inline api::test::Completion readKeychain(const QString &profile, api::Secret secret)
{
    api::SecretStore store(api::SecretStore::defaultService());
    return api::test::readSecret(store, api::secretKey(profile, secret));
}

inline bool writeToKeychain(const QString &profile, api::Secret secret, const QString &value)
{
    api::SecretStore store(api::SecretStore::defaultService());
    return api::test::writeSecret(store, api::secretKey(profile, secret), value).result.ok();
}

inline void removeFromKeychain(const QString &profile)
{
    if (profile.isEmpty())
        return;
    api::SecretStore store(api::SecretStore::defaultService());
    for (const api::Secret secret :
         {api::Secret::HubSpotClientSecret, api::Secret::HubSpotRefreshToken,
          api::Secret::HubSpotStaticToken, api::Secret::HaloClientSecret})
        api::test::removeSecret(store, api::secretKey(profile, secret));
}

inline QByteArray line(const QString &secret)
{
    return secret.toUtf8() + '\n';
}

// The set-up both command tests share: one sandbox for the whole test, a fresh data directory per
// test function, and that directory's keychain entries removed after it.
class CommandTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_sandbox.start()); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void cleanup()
    {
        removeFromKeychain(DataDir(m_dir->path()).profile());
        m_dir.reset();
    }

protected:
    SandboxFixture m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace halospot::app::test
