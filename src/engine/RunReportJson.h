// SPEC §4's report document, built from a finished run: its RunReport plus the per-record items
// kept in the store, either in memory (small runs, tests) or streamed to a file page by page.
#pragma once

#include "EngineTypes.h"
#include "Result.h"

#include <QJsonObject>
#include <QList>

namespace halospot::core {
class Store;
}

namespace halospot::engine {

// Every item of a run, in the order they were recorded. Uses the calling thread's connection.
Result<QList<core::RunItem>> loadRunItems(const core::Store &store, qint64 runId);

// { kind, dry_run, status, started_at, finished_at, counts, items[] } as SPEC §4 shows it.
QJsonObject reportJson(const RunReport &report, const QList<core::RunItem> &items);
QJsonObject runItemJson(const core::RunItem &item);

// Writes the report of a finished run to `path` atomically (QSaveFile), reading the items from
// the store `pageSize` at a time so that a run of 100 000 records never sits in memory. The counts
// are those of the stored items (so counts.read equals the number of items even for a run that
// stopped with records read but not settled); the other members come from `report`. Returns the
// number of items written; the error is a sentence naming the file.
Result<qint64> writeReportFile(const core::Store &store, const RunReport &report,
                               const QString &path, int pageSize = 1000);

} // namespace halospot::engine
