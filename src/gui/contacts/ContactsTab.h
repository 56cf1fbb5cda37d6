// The Contacts tab (SPEC §1.3): which contacts to include (those of imported or mapped companies,
// optionally contacts in chosen lifecycle stages, or - asked first, with the count - all of them),
// the default site for new users, whether linked users follow their company, and the contact
// field mappings; each edit saved to the profile at once. A RunPanel runs Preview and Import.
#pragma once

#include "Catalog.h"
#include "EngineTypes.h"
#include "MappingTabSupport.h"
#include "Profile.h"

#include <QWidget>

#include <memory>
#include <optional>

class QTimer;

namespace Ui {
class ContactsTab;
}

namespace halospot::core {
class Store;
}

namespace halospot::gui {

class CatalogPicker;
class ConnectionManager;
class FieldMappingModel;
class JobRunner;
class LifecycleModel;
class RunPanel;
class RunResultModel;

class ContactsTab final : public MappingTabBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactsTab)

public:
    ContactsTab(core::Store &store, ConnectionManager &connections, JobRunner &runner,
                QWidget *parent = nullptr);
    ~ContactsTab() override;

    // The Import button ends up here (the other buttons in MappingTabBase).
    void importContacts();
    // The radio buttons end up here: All contacts asks first with the count (and refuses while
    // the contacts were never counted). False when the choice did not change to `include`.
    bool chooseInclude(core::ContactInclude include);

    core::ContactInclude include() const { return m_include; }
    std::optional<qint64> defaultSiteId() const { return m_defaultSite; }
    // Why Import is not possible now (empty = it is): not connected, a job runs, no stage ticked
    // in stages mode, field mapping problems.
    QString importBlockedReason() const;
    LifecycleModel *lifecycleModel() const { return m_lifecycle; }
    FieldMappingModel *fieldMappingModel() const { return m_fields; }
    CatalogPicker *defaultSitePicker() const { return m_sitePicker; }

private:
    // ContactsTab.cpp: the setup side.
    void setupViews();
    void setupShortcuts();
    void loadProfile() override;
    void saveContacts();
    void updateConnected() override;
    void updateActions() override;
    void updateIncludeViews();
    void updateSiteViews();
    void onSitePicked(const QVariant &value);
    void onSiteEditingFinished();
    void clearDefaultSite();
    void addFieldMapping();
    void removeFieldMappings();

    // ContactsTabRun.cpp: the lists, the "all contacts" question, starting jobs.
    void reloadCatalog() override;
    void updateCatalogLabel() override;
    void updateTimes() override;
    QList<core::CatalogList> requiredLists() const override;
    void updateAllContactsLabel();
    bool confirmAllContacts();
    QString confirmText() const;

    std::unique_ptr<Ui::ContactsTab> m_ui;
    LifecycleModel *m_lifecycle;
    FieldMappingModel *m_fields;
    CatalogPicker *m_sitePicker;
    QList<core::PropertyDef> m_propertyDefs; // contact properties, for the field dialog
    QList<core::HaloFieldDef> m_fieldDefs;   // user fields

    core::ContactInclude m_include = core::ContactInclude::CompanyContacts; // as saved
    std::optional<qint64> m_defaultSite;                                    // as saved
};

} // namespace halospot::gui
