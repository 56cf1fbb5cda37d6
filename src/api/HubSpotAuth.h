// HubSpotAuth: the desktop OAuth 2.0 browser flow behind Connect to HubSpot (loopback + PKCE).
#pragma once

#include "ApiResult.h"
#include "HubSpotTokens.h"

#include <QDateTime>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QOAuth2AuthorizationCodeFlow;
class QTimer;

namespace halospot::api {

class LoopbackReplyHandler;

struct HubSpotAuthConfig
{
    QString clientId;
    QString clientSecret;
    // Where the authorize page lives (app.hubspot.com; the sandbox's own origin in tests).
    QUrl authBase = QUrl(QStringLiteral("https://app.hubspot.com"));
    // apiBase + apiVersion decide the token endpoint (/oauth/v3/token or /oauth/2026-03/token).
    HubSpotSettings settings;
    // Must match the redirect URL registered on the HubSpot app; 0 = any free port (tests).
    quint16 port = 8765;
    int timeoutMs = 5 * 60 * 1000; // the user may never come back from the browser
    QStringList scopes;            // empty = HubSpotAuth::requiredScopes()
};

// What a successful connection yields; to be stored in the keychain, never logged.
struct HubSpotGrant
{
    QString accessToken;
    QString refreshToken;
    qint64 expiresInSec = 0;
    QDateTime expiresAtUtc;
    qint64 hubId = 0;
    QStringList scopes;
};

struct HubSpotAuthResult
{
    ApiError error = ApiError::None;
    QString message; // a sentence for the user when not ok
    HubSpotGrant grant;
    bool ok() const { return error == ApiError::None; }
};

class HubSpotAuth final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubSpotAuth)

public:
    // Opens the system browser; false when it could not. The app injects QDesktopServices::openUrl
    // (QtGui), which halospot_api does not link.
    using BrowserOpener = std::function<bool(const QUrl &)>;

    explicit HubSpotAuth(HubSpotAuthConfig config, QObject *parent = nullptr);
    ~HubSpotAuth() override;

    void setBrowserOpener(BrowserOpener opener);

    // Starts listening on 127.0.0.1 and asks for the browser. Asynchronous: finished() follows
    // exactly once (at once with an error when the port cannot be opened). False when not started.
    bool start();
    // Stops a running flow; finished() reports Cancelled.
    void cancel();

    bool isRunning() const;
    quint16 port() const;               // the listening port while running
    QHostAddress listenAddress() const; // always 127.0.0.1 while running
    QUrl redirectUri() const;           // http://localhost:<port>/callback
    QUrl authorizeUrl() const;          // the URL handed to the browser (no secrets in it)

    // oauth + read/write on companies and contacts.
    static QStringList requiredScopes();

Q_SIGNALS:
    void authorizeUrlReady(const QUrl &url);
    // The opener returned false: the UI should offer the link to copy.
    void browserFailed(const QUrl &url);
    void finished(const halospot::api::HubSpotAuthResult &result);

private:
    void openBrowser(const QUrl &url);
    void onCallback(const QVariantMap &data);
    void exchange(const QString &code);
    void onTokenReply(QNetworkReply *reply);
    void finish(HubSpotAuthResult result);
    void teardown();

    HubSpotAuthConfig m_config;
    BrowserOpener m_opener;
    QNetworkAccessManager *m_nam = nullptr;
    QPointer<QOAuth2AuthorizationCodeFlow> m_flow;
    QPointer<LoopbackReplyHandler> m_handler;
    QTimer *m_timer = nullptr;
    QString m_state;
    QString m_verifier;
    QPointer<QNetworkReply> m_tokenReply;
    QUrl m_authorizeUrl;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace halospot::api

Q_DECLARE_METATYPE(halospot::api::HubSpotAuthResult)
