// The Contacts tab (SPEC §1.3): which contacts to include (those of imported or mapped companies,
// optionally contacts in chosen lifecycle stages, or - asked first, with the count - all of them),
// the default site for new users, whether linked users follow their company, and the contact
// field mappings; each edit saved to the profile at once. A RunPanel runs Preview and Import.
#pragma once

#include "Catalog.h"
#include "EngineTypes.h"
#include "Profile.h"

#include <QWidget>

#include <functional>
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

class ContactsTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactsTab)

public:
    ContactsTab(core::Store &store, ConnectionManager &connections, JobRunner &runner,
                QWidget *parent = nullptr);
    ~ContactsTab() override;

    // Asks "are you sure?" (All contacts, Import); QMessageBox by default, tests answer themselves.
    using Confirm = std::function<bool(QWidget *parent, const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    // Asks where to save the CSV file (empty = cancelled); QFileDialog by default.
    using FileChooser = std::function<QString(QWidget *parent, const QString &suggestedName)>;
    void setFileChooser(FileChooser chooser);

    // The same as the buttons (they end up here).
    void refreshLists();
    void preview();
    void importContacts();
    void cancel();
    bool exportCsv(); // asks for a file; false when cancelled or failed
    // The radio buttons end up here: All contacts asks first with the count (and refuses while
    // the contacts were never counted). False when the choice did not change to `include`.
    bool chooseInclude(core::ContactInclude include);

    core::ContactInclude include() const { return m_include; }
    std::optional<qint64> defaultSiteId() const { return m_defaultSite; }
    // Why Import is not possible now (empty = it is): not connected, a job runs, no stage ticked
    // in stages mode, field mapping problems.
    QString importBlockedReason() const;
    qint64 shownRunId() const;
    core::Catalog &catalog() { return m_catalog; }
    LifecycleModel *lifecycleModel() const { return m_lifecycle; }
    FieldMappingModel *fieldMappingModel() const { return m_fields; }
    CatalogPicker *defaultSitePicker() const { return m_sitePicker; }
    RunResultModel *resultModel() const;
    RunPanel *runPanel() const { return m_run; }

Q_SIGNALS:
    // A line for the Activity view (saving the profile failed, a CSV was written, …).
    void activity(const QString &source, const QString &message, bool isError = false);

private:
    // ContactsTab.cpp: the setup side.
    void setupViews();
    void setupShortcuts();
    void loadProfile();
    void saveContacts();
    void updateConnected();
    void updateActions();
    void updateIncludeViews();
    void updateSiteViews();
    void onSitePicked(const QVariant &value);
    void onSiteEditingFinished();
    void clearDefaultSite();
    void addFieldMapping();
    void removeFieldMappings();

    // ContactsTabRun.cpp: the lists, the "all contacts" question, starting jobs.
    void reloadCatalog();
    void updateCatalogLabel();
    void updateAllContactsLabel();
    bool confirmAllContacts();
    QString confirmText() const;
    void onJobFinished(const engine::RunReport &report);
    void maybeAutoRefresh();

    core::Store &m_store;
    ConnectionManager &m_connections;
    JobRunner &m_runner;
    core::Catalog m_catalog;
    std::unique_ptr<Ui::ContactsTab> m_ui;
    LifecycleModel *m_lifecycle;
    FieldMappingModel *m_fields;
    CatalogPicker *m_sitePicker;
    RunPanel *m_run;
    QTimer *m_catalogClock;
    QList<core::PropertyDef> m_propertyDefs; // contact properties, for the field dialog
    QList<core::HaloFieldDef> m_fieldDefs;   // user fields
    Confirm m_confirm;

    core::ContactInclude m_include = core::ContactInclude::CompanyContacts; // as saved
    std::optional<qint64> m_defaultSite;                                    // as saved
    bool m_connected = false;
    bool m_loading = false;       // the views are being filled from the profile: do not save
    bool m_autoRefreshed = false; // this session already refreshed the lists by itself
};

} // namespace halospot::gui
