// The Store's typed API: settings, links, runs and their results, and the write-intent journal.
#include "Store.h"
#include "StoreSql.h"

#include <QSqlError>
#include <QSqlQuery>

namespace halospot::core {

using detail::exec;

QString entityName(Entity entity)
{
    return entity == Entity::Company ? QStringLiteral("company") : QStringLiteral("contact");
}

std::optional<Entity> entityFromName(const QString &name)
{
    if (name == QLatin1String("company"))
        return Entity::Company;
    if (name == QLatin1String("contact"))
        return Entity::Contact;
    return std::nullopt;
}

QString writeTargetName(WriteTarget target)
{
    return target == WriteTarget::Halo ? QStringLiteral("halo") : QStringLiteral("hubspot");
}

std::optional<WriteTarget> writeTargetFromName(const QString &name)
{
    if (name == QLatin1String("halo"))
        return WriteTarget::Halo;
    if (name == QLatin1String("hubspot"))
        return WriteTarget::HubSpot;
    return std::nullopt;
}

namespace {

const QString kLinkColumns = QStringLiteral("entity, hubspot_id, halo_id, base, synced_at");

Link linkFromRow(const QSqlQuery &q)
{
    Link link;
    link.entity = entityFromName(q.value(0).toString()).value_or(Entity::Company);
    link.hubspotId = q.value(1).toString();
    link.haloId = q.value(2).toLongLong();
    link.base = detail::jsonFromText(q.value(3).toString());
    link.syncedAt = detail::timeFromText(q.value(4).toString());
    return link;
}

const QString kRunSelect =
    QStringLiteral("SELECT id, kind, dry_run, status, started_at, finished_at, counts,"
                   " (SELECT count(*) FROM run_items WHERE run_id = runs.id) FROM runs");

RunRecord runFromRow(const QSqlQuery &q)
{
    RunRecord r;
    r.id = q.value(0).toLongLong();
    r.kind = q.value(1).toString();
    r.dryRun = q.value(2).toInt() != 0;
    r.status = q.value(3).toString();
    r.startedAt = detail::timeFromText(q.value(4).toString());
    r.finishedAt = detail::timeFromText(q.value(5).toString());
    r.counts = detail::jsonFromText(q.value(6).toString());
    r.itemCount = q.value(7).toLongLong();
    return r;
}

// The statements below run inside a caller's transaction on the caller's connection.

bool insertLinks(QSqlDatabase &db, const QList<Link> &links, QSqlError *error)
{
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral("INSERT INTO links (%1) VALUES (?, ?, ?, ?, ?)"
                                  " ON CONFLICT (entity, hubspot_id) DO UPDATE SET"
                                  " halo_id = excluded.halo_id, base = excluded.base,"
                                  " synced_at = excluded.synced_at")
                       .arg(kLinkColumns))) {
        *error = q.lastError();
        return false;
    }
    const QString now = detail::nowText();
    for (const Link &link : links) {
        detail::bind(q, entityName(link.entity));
        detail::bind(q, link.hubspotId);
        detail::bind(q, link.haloId);
        detail::bind(q, detail::jsonText(link.base));
        detail::bind(q, link.syncedAt.isValid() ? detail::timeText(link.syncedAt) : now);
        if (!q.exec()) {
            *error = q.lastError();
            return false;
        }
    }
    return true;
}

bool insertRunItems(QSqlDatabase &db, qint64 runId, const QList<RunItem> &items, QSqlError *error)
{
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral("INSERT INTO run_items"
                                  " (run_id, entity, hubspot_id, halo_id, action, reason, changes)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?)"))) {
        *error = q.lastError();
        return false;
    }
    for (const RunItem &item : items) {
        detail::bind(q, runId);
        detail::bind(q, entityName(item.entity));
        detail::bind(q, item.hubspotId);
        detail::bind(q, detail::idOrNull(item.haloId));
        detail::bind(q, item.action);
        detail::bind(q, item.reason);
        detail::bind(q, detail::jsonText(item.changes));
        if (!q.exec()) {
            *error = q.lastError();
            return false;
        }
    }
    return true;
}

bool deletePendingWrites(QSqlDatabase &db, const QList<qint64> &ids, QSqlError *error)
{
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral("DELETE FROM pending_writes WHERE id = ?"))) {
        *error = q.lastError();
        return false;
    }
    for (qint64 id : ids) {
        detail::bind(q, id);
        if (!q.exec()) {
            *error = q.lastError();
            return false;
        }
    }
    return true;
}

} // namespace

Status Store::setSetting(const QString &key, const QString &value)
{
    return writeSettings({{key, value}}, tr("save the setting %1").arg(key));
}

