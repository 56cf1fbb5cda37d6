// The JSON report of a run and the query that reads its items back.
#include "RunReportJson.h"

#include "Store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace halospot::engine {

Result<QList<core::RunItem>> loadRunItems(const core::Store &store, qint64 runId)
{
    using R = Result<QList<core::RunItem>>;
    QSqlDatabase db = store.connection();
    if (!db.isOpen())
        return R::failure(
            QCoreApplication::translate("RunReport", "The HaloSpot database is not open."));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("SELECT entity, hubspot_id, halo_id, action, reason, changes"
                                  " FROM run_items WHERE run_id = ? ORDER BY id"))) {
        return R::failure(core::Store::describeFailure(
            store.path(), q.lastError(),
            QCoreApplication::translate("RunReport", "read the results of a run")));
    }
    q.addBindValue(runId);
    if (!q.exec())
        return R::failure(core::Store::describeFailure(
            store.path(), q.lastError(),
            QCoreApplication::translate("RunReport", "read the results of a run")));
    QList<core::RunItem> items;
    while (q.next()) {
        core::RunItem item;
        item.entity = core::entityFromName(q.value(0).toString()).value_or(core::Entity::Company);
        item.hubspotId = q.value(1).toString();
        item.haloId = q.value(2).toLongLong();
        item.action = q.value(3).toString();
        item.reason = q.value(4).toString();
        item.changes = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
        items.append(item);
    }
    return items;
}

QJsonObject runItemJson(const core::RunItem &item)
{
    QJsonObject o{
        {QStringLiteral("hubspot_id"), item.hubspotId},
        {QStringLiteral("halo_id"), item.haloId},
        {QStringLiteral("action"), item.action},
        {QStringLiteral("reason"), item.reason},
    };
    if (!item.changes.isEmpty())
        o.insert(QStringLiteral("changes"), item.changes);
    return o;
}

QJsonObject reportJson(const RunReport &report, const QList<core::RunItem> &items)
{
    QJsonArray array;
    for (const core::RunItem &item : items)
        array.append(runItemJson(item));
    return QJsonObject{
        {QStringLiteral("kind"), jobKindName(report.kind)},
        {QStringLiteral("dry_run"), report.dryRun},
        {QStringLiteral("status"), report.status},
        {QStringLiteral("started_at"), report.startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finished_at"), report.finishedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("counts"), report.counts.toJson()},
        {QStringLiteral("items"), array},
    };
}

} // namespace halospot::engine
