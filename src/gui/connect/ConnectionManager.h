// The state of both connections and every action on them (connect, validate, test, disconnect),
// without widgets: the Connect tab and the status bar show it, the engine will take its tokens.
// Secrets go through Credentials (the keychain) only; nothing here writes one anywhere else.
#pragma once

#include "ConnectionCheck.h"
#include "ConnectionConfig.h"
#include "Credentials.h"
#include "HubSpotAuth.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

namespace halospot::core {
class Store;
}

namespace halospot::gui {

class ConnectionManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionManager)

public:
    enum class State
    {
        NotConfigured, // nothing entered yet, or disconnected
        Checking,      // talking to the service (validating, testing, restoring)
        Waiting,       // HubSpot OAuth: waiting for the administrator in the browser
        Connected,
        Failed, // the last attempt failed; message() says why
    };
    Q_ENUM(State)

    ConnectionManager(core::Store &store, api::Credentials &credentials, QObject *parent = nullptr);
    ~ConnectionManager() override;

    // Opens the system browser; the app passes QDesktopServices::openUrl, tests their own.
    void setBrowserOpener(api::HubSpotAuth::BrowserOpener opener);
    // How long the OAuth flow waits for the browser (default 5 minutes).
    void setAuthTimeoutMs(int ms) { m_authTimeoutMs = ms; }

    const core::ConnectionConfig &config() const { return m_config; }

    // Loads the configuration and the secrets and checks whatever is configured. Call once.
    void restore();

    // --- HubSpot ---
    State hubspotState() const { return m_hubspotState; }
    QString hubspotMessage() const { return m_hubspotMessage; }
    const api::HubSpotAccount &hubspotAccount() const { return m_account; }
    bool hasHubSpotClientSecret() const { return m_hasClientSecret; } // saved in the keychain
    // A client secret is at hand (saved, or entered earlier in this session).
    bool knowsHubSpotClientSecret() const { return !m_clientSecret.isEmpty(); }
    QUrl authorizeUrl() const { return m_authorizeUrl; }
    // The live token source for API clients (null when not connected). Shared with the engine.
    api::HubSpotTokens *hubspotTokens() const { return m_tokens.get(); }

    // OAuth: saves the settings (and the client secret when given; empty keeps the stored one),
    // then starts the browser flow.
    void connectHubSpotOAuth(const core::HubSpotConnectionConfig &config,
                             const QString &clientSecret);
    // A static token: checked by a call first, saved to the keychain only when it works.
    void connectHubSpotToken(const core::HubSpotConnectionConfig &config, const QString &token);
    void cancelHubSpot();
    // Checks the current credentials again (after a failure such as HubSpot being unreachable).
    bool canRecheckHubSpot() const { return m_tokens != nullptr; }
    void recheckHubSpot();
    // Revokes the refresh token (OAuth) and removes the HubSpot tokens from the keychain.
    void disconnectHubSpot();

    // --- Halo ---
    State haloState() const { return m_haloState; }
    QString haloMessage() const { return m_haloMessage; }
    const QList<api::HaloStepResult> &haloSteps() const { return m_haloSteps; }
    bool hasHaloSecret() const { return m_hasHaloSecret; }
    // Saves the settings, runs the test steps, and keeps the secret (empty = the stored one) in the
    // keychain once Halo has accepted it.
    void testHalo(const core::HaloConnectionConfig &config, const QString &clientSecret);
    // Removes the Halo secret and marks Halo not configured (settings stay for next time).
    void forgetHalo();

    // --- jobs ---
    // The secrets in use, for the engine's JobSpec (engine::makeJobSpec): only those of the
    // connected services (a HubSpot static token, or the OAuth client secret and newest refresh
    // token; the Halo secret). Empty values when a service is not connected.
    api::SecretSet jobSecrets() const;
    // The engine's HubSpot client rotated the refresh token: keep it (memory and keychain).
    void adoptRefreshToken(const QString &refreshToken);

    // --- keychain ---
    bool keychainMissing() const { return m_keychainMissing; }
    // Secrets are kept in memory only (demo mode, or chosen after keychainMissing()).
    bool sessionOnlySecrets() const { return m_credentials.store()->sessionOnly(); }
    // After keychainMissing(): keep secrets in memory for this session; repeats the last save.
    void useSessionOnlySecrets();

Q_SIGNALS:
    // The configuration was (re)loaded from the store: forms show it again.
    void configChanged();
    void hubspotChanged();
    void haloChanged();
    void haloStepFinished(const halospot::api::HaloStepResult &step);
    void authorizeUrlReady(const QUrl &url);
    void browserFailed(const QUrl &url);
    void keychainMissingChanged(bool missing);
    // A line for the Activity view.
    void activity(const QString &source, const QString &message, bool isError);

private:
    void setHubSpot(State state, const QString &message);
    void setHalo(State state, const QString &message);
    void announce(const QString &source, State state, const QString &message);
    Status saveConfig();
    // Checks the addresses and saves them; false (and Failed with the reason) when refused.
    bool adoptHubSpotConfig(const core::HubSpotConnectionConfig &next);
    void makeTokens();
    void checkHubSpot(std::function<void(bool ok)> after = {});
    void onAuthFinished(const api::HubSpotAuthResult &result);
    void saveSecret(api::Secret secret, const QString &value, std::function<void(bool ok)> done);
    void runHaloCheck(const QString &secret, bool saveSecretWhenAccepted);

    core::Store &m_store;
    api::Credentials &m_credentials;
    core::ConnectionConfig m_config;
    api::HubSpotAuth::BrowserOpener m_opener;
    int m_authTimeoutMs = 5 * 60 * 1000;

    State m_hubspotState = State::NotConfigured;
    QString m_hubspotMessage;
    api::HubSpotAccount m_account;
    std::unique_ptr<api::HubSpotTokens> m_tokens;
    QPointer<api::HubSpotAuth> m_auth;
    QPointer<api::HubSpotCheck> m_check;
    QUrl m_authorizeUrl;
    QString m_clientSecret; // in memory while the app runs, from the keychain
    QString m_refreshToken;
    QString m_staticToken; // the saved private-app token, while connected with one
    bool m_hasClientSecret = false;

    State m_haloState = State::NotConfigured;
    QString m_haloMessage;
    QList<api::HaloStepResult> m_haloSteps;
    QPointer<api::HaloCheck> m_haloCheck;
    QString m_haloSecret;
    bool m_hasHaloSecret = false;

    bool m_keychainMissing = false;
    std::function<void()> m_retrySave; // the save that found no keychain
};

} // namespace halospot::gui
