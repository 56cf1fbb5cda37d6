// SecretStore: the one place HaloSpot keeps secrets, in the OS keychain via QtKeychain (or, when
// the user chooses it, in memory for this session only). Asynchronous, never blocks, never falls
// back to plain-text storage, never logs a secret.
#pragma once

#include "Result.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace QKeychain {
class Job;
}

namespace halospot::api {

enum class SecretOutcome
{
    Ok,         // done; for a read, `value` holds the secret
    NotFound,   // read only: there is no entry under this key (not an error)
    NoKeychain, // no keychain on this system (or its service did not answer): offer session-only
    Denied,     // the keychain is there but refused (locked, or the user declined)
    Failed,     // anything else
};

struct SecretResult
{
    SecretOutcome outcome = SecretOutcome::Ok;
    QString value;   // the secret of a successful read; empty otherwise
    QString message; // a sentence a user can act on; empty for Ok and NotFound
    int attempts =
        0; // keychain calls made (2 when the late-start retry ran); 0 in session-only mode

    bool ok() const { return outcome == SecretOutcome::Ok; }
    bool notFound() const { return outcome == SecretOutcome::NotFound; }
    bool noKeychain() const { return outcome == SecretOutcome::NoKeychain; }
    // The outcome as a plain Status (NotFound counts as a failure with an empty sentence).
    Status status() const { return ok() ? Status() : Status::failure(message); }
};

class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    using Done = std::function<void(const SecretResult &)>;

    enum class Availability
    {
        Unknown,     // no keychain call has finished yet
        Available,   // the last keychain call reached the keychain
        Unavailable, // the last keychain call found no keychain (after the late-start retry)
    };
    Q_ENUM(Availability)

    // The keychain service name secrets are filed under in production.
    static QString defaultService();

    // `service` is the keychain's service name; tests pass their own so they never touch the
    // user's entries. Use the store only from the thread that owns it (the GUI thread in the app:
    // the macOS backend finishes its jobs on the main queue).
    explicit SecretStore(QString service = defaultService(), QObject *parent = nullptr);
    ~SecretStore() override;

    QString service() const { return m_service; }

    // Each call returns at once; `done` runs later on this object's thread, never inside the call,
    // and not at all if the store is destroyed first.
    void read(const QString &key, Done done);
    void write(const QString &key, const QString &secret, Done done);
    // Removing an entry that does not exist succeeds.
    void remove(const QString &key, Done done);

    // Session-only mode keeps secrets in this object's memory and never touches the keychain or the
    // disk; they are gone when the store is destroyed. It is only ever switched on explicitly (the
    // UI offers it after a NoKeychain result). Switching it off forgets the in-memory secrets.
    void setSessionOnly(bool on);
    bool sessionOnly() const { return m_sessionOnly; }

    Availability availability() const { return m_availability; }

    // A call that finds no keychain is tried once more after this delay (unless an earlier call
    // already settled that there is none): on Linux the Secret Service may start after HaloSpot at
    // login. Default 10 s, as Nextcloud does.
    void setRetryDelayMs(int ms) { m_retryDelayMs = qMax(0, ms); }
    int retryDelayMs() const { return m_retryDelayMs; }

Q_SIGNALS:
    void availabilityChanged(halospot::api::SecretStore::Availability availability);
    void sessionOnlyChanged(bool on);

private:
    enum class Op
    {
        Read,
        Write,
        Remove,
    };
    struct Call;

    static const char *opName(Op op);

    void startJob(Call call);
    void finishJob(Call call, QKeychain::Job *job);
    void finishInMemory(Op op, const QString &key, const QString &secret, Done done);
    void setAvailability(Availability availability);

    QString m_service;
    bool m_sessionOnly = false;
    QHash<QString, QString> m_memory;
    Availability m_availability = Availability::Unknown;
    int m_retryDelayMs = 10000;
};

} // namespace halospot::api
