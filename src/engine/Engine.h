// The background engine: one QObject living on the engine thread (see EngineHost) that runs one job
// at a time. Callers talk to it only through queued calls (start, cancel) and its signals; it owns
// its Store connection, its API clients and (through them) that thread's QNetworkAccessManager.
#pragma once

#include "EngineTypes.h"

#include <QList>
#include <QObject>

#include <memory>

class QTimer;

namespace halospot::core {
class Store;
}

namespace halospot::engine {

class CatalogRefresh;
class ImportJob;

class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)

public:
    // How often progress and result batches are handed out at most (10 per second).
    static constexpr int kUpdateIntervalMs = 100;

    explicit Engine(QObject *parent = nullptr);
    ~Engine() override;

    bool isBusy() const { return m_job != nullptr || m_refresh != nullptr; }

public Q_SLOTS:
    // Starts a job (an import, or a picker cache refresh for JobKind::RefreshCatalog, which has no
    // run record and no per-record results); while one runs, the new one finishes at once as
    // failed (nothing is done).
    void start(const halospot::engine::JobSpec &spec);
    // Stops the running job as soon as possible; it finishes as cancelled. Writes whose outcome is
    // not known yet stay in the intent journal and are reconciled by the next run.
    void cancel();

Q_SIGNALS:
    void progress(const halospot::engine::Progress &progress);
    void results(const QList<halospot::core::RunItem> &items);
    void finished(const halospot::engine::RunReport &report);
    // HubSpot rotated the refresh token: store it at once (keychain, main thread).
    void hubspotRefreshTokenChanged(const QString &refreshToken);

private:
    void tick();
    void jobFinished(const RunReport &report);
    void refreshFinished(const RunReport &report);
    void startRefresh(const JobSpec &spec);
    void sendProgress(const Progress &p, bool force);

    std::unique_ptr<core::Store> m_store;
    ImportJob *m_job = nullptr;          // the running import, a child of this engine
    CatalogRefresh *m_refresh = nullptr; // or the running refresh, a child of this engine
    QTimer *m_timer;
    Progress m_lastProgress;
    bool m_progressSent = false;
};

} // namespace halospot::engine
