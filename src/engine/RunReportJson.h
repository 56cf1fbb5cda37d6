// SPEC §4's report document, built from a finished run: its RunReport plus the per-record items
// kept in the store (read back here, as the Store has no query for them yet).
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

} // namespace halospot::engine
