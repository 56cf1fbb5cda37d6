// The Companies tab (SPEC §1.2): which lifecycle stages to import, the customer and field mapping
// tables (saved to the profile at every edit), and a RunPanel for Preview and Import through the
// JobRunner with progress, Cancel and the run's per-company results.
#pragma once

#include "Catalog.h"
#include "EngineTypes.h"
#include "Profile.h"

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
class RunPanel;
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
    void setFileChooser(FileChooser chooser);

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
    RunResultModel *resultModel() const;
    RunPanel *runPanel() const { return m_run; }

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

    // CompaniesTabRun.cpp: starting jobs (the RunPanel follows them).
    void onJobFinished(const engine::RunReport &report);
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
    RunPanel *m_run;
    QTimer *m_catalogClock;
    QList<core::PropertyDef> m_propertyDefs; // from the catalog, for the field dialog
    QList<core::HaloFieldDef> m_fieldDefs;
    std::optional<QHash<QString, qint64>> m_stageCounts; // companies per stage, computed on demand
    Confirm m_confirm;

    bool m_connected = false;
    bool m_loading = false;       // models are being filled from the profile: do not save
    bool m_autoRefreshed = false; // this session already refreshed the lists by itself
};

} // namespace halospot::gui
