// The Store's lifecycle: per-thread connections, opening and checking the file, migrations,
// write transactions and turning SQLite errors into sentences a user can act on.
#include "Store.h"
#include "StoreSql.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QThreadStorage>

Q_LOGGING_CATEGORY(lcStore, "halospot.core.store", QtInfoMsg)

namespace halospot::core {

namespace {

// SQLite primary result codes (sqlite3.h); Qt reports them as QSqlError::nativeErrorCode().
enum SqliteCode : int
{
    SqlitePerm = 3,
    SqliteBusy = 5,
    SqliteLocked = 6,
    SqliteReadOnly = 8,
    SqliteIoErr = 10,
    SqliteCorrupt = 11,
    SqliteFull = 13,
    SqliteCantOpen = 14,
    SqliteAuth = 23,
    SqliteNotADb = 26,
};

// The connections one thread opened, removed when the thread finishes. QThreadStorage runs the
// destructor inside the finishing thread (QThread and adopted std::threads alike) before
// QThread::wait() returns, which is the only thread allowed to close them.
struct ThreadConnections final
{
    QStringList names;
    ThreadConnections() = default;
    Q_DISABLE_COPY_MOVE(ThreadConnections)
    ~ThreadConnections()
    {
        for (const QString &name : std::as_const(names)) {
            if (QSqlDatabase::contains(name)) {
                qCDebug(lcStore) << "closing connection" << name << "as its thread finishes";
                QSqlDatabase::removeDatabase(name);
            }
        }
    }
};

QThreadStorage<ThreadConnections *> &threadConnections()
{
    static QThreadStorage<ThreadConnections *> storage;
    return storage;
}

void rememberForThread(const QString &name)
{
    auto &storage = threadConnections();
    if (!storage.hasLocalData())
        storage.setLocalData(new ThreadConnections);
    if (!storage.localData()->names.contains(name))
        storage.localData()->names.append(name);
}

void forgetForThread(const QString &name)
{
    auto &storage = threadConnections();
    if (storage.hasLocalData())
        storage.localData()->names.removeAll(name);
}

// Closes and removes this thread's connection; every QSqlDatabase copy must be gone by now.
void dropConnection(const QString &name)
{
    if (!QSqlDatabase::contains(name))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    forgetForThread(name);
}

std::atomic<quint64> g_nextStoreId{1};

QString migrationsProblem(const QList<Migration> &migrations)
{
    int expected = 1;
    for (const Migration &m : migrations) {
        if (m.version != expected)
            return QStringLiteral("migration %1 is out of order (expected %2)")
                .arg(m.version)
                .arg(expected);
        ++expected;
    }
    return {};
}

} // namespace

namespace detail {

bool exec(QSqlQuery &query, const QString &sql, const QVariantList &values)
{
    if (!query.prepare(sql))
        return false;
    for (const QVariant &value : values)
        bind(query, value);
    return query.exec();
}

void bind(QSqlQuery &query, const QVariant &value)
{
    if (value.typeId() == QMetaType::QString && value.toString().isNull())
        query.addBindValue(QStringLiteral(""));
    else
        query.addBindValue(value);
}

QString timeText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString nowText()
{
    return timeText(QDateTime::currentDateTimeUtc());
}

QDateTime timeFromText(const QString &text)
{
    if (text.isEmpty())
        return {};
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject jsonFromText(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QVariant idOrNull(qint64 id)
{
    return id == 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(id);
}

} // namespace detail

Store::Store(QString path)
    : Store(std::move(path), migrations())
{}

Store::Store(QString path, QList<Migration> migrations)
    : m_path(std::move(path))
    , m_migrations(std::move(migrations))
    , m_id(g_nextStoreId.fetch_add(1))
{}

Store::~Store()
{
    // Other threads' connections close when those threads finish; only this one is ours to close.
    dropConnection(connectionName());
}

int Store::schemaVersion()
{
    return migrations().isEmpty() ? 0 : migrations().constLast().version;
}

QString Store::connectionName() const
{
    return QStringLiteral("halospot.store.%1.thread.%2")
        .arg(m_id)
        .arg(reinterpret_cast<quintptr>(QThread::currentThreadId()), 0, 16);
}

Result<QSqlDatabase> Store::threadConnection() const
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase existing = QSqlDatabase::database(name, false);
        if (existing.isOpen())
            return existing;
    }
    dropConnection(name); // a stale, failed attempt

    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        rememberForThread(name);
        if (!db.isValid()) {
            error = tr("HaloSpot cannot use its database because Qt's SQLite driver (QSQLITE) is "
                       "not installed. Reinstall HaloSpot.");
        } else {
            db.setDatabaseName(m_path);
            if (!db.open()) {
                error = describeFailure(m_path, db.lastError(), tr("open its database"));
            } else {
                // PRAGMA values cannot be bound; these are constants, never user data. The
                // sqlite_master read comes after busy_timeout so a writer elsewhere is waited
                // for, and it is what fails on a file that is not a database.
                const QStringList pragmas = {
                    QStringLiteral("PRAGMA busy_timeout = %1").arg(busyTimeoutMs),
                    QStringLiteral("SELECT count(*) FROM sqlite_master"),
                    QStringLiteral("PRAGMA foreign_keys = ON"),
                    QStringLiteral("PRAGMA synchronous = NORMAL"),
                };
                for (const QString &sql : pragmas) {
                    QSqlQuery query(db);
                    if (!detail::exec(query, sql)) {
                        error = describeFailure(m_path, query.lastError(), tr("open its database"));
                        break;
                    }
                }
            }
        }
        if (error.isEmpty()) {
            qCDebug(lcStore) << "opened connection" << name << "to" << m_path;
            return db;
        }
    }
    dropConnection(name);
    return Result<QSqlDatabase>::failure(error);
}

