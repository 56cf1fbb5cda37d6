// The window's one door to the background engine: starts a job built from the stored profile and
// the connected services' secrets, one at a time across all tabs, and hands its progress, results
// and end back on the GUI thread. Keeps rotated HubSpot refresh tokens and writes each outcome to
// the Activity view.
#pragma once

#include "EngineTypes.h"
#include "Result.h"
#include "RunLock.h"
#include "StoreTypes.h"

#include <QList>
#include <QObject>

namespace halospot::core {
class Store;
}

namespace halospot::engine {
class EngineHost;
}

namespace halospot::gui {

class ActivityModel;
class ConnectionManager;

class JobRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobRunner)

public:
    // host runs the jobs; store is the GUI thread's store (its file is handed to the engine).
    JobRunner(engine::EngineHost &host, core::Store &store, ConnectionManager &connections,
              ActivityModel &activity, QObject *parent = nullptr);
    ~JobRunner() override;

    bool isBusy() const { return m_busy; }
    engine::JobKind kind() const { return m_kind; } // of the running (or last) job
    bool dryRun() const { return m_dryRun; }
    const engine::Progress &lastProgress() const { return m_progress; }

    // Builds the JobSpec (profile + ConnectionManager::jobSecrets()) and starts it. Fails with a
    // sentence, starting nothing, while another job runs or when the setup is incomplete.
    Status start(engine::JobKind kind, bool dryRun = false);
    // The running job finishes as cancelled soon after.
    void cancel();

    // "6 200 / 10 000 · 180/s · about 21 s left" (parts that are not known yet are left out).
    static QString progressText(const engine::Progress &progress);
    // "about 21 s left", "about 3 min left", "about 1 h 5 min left".
    static QString etaText(qint64 seconds);
    // "Import companies", "Preview companies", "Refresh lists": what a job is called in sentences.
    static QString jobTitle(engine::JobKind kind, bool dryRun);
    // "12 created, 3 updated, 40 unchanged, …" (zero counts left out).
    static QString countsText(const engine::Counts &counts);

Q_SIGNALS:
    void busyChanged(bool busy);
    void started(halospot::engine::JobKind kind, bool dryRun);
    void progress(const halospot::engine::Progress &progress);
    void results(const QList<halospot::core::RunItem> &items);
    void finished(const halospot::engine::RunReport &report);

private:
    void onProgress(const engine::Progress &progress);
    void onResults(const QList<core::RunItem> &items);
    void onFinished(const engine::RunReport &report);
    void report(const engine::RunReport &report);

    engine::EngineHost &m_host;
    core::Store &m_store;
    ConnectionManager &m_connections;
    ActivityModel &m_activity;
    bool m_busy = false;
    engine::JobKind m_kind = engine::JobKind::ImportCompanies;
    bool m_dryRun = false;
    engine::Progress m_progress;
    core::RunLock m_lock; // held while a job that writes runs (not for previews or list refreshes)
};

} // namespace halospot::gui
