// ConnectionManager: restoring, connecting, testing and disconnecting HubSpot and Halo.
#include "ConnectionManager.h"

#include "Store.h"

#include <QLoggingCategory>

namespace halospot::gui {

Q_LOGGING_CATEGORY(lcConnect, "halospot.gui.connect", QtInfoMsg)

namespace {

const QString kHubSpot = QStringLiteral("HubSpot");
const QString kHalo = QStringLiteral("Halo");

} // namespace

ConnectionManager::ConnectionManager(core::Store &store, api::Credentials &credentials,
                                     QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_credentials(credentials)
{
    qRegisterMetaType<api::HaloStepResult>();
    if (auto loaded = core::ConnectionConfig::load(m_store); loaded.ok())
        m_config = loaded.value();
}

ConnectionManager::~ConnectionManager()
{
    // The checks and the auth flow hold pointers to the tokens: end them first.
    delete m_check;
    delete m_auth;
    delete m_haloCheck;
}

void ConnectionManager::setBrowserOpener(api::HubSpotAuth::BrowserOpener opener)
{
    m_opener = std::move(opener);
}

void ConnectionManager::restore()
{
    if (auto loaded = core::ConnectionConfig::load(m_store); loaded.ok())
        m_config = loaded.value();
    else
        Q_EMIT activity(tr("HaloSpot"), loaded.error(), true);
    Q_EMIT configChanged();
    if (auto snapshot = core::loadHubSpotAccount(m_store); snapshot.ok()) {
        m_account.portalId = snapshot->portalId;
        m_account.domain = snapshot->domain;
        m_account.user = snapshot->user;
        m_account.scopes = snapshot->scopes;
    }
    setHubSpot(State::Checking, tr("Reading the saved credentials from the keychain…"));
    setHalo(m_config.halo.isConfigured() ? State::Checking : State::NotConfigured, {});

    m_credentials.loadAll(
        QProcessEnvironment::systemEnvironment(), [this](const api::SecretSet &secrets) {
            if (secrets.outcome == api::SecretOutcome::NoKeychain) {
                m_keychainMissing = true;
                Q_EMIT keychainMissingChanged(true);
            }
            if (secrets.outcome != api::SecretOutcome::Ok)
                Q_EMIT activity(tr("Keychain"), secrets.message, true);
            m_clientSecret = secrets.value(api::Secret::HubSpotClientSecret);
            m_hasClientSecret = !m_clientSecret.isEmpty();
            m_refreshToken = secrets.value(api::Secret::HubSpotRefreshToken);
            m_haloSecret = secrets.value(api::Secret::HaloClientSecret);
            m_hasHaloSecret = !m_haloSecret.isEmpty();

            const QString staticToken = secrets.value(api::Secret::HubSpotStaticToken);
            if (m_config.hubspot.auth == core::HubSpotAuthMode::StaticToken &&
                !staticToken.isEmpty()) {
                makeTokens();
                m_tokens->setStaticToken(staticToken);
                m_staticToken = staticToken;
                checkHubSpot();
            } else if (m_config.hubspot.auth == core::HubSpotAuthMode::OAuth &&
                       !m_refreshToken.isEmpty() && m_hasClientSecret) {
                makeTokens();
                m_tokens->setOAuth(m_config.hubspot.clientId, m_clientSecret, m_refreshToken);
                checkHubSpot();
            } else {
                m_account = {};
                setHubSpot(State::NotConfigured, {});
            }

            if (m_config.halo.isConfigured() && m_hasHaloSecret)
                runHaloCheck(m_haloSecret, false);
            else
                setHalo(State::NotConfigured, {});
        });
}

// ---- HubSpot ----

void ConnectionManager::makeTokens()
{
    delete m_check;
    m_tokens = std::make_unique<api::HubSpotTokens>(api::hubSpotSettings(m_config.hubspot));
    connect(m_tokens.get(), &api::HubSpotTokens::refreshTokenChanged, this,
            [this](const QString &refreshToken) {
                // HubSpot may rotate the refresh token: the newest one must survive a crash.
                m_refreshToken = refreshToken;
                saveSecret(api::Secret::HubSpotRefreshToken, refreshToken, {});
            });
    connect(m_tokens.get(), &api::HubSpotTokens::reconnectNeeded, this,
            [this](const QString &message) { setHubSpot(State::Failed, message); });
}

void ConnectionManager::checkHubSpot(std::function<void(bool ok)> after)
{
    delete m_check;
    const bool oauth = !m_tokens->isStatic();
    m_check = new api::HubSpotCheck(m_tokens.get(), oauth ? m_config.hubspot.clientId : QString(),
                                    oauth ? m_clientSecret : QString(), this);
    setHubSpot(State::Checking, tr("Checking the HubSpot account…"));
    m_check->run([this, after](const api::HubSpotCheckResult &result) {
        m_check->deleteLater();
        if (!result.ok()) {
            setHubSpot(State::Failed, result.message);
            if (after)
                after(false);
            return;
        }
        m_account = result.account;
        if (Status s = core::saveHubSpotAccount(m_store, api::accountSnapshot(m_account)); !s.ok())
            Q_EMIT activity(kHubSpot, s.error(), true);
        QString message = tr("Connected to HubSpot account %1.").arg(m_account.portalId);
        if (!m_account.missingScopes.isEmpty()) {
            message += QLatin1Char(' ') +
                       tr("Missing permissions: %1. Imports need them; grant them in the HubSpot "
                          "app's settings and connect again.")
                           .arg(m_account.missingScopes.join(QStringLiteral(", ")));
        }
        setHubSpot(State::Connected, message);
        if (after)
            after(true);
    });
}

bool ConnectionManager::adoptHubSpotConfig(const core::HubSpotConnectionConfig &next)
{
    QList<std::pair<QUrl, QString>> urls = {{next.apiBase, tr("The HubSpot API address")}};
    if (next.auth == core::HubSpotAuthMode::OAuth)
        urls.append({next.authBase, tr("The HubSpot sign-in address")});
    for (const auto &[url, what] : std::as_const(urls)) {
        if (Status s = core::checkServiceUrl(url, what); !s.ok()) {
            setHubSpot(State::Failed, s.error());
            return false;
        }
    }
    m_config.hubspot = next;
    if (Status s = saveConfig(); !s.ok()) {
        setHubSpot(State::Failed, s.error());
        return false;
    }
    return true;
}

void ConnectionManager::connectHubSpotOAuth(const core::HubSpotConnectionConfig &config,
                                            const QString &clientSecret)
{
    cancelHubSpot();
    core::HubSpotConnectionConfig next = config;
    next.auth = core::HubSpotAuthMode::OAuth;
    if (next.clientId.trimmed().isEmpty()) {
        setHubSpot(State::Failed, tr("Enter the client ID of your HubSpot app first."));
        return;
    }
    next.clientId = next.clientId.trimmed();
    const QString secret = clientSecret.isEmpty() ? m_clientSecret : clientSecret.trimmed();
    if (secret.isEmpty()) {
        setHubSpot(State::Failed, tr("Enter the client secret of your HubSpot app first. It is "
                                     "kept in the system keychain."));
        return;
    }
    if (!adoptHubSpotConfig(next))
        return;
    if (!clientSecret.isEmpty()) {
        m_clientSecret = secret;
        saveSecret(api::Secret::HubSpotClientSecret, secret, {});
    }

    api::HubSpotAuthConfig authConfig;
    authConfig.clientId = next.clientId;
    authConfig.clientSecret = secret;
    authConfig.authBase = next.authBase;
    authConfig.settings = api::hubSpotSettings(next);
    authConfig.port = next.redirectPort;
    authConfig.timeoutMs = m_authTimeoutMs;
    m_auth = new api::HubSpotAuth(authConfig, this);
    if (m_opener)
        m_auth->setBrowserOpener(m_opener);
    connect(m_auth, &api::HubSpotAuth::authorizeUrlReady, this, [this](const QUrl &url) {
        m_authorizeUrl = url;
        Q_EMIT authorizeUrlReady(url);
    });
    connect(m_auth, &api::HubSpotAuth::browserFailed, this, [this](const QUrl &url) {
        m_authorizeUrl = url;
        Q_EMIT browserFailed(url);
    });
    connect(m_auth, &api::HubSpotAuth::finished, this, &ConnectionManager::onAuthFinished);
    setHubSpot(State::Waiting,
               tr("Waiting for you to allow access in the browser. Sign in to HubSpot there, "
                  "choose the account and click Grant access."));
    m_auth->start();
}

void ConnectionManager::onAuthFinished(const api::HubSpotAuthResult &result)
{
    if (m_auth)
        m_auth->deleteLater();
    m_authorizeUrl.clear();
    if (!result.ok()) {
        if (result.error == api::ApiError::Cancelled)
            setHubSpot(State::NotConfigured, tr("Connecting to HubSpot was cancelled."));
        else
            setHubSpot(State::Failed, result.message);
        return;
    }
    makeTokens();
    m_refreshToken = result.grant.refreshToken;
    m_tokens->setOAuth(m_config.hubspot.clientId, m_clientSecret, result.grant.refreshToken,
                       result.grant.accessToken, result.grant.expiresAtUtc);
    saveSecret(api::Secret::HubSpotRefreshToken, result.grant.refreshToken, {});
    // A static token from earlier is no longer used.
    m_credentials.remove(api::Secret::HubSpotStaticToken, [](const api::SecretResult &) {});
    Q_EMIT activity(kHubSpot, tr("HubSpot granted access."), false);
    checkHubSpot();
}

void ConnectionManager::connectHubSpotToken(const core::HubSpotConnectionConfig &config,
                                            const QString &token)
{
    cancelHubSpot();
    const QString trimmed = token.trimmed();
    if (trimmed.isEmpty()) {
        setHubSpot(State::Failed, tr("Paste the access token of your HubSpot private app first."));
        return;
    }
    if (trimmed.contains(QLatin1Char(' ')) || trimmed.size() < 8) {
        setHubSpot(State::Failed,
                   tr("That does not look like a HubSpot access token. Copy it again from the "
                      "private app's Auth tab (it starts with pat-)."));
        return;
    }
    core::HubSpotConnectionConfig next = config;
    next.auth = core::HubSpotAuthMode::StaticToken;
    if (!adoptHubSpotConfig(next))
        return;
    makeTokens();
    m_tokens->setStaticToken(trimmed);
    checkHubSpot([this, trimmed](bool ok) {
        if (!ok) {
            // A token HubSpot refused is never kept.
            m_tokens.reset();
            return;
        }
        saveSecret(api::Secret::HubSpotStaticToken, trimmed, {});
        m_staticToken = trimmed;
        m_credentials.remove(api::Secret::HubSpotRefreshToken, [](const api::SecretResult &) {});
        Q_EMIT activity(kHubSpot, tr("The access token works and was saved."), false);
    });
}

api::SecretSet ConnectionManager::jobSecrets() const
{
    api::SecretSet set;
    if (m_hubspotState == State::Connected && m_tokens) {
        if (m_tokens->isStatic()) {
            set.values.insert(api::Secret::HubSpotStaticToken, m_staticToken);
        } else {
            set.values.insert(api::Secret::HubSpotClientSecret, m_clientSecret);
            set.values.insert(api::Secret::HubSpotRefreshToken, m_refreshToken);
        }
    }
    if (m_haloState == State::Connected)
        set.values.insert(api::Secret::HaloClientSecret, m_haloSecret);
    return set;
}

void ConnectionManager::adoptRefreshToken(const QString &refreshToken)
{
    if (refreshToken.isEmpty() || refreshToken == m_refreshToken)
        return;
    m_refreshToken = refreshToken;
    saveSecret(api::Secret::HubSpotRefreshToken, refreshToken, {});
}

void ConnectionManager::recheckHubSpot()
{
    if (m_tokens)
        checkHubSpot();
}

void ConnectionManager::cancelHubSpot()
{
    if (m_auth && m_auth->isRunning())
        m_auth->cancel(); // finished(Cancelled) follows
    if (m_check) {
        m_check->cancel();
        delete m_check;
        if (m_hubspotState == State::Checking)
            setHubSpot(State::NotConfigured, tr("Cancelled."));
    }
}

void ConnectionManager::disconnectHubSpot()
{
    cancelHubSpot();
    const auto forget = [this](const QString &revokeProblem) {
        for (const api::Secret s :
             {api::Secret::HubSpotRefreshToken, api::Secret::HubSpotStaticToken,
              api::Secret::HubSpotClientSecret}) {
            m_credentials.remove(s, [this](const api::SecretResult &r) {
                if (!r.ok())
                    Q_EMIT activity(tr("Keychain"), r.message, true);
            });
        }
        m_tokens.reset();
        m_refreshToken.clear();
        m_staticToken.clear();
        m_clientSecret.clear();
        m_hasClientSecret = false;
        m_account = {};
        if (Status s = core::saveHubSpotAccount(m_store, {}); !s.ok())
            Q_EMIT activity(kHubSpot, s.error(), true);
        QString message = tr("Disconnected from HubSpot; its tokens were removed from this "
                             "computer.");
        if (!revokeProblem.isEmpty())
            message += QLatin1Char(' ') + revokeProblem;
        Q_EMIT activity(kHubSpot, message, !revokeProblem.isEmpty());
        setHubSpot(State::NotConfigured, message);
    };
    if (m_config.hubspot.auth == core::HubSpotAuthMode::OAuth && !m_refreshToken.isEmpty() &&
        !m_clientSecret.isEmpty()) {
        setHubSpot(State::Checking, tr("Revoking HaloSpot's access at HubSpot…"));
        api::revokeHubSpotRefreshToken(
            api::hubSpotSettings(m_config.hubspot), m_config.hubspot.clientId, m_clientSecret,
            m_refreshToken, this, [forget](const Status &status) {
                forget(status.ok() ? QString()
                                   : tr("HubSpot could not be told to revoke the access (%1); "
                                        "remove the app under Connected apps in HubSpot.")
                                         .arg(status.error()));
            });
        return;
    }
    forget({});
}

// ---- Halo ----

void ConnectionManager::testHalo(const core::HaloConnectionConfig &config,
                                 const QString &clientSecret)
{
    core::HaloConnectionConfig next = config;
    next.clientId = next.clientId.trimmed();
    next.tenant = next.tenant.trimmed();
    if (Status s = core::checkServiceUrl(next.url, tr("The Halo URL")); !s.ok()) {
        setHalo(State::Failed, s.error());
        return;
    }
    if (!next.authUrl.isEmpty()) {
        if (Status s = core::checkServiceUrl(next.authUrl, tr("The authorisation server URL"));
            !s.ok()) {
            setHalo(State::Failed, s.error());
            return;
        }
    }
    if (next.clientId.isEmpty()) {
        setHalo(State::Failed, tr("Enter the client ID of the Halo API application (Halo: "
                                  "Configuration → Integrations → HaloPSA API)."));
        return;
    }
    const QString secret = clientSecret.isEmpty() ? m_haloSecret : clientSecret.trimmed();
    if (secret.isEmpty()) {
        setHalo(State::Failed, tr("Enter the client secret of the Halo API application."));
        return;
    }
    m_config.halo = next;
    if (Status s = saveConfig(); !s.ok()) {
        setHalo(State::Failed, s.error());
        return;
    }
    runHaloCheck(secret, !clientSecret.isEmpty());
}

void ConnectionManager::runHaloCheck(const QString &secret, bool saveSecretWhenAccepted)
{
    delete m_haloCheck;
    m_haloSteps.clear();
    m_haloCheck = new api::HaloCheck(api::haloSettings(m_config.halo, secret), this);
    connect(m_haloCheck, &api::HaloCheck::stepFinished, this,
            [this, secret, saveSecretWhenAccepted](const api::HaloStepResult &step) {
                m_haloSteps.append(step);
                if (step.step == api::HaloStep::Token &&
                    step.state != api::HaloStepResult::State::Failed) {
                    m_haloSecret = secret;
                    if (saveSecretWhenAccepted)
                        saveSecret(api::Secret::HaloClientSecret, secret, {});
                }
                Q_EMIT haloStepFinished(step);
            });
    connect(m_haloCheck, &api::HaloCheck::finished, this,
            [this](bool ok, const QList<api::HaloStepResult> &results) {
                m_haloSteps = results;
                m_haloCheck->deleteLater();
                if (ok) {
                    setHalo(State::Connected,
                            tr("Connected to Halo at %1.").arg(m_config.halo.url.host()));
                    return;
                }
                QString why;
                for (const api::HaloStepResult &r : results) {
                    if (r.state == api::HaloStepResult::State::Failed) {
                        why = r.message;
                        break;
                    }
                }
                setHalo(State::Failed, why);
            });
    setHalo(State::Checking, tr("Testing the connection to Halo…"));
    m_haloCheck->run();
}

void ConnectionManager::forgetHalo()
{
    if (m_haloCheck)
        m_haloCheck->cancel();
    m_credentials.remove(api::Secret::HaloClientSecret, [this](const api::SecretResult &r) {
        if (!r.ok())
            Q_EMIT activity(tr("Keychain"), r.message, true);
    });
    m_haloSecret.clear();
    m_hasHaloSecret = false;
    m_haloSteps.clear();
    setHalo(State::NotConfigured, tr("The Halo client secret was removed from this computer."));
}

// ---- shared ----

Status ConnectionManager::saveConfig()
{
    return m_config.save(m_store);
}

void ConnectionManager::saveSecret(api::Secret secret, const QString &value,
                                   std::function<void(bool ok)> done)
{
    m_credentials.write(secret, value, [this, secret, value, done](const api::SecretResult &r) {
        if (r.ok()) {
            // The tab shows what the keychain holds ("Saved in the keychain", Remove secret).
            if (secret == api::Secret::HubSpotClientSecret) {
                m_hasClientSecret = true;
                Q_EMIT hubspotChanged();
            }
            if (secret == api::Secret::HaloClientSecret) {
                m_hasHaloSecret = true;
                Q_EMIT haloChanged();
            }
            if (done)
                done(true);
            return;
        }
        if (r.noKeychain()) {
            // Offer session-only use; the secret stays in memory until the user decides.
            const auto previous = m_retrySave;
            m_retrySave = [this, previous, secret, value, done] {
                if (previous)
                    previous();
                saveSecret(secret, value, done);
            };
            if (!m_keychainMissing) {
                m_keychainMissing = true;
                Q_EMIT keychainMissingChanged(true);
            }
        }
        Q_EMIT activity(tr("Keychain"), r.message, true);
        if (done)
            done(false);
    });
}

void ConnectionManager::useSessionOnlySecrets()
{
    m_credentials.store()->setSessionOnly(true);
    m_keychainMissing = false;
    Q_EMIT keychainMissingChanged(false);
    Q_EMIT activity(tr("Keychain"),
                    tr("Secrets are kept in memory for this session only; you will need to enter "
                       "them again after HaloSpot closes."),
                    false);
    const auto retry = std::exchange(m_retrySave, {});
    if (retry)
        retry();
}

void ConnectionManager::announce(const QString &source, State state, const QString &message)
{
    // Arrivals at a final state go to the Activity view; the steps on the way do not.
    if (state == State::Failed || state == State::Connected)
        Q_EMIT activity(source, message, state == State::Failed);
}

void ConnectionManager::setHubSpot(State state, const QString &message)
{
    m_hubspotState = state;
    m_hubspotMessage = message;
    announce(kHubSpot, state, message);
    Q_EMIT hubspotChanged();
}

void ConnectionManager::setHalo(State state, const QString &message)
{
    m_haloState = state;
    m_haloMessage = message;
    announce(kHalo, state, message);
    Q_EMIT haloChanged();
}

} // namespace halospot::gui