QSqlDatabase Store::connection() const
{
    if (!m_open.load())
        return {};
    Result<QSqlDatabase> db = threadConnection();
    if (!db) {
        qCWarning(lcStore).noquote() << db.error();
        return {};
    }
    return db.value();
}

Status Store::open()
{
    return open(m_migrations.isEmpty() ? 0 : m_migrations.constLast().version);
}

Status Store::open(int targetVersion)
{
    if (m_open.load())
        return {};
    const Status status = openFile(targetVersion);
    if (!status) {
        // Let go of the file so the user can move it aside while HaloSpot runs.
        dropConnection(connectionName());
        qCWarning(lcStore).noquote() << status.error();
        return status;
    }
    m_open = true;
    qCInfo(lcStore) << "opened" << m_path << "at schema version" << m_version.load();
    return {};
}

Status Store::openFile(int targetVersion)
{
    if (const QString problem = migrationsProblem(m_migrations); !problem.isEmpty()) {
        qCCritical(lcStore) << "invalid migration list:" << problem;
        return Status::failure(tr("HaloSpot's database schema list is broken (%1). This is a bug; "
                                  "please report it.")
                                   .arg(problem));
    }
    const int latest = m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
    targetVersion = qBound(0, targetVersion, latest);

    const QFileInfo info(m_path);
    if (info.isDir())
        return Status::failure(tr("The HaloSpot database path %1 is a folder, not a file. Move "
                                  "the folder aside, or choose another data folder.")
                                   .arg(QDir::toNativeSeparators(m_path)));
    if (!QDir().mkpath(info.absolutePath()))
        return Status::failure(tr("HaloSpot could not create the folder %1 for its database. "
                                  "Check that you may write there, or choose another data folder.")
                                   .arg(QDir::toNativeSeparators(info.absolutePath())));

    Result<QSqlDatabase> db = threadConnection();
    if (!db)
        return Status::failure(db.error());
    int fileVersion = 0;
    if (Status status = checkFile(db.value(), &fileVersion); !status)
        return status;
    {
        QSqlQuery query(db.value());
        if (!detail::exec(query, QStringLiteral("PRAGMA journal_mode = WAL")))
            return Status::failure(
                describeFailure(m_path, query.lastError(), tr("open its database")));
        if (query.next() &&
            query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            // Some file systems (network shares, FAT) cannot do WAL; SQLite keeps the old
            // journal, which is slower but safe.
            qCWarning(lcStore) << "WAL is not available for" << m_path << "- journal mode is"
                               << query.value(0).toString();
    }
    if (Status status = migrate(db.value(), fileVersion, targetVersion); !status)
        return status;
    m_version = qMax(fileVersion, targetVersion);
    return {};
}

Status Store::checkFile(QSqlDatabase &db, int *fileVersion) const
{
    const QString doing = tr("open its database");
    auto scalar = [&](const QString &sql, qint64 *out) -> Status {
        QSqlQuery query(db);
        if (!detail::exec(query, sql))
            return Status::failure(describeFailure(m_path, query.lastError(), doing));
        *out = query.next() ? query.value(0).toLongLong() : 0;
        return {};
    };
    qint64 appId = 0, version = 0, tables = 0;
    Status status = scalar(QStringLiteral("PRAGMA application_id"), &appId);
    if (status)
        status = scalar(QStringLiteral("PRAGMA user_version"), &version);
    if (status)
        status = scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"),
                        &tables);
    if (!status)
        return status;

    const bool empty = appId == 0 && version == 0 && tables == 0;
    if (!empty && appId != applicationId)
        return Status::failure(tr("The file %1 is an SQLite database of another program, not a "
                                  "HaloSpot database. Choose another data folder, or move the "
                                  "file aside to start afresh.")
                                   .arg(QDir::toNativeSeparators(m_path)));
    const int latest = m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
    if (version > latest)
        return Status::failure(tr("The HaloSpot database at %1 was written by a newer version of "
                                  "HaloSpot (schema %2; this version knows up to %3). Update "
                                  "HaloSpot, or move the file aside to start afresh.")
                                   .arg(QDir::toNativeSeparators(m_path))
                                   .arg(version)
                                   .arg(latest));
    *fileVersion = int(version);
    return {};
}

