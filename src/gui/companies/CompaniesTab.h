// The Companies tab (SPEC §1.2): which lifecycle stages to import, the customer and field mapping
// tables (saved to the profile at every edit), Preview and Import through the JobRunner with
// progress and Cancel, and the run's per-company results, filterable by action and exportable.
#pragma once

#include "Catalog.h"
#include "EngineTypes.h"
#include "Profile.h"

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QShortcut;
class QTimer;

namespace Ui {
class CompaniesTab;
}

namespace halospot::core {
class Store;
}

namespace halospot::gui {

class ConnectionManager;
class CustomerMappingModel;
class FieldMappingModel;
class JobRunner;
class LifecycleModel;
class RunResultModel;

class CompaniesTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompaniesTab)

public:
    CompaniesTab(core::Store &store, ConnectionManager &connections, JobRunner &runner,
                 QWidget *parent = nullptr);
    ~CompaniesTab() override;

    // Asks "are you sure?"; QMessageBox by default, tests answer themselves.
    using Confirm = std::function<bool(QWidget *parent, const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    // Asks where to save the CSV file (empty = cancelled); QFileDialog by default.
    using FileChooser = std::function<QString(QWidget *parent, const QString &suggestedName)>;
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }

    // The same as the buttons (they end up here).
    void refreshLists();
    void preview();
    void importCompanies();
    void cancel();
    bool exportCsv(); // asks for a file; false when cancelled or failed

    // Why Import is not possible now (empty = it is): nothing ticked, field problems, …
    QString importBlockedReason() const;
    qint64 shownRunId() const;
    core::Catalog &catalog() { return m_catalog; }
    LifecycleModel *lifecycleModel() const { return m_lifecycle; }
    CustomerMappingModel *customerMappingModel() const { return m_customers; }
    FieldMappingModel *fieldMappingModel() const { return m_fields; }
    RunResultModel *resultModel() const { return m_results; }

Q_SIGNALS:
    // A line for the Activity view (saving the profile failed, a CSV was written, …).
    void activity(const QString &source, const QString &message, bool isError = false);

private:
    // CompaniesTab.cpp: the setup side.
    void setupViews();
    void setupShortcuts();
    void loadProfile();
    void saveCompanies();
    void reloadCatalog();
    void updateCatalogLabel();
    void updateConnected();
    void updateActions();
    void addCustomerMapping();
    void removeCustomerMappings();
    void addFieldMapping();
    void removeFieldMappings();

    // CompaniesTabRun.cpp: jobs and results.
    void startJob(engine::JobKind kind, bool dryRun);
    void onStarted(engine::JobKind kind, bool dryRun);
    void onProgress(const engine::Progress &progress);
    void onResults();
    void onFinished(const engine::RunReport &report);
    void showRun(qint64 runId);
    void updateFilterCounts();
    void updateSummary();
    QString confirmText();
    void maybeAutoRefresh();

    core::Store &m_store;
    ConnectionManager &m_connections;
    JobRunner &m_runner;
    core::Catalog m_catalog;
    std::unique_ptr<Ui::CompaniesTab> m_ui;
    LifecycleModel *m_lifecycle;
    CustomerMappingModel *m_customers;
    FieldMappingModel *m_fields;
    RunResultModel *m_results;
    QTimer *m_catalogClock;
    QList<core::PropertyDef> m_propertyDefs; // from the catalog, for the field dialog
    QList<core::HaloFieldDef> m_fieldDefs;
    std::optional<QHash<QString, qint64>> m_stageCounts; // companies per stage, computed on demand
    QElapsedTimer m_countsClock; // the filter counts are read again at most twice a second
    Confirm m_confirm;
    FileChooser m_chooseFile;

    bool m_connected = false;
    bool m_loading = false;          // models are being filled from the profile: do not save
    bool m_autoRefreshed = false;    // this session already refreshed the lists by itself
    bool m_ownJob = false;           // the runner's job was started by this tab
    qint64 m_jobStartedRunFloor = 0; // runs newer than this belong to the running job
    std::optional<engine::RunReport> m_preview; // the last preview, while the setup is unchanged
    engine::RunReport m_lastReport;
    bool m_hasReport = false;
};

} // namespace halospot::gui
