// MainWindow: tabs, Activity dock, status bar, menus and the remembered window layout.
#include "MainWindow.h"

#include "ActivityModel.h"
#include "CompaniesTab.h"
#include "ConnectTab.h"
#include "ConnectionManager.h"
#include "ContactsTab.h"
#include "JobRunner.h"
#include "ProfileStore.h"
#include "Store.h"
#include "Version.h"
#include "ui_MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QSaveFile>
#include <QTime>

namespace halospot::gui {

namespace {

const QString kGeometry = QStringLiteral("ui.main_window.geometry");
const QString kState = QStringLiteral("ui.main_window.state");

QString stateWord(ConnectionManager::State state)
{
    switch (state) {
    case ConnectionManager::State::NotConfigured:
        return MainWindow::tr("not connected");
    case ConnectionManager::State::Checking:
        return MainWindow::tr("checking…");
    case ConnectionManager::State::Waiting:
        return MainWindow::tr("waiting for the browser…");
    case ConnectionManager::State::Connected:
        return MainWindow::tr("connected");
    case ConnectionManager::State::Failed:
        return MainWindow::tr("problem");
    }
    return {};
}

} // namespace

MainWindow::MainWindow(core::Store &store, ConnectionManager &connections, ActivityModel &activity,
                       bool demo, JobRunner *runner, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_connections(connections)
    , m_activity(activity)
    , m_runner(runner)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    m_ui->setupUi(this);
    setWindowTitle(demo ? tr("HaloSpot — demo") : tr("HaloSpot"));
    m_ui->demoBanner->setVisible(demo);
    m_ui->demoBanner->setStyleSheet(
        QStringLiteral("#demoBanner { background: #e3f0ff; border: 1px solid #9cc3f0; }"));

    m_connectTab = new ConnectTab(connections, this);
    m_ui->tabs->addTab(m_connectTab, tr("C&onnect"));
    if (m_runner) {
        const auto toActivity = [this](const QString &source, const QString &message,
                                       bool isError) { m_activity.add(source, message, isError); };
        m_companiesTab = new CompaniesTab(store, connections, *m_runner, this);
        m_ui->tabs->addTab(m_companiesTab, tr("Co&mpanies"));
        connect(m_companiesTab, &CompaniesTab::activity, &m_activity, toActivity);
        m_contactsTab = new ContactsTab(store, connections, *m_runner, this);
        m_ui->tabs->addTab(m_contactsTab, tr("Con&tacts"));
        connect(m_contactsTab, &ContactsTab::activity, &m_activity, toActivity);
    }

    m_ui->activityView->setModel(&m_activity);
    // Fixed starting widths: ResizeToContents on an empty model would leave them too narrow.
    const QFontMetrics metrics = m_ui->activityView->fontMetrics();
    m_ui->activityView->setColumnWidth(
        ActivityModel::TimeColumn,
        metrics.horizontalAdvance(QLocale().toString(QTime(23, 59, 59), QLocale::ShortFormat)) +
            24);
    m_ui->activityView->horizontalHeader()->setSectionResizeMode(ActivityModel::SourceColumn,
                                                                 QHeaderView::Interactive);
    m_ui->activityView->setColumnWidth(
        ActivityModel::SourceColumn,
        m_ui->activityView->fontMetrics().horizontalAdvance(QStringLiteral("HubSpot  ")) + 40);
    m_ui->activityView->verticalHeader()->setDefaultSectionSize(
        m_ui->activityView->fontMetrics().height() + 6);
    connect(&m_activity, &QAbstractItemModel::rowsInserted, m_ui->activityView,
            [this] { m_ui->activityView->scrollToBottom(); });

    QAction *activityAction = m_ui->activityDock->toggleViewAction();
    activityAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_ui->viewMenu->addAction(activityAction);
    m_ui->quitAction->setShortcut(QKeySequence::Quit);
    connect(m_ui->quitAction, &QAction::triggered, this, &QWidget::close);
    m_chooseFile = [](QWidget *owner, bool save) {
        const QString filter = tr("HaloSpot profile (*.json);;All files (*)");
        return save ? QFileDialog::getSaveFileName(owner, tr("Export Profile"),
                                                   QStringLiteral("halospot-profile.json"), filter)
                    : QFileDialog::getOpenFileName(owner, tr("Import Profile"), QString(), filter);
    };
    connect(m_ui->importProfileAction, &QAction::triggered, this, [this] {
        if (const QString path = m_chooseFile(this, false); !path.isEmpty())
            importProfile(path);
    });
    connect(m_ui->exportProfileAction, &QAction::triggered, this, [this] {
        if (const QString path = m_chooseFile(this, true); !path.isEmpty())
            exportProfile(path);
    });
    connect(m_ui->aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    m_hubspotIndicator = new QLabel(this);
    m_hubspotIndicator->setObjectName(QStringLiteral("hubspotIndicator"));
    m_haloIndicator = new QLabel(this);
    m_haloIndicator->setObjectName(QStringLiteral("haloIndicator"));
    m_jobIndicator = new QLabel(this);
    m_jobIndicator->setObjectName(QStringLiteral("jobIndicator"));
    m_jobIndicator->setTextFormat(Qt::PlainText);
    m_jobProgress = new QProgressBar(this);
    m_jobProgress->setObjectName(QStringLiteral("jobProgress"));
    m_jobProgress->setTextVisible(false);
    m_jobProgress->setMaximumWidth(120);
    m_jobProgress->setMaximumHeight(fontMetrics().height());
    statusBar()->addWidget(m_jobIndicator, 1);
    statusBar()->addPermanentWidget(m_jobProgress);
    m_jobIndicator->hide();
    m_jobProgress->hide();
    if (m_runner) {
        connect(m_runner, &JobRunner::progress, this, &MainWindow::showJobProgress);
        connect(m_runner, &JobRunner::busyChanged, this, &MainWindow::showJobProgress);
        connect(m_runner, &JobRunner::finished, this, [this](const engine::RunReport &report) {
            statusBar()->showMessage(
                tr("%1: %2").arg(JobRunner::jobTitle(report.kind, report.dryRun),
                                 report.status == QLatin1String("failed")
                                     ? report.error
                                     : (report.kind == engine::JobKind::RefreshCatalog
                                            ? tr("done")
                                            : JobRunner::countsText(report.counts))),
                10000);
        });
    }
    statusBar()->addPermanentWidget(m_hubspotIndicator);
    statusBar()->addPermanentWidget(m_haloIndicator);
    connect(&m_connections, &ConnectionManager::hubspotChanged, this,
            &MainWindow::updateIndicators);
    connect(&m_connections, &ConnectionManager::haloChanged, this, &MainWindow::updateIndicators);
    updateIndicators();

    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::updateIndicators()
{
    const auto html = [](const QString &service, ConnectionManager::State state,
                         const QString &detail) {
        QString text = QStringLiteral("%1: %2").arg(service, stateWord(state));
        if (!detail.isEmpty())
            text += QStringLiteral(" (%1)").arg(detail);
        return QStringLiteral("<span style=\"color:%1\">&#9679;</span> %2")
            .arg(ConnectTab::stateColor(state), text.toHtmlEscaped());
    };
    const auto hs = m_connections.hubspotState();
    const qint64 portal = m_connections.hubspotAccount().portalId;
    m_hubspotIndicator->setText(html(
        QStringLiteral("HubSpot"), hs,
        hs == ConnectionManager::State::Connected && portal ? QString::number(portal) : QString()));
    m_hubspotIndicator->setToolTip(m_connections.hubspotMessage());
    const auto halo = m_connections.haloState();
    m_haloIndicator->setText(html(QStringLiteral("Halo"), halo,
                                  halo == ConnectionManager::State::Connected
                                      ? m_connections.config().halo.url.host()
                                      : QString()));
    m_haloIndicator->setToolTip(m_connections.haloMessage());
}

void MainWindow::showJobProgress()
{
    const bool busy = m_runner && m_runner->isBusy();
    m_jobIndicator->setVisible(busy);
    m_jobProgress->setVisible(busy);
    if (!busy)
        return;
    statusBar()->clearMessage(); // the last job's outcome would be drawn over this one
    const engine::Progress &p = m_runner->lastProgress();
    const QString numbers = JobRunner::progressText(p);
    QString text = JobRunner::jobTitle(m_runner->kind(), m_runner->dryRun());
    if (!p.phase.isEmpty())
        text += QStringLiteral(": ") + p.phase;
    if (!numbers.isEmpty())
        text += QStringLiteral(" — ") + numbers;
    m_jobIndicator->setText(text);
    const qint64 done =
        p.kind == engine::JobKind::RefreshCatalog ? p.counts.read : p.counts.settled();
    if (p.total > 0 && p.total < std::numeric_limits<int>::max()) {
        m_jobProgress->setRange(0, int(p.total));
        m_jobProgress->setValue(int(std::min(done, p.total)));
    } else {
        m_jobProgress->setRange(0, 0);
    }
}

bool MainWindow::importProfile(const QString &path)
{
    const QString source = tr("Profile");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_activity.add(source, tr("Could not read %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    QStringList errors;
    const Result<core::Profile> parsed = core::parseProfile(file.readAll(), &errors);
    if (!parsed.ok()) {
        m_activity.add(source,
                       tr("%1 was not imported (%n problem(s)); nothing was changed.", nullptr,
                          int(errors.size()))
                           .arg(QFileInfo(path).fileName()),
                       true);
        for (const QString &error : std::as_const(errors))
            m_activity.add(source, error, true);
        statusBar()->showMessage(tr("The profile was not imported; see Activity."), 10000);
        return false;
    }
    if (Status s = core::saveProfile(m_store, parsed.value()); !s.ok()) {
        m_activity.add(source, s.error(), true);
        return false;
    }
    m_activity.add(source, tr("Imported the profile %1.").arg(QFileInfo(path).fileName()));
    statusBar()->showMessage(tr("Profile imported."), 5000);
    // The connections (and so the Connect tab) take the new settings and check them again.
    m_connections.restore();
    return true;
}

bool MainWindow::exportProfile(const QString &path)
{
    const QString source = tr("Profile");
    const Result<core::Profile> profile = core::loadProfile(m_store);
    if (!profile.ok()) {
        m_activity.add(source, profile.error(), true);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(core::serializeProfile(profile.value())) < 0 || !file.commit()) {
        m_activity.add(source, tr("Could not write %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    m_activity.add(source, tr("Exported the profile to %1 (no secrets).").arg(path));
    statusBar()->showMessage(tr("Profile exported."), 5000);
    return true;
}

void MainWindow::restoreLayout()
{
    const Result<QString> geometry = m_store.setting(kGeometry);
    const Result<QString> state = m_store.setting(kState);
    if (geometry.ok() && !geometry.value().isEmpty())
        restoreGeometry(QByteArray::fromBase64(geometry.value().toLatin1()));
    if (state.ok() && !state.value().isEmpty())
        restoreState(QByteArray::fromBase64(state.value().toLatin1()));
    else // first start: the tabs get most of the height, Activity a few lines
        resizeDocks({m_ui->activityDock}, {fontMetrics().height() * 8}, Qt::Vertical);
}

void MainWindow::saveLayout()
{
    // Window layout is not a secret and belongs to this data directory, like the rest.
    m_store.setSetting(kGeometry, QString::fromLatin1(saveGeometry().toBase64()));
    m_store.setSetting(kState, QString::fromLatin1(saveState().toBase64()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About HaloSpot"),
        tr("<h3>HaloSpot %1</h3><p>%2.</p><p>Imports HubSpot companies and contacts into "
           "HaloPSA/HaloITSM with a preview of every change, and syncs Halo changes back.</p>"
           "<p>Built with Qt %3, running on Qt %4.</p>")
            .arg(QStringLiteral(HALOSPOT_VERSION), QStringLiteral(HALOSPOT_DESCRIPTION),
                 QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())));
}

} // namespace halospot::gui