Status Store::migrate(QSqlDatabase &db, int from, int to) const
{
    for (const Migration &migration : m_migrations) {
        if (migration.version <= from || migration.version > to)
            continue;
        const QString doing =
            tr("upgrade its database to schema version %1").arg(migration.version);
        const auto body = [&](QSqlDatabase &conn) -> Status {
            QStringList statements = migration.statements;
            // The marks are written with the schema so a half-made file never looks finished.
            if (from == 0 && migration.version == 1)
                statements.prepend(QStringLiteral("PRAGMA application_id = %1").arg(applicationId));
            statements.append(QStringLiteral("PRAGMA user_version = %1").arg(migration.version));
            for (const QString &sql : std::as_const(statements)) {
                QSqlQuery query(conn);
                if (!detail::exec(query, sql)) {
                    qCWarning(lcStore) << "migration" << migration.version << "failed at" << sql
                                       << query.lastError().text();
                    return Status::failure(describeFailure(m_path, query.lastError(), doing));
                }
            }
            return {};
        };
        // On the connection open() just checked, not via writeTransaction: not open yet.
        if (const Status status = transaction(db, doing, body); !status)
            return Status::failure(
                tr("%1 The file was left at schema version %2.").arg(status.error()).arg(from));
        from = migration.version;
        qCInfo(lcStore) << "migrated" << m_path << "to schema version" << migration.version;
    }
    return {};
}

Status Store::notOpen() const
{
    return Status::failure(
        tr("The HaloSpot database at %1 is not open.").arg(QDir::toNativeSeparators(m_path)));
}

Status Store::writeTransaction(const QString &doing,
                               const std::function<Status(QSqlDatabase &)> &body) const
{
    if (!m_open.load())
        return notOpen();
    Result<QSqlDatabase> db = threadConnection();
    if (!db)
        return Status::failure(db.error());
    return transaction(db.value(), doing, body);
}

Status Store::transaction(QSqlDatabase &db, const QString &doing,
                          const std::function<Status(QSqlDatabase &)> &body) const
{
    {
        // IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout)
        // instead of failing at once with SQLITE_BUSY when its read lock cannot be upgraded.
        // QSqlDatabase::transaction() would issue a plain (deferred) BEGIN.
        QSqlQuery begin(db);
        if (!detail::exec(begin, QStringLiteral("BEGIN IMMEDIATE")))
            return Status::failure(describeFailure(m_path, begin.lastError(), doing));
    }
    Status status = body(db);
    if (status) {
        QSqlQuery commit(db);
        if (detail::exec(commit, QStringLiteral("COMMIT")))
            return status;
        status = Status::failure(describeFailure(m_path, commit.lastError(), doing));
    }
    QSqlQuery rollback(db);
    if (!detail::exec(rollback, QStringLiteral("ROLLBACK")))
        qCWarning(lcStore) << "rollback failed:" << rollback.lastError().text();
    return status;
}

QString Store::describeFailure(const QString &path, const QSqlError &error, const QString &doing)
{
    const QString where = QDir::toNativeSeparators(path);
    QString detail = error.databaseText().trimmed();
    if (detail.isEmpty())
        detail = error.driverText().trimmed();
    bool numeric = false;
    const int code = error.nativeErrorCode().toInt(&numeric) & 0xff; // extended -> primary
    switch (numeric ? code : -1) {
    case SqliteCorrupt:
    case SqliteNotADb:
        return tr("The HaloSpot database at %1 is damaged or not a database file (%2). Move it "
                  "aside to start afresh, or restore a backup.")
            .arg(where, detail);
    case SqliteCantOpen:
    case SqlitePerm:
    case SqliteAuth:
    case SqliteIoErr:
        return tr("HaloSpot could not open or read its database at %1 (%2). Check that the file "
                  "and its folder exist and that you may read and write them, or choose another "
                  "data folder.")
            .arg(where, detail);
    case SqliteReadOnly:
        return tr("The HaloSpot database at %1 is read-only (%2). Give your user permission to "
                  "write to the file and its folder.")
            .arg(where, detail);
    case SqliteFull:
        return tr("The disk holding the HaloSpot database at %1 is full (%2). Free some space and "
                  "try again.")
            .arg(where, detail);
    case SqliteBusy:
    case SqliteLocked:
        return tr("The HaloSpot database at %1 is busy: another HaloSpot window or command is "
                  "using it (%2). Wait for it to finish and try again.")
            .arg(where, detail);
    default:
        return tr("HaloSpot could not %1 (database %2: %3).").arg(doing, where, detail);
    }
}

} // namespace halospot::core
