// One run per data directory at a time (SPEC §1.4, §4): the lock file `run.lock` beside the
// store, taken by `halospot import` and by the window's jobs that write. A lock left by a process
// that died (even by SIGKILL) is stale by its process ID and taken over; a live run's lock never
// goes stale by age, however long the run.
#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QLockFile>
#include <QString>

namespace halospot::core {

class RunLock final
{
    Q_DECLARE_TR_FUNCTIONS(RunLock)

public:
    enum class Failure
    {
        None,
        HeldByAnother, // another live run has it
        CannotCreate,  // the folder is not writable
    };

    explicit RunLock(const QString &dataDir);
    ~RunLock();
    Q_DISABLE_COPY_MOVE(RunLock)

    static QString path(const QString &dataDir); // <dataDir>/run.lock

    // Takes the lock without waiting; the failure says who holds it, or why it could not be made.
    Status tryLock();
    Failure lastFailure() const { return m_failure; }
    void unlock();
    bool isLocked() const { return m_lock.isLocked(); }

private:
    QLockFile m_lock;
    Failure m_failure = Failure::None;
};

} // namespace halospot::core
