// The run half shared by the Companies and Contacts tabs: Preview, Import, Cancel, the progress bar
// and line, and the run's per-record results (filterable by action, exportable as CSV). The tab
// owning it says whether the setup allows an import; the panel starts and follows the jobs.
#pragma once

#include "EngineTypes.h"
#include "Result.h"
#include "StoreTypes.h"

#include <QElapsedTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

namespace Ui {
class RunPanel;
}

namespace halospot::core {
class Catalog;
class Store;
} // namespace halospot::core

namespace halospot::gui {

class JobRunner;
class RunResultModel;

class RunPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunPanel)

public:
    // entity: Company runs ImportCompanies (button "importCompaniesButton"), Contact runs
    // ImportContacts ("importContactsButton"); the texts name companies or contacts accordingly.
    RunPanel(core::Store &store, const core::Catalog &catalog, JobRunner &runner,
             core::Entity entity, QWidget *parent = nullptr);
    ~RunPanel() override;

    // Asks where to save the CSV file (empty = cancelled); QFileDialog by default.
    using FileChooser = std::function<QString(QWidget *parent, const QString &suggestedName)>;
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }
    // Ctrl+Enter previews and Esc cancels anywhere inside `scope` (the tab).
    void addShortcuts(QWidget *scope);

    // What the tab says about its setup: whether both services are connected, why an import is
    // not possible now (empty = it is), and a warning line shown above the buttons (empty = none).
    void setSetupState(bool connected, const QString &importBlockedReason, const QString &warning);

    engine::JobKind importKind() const { return m_kind; }
    // Starts a job of this tab (the import kind, or RefreshCatalog); a refusal is shown and false.
    bool startJob(engine::JobKind kind, bool dryRun);
    void preview() { startJob(m_kind, true); }
    // Starts the import without asking (the tab confirms first); refused while blocked.
    bool startImport();
    void cancel();
    bool exportCsv(); // asks for a file; false when cancelled or failed
    // A sentence in the progress line (e.g. why an import did not start).
    void showMessage(const QString &text);

    // "The preview found: 3 to create, 2 to update." while the last preview still describes the
    // setup; empty otherwise.
    QString previewFindings() const;
    // The setup changed: the last preview no longer says what an import would do.
    void forgetPreview() { m_preview.reset(); }
    bool ownsJob() const { return m_ownJob; }
    qint64 shownRunId() const;
    RunResultModel *resultModel() const { return m_results; }

Q_SIGNALS:
    // The Import button was pressed: the tab confirms, then calls startImport().
    void importRequested();
    // A line for the Activity view (a CSV was written, exporting failed, a job was refused).
    void activity(const QString &source, const QString &message, bool isError = false);

private:
    void updateActions();
    void onStarted(engine::JobKind kind, bool dryRun);
    void onProgress(const engine::Progress &progress);
    void onResults();
    void onFinished(const engine::RunReport &report);
    void showRun(qint64 runId);
    void updateFilterCounts();
    void updateSummary();
    QString records(qint64 n) const; // "1 company", "12 contacts"

    core::Store &m_store;
    JobRunner &m_runner;
    core::Entity m_entity;
    engine::JobKind m_kind;
    std::unique_ptr<Ui::RunPanel> m_ui;
    RunResultModel *m_results;
    FileChooser m_chooseFile;
    QElapsedTimer m_countsClock; // the filter counts are read again at most twice a second

    bool m_connected = false;
    QString m_blockedReason;
    bool m_ownJob = false;                      // the runner's job was started by this panel
    qint64 m_jobStartedRunFloor = 0;            // runs newer than this belong to the running job
    std::optional<engine::RunReport> m_preview; // the last preview, while the setup is unchanged
    std::optional<engine::RunReport> m_lastReport;
};

} // namespace halospot::gui
