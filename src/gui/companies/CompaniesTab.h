// The Companies tab (SPEC §1.2): which lifecycle stages to import, the customer and field mapping
// tables (saved to the profile at every edit), and a RunPanel for Preview and Import through the
// JobRunner with progress, Cancel and the run's per-company results.
#pragma once

#include "Catalog.h"
#include "EngineTypes.h"
#include "MappingTabSupport.h"
#include "Profile.h"

#include <QHash>
#include <QWidget>

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

class CompaniesTab final : public MappingTabBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompaniesTab)

public:
    CompaniesTab(core::Store &store, ConnectionManager &connections, JobRunner &runner,
                 QWidget *parent = nullptr);
    ~CompaniesTab() override;

    // The Import button ends up here (the other buttons in MappingTabBase).
    void importCompanies();

    // Why Import is not possible now (empty = it is): nothing ticked, field problems, …
    QString importBlockedReason() const;
    LifecycleModel *lifecycleModel() const { return m_lifecycle; }
    CustomerMappingModel *customerMappingModel() const { return m_customers; }
    FieldMappingModel *fieldMappingModel() const { return m_fields; }

private:
    // CompaniesTab.cpp: the setup side.
    void setupViews();
    void setupShortcuts();
    void loadProfile() override;
    void saveCompanies();
    void reloadCatalog() override;
    void updateCatalogLabel() override;
    void updateConnected() override;
    void updateActions() override;
    QList<core::CatalogList> requiredLists() const override;
    void addCustomerMapping();
    void removeCustomerMappings();
    void addFieldMapping();
    void removeFieldMappings();

    // CompaniesTabRun.cpp: starting jobs (the RunPanel follows them).
    QString confirmText();

    std::unique_ptr<Ui::CompaniesTab> m_ui;
    LifecycleModel *m_lifecycle;
    CustomerMappingModel *m_customers;
    FieldMappingModel *m_fields;
    QList<core::PropertyDef> m_propertyDefs; // from the catalog, for the field dialog
    QList<core::HaloFieldDef> m_fieldDefs;
    std::optional<QHash<QString, qint64>> m_stageCounts; // companies per stage, computed on demand
};

} // namespace halospot::gui
