// The local store: one SQLite file through Qt Sql, with versioned migrations, WAL and one
// connection per thread, plus the small typed API the engine, the GUI and the commands use.
#pragma once

#include "Result.h"
#include "StoreTypes.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>
#include <utility>

class QSqlError;

namespace halospot::core {

// One schema step: statements applied in one transaction that then sets PRAGMA user_version to
// version. Versions start at 1 and increase by one.
struct Migration
{
    int version = 0;
    QStringList statements;
};

// Thread safety: every method may be called from any thread; each thread gets its own named
// connection, opened on first use and removed when the thread finishes. open() runs on the thread
// that owns the Store, before other threads use it, and the Store outlives every thread using it.
class Store final
{
    Q_DECLARE_TR_FUNCTIONS(Store)

public:
    // The SQLite application_id that marks a file as HaloSpot's ("HlSp").
    static constexpr int applicationId = 0x486C5370;
    // How long a writer waits for another connection's write transaction before giving up.
    static constexpr int busyTimeoutMs = 10000;

    explicit Store(QString path);
    // Tests use this to migrate with a different list (e.g. the built-in one plus a broken step).
    Store(QString path, QList<Migration> migrations);
    ~Store();
    Q_DISABLE_COPY_MOVE(Store)

    static const QList<Migration> &migrations();
    static int schemaVersion(); // the newest version this build knows

    const QString &path() const { return m_path; }
    bool isOpen() const { return m_open.load(); }
    // The version of the file after the last successful open().
    int version() const { return m_version.load(); }

    // Creates the folder if needed, checks the file is a HaloSpot database this build can use,
    // switches it to WAL and applies the migrations. The error is a sentence a user can act on.
    Status open();
    // As open(), but migrates no further than targetVersion (tests build older schemas this way).
    Status open(int targetVersion);

    // The calling thread's own connection, opened lazily with the per-connection pragmas.
    // Invalid (not open) before open() succeeded or when the file cannot be opened. Never hand the
    // returned object to another thread.
    QSqlDatabase connection() const;

    // Settings: small named values.
    Status setSetting(const QString &key, const QString &value);
    Result<QString> setting(const QString &key, const QString &fallback = {}) const;
    // Several settings in one transaction: all of them are written or none.
    Status setSettings(const QList<std::pair<QString, QString>> &values);

    // Sync cursors: where the last incremental read stopped, per named stream.
    Status setCursor(const QString &name, const QString &value);
    Result<QString> cursor(const QString &name, const QString &fallback = {}) const;

    // Links.
    Status upsertLink(const Link &link);
    Result<std::optional<Link>> findLinkByHubSpotId(Entity entity, const QString &hubspotId) const;
    Result<QList<Link>> findLinksByHaloId(Entity entity, qint64 haloId) const;
    Result<qint64> linkCount(Entity entity) const;

    // Runs and their per-record results.
    Result<qint64> beginRun(const QString &kind, bool dryRun = false);
    Status addRunItems(qint64 runId, const QList<RunItem> &items); // one transaction
    Status finishRun(qint64 runId, const QString &status, const QJsonObject &counts = {});
    Result<RunRecord> run(qint64 runId) const;
    // The newest runs first (by start, then ID), at most `limit` of them.
    Result<QList<RunRecord>> recentRuns(int limit) const;

    // Write intents (the "no duplicates" journal).
    Result<QList<qint64>> addPendingWrites(const QList<PendingWrite> &writes); // one transaction
    Result<QList<PendingWrite>> pendingWrites() const;                         // oldest first
    Status clearPendingWrites(const QList<qint64> &ids);                       // one transaction

    // What the engine commits after a write batch's reply, all or nothing: the links, the results
    // and the removal of the intents they settle.
    Status recordBatch(qint64 runId, const QList<Link> &links, const QList<RunItem> &items,
                       const QList<qint64> &settledIntents);

    // A sentence for a failed SQL operation; doing says what HaloSpot was trying to do.
    static QString describeFailure(const QString &path, const QSqlError &error,
                                   const QString &doing);

private:
    QString connectionName() const;
    Result<QSqlDatabase> threadConnection() const;
    Status openFile(int targetVersion);
    Status checkFile(QSqlDatabase &db, int *fileVersion) const;
    Status migrate(QSqlDatabase &db, int from, int to) const;
    Status notOpen() const;
    Status writeSettings(const QList<std::pair<QString, QString>> &values, const QString &doing);
    // Runs body inside BEGIN IMMEDIATE ... COMMIT; rolls back when body or the commit fails.
    // writeTransaction uses the calling thread's connection and requires the store to be open.
    Status writeTransaction(const QString &doing,
                            const std::function<Status(QSqlDatabase &)> &body) const;
    Status transaction(QSqlDatabase &db, const QString &doing,
                       const std::function<Status(QSqlDatabase &)> &body) const;

    QString m_path;
    QList<Migration> m_migrations;
    quint64 m_id = 0;
    std::atomic<bool> m_open = false;
    std::atomic<int> m_version = 0;
};

} // namespace halospot::core
