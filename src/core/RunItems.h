// Reading a run's per-record results back in pages (the result list, the CSV export and the
// report file), so that a run of 100 000 records is never held in memory at once.
#pragma once

#include "Result.h"
#include "StoreTypes.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace halospot::core {

class Store;

// action: one of RunItem::action's values, or empty for every item; "!filtered_out" (a leading
// '!') means every item but those of that action.
Result<qint64> countRunItems(const Store &store, qint64 runId, const QString &action = {});
// Items in the order they were recorded, starting at `offset`.
Result<QList<RunItem>> runItems(const Store &store, qint64 runId, const QString &action,
                                qint64 offset, int limit);
// Items recorded after the item with ID afterId (0 = all), counted per action; maxId is the newest
// item's ID (afterId when there is none). Item IDs only grow within a run, so a view that is
// updated while the run goes on adds up these tallies and reads only the new rows each time.
struct RunItemTally
{
    QList<std::pair<QString, qint64>> perAction; // action -> count, by action name
    qint64 maxId = 0;
    qint64 total() const;
    qint64 count(const QString &action) const; // "" = total(); "!x" = all but x
};
Result<RunItemTally> tallyRunItems(const Store &store, qint64 runId, qint64 afterId = 0);

// Per action ("created" -> 12, ...), for the filter's counts.
Result<QList<std::pair<QString, qint64>>> runItemActionCounts(const Store &store, qint64 runId);

// "CFindustry: Retail → Software; name: (empty) → Acme", as the result list and the CSV show
// the changes of one item ({ "<field>": { "from": ..., "to": ... } }).
QString runItemChangesText(const QJsonObject &changes);

// Writes the items (optionally of one action) as CSV (RFC 4180, UTF-8, header row
// "hubspot_id,name,halo_id,action,reason,changes"; changes as "field: from → to; …"; names from
// the picker cache when known) to `path`, atomically (QSaveFile). Returns the number of rows.
Result<qint64> exportRunItemsCsv(const Store &store, qint64 runId, const QString &action,
                                 const QString &path);

} // namespace halospot::core