Status Store::setSettings(const QList<std::pair<QString, QString>> &values)
{
    return writeSettings(values, tr("save %n setting(s)", nullptr, int(values.size())));
}

Status Store::writeSettings(const QList<std::pair<QString, QString>> &values, const QString &doing)
{
    return writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        for (const auto &[key, value] : values) {
            if (!exec(q,
                      QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)"
                                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                      {key, value}))
                return Status::failure(describeFailure(m_path, q.lastError(), doing));
        }
        return {};
    });
}

Result<QString> Store::setting(const QString &key, const QString &fallback) const
{
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return Result<QString>::failure(notOpen().error());
    QSqlQuery q(db);
    if (!exec(q, QStringLiteral("SELECT value FROM settings WHERE key = ?"), {key}))
        return Result<QString>::failure(
            describeFailure(m_path, q.lastError(), tr("read the setting %1").arg(key)));
    return q.next() ? q.value(0).toString() : fallback;
}

Status Store::setCursor(const QString &name, const QString &value)
{
    const QString doing = tr("save the sync position %1").arg(name);
    return writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!exec(q,
                  QStringLiteral("INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)"
                                 " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
                                 " updated_at = excluded.updated_at"),
                  {name, value, detail::nowText()}))
            return Status::failure(describeFailure(m_path, q.lastError(), doing));
        return {};
    });
}

Result<QString> Store::cursor(const QString &name, const QString &fallback) const
{
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return Result<QString>::failure(notOpen().error());
    QSqlQuery q(db);
    if (!exec(q, QStringLiteral("SELECT value FROM cursors WHERE name = ?"), {name}))
        return Result<QString>::failure(
            describeFailure(m_path, q.lastError(), tr("read the sync position %1").arg(name)));
    return q.next() ? q.value(0).toString() : fallback;
}

Status Store::upsertLink(const Link &link)
{
    const QString doing = tr("save a link");
    return writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlError error;
        if (!insertLinks(db, {link}, &error))
            return Status::failure(describeFailure(m_path, error, doing));
        return {};
    });
}

Result<std::optional<Link>> Store::findLinkByHubSpotId(Entity entity,
                                                       const QString &hubspotId) const
{
    using R = Result<std::optional<Link>>;
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return R::failure(notOpen().error());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!exec(q,
              QStringLiteral("SELECT %1 FROM links WHERE entity = ? AND hubspot_id = ?")
                  .arg(kLinkColumns),
              {entityName(entity), hubspotId}))
        return R::failure(describeFailure(m_path, q.lastError(), tr("read links")));
    if (!q.next())
        return std::optional<Link>();
    return std::optional<Link>(linkFromRow(q));
}

Result<QList<Link>> Store::findLinksByHaloId(Entity entity, qint64 haloId) const
{
    using R = Result<QList<Link>>;
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return R::failure(notOpen().error());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!exec(q,
              QStringLiteral("SELECT %1 FROM links WHERE entity = ? AND halo_id = ?"
                             " ORDER BY synced_at DESC, id DESC")
                  .arg(kLinkColumns),
              {entityName(entity), haloId}))
        return R::failure(describeFailure(m_path, q.lastError(), tr("read links")));
    QList<Link> links;
    while (q.next())
        links.append(linkFromRow(q));
    return links;
}

Result<qint64> Store::linkCount(Entity entity) const
{
    using R = Result<qint64>;
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return R::failure(notOpen().error());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!exec(q, QStringLiteral("SELECT count(*) FROM links WHERE entity = ?"),
              {entityName(entity)}) ||
        !q.next())
        return R::failure(describeFailure(m_path, q.lastError(), tr("count links")));
    return q.value(0).toLongLong();
}

Result<qint64> Store::beginRun(const QString &kind, bool dryRun)
{
    const QString doing = tr("record the start of a run");
    qint64 id = 0;
    const Status status = writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!exec(q,
                  QStringLiteral("INSERT INTO runs (kind, dry_run, status, started_at)"
                                 " VALUES (?, ?, 'running', ?)"),
                  {kind, dryRun ? 1 : 0, detail::nowText()}))
            return Status::failure(describeFailure(m_path, q.lastError(), doing));
        id = q.lastInsertId().toLongLong();
        return {};
    });
    if (!status)
        return Result<qint64>::failure(status.error());
    return id;
}

Status Store::addRunItems(qint64 runId, const QList<RunItem> &items)
{
    const QString doing = tr("save run results");
    return writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlError error;
        if (!insertRunItems(db, runId, items, &error))
            return Status::failure(describeFailure(m_path, error, doing));
        return {};
    });
}

