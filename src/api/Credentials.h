// Which secrets HaloSpot keeps and under which keychain keys, and loading them together: the
// one place that decides that a HubSpot refresh token of profile P lives under "P/hubspot/…".
#pragma once

#include "SecretStore.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <functional>

namespace halospot::api {

enum class Secret
{
    HubSpotClientSecret, // the OAuth app's client secret
    HubSpotRefreshToken, // the newest OAuth refresh token
    HubSpotStaticToken,  // a private-app token or service key
    HaloClientSecret,
};

// "<profileId>/hubspot/client-secret" and so on.
QString secretKey(const QString &profileId, Secret secret);

// Environment overrides for headless runs (SPEC §4).
inline constexpr char kEnvHubSpotToken[] = "HALOSPOT_HUBSPOT_TOKEN";    // a static token
inline constexpr char kEnvHaloSecret[] = "HALOSPOT_HALO_CLIENT_SECRET"; // the Halo secret

struct SecretSet
{
    QHash<Secret, QString> values; // only the secrets found
    // The first failure that was not "not found" (NoKeychain, Denied, Failed); Ok otherwise.
    SecretOutcome outcome = SecretOutcome::Ok;
    QString message;

    QString value(Secret s) const { return values.value(s); }
    bool has(Secret s) const { return !values.value(s).isEmpty(); }
};

// Reads, writes and removes a profile's secrets through a SecretStore. Asynchronous; use it from
// the SecretStore's thread.
class Credentials final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Credentials)

public:
    Credentials(SecretStore *store, QString profileId, QObject *parent = nullptr);

    SecretStore *store() const { return m_store; }
    const QString &profileId() const { return m_profileId; }

    // Reads every Secret; values from `environment` (kEnvHubSpotToken → HubSpotStaticToken,
    // kEnvHaloSecret → HaloClientSecret) win over the keychain. done runs once, later.
    void loadAll(const QProcessEnvironment &environment,
                 std::function<void(const SecretSet &)> done);
    void read(Secret secret, SecretStore::Done done);
    void write(Secret secret, const QString &value, SecretStore::Done done);
    void remove(Secret secret, SecretStore::Done done);

private:
    SecretStore *m_store;
    QString m_profileId;
};

} // namespace halospot::api
