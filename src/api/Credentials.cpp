// Keychain keys and loading of a profile's secrets (see Credentials.h).
#include "Credentials.h"

#include <QPointer>

#include <iterator>
#include <memory>
#include <utility>

namespace halospot::api {

namespace {

constexpr Secret kAllSecrets[] = {Secret::HubSpotClientSecret, Secret::HubSpotRefreshToken,
                                  Secret::HubSpotStaticToken, Secret::HaloClientSecret};

// Which environment variable (if any) overrides a secret.
const char *environmentName(Secret secret)
{
    switch (secret) {
    case Secret::HubSpotStaticToken:
        return kEnvHubSpotToken;
    case Secret::HaloClientSecret:
        return kEnvHaloSecret;
    case Secret::HubSpotClientSecret:
    case Secret::HubSpotRefreshToken:
        break;
    }
    return nullptr;
}

// One loadAll() in progress. The reads run one after the other rather than together: when there
// is no keychain, the first read settles that (after SecretStore's late-start retry) and the
// others then fail at once instead of each waiting for its own retry.
struct LoadRun
{
    QPointer<Credentials> owner;
    QProcessEnvironment environment;
    std::function<void(const SecretSet &)> done;
    SecretSet set;
    int next = 0;
};

void loadNext(const std::shared_ptr<LoadRun> &run)
{
    Credentials *owner = run->owner;
    if (!owner)
        return; // the Credentials went away: done is not called, as with SecretStore
    while (run->next < int(std::size(kAllSecrets))) {
        const Secret secret = kAllSecrets[run->next++];
        const char *envName = environmentName(secret);
        const QString fromEnv =
            envName ? run->environment.value(QString::fromLatin1(envName)).trimmed() : QString();
        if (!fromEnv.isEmpty()) {
            run->set.values.insert(secret, fromEnv);
            continue;
        }
        owner->read(secret, [run, secret](const SecretResult &result) {
            if (result.ok() && !result.value.isEmpty()) {
                run->set.values.insert(secret, result.value);
            } else if (!result.ok() && !result.notFound() &&
                       run->set.outcome == SecretOutcome::Ok) {
                run->set.outcome = result.outcome;
                run->set.message = result.message;
            }
            loadNext(run);
        });
        return;
    }
    if (run->done)
        std::exchange(run->done, nullptr)(run->set);
}

} // namespace

QString secretKey(const QString &profileId, Secret secret)
{
    const auto name = [secret]() -> QString {
        switch (secret) {
        case Secret::HubSpotClientSecret:
            return QStringLiteral("hubspot/client-secret");
        case Secret::HubSpotRefreshToken:
            return QStringLiteral("hubspot/refresh-token");
        case Secret::HubSpotStaticToken:
            return QStringLiteral("hubspot/static-token");
        case Secret::HaloClientSecret:
            return QStringLiteral("halo/client-secret");
        }
        return QStringLiteral("unknown");
    };
    return profileId + QLatin1Char('/') + name();
}

Credentials::Credentials(SecretStore *store, QString profileId, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_profileId(std::move(profileId))
{}

void Credentials::loadAll(const QProcessEnvironment &environment,
                          std::function<void(const SecretSet &)> done)
{
    auto run = std::make_shared<LoadRun>();
    run->owner = this;
    run->environment = environment;
    run->done = std::move(done);
    // Started from the event loop so that done never runs inside this call, even when every
    // secret comes from the environment.
    QMetaObject::invokeMethod(
        this, [run] { loadNext(run); }, Qt::QueuedConnection);
}

void Credentials::read(Secret secret, SecretStore::Done done)
{
    m_store->read(secretKey(m_profileId, secret), std::move(done));
}

void Credentials::write(Secret secret, const QString &value, SecretStore::Done done)
{
    m_store->write(secretKey(m_profileId, secret), value, std::move(done));
}

void Credentials::remove(Secret secret, SecretStore::Done done)
{
    m_store->remove(secretKey(m_profileId, secret), std::move(done));
}

} // namespace halospot::api
