// What the engine needs of an import job (companies, contacts): start, cancel, progress, the
// results settled since the last look, and the end; and the run bookkeeping every import shares
// (its clients, the run in the store, settled items, the report). Lives on the engine thread.
#pragma once

#include "ApiResult.h"
#include "EngineTypes.h"
#include "FieldTypes.h"
#include "HaloClient.h"
#include "Profile.h"
#include "Result.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QList>
#include <QObject>
#include <QUrlQuery>

#include <functional>
#include <optional>

namespace halospot::core {
class Store;
}

namespace halospot::api {
class HaloClient;
class HubSpotClient;
class HubSpotTokens;
} // namespace halospot::api

namespace halospot::engine {

class HubSpotStream;

class ImportJob : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportJob)

public:
    ~ImportJob() override;

    virtual void start() = 0;
    // Finishes the job as cancelled at once; writes whose outcome is not known stay in the
    // intent journal for the next run.
    virtual void cancel();
    virtual bool isFinished() const { return m_finished; }
    virtual Progress progress() const;
    // Results settled since the last call, in settling order.
    virtual QList<core::RunItem> takeResults();

Q_SIGNALS:
    void finished(const halospot::engine::RunReport &report);
    // HubSpot rotated the refresh token: it must reach the keychain.
    void hubspotRefreshTokenChanged(const QString &refreshToken);

protected:
    // Bounds the spec's batch size and writes in flight, and makes the job's clients.
    // store must be usable from this thread and outlive the job.
    ImportJob(JobSpec spec, core::Store *store, QObject *parent);

    // The start of start(): opens the store and the run. False when the job failed.
    bool openRun();
    // Ends the run with status (see RunReport::status): what settled is saved, the run closed,
    // finished emitted. Once only.
    void finish(const QString &status, const QString &error = {});
    // Finishes as failed and ends every request on its way. why: ApiError::None for a cause of
    // this computer's (the store, the field mappings).
    void fail(const QString &error, std::optional<api::ApiError> why = std::nullopt);
    // False (and the job failed) when the store could not do what it was asked.
    bool checkStore(const Status &status);
    // One record's outcome: counted, handed out, and saved with its link at the next flush.
    void settle(core::RunItem item, const std::optional<core::Link> &link = std::nullopt);
    void flushSettled();
    // The Halo field ids of m_rules, and the list query item asking for them.
    QList<int> mappedFieldIds() const;
    void addMappedFields(QUrlQuery &query) const;
    // The first page of resource's rows, newest first (query: the job's list query), to find
    // what writes of unknown outcome created: done(response, rows) when the page certainly holds
    // every row newer than knownBefore (or the read failed), else readAll() (an instance that
    // ignores the order, or more new rows than a page).
    void readNewestRows(api::HaloResource resource, QUrlQuery query, qint64 knownBefore,
                        std::function<void(const api::ApiResponse &, const QJsonArray &)> done,
                        std::function<void()> readAll);
    // Reads HubSpot's properties of objectType and Halo's fields of table haloTypeId, turns
    // mappings into m_rules, then calls next; the job fails when a mapping cannot be used.
    void loadMappings(const QString &objectType, int haloTypeId, core::Entity entity,
                      const QList<core::FieldMapping> &mappings, const QString &fieldsPhase,
                      std::function<void()> next);

    JobSpec m_spec;
    core::Store *m_store;
    api::HubSpotTokens *m_tokens = nullptr;
    api::HubSpotClient *m_hubspot = nullptr;
    api::HaloClient *m_halo = nullptr;
    HubSpotStream *m_stream = nullptr; // the HubSpot records, once the Halo side is read

    RunReport m_report;
    QString m_phase;
    QElapsedTimer m_clock;
    bool m_finished = false;
    QList<core::MappingRule> m_rules;
    // Whether fail() records why in RunReport::failureError (the contact import does); without
    // it the report leaves the cause to the command's probe of the services.
    bool m_namesFailures = false;

    QList<core::RunItem> m_settledItems; // not yet in the store
    QList<core::Link> m_settledLinks;
    QList<core::RunItem> m_results; // not yet handed out

private:
    void stopRequests();
};

} // namespace halospot::engine
