// The run lock: QLockFile with age-based staleness off (see RunLock.h).
#include "RunLock.h"

#include <QDir>

namespace halospot::core {

RunLock::RunLock(const QString &dataDir)
    : m_lock(path(dataDir))
{
    m_lock.setStaleLockTime(0);
}

RunLock::~RunLock() = default;

QString RunLock::path(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("run.lock"));
}

Status RunLock::tryLock()
{
    m_failure = Failure::None;
    if (m_lock.isLocked() || m_lock.tryLock(0))
        return {};
    if (m_lock.error() == QLockFile::LockFailedError) {
        m_failure = Failure::HeldByAnother;
        qint64 pid = 0;
        QString host;
        QString application;
        m_lock.getLockInfo(&pid, &host, &application);
        return Status::failure(tr("Another HaloSpot run (process %1 on %2) holds the lock %3: wait "
                                  "for it to finish, or stop it first.")
                                   .arg(pid)
                                   .arg(host.isEmpty() ? tr("this computer") : host,
                                        QDir::toNativeSeparators(m_lock.fileName())));
    }
    m_failure = Failure::CannotCreate;
    return Status::failure(
        tr("Could not create the lock file %1; check that the data directory is writable.")
            .arg(QDir::toNativeSeparators(m_lock.fileName())));
}

void RunLock::unlock()
{
    if (m_lock.isLocked())
        m_lock.unlock();
}

} // namespace halospot::core
