// MappingTabSupport: the pieces the Companies and Contacts tabs share, written once.
#include "MappingTabSupport.h"

#include "CompanyModels.h"
#include "ConnectionManager.h"
#include "JobRunner.h"
#include "MappingDialogs.h"
#include "RunPanel.h"
#include "TimeText.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QTimer>

namespace halospot::gui::mappingtab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("halospot::gui::MappingTab", text);
}

} // namespace

Confirm messageBoxConfirm()
{
    return [](QWidget *owner, const QString &title, const QString &text) {
        return QMessageBox::question(owner, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Yes;
    };
}

bool showConnection(const ConnectionManager &connections, QLabel *banner, QWidget *content,
                    const QString &connectHint)
{
    const bool hubspot = connections.hubspotState() == ConnectionManager::State::Connected;
    const bool halo = connections.haloState() == ConnectionManager::State::Connected;
    const bool connected = hubspot && halo;
    QString text;
    if (!hubspot && !halo)
        text = tr("HubSpot and Halo are not connected.");
    else if (!hubspot)
        text = tr("HubSpot is not connected.");
    else if (!halo)
        text = tr("Halo is not connected.");
    banner->setText(connectHint.arg(text));
    banner->setVisible(!connected);
    content->setEnabled(connected);
    return connected;
}

QString catalogText(const core::Catalog &catalog, const JobRunner &runner,
                    std::initializer_list<core::CatalogList> lists,
                    const std::function<QString(const QString &ago)> &loaded)
{
    QDateTime oldest;
    bool complete = true;
    for (const core::CatalogList list : lists) {
        const Result<QDateTime> at = catalog.refreshedAt(list);
        if (!at.ok() || !at.value().isValid()) {
            complete = false;
            break;
        }
        if (!oldest.isValid() || at.value() < oldest)
            oldest = at.value();
    }
    if (runner.isBusy() && runner.kind() == engine::JobKind::RefreshCatalog)
        return tr("Reading the lists from HubSpot and Halo…");
    if (!complete)
        return tr("Lists from HubSpot and Halo have not been loaded yet.");
    return loaded(TimeText::ago(oldest));
}

bool neverRefreshed(const core::Catalog &catalog, const QList<core::CatalogList> &lists)
{
    for (const core::CatalogList list : lists) {
        const Result<QDateTime> at = catalog.refreshedAt(list);
        if (!at.ok() || !at.value().isValid())
            return true;
    }
    return false;
}

void setupFieldTable(QTableView *table)
{
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    QHeaderView *fields = table->horizontalHeader();
    fields->setHighlightSections(false);
    fields->setSectionResizeMode(QHeaderView::Interactive);
    fields->setSectionResizeMode(FieldMappingModel::PropertyColumn, QHeaderView::Stretch);
    fields->setSectionResizeMode(FieldMappingModel::TypeColumn, QHeaderView::ResizeToContents);
    fields->setSectionResizeMode(FieldMappingModel::FieldColumn, QHeaderView::Stretch);
    fields->setSectionResizeMode(FieldMappingModel::SyncBackColumn, QHeaderView::ResizeToContents);
    fields->setSectionResizeMode(FieldMappingModel::StatusColumn, QHeaderView::Stretch);
}

void addFieldMapping(QWidget *parent, const core::Catalog &catalog, core::Entity entity,
                     const QList<core::PropertyDef> &properties,
                     const QList<core::HaloFieldDef> &fields, FieldMappingModel *model,
                     QTableView *table, const QString &title)
{
    auto *dialog = new FieldMappingDialog(
        catalog, entity, properties, fields,
        [model, table](const core::FieldMapping &mapping) -> Status {
            const Result<int> row = model->addMapping(mapping);
            if (!row.ok())
                return Status::failure(row.error());
            table->selectRow(row.value());
            return Status();
        },
        parent);
    if (!title.isEmpty())
        dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace halospot::gui::mappingtab

namespace halospot::gui {

MappingTabBase::MappingTabBase(core::Store &store, ConnectionManager &connections,
                               JobRunner &runner, core::Entity entity, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_connections(connections)
    , m_runner(runner)
    , m_catalog(store)
    , m_run(new RunPanel(store, m_catalog, runner, entity, this))
    , m_catalogClock(new QTimer(this))
    , m_confirm(mappingtab::messageBoxConfirm())
{}

MappingTabBase::~MappingTabBase() = default;

void MappingTabBase::start()
{
    connect(m_run, &RunPanel::activity, this, &MappingTabBase::activity);

    connect(&m_connections, &ConnectionManager::hubspotChanged, this,
            [this] { updateConnected(); });
    connect(&m_connections, &ConnectionManager::haloChanged, this, [this] { updateConnected(); });
    // A profile imported through the File menu replaces what the tab shows.
    connect(&m_connections, &ConnectionManager::configChanged, this, [this] { loadProfile(); });

    // The panel follows its own jobs; the tab needs every job (the other tabs' too): Import waits
    // while one runs, and a refresh brings new lists.
    connect(&m_runner, &JobRunner::started, this, [this] {
        updateCatalogLabel();
        updateActions();
    });
    connect(&m_runner, &JobRunner::finished, this, &MappingTabBase::onJobFinished);

    m_catalogClock->setInterval(30000);
    connect(m_catalogClock, &QTimer::timeout, this, [this] { updateTimes(); });
    m_catalogClock->start();

    reloadCatalog();
    loadProfile();
    updateConnected();
}

void MappingTabBase::setFileChooser(FileChooser chooser)
{
    m_run->setFileChooser(std::move(chooser));
}

void MappingTabBase::refreshLists()
{
    m_run->startJob(engine::JobKind::RefreshCatalog, false);
}

void MappingTabBase::preview()
{
    m_run->preview();
}

void MappingTabBase::cancel()
{
    m_run->cancel();
}

bool MappingTabBase::exportCsv()
{
    return m_run->exportCsv();
}

qint64 MappingTabBase::shownRunId() const
{
    return m_run->shownRunId();
}

RunResultModel *MappingTabBase::resultModel() const
{
    return m_run->resultModel();
}

void MappingTabBase::addRunShortcuts(QWidget *refreshButton)
{
    mappingtab::addShortcut(QKeySequence(Qt::Key_F5), this, this, [this, refreshButton] {
        if (refreshButton->isEnabled())
            refreshLists();
    });
    m_run->addShortcuts(this);
}

void MappingTabBase::maybeAutoRefresh()
{
    if (!m_connected || m_autoRefreshed || m_runner.isBusy())
        return;
    if (!mappingtab::neverRefreshed(m_catalog, requiredLists()))
        return;
    // Once per session: when it fails, the button and the Activity view say so.
    m_autoRefreshed = true;
    refreshLists();
}

void MappingTabBase::onJobFinished(const engine::RunReport &report)
{
    // Whichever tab refreshed the lists, this tab's pickers and checks read them again.
    if (report.kind == engine::JobKind::RefreshCatalog)
        reloadCatalog();
    else
        updateCatalogLabel();
    updateActions();
    maybeAutoRefresh();
}

} // namespace halospot::gui
