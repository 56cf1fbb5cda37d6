// SecretStore: QtKeychain jobs with continuations, the late-start retry, the no-keychain state and
// the session-only memory store. Keys and error codes may be logged; secrets never are.
#include "SecretStore.h"

#include <qt6keychain/keychain.h>

#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSecrets, "halospot.api.secrets", QtInfoMsg)

namespace halospot::api {

struct SecretStore::Call
{
    Op op = Op::Read;
    QString key;
    QString secret;
    Done done;
    int attempt = 1;
};

namespace {

// Nextcloud's lesson: a missing Secret Service and an unreachable KWallet both surface as
// OtherError, so both mean "no keychain here" [sync-engineering.md §5].
bool meansNoKeychain(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::OtherError ||
           error == QKeychain::NotImplemented;
}

QString detail(const QString &errorString)
{
    const QString trimmed = errorString.trimmed();
    return trimmed.isEmpty() ? SecretStore::tr("the system keychain did not answer") : trimmed;
}

} // namespace

const char *SecretStore::opName(Op op)
{
    switch (op) {
    case Op::Read:
        return "read";
    case Op::Write:
        return "write";
    case Op::Remove:
        return "remove";
    }
    return "?";
}

QString SecretStore::defaultService()
{
    return QStringLiteral("HaloSpot");
}

SecretStore::SecretStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
{}

SecretStore::~SecretStore() = default;

void SecretStore::read(const QString &key, Done done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_sessionOnly)
        return finishInMemory(Op::Read, key, QString(), std::move(done));
    startJob(Call{Op::Read, key, QString(), std::move(done)});
}

void SecretStore::write(const QString &key, const QString &secret, Done done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_sessionOnly)
        return finishInMemory(Op::Write, key, secret, std::move(done));
    startJob(Call{Op::Write, key, secret, std::move(done)});
}

void SecretStore::remove(const QString &key, Done done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_sessionOnly)
        return finishInMemory(Op::Remove, key, QString(), std::move(done));
    startJob(Call{Op::Remove, key, QString(), std::move(done)});
}

void SecretStore::setSessionOnly(bool on)
{
    if (on == m_sessionOnly)
        return;
    m_sessionOnly = on;
    if (!on)
        m_memory.clear();
    qCInfo(lcSecrets) << "session-only mode" << (on ? "on" : "off");
    Q_EMIT sessionOnlyChanged(on);
}

void SecretStore::setAvailability(Availability availability)
{
    if (availability == m_availability)
        return;
    m_availability = availability;
    Q_EMIT availabilityChanged(availability);
}

void SecretStore::finishInMemory(Op op, const QString &key, const QString &secret, Done done)
{
    SecretResult result;
    switch (op) {
    case Op::Read: {
        const auto it = m_memory.constFind(key);
        if (it == m_memory.cend())
            result.outcome = SecretOutcome::NotFound;
        else
            result.value = it.value();
        break;
    }
    case Op::Write:
        m_memory.insert(key, secret);
        break;
    case Op::Remove:
        m_memory.remove(key);
        break;
    }
    // Same contract as the keychain path: the continuation never runs inside the call.
    QTimer::singleShot(0, this, [done = std::move(done), result = std::move(result)] {
        if (done)
            done(result);
    });
}

void SecretStore::startJob(Call call)
{
    // Jobs have no parent and delete themselves: a keychain call in flight must not be destroyed
    // with the store. The context object `this` drops the continuation if the store goes first.
    QKeychain::Job *job = nullptr;
    switch (call.op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(call.secret);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(call.key);

    connect(job, &QKeychain::Job::finished, this,
            [this, call = std::move(call)](QKeychain::Job *j) mutable {
                finishJob(std::move(call), j);
            });
    // QtKeychain may report some failures from inside start(); starting from the event loop keeps
    // the promise that a continuation never runs inside read()/write()/remove().
    QTimer::singleShot(0, job, [job] { job->start(); });
}

void SecretStore::finishJob(Call call, QKeychain::Job *job)
{
    const QKeychain::Error error = job->error();
    const QString why = detail(job->errorString());
    SecretResult result;
    result.attempts = call.attempt;

    if (error == QKeychain::NoError) {
        setAvailability(Availability::Available);
        if (call.op == Op::Read)
            result.value = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
    } else if (error == QKeychain::EntryNotFound && call.op != Op::Write) {
        setAvailability(Availability::Available);
        // Reading a missing entry is an answer, not an error; removing one is already done.
        if (call.op == Op::Read)
            result.outcome = SecretOutcome::NotFound;
    } else if (meansNoKeychain(error)) {
        if (call.attempt == 1 && m_availability != Availability::Unavailable) {
            // The Secret Service may start after us at login: try once more after a pause.
            qCInfo(lcSecrets) << "keychain not reachable for" << opName(call.op) << call.key
                              << "- retrying in" << m_retryDelayMs << "ms";
            call.attempt = 2;
            QTimer::singleShot(m_retryDelayMs, this, [this, call = std::move(call)]() mutable {
                startJob(std::move(call));
            });
            return;
        }
        setAvailability(Availability::Unavailable);
        result.outcome = SecretOutcome::NoKeychain;
        result.message = tr("No keychain is available: the system's secret service could not be "
                            "reached (%1). HaloSpot can keep the secret for this session only; you "
                            "will need to enter it again after restarting HaloSpot.")
                             .arg(why);
    } else if (error == QKeychain::AccessDenied || error == QKeychain::AccessDeniedByUser) {
        setAvailability(Availability::Available);
        result.outcome = SecretOutcome::Denied;
        result.message =
            tr("The keychain refused access to \u201c%1\u201d (%2). Unlock the keychain "
               "or allow HaloSpot to use it, then try again.")
                .arg(call.key, why);
    } else {
        result.outcome = SecretOutcome::Failed;
        switch (call.op) {
        case Op::Read:
            result.message =
                tr("Could not read \u201c%1\u201d from the keychain (%2). Try again; if it "
                   "keeps failing, check the system keychain.")
                    .arg(call.key, why);
            break;
        case Op::Write:
            result.message =
                tr("Could not save \u201c%1\u201d in the keychain (%2). Try again; if it "
                   "keeps failing, check the system keychain.")
                    .arg(call.key, why);
            break;
        case Op::Remove:
            result.message =
                tr("Could not remove \u201c%1\u201d from the keychain (%2). Try again; if "
                   "it keeps failing, check the system keychain.")
                    .arg(call.key, why);
            break;
        }
    }

    // Keys and QtKeychain's own error text only: never the secret.
    if (!result.message.isEmpty())
        qCWarning(lcSecrets) << opName(call.op) << call.key << "failed with keychain error"
                             << int(error) << job->errorString();
    if (call.done)
        call.done(result);
}

} // namespace halospot::api