Status Store::finishRun(qint64 runId, const QString &status, const QJsonObject &counts)
{
    const QString doing = tr("record the end of a run");
    return writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!exec(q,
                  QStringLiteral("UPDATE runs SET status = ?, finished_at = ?, counts = ?"
                                 " WHERE id = ?"),
                  {status, detail::nowText(), detail::jsonText(counts), runId}))
            return Status::failure(describeFailure(m_path, q.lastError(), doing));
        if (q.numRowsAffected() != 1)
            return Status::failure(
                tr("HaloSpot could not %1: run %2 does not exist.").arg(doing).arg(runId));
        return {};
    });
}

Result<RunRecord> Store::run(qint64 runId) const
{
    using R = Result<RunRecord>;
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return R::failure(notOpen().error());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!exec(q, kRunSelect + QStringLiteral(" WHERE id = ?"), {runId}))
        return R::failure(describeFailure(m_path, q.lastError(), tr("read run history")));
    if (!q.next())
        return R::failure(tr("Run %1 is not in the HaloSpot database.").arg(runId));
    return runFromRow(q);
}

Result<QList<RunRecord>> Store::recentRuns(int limit) const
{
    using R = Result<QList<RunRecord>>;
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return R::failure(notOpen().error());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!exec(q, kRunSelect + QStringLiteral(" ORDER BY started_at DESC, id DESC LIMIT ?"),
              {qMax(0, limit)}))
        return R::failure(describeFailure(m_path, q.lastError(), tr("read run history")));
    QList<RunRecord> runs;
    while (q.next())
        runs.append(runFromRow(q));
    return runs;
}

Result<QList<qint64>> Store::addPendingWrites(const QList<PendingWrite> &writes)
{
    const QString doing = tr("record the writes about to be sent");
    QList<qint64> ids;
    const Status status = writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!q.prepare(QStringLiteral("INSERT INTO pending_writes (run_id, batch_id, target,"
                                      " entity, source_id, natural_key, payload, created_at)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
            return Status::failure(describeFailure(m_path, q.lastError(), doing));
        const QString now = detail::nowText();
        for (const PendingWrite &w : writes) {
            detail::bind(q, detail::idOrNull(w.runId));
            detail::bind(q, w.batchId);
            detail::bind(q, writeTargetName(w.target));
            detail::bind(q, entityName(w.entity));
            detail::bind(q, w.sourceId);
            detail::bind(q, w.naturalKey);
            detail::bind(q, detail::jsonText(w.payload));
            detail::bind(q, now);
            if (!q.exec())
                return Status::failure(describeFailure(m_path, q.lastError(), doing));
            ids.append(q.lastInsertId().toLongLong());
        }
        return {};
    });
    if (!status)
        return Result<QList<qint64>>::failure(status.error());
    return ids;
}

Result<QList<PendingWrite>> Store::pendingWrites() const
{
    using R = Result<QList<PendingWrite>>;
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return R::failure(notOpen().error());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!exec(q, QStringLiteral("SELECT id, run_id, batch_id, target, entity, source_id,"
                                " natural_key, payload, created_at FROM pending_writes"
                                " ORDER BY id")))
        return R::failure(describeFailure(m_path, q.lastError(), tr("read pending writes")));
    QList<PendingWrite> writes;
    while (q.next()) {
        PendingWrite w;
        w.id = q.value(0).toLongLong();
        w.runId = q.value(1).toLongLong(); // NULL -> 0
        w.batchId = q.value(2).toString();
        w.target = writeTargetFromName(q.value(3).toString()).value_or(WriteTarget::Halo);
        w.entity = entityFromName(q.value(4).toString()).value_or(Entity::Company);
        w.sourceId = q.value(5).toString();
        w.naturalKey = q.value(6).toString();
        w.payload = detail::jsonFromText(q.value(7).toString());
        w.createdAt = detail::timeFromText(q.value(8).toString());
        writes.append(w);
    }
    return writes;
}

Status Store::clearPendingWrites(const QList<qint64> &ids)
{
    const QString doing = tr("clear settled pending writes");
    return writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlError error;
        if (!deletePendingWrites(db, ids, &error))
            return Status::failure(describeFailure(m_path, error, doing));
        return {};
    });
}

Status Store::recordBatch(qint64 runId, const QList<Link> &links, const QList<RunItem> &items,
                          const QList<qint64> &settledIntents)
{
    const QString doing = tr("save the results of a write batch");
    return writeTransaction(doing, [&](QSqlDatabase &db) -> Status {
        QSqlError error;
        if (!insertLinks(db, links, &error) || !insertRunItems(db, runId, items, &error) ||
            !deletePendingWrites(db, settledIntents, &error))
            return Status::failure(describeFailure(m_path, error, doing));
        return {};
    });
}

} // namespace halospot::core
