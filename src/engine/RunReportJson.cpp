// The JSON report of a run and the query that reads its items back.
#include "RunReportJson.h"

#include "RunItems.h"
#include "Store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <limits>

namespace halospot::engine {

Result<QList<core::RunItem>> loadRunItems(const core::Store &store, qint64 runId)
{
    return core::runItems(store, runId, QString(), 0, std::numeric_limits<int>::max());
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

Result<qint64> writeReportFile(const core::Store &store, const RunReport &report,
                               const QString &path, int pageSize)
{
    using R = Result<qint64>;
    const auto problem = [&path](const QString &why) {
        return R::failure(
            QCoreApplication::translate("RunReport", "The report %1 was not written: %2")
                .arg(path, why));
    };
    const auto actions = core::runItemActionCounts(store, report.runId);
    if (!actions.ok())
        return problem(actions.error());
    Counts counts;
    for (const auto &[action, n] : actions.value()) {
        Counts one;
        one.add(action);
        counts.filteredOut += one.filteredOut * n;
        counts.created += one.created * n;
        counts.updated += one.updated * n;
        counts.unchanged += one.unchanged * n;
        counts.skipped += one.skipped * n;
        counts.ambiguous += one.ambiguous * n;
        counts.failed += one.failed * n;
        counts.read += n;
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return problem(file.errorString());
    // The members before "items" as one object, left open so the items can follow one by one.
    const QJsonObject head{
        {QStringLiteral("kind"), jobKindName(report.kind)},
        {QStringLiteral("dry_run"), report.dryRun},
        {QStringLiteral("status"), report.status},
        {QStringLiteral("started_at"), report.startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finished_at"), report.finishedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("counts"), counts.toJson()},
    };
    QByteArray text = QJsonDocument(head).toJson(QJsonDocument::Compact);
    text.chop(1); // the closing brace
    text += ",\"items\":[";
    bool ok = file.write(text) == text.size();
    qint64 written = 0;
    pageSize = qMax(1, pageSize);
    while (ok) {
        const auto page = core::runItems(store, report.runId, QString(), written, pageSize);
        if (!page.ok())
            return problem(page.error());
        for (const core::RunItem &item : page.value()) {
            QByteArray line = written == 0 ? QByteArray("\n") : QByteArray(",\n");
            line += QJsonDocument(runItemJson(item)).toJson(QJsonDocument::Compact);
            ok = ok && file.write(line) == line.size();
            ++written;
        }
        if (page.value().size() < pageSize)
            break;
    }
    const QByteArray tail("\n]}\n");
    ok = ok && file.write(tail) == tail.size();
    if (!ok || !file.commit())
        return problem(file.errorString());
    return written;
}

} // namespace halospot::engine
