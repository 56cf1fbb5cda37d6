// The plain records that the local store reads and writes: links, run results and write intents.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace halospot::core {

// Which kind of record a row is about; stored as "company" / "contact".
enum class Entity
{
    Company,
    Contact
};

QString entityName(Entity entity);
std::optional<Entity> entityFromName(const QString &name);

// Which service a pending write is sent to; stored as "halo" / "hubspot".
enum class WriteTarget
{
    Halo,
    HubSpot
};

QString writeTargetName(WriteTarget target);
std::optional<WriteTarget> writeTargetFromName(const QString &name);

// HubSpot record hubspotId is Halo record haloId. Several HubSpot records may point at the same
// Halo record (two companies mapped to one customer), so only (entity, hubspotId) is unique.
struct Link
{
    Entity entity = Entity::Company;
    QString hubspotId;
    qint64 haloId = 0;
    QJsonObject base;   // the values both sides agreed on at the last sync, for conflict detection
    QDateTime syncedAt; // UTC; the store fills in "now" when it is invalid
};

// One record's outcome in a run, as the report and the Activity view show it.
struct RunItem
{
    Entity entity = Entity::Company;
    QString hubspotId;
    qint64 haloId = 0; // 0 = none
    QString action;    // created|updated|unchanged|skipped|ambiguous|failed|filtered_out
    QString reason;
    QJsonObject changes; // { "<field>": { "from": ..., "to": ... } }
};

struct RunRecord
{
    qint64 id = 0;
    QString kind; // companies|contacts|sync
    bool dryRun = false;
    QString status; // running|completed|completed_with_errors|failed|cancelled
    QDateTime startedAt;
    QDateTime finishedAt; // invalid while running
    QJsonObject counts;
    qint64 itemCount = 0;
};

// An intent written before a write is sent, so that a crash or an ambiguous failure is reconciled
// against the target service before the record is sent again. At most one per (target, entity,
// sourceId).
struct PendingWrite
{
    qint64 id = 0;    // assigned by the store
    qint64 runId = 0; // 0 = not tied to a run
    QString batchId;
    WriteTarget target = WriteTarget::Halo;
    Entity entity = Entity::Company;
    QString sourceId;   // the ID on the side the record comes from (HubSpot ID for target Halo)
    QString naturalKey; // what reconciliation looks the record up by: a name or an e-mail
    QJsonObject payload;
    QDateTime createdAt; // UTC; filled in by the store
};

} // namespace halospot::core

Q_DECLARE_METATYPE(halospot::core::Link)
Q_DECLARE_METATYPE(halospot::core::RunItem)
Q_DECLARE_METATYPE(halospot::core::RunRecord)
Q_DECLARE_METATYPE(halospot::core::PendingWrite)
