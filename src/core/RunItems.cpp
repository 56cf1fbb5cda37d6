// Paged reads of run_items: the result list, the report file and the CSV export read a run this
// way instead of all at once.
#include "RunItems.h"

#include "Store.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace halospot::core {

namespace {

QString doing()
{
    return QCoreApplication::translate("RunItems", "read the results of a run");
}

QString notOpen()
{
    return QCoreApplication::translate("RunItems", "The HaloSpot database is not open.");
}

bool negated(const QString &action)
{
    return action.startsWith(QLatin1Char('!'));
}

// "WHERE run_id = ?" plus the action (or "all but the action") when one is asked for.
QString whereClause(const QString &action)
{
    if (action.isEmpty())
        return QStringLiteral(" WHERE run_id = ?");
    return negated(action) ? QStringLiteral(" WHERE run_id = ? AND action <> ?")
                           : QStringLiteral(" WHERE run_id = ? AND action = ?");
}

void bindWhere(QSqlQuery &q, qint64 runId, const QString &action)
{
    q.addBindValue(runId);
    if (!action.isEmpty())
        q.addBindValue(negated(action) ? action.mid(1) : action);
}

} // namespace

Result<qint64> countRunItems(const Store &store, qint64 runId, const QString &action)
{
    using R = Result<qint64>;
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return R::failure(notOpen());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("SELECT count(*) FROM run_items") + whereClause(action)))
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    bindWhere(q, runId, action);
    if (!q.exec() || !q.next())
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    return q.value(0).toLongLong();
}

Result<QList<RunItem>> runItems(const Store &store, qint64 runId, const QString &action,
                                qint64 offset, int limit)
{
    using R = Result<QList<RunItem>>;
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return R::failure(notOpen());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("SELECT entity, hubspot_id, halo_id, action, reason, changes"
                                  " FROM run_items") +
                   whereClause(action) + QStringLiteral(" ORDER BY id LIMIT ? OFFSET ?")))
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    bindWhere(q, runId, action);
    q.addBindValue(limit);
    q.addBindValue(offset);
    if (!q.exec())
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    QList<RunItem> items;
    while (q.next()) {
        RunItem item;
        item.entity = entityFromName(q.value(0).toString()).value_or(Entity::Company);
        item.hubspotId = q.value(1).toString();
        item.haloId = q.value(2).toLongLong();
        item.action = q.value(3).toString();
        item.reason = q.value(4).toString();
        item.changes = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
        items.append(item);
    }
    return items;
}

qint64 RunItemTally::total() const
{
    qint64 sum = 0;
    for (const auto &[action, n] : perAction)
        sum += n;
    return sum;
}

qint64 RunItemTally::count(const QString &action) const
{
    if (action.isEmpty())
        return total();
    if (action.startsWith(QLatin1Char('!')))
        return total() - count(action.mid(1));
    for (const auto &[name, n] : perAction) {
        if (name == action)
            return n;
    }
    return 0;
}

Result<RunItemTally> tallyRunItems(const Store &store, qint64 runId, qint64 afterId)
{
    using R = Result<RunItemTally>;
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return R::failure(notOpen());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // A range scan of run_items_by_run from afterId: the cost is the new rows, not the run.
    // Named, because without ANALYZE statistics SQLite prefers run_items_by_action for the
    // GROUP BY and walks every row of the run (60-400 ms at 500 000 rows, on the GUI thread).
    if (!q.prepare(QStringLiteral("SELECT action, count(*), max(id) FROM run_items"
                                  " INDEXED BY run_items_by_run"
                                  " WHERE run_id = ? AND id > ? GROUP BY action ORDER BY action")))
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    q.addBindValue(runId);
    q.addBindValue(afterId);
    if (!q.exec())
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    RunItemTally tally;
    tally.maxId = afterId;
    while (q.next()) {
        tally.perAction.append({q.value(0).toString(), q.value(1).toLongLong()});
        tally.maxId = std::max(tally.maxId, q.value(2).toLongLong());
    }
    return tally;
}

Result<QList<std::pair<QString, qint64>>> runItemActionCounts(const Store &store, qint64 runId)
{
    using R = Result<QList<std::pair<QString, qint64>>>;
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return R::failure(notOpen());
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("SELECT action, count(*) FROM run_items WHERE run_id = ?"
                                  " GROUP BY action ORDER BY action")))
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    q.addBindValue(runId);
    if (!q.exec())
        return R::failure(Store::describeFailure(store.path(), q.lastError(), doing()));
    QList<std::pair<QString, qint64>> counts;
    while (q.next())
        counts.append({q.value(0).toString(), q.value(1).toLongLong()});
    return counts;
}

} // namespace halospot::core
