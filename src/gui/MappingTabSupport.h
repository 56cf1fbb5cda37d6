// What the Companies and Contacts tabs do the same way: the "not connected" banner, the
// "lists refreshed … ago" line, the once-per-session automatic refresh, the field mapping table
// and its Add dialog, the Insert/Delete/F5 shortcuts, and the hooks tests answer themselves.
#pragma once

#include "Catalog.h"
#include "EngineTypes.h"
#include "Profile.h"

#include <QKeySequence>
#include <QList>
#include <QShortcut>
#include <QString>
#include <QTableView>
#include <QWidget>

#include <functional>
#include <initializer_list>

class QLabel;
class QTimer;

namespace halospot::gui {

class ConnectionManager;
class FieldMappingModel;
class JobRunner;
class RunPanel;
class RunResultModel;

namespace mappingtab {

// Asks "are you sure?"; QMessageBox by default, tests answer themselves.
using Confirm = std::function<bool(QWidget *parent, const QString &title, const QString &text)>;
// Asks where to save the CSV file (empty = cancelled); QFileDialog by default.
using FileChooser = std::function<QString(QWidget *parent, const QString &suggestedName)>;

// A Yes/Cancel QMessageBox with Cancel as the default button.
Confirm messageBoxConfirm();

// Shows `banner` (its text: `connectHint` with %1 = which side is missing) and disables
// `content` unless both HubSpot and Halo are connected; returns whether both are.
bool showConnection(const ConnectionManager &connections, QLabel *banner, QWidget *content,
                    const QString &connectHint);

// The line above the lists: reading them now, never loaded, or `loaded` with the age of the
// oldest of `lists` ("refreshed … ago").
QString catalogText(const core::Catalog &catalog, const JobRunner &runner,
                    std::initializer_list<core::CatalogList> lists,
                    const std::function<QString(const QString &ago)> &loaded);

// True when any of `lists` was never refreshed (or cannot be read).
bool neverRefreshed(const core::Catalog &catalog, const QList<core::CatalogList> &lists);

// Column sizes and row height of a field mapping table.
void setupFieldTable(QTableView *table);

// Opens the field mapping dialog; an accepted row is added to `model` and selected in `table`.
void addFieldMapping(QWidget *parent, const core::Catalog &catalog, core::Entity entity,
                     const QList<core::PropertyDef> &properties,
                     const QList<core::HaloFieldDef> &fields, FieldMappingModel *model,
                     QTableView *table, const QString &title = {});

// A shortcut active while focus is in `scope` (or its children) that calls `slot` on `receiver`.
template<typename Receiver, typename Slot>
QShortcut *addShortcut(const QKeySequence &keys, QWidget *scope, Receiver *receiver, Slot slot)
{
    auto *shortcut = new QShortcut(keys, scope);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    QObject::connect(shortcut, &QShortcut::activated, receiver, slot);
    return shortcut;
}

// Insert adds and Delete removes rows of a mapping table.
template<typename Receiver, typename Add, typename Remove>
void addTableShortcuts(QTableView *table, Receiver *receiver, Add add, Remove remove)
{
    addShortcut(QKeySequence(Qt::Key_Insert), table, receiver, add);
    addShortcut(QKeySequence::Delete, table, receiver, remove);
}

} // namespace mappingtab

// The part of the Companies and Contacts tabs that does not depend on what they import: the
// RunPanel and the buttons that end up in it, following the connections and every job (the
// other tab's too), the lists' clock and the once-per-session refresh.
class MappingTabBase : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MappingTabBase)

public:
    ~MappingTabBase() override;

    using Confirm = mappingtab::Confirm;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    using FileChooser = mappingtab::FileChooser;
    void setFileChooser(FileChooser chooser);

    // The same as the buttons (they end up here).
    void refreshLists();
    void preview();
    void cancel();
    bool exportCsv(); // asks for a file; false when cancelled or failed

    qint64 shownRunId() const;
    core::Catalog &catalog() { return m_catalog; }
    RunResultModel *resultModel() const;
    RunPanel *runPanel() const { return m_run; }

Q_SIGNALS:
    // A line for the Activity view (saving the profile failed, a CSV was written, …).
    void activity(const QString &source, const QString &message, bool isError = false);

protected:
    MappingTabBase(core::Store &store, ConnectionManager &connections, JobRunner &runner,
                   core::Entity entity, QWidget *parent);
    // Called at the end of the tab's constructor, once its views exist: follows the
    // connections, the jobs and the clock, and fills the views.
    void start();

    virtual void reloadCatalog() = 0;
    virtual void loadProfile() = 0;
    virtual void updateConnected() = 0;
    virtual void updateActions() = 0;
    virtual void updateCatalogLabel() = 0;
    // What says "… ago" and so goes stale: the lists' line unless the tab has more.
    virtual void updateTimes() { updateCatalogLabel(); }
    // The lists without which the tab has nothing to offer.
    virtual QList<core::CatalogList> requiredLists() const = 0;

    // F5 refreshes the lists (while `refreshButton` is enabled), Ctrl+Enter previews, Esc cancels.
    void addRunShortcuts(QWidget *refreshButton);
    void maybeAutoRefresh();
    void onJobFinished(const engine::RunReport &report);

    core::Store &m_store;
    ConnectionManager &m_connections;
    JobRunner &m_runner;
    core::Catalog m_catalog;
    RunPanel *m_run;
    QTimer *m_catalogClock;
    Confirm m_confirm;

    bool m_connected = false;
    bool m_loading = false;       // the views are being filled from the profile: do not save
    bool m_autoRefreshed = false; // this session already refreshed the lists by itself
};

} // namespace halospot::gui
