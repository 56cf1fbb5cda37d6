// RunPanel: Preview, Import, Cancel, progress, the result list with its action filter, and the
// CSV export, for whichever import its tab runs.
#include "RunPanel.h"

#include "JobRunner.h"
#include "RunItems.h"
#include "RunResultModel.h"
#include "Store.h"
#include "ui_RunPanel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QShortcut>

#include <limits>

namespace halospot::gui {

namespace {

// The filter's order: what needs attention after what was done.
const QStringList kActions = {
    QStringLiteral("created"),      QStringLiteral("updated"),   QStringLiteral("unchanged"),
    QStringLiteral("skipped"),      QStringLiteral("ambiguous"), QStringLiteral("failed"),
    QStringLiteral("filtered_out"),
};

// The list's default: records the run left out (other stages, contacts of no imported company)
// are usually most of a portal and would bury what the run did.
const QString kAllButFilteredOut = QStringLiteral("!filtered_out");

bool isCompleted(const QString &status)
{
    return status == QLatin1String("completed") || status == QLatin1String("completed_with_errors");
}

} // namespace

RunPanel::RunPanel(core::Store &store, const core::Catalog &catalog, JobRunner &runner,
                   core::Entity entity, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_runner(runner)
    , m_entity(entity)
    , m_kind(entity == core::Entity::Contact ? engine::JobKind::ImportContacts
                                             : engine::JobKind::ImportCompanies)
    , m_ui(std::make_unique<Ui::RunPanel>())
    , m_results(new RunResultModel(store, catalog, this))
{
    m_ui->setupUi(this);
    m_results->setEntity(entity);
    const bool contacts = entity == core::Entity::Contact;
    // The object name says what the button imports; tests find it by that name.
    m_ui->importButton->setObjectName(contacts ? QStringLiteral("importContactsButton")
                                               : QStringLiteral("importCompaniesButton"));
    m_ui->importButton->setText(contacts ? tr("&Import Contacts") : tr("&Import Companies"));
    m_chooseFile = [](QWidget *owner, const QString &suggested) {
        return QFileDialog::getSaveFileName(owner, tr("Export Results"), suggested,
                                            tr("CSV files (*.csv);;All files (*)"));
    };

    m_ui->blockedLabel->setStyleSheet(
        QStringLiteral("#blockedLabel { background: #fff4ce; border: 1px solid #e0c060; }"));
    m_ui->blockedLabel->setTextFormat(Qt::PlainText);
    m_ui->blockedLabel->setVisible(false);
    m_ui->progressLabel->setTextFormat(Qt::PlainText);
    m_ui->progressBar->setRange(0, 1);
    m_ui->progressBar->setValue(0);

    m_ui->resultTable->setModel(m_results);
    const QFontMetrics metrics = fontMetrics();
    m_ui->resultTable->verticalHeader()->setDefaultSectionSize(metrics.height() + 8);
    QHeaderView *header = m_ui->resultTable->horizontalHeader();
    header->setHighlightSections(false);
    // The result list may hold 100 000 rows: fixed widths, never "resize to contents".
    header->setSectionResizeMode(QHeaderView::Interactive);
    m_ui->resultTable->setColumnWidth(RunResultModel::CompanyColumn,
                                      metrics.horizontalAdvance(QLatin1Char('M')) * 22);
    m_ui->resultTable->setColumnWidth(RunResultModel::ActionColumn,
                                      metrics.horizontalAdvance(tr("Not in a ticked stage")) + 40);
    const QString haloHeader =
        m_results->headerData(RunResultModel::HaloColumn, Qt::Horizontal).toString();
    m_ui->resultTable->setColumnWidth(RunResultModel::HaloColumn,
                                      metrics.horizontalAdvance(haloHeader) + 32);

    connect(m_ui->previewButton, &QPushButton::clicked, this, &RunPanel::preview);
    connect(m_ui->importButton, &QPushButton::clicked, this, &RunPanel::importRequested);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &RunPanel::cancel);
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, &RunPanel::exportCsv);
    connect(m_ui->actionFilterCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            m_results->setActionFilter(m_ui->actionFilterCombo->itemData(index).toString());
        updateActions();
    });

    connect(&m_runner, &JobRunner::started, this, &RunPanel::onStarted);
    connect(&m_runner, &JobRunner::progress, this, &RunPanel::onProgress);
    connect(&m_runner, &JobRunner::results, this, &RunPanel::onResults);
    connect(&m_runner, &JobRunner::finished, this, &RunPanel::onFinished);

    showRun(0);
}

RunPanel::~RunPanel() = default;

void RunPanel::addShortcuts(QWidget *scope)
{
    const auto shortcut = [this, scope](const QKeySequence &keys, auto slot) {
        auto *s = new QShortcut(keys, scope);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    const auto previewIfAllowed = [this] {
        if (m_ui->previewButton->isEnabled())
            preview();
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), previewIfAllowed);
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), previewIfAllowed);
    shortcut(QKeySequence(Qt::Key_Escape), [this] {
        if (m_ui->cancelButton->isEnabled())
            cancel();
    });
}

void RunPanel::setSetupState(bool connected, const QString &importBlockedReason,
                             const QString &warning)
{
    m_connected = connected;
    m_blockedReason = importBlockedReason;
    m_ui->blockedLabel->setText(warning);
    m_ui->blockedLabel->setVisible(!warning.isEmpty());
    updateActions();
}

void RunPanel::updateActions()
{
    const bool busy = m_runner.isBusy();
    const bool contacts = m_entity == core::Entity::Contact;
    m_ui->previewButton->setEnabled(m_connected && !busy);
    m_ui->importButton->setEnabled(m_connected && !busy && m_blockedReason.isEmpty());
    m_ui->importButton->setToolTip(
        !m_blockedReason.isEmpty()
            ? m_blockedReason
            : (contacts ? tr("Create and update Halo users from the HubSpot contacts chosen "
                             "under Contacts to include")
                        : tr("Create and update Halo customers from the HubSpot companies in the "
                             "ticked stages")));
    m_ui->cancelButton->setEnabled(busy && m_ownJob);
    m_ui->exportCsvButton->setEnabled(m_results->runId() > 0 && m_results->rowCount() > 0);
    m_ui->actionFilterCombo->setEnabled(m_results->runId() > 0);
}

QString RunPanel::records(qint64 n) const
{
    const QLocale locale;
    if (m_entity == core::Entity::Contact)
        return n == 1 ? tr("1 contact") : tr("%1 contacts").arg(locale.toString(n));
    return n == 1 ? tr("1 company") : tr("%1 companies").arg(locale.toString(n));
}

bool RunPanel::startImport()
{
    if (!m_blockedReason.isEmpty()) {
        showMessage(m_blockedReason);
        return false;
    }
    return startJob(m_kind, false);
}

void RunPanel::cancel()
{
    if (m_ownJob && m_runner.isBusy()) {
        m_runner.cancel();
        m_ui->progressLabel->setText(tr("Cancelling…"));
        m_ui->cancelButton->setEnabled(false);
    }
}

void RunPanel::showMessage(const QString &text)
{
    m_ui->progressLabel->setText(text);
}

QString RunPanel::previewFindings() const
{
    if (!m_preview)
        return {};
    const QLocale locale;
    const engine::Counts &c = m_preview->counts;
    QStringList found;
    const auto add = [&](qint64 n, const QString &text) {
        if (n > 0)
            found << text.arg(locale.toString(n));
    };
    add(c.created, tr("%1 to create"));
    add(c.updated, tr("%1 to update"));
    add(c.unchanged, tr("%1 unchanged"));
    add(c.skipped, tr("%1 skipped"));
    add(c.ambiguous, tr("%1 ambiguous (nothing is written for them)"));
    add(c.failed, tr("%1 that would fail"));
    if (found.isEmpty())
        found << tr("nothing to import");
    return tr("The preview found: %1.").arg(found.join(QStringLiteral(", ")));
}

bool RunPanel::startJob(engine::JobKind kind, bool dryRun)
{
    const Result<QList<core::RunRecord>> recent = m_store.recentRuns(1);
    m_jobStartedRunFloor =
        recent.ok() && !recent.value().isEmpty() ? recent.value().constFirst().id : 0;
    m_ownJob = true;
    if (const Status started = m_runner.start(kind, dryRun); !started.ok()) {
        m_ownJob = false;
        m_ui->progressLabel->setText(started.error());
        Q_EMIT activity(JobRunner::jobTitle(kind, dryRun), started.error(), true);
        updateActions();
        return false;
    }
    return true;
}

void RunPanel::onStarted(engine::JobKind kind, bool dryRun)
{
    if (m_ownJob) {
        m_ui->progressBar->setRange(0, 0);
        m_ui->progressLabel->setText(tr("Starting…"));
        if (kind == m_kind) {
            showRun(0);
            const QString running =
                m_entity == core::Entity::Contact
                    ? tr("Import running: the list fills as contacts are done.")
                    : tr("Import running: the list fills as companies are done.");
            m_ui->resultSummaryLabel->setText(
                dryRun ? tr("Preview running: nothing is written to Halo.") : running);
        }
    }
    updateActions();
}

void RunPanel::onProgress(const engine::Progress &p)
{
    if (!m_ownJob)
        return;
    const qint64 done =
        p.kind == engine::JobKind::RefreshCatalog ? p.counts.read : p.counts.settled();
    if (p.total > 0 && p.total < std::numeric_limits<int>::max()) {
        m_ui->progressBar->setRange(0, int(p.total));
        m_ui->progressBar->setValue(int(std::min(done, p.total)));
    } else {
        m_ui->progressBar->setRange(0, 0);
    }
    const QString numbers = JobRunner::progressText(p);
    m_ui->progressLabel->setText(numbers.isEmpty() || p.phase.isEmpty()
                                     ? p.phase + numbers
                                     : QStringLiteral("%1 — %2").arg(p.phase, numbers));
    // Results are stored in batches that may land after their signal: progress ticks pick up
    // the rest.
    onResults();
}

void RunPanel::onResults()
{
    if (!m_ownJob || m_runner.kind() != m_kind)
        return;
    if (m_results->runId() == 0) {
        // The engine names its run only at the end; the newest run of this kind since the start
        // is this one.
        const Result<QList<core::RunRecord>> recent = m_store.recentRuns(5);
        if (recent.ok()) {
            for (const core::RunRecord &run : recent.value()) {
                if (run.id > m_jobStartedRunFloor && run.kind == engine::jobKindName(m_kind)) {
                    showRun(run.id);
                    break;
                }
            }
        }
        return;
    }
    if (m_countsClock.isValid() && m_countsClock.elapsed() < 300)
        return;
    m_results->refresh();
    updateFilterCounts();
    updateActions();
}

void RunPanel::onFinished(const engine::RunReport &report)
{
    if (!m_ownJob) {
        updateActions();
        return;
    }
    m_ownJob = false;
    m_ui->progressBar->setRange(0, 1);
    m_ui->progressBar->setValue(report.status == QLatin1String("failed") ? 0 : 1);
    const QString &status = report.status;
    if (report.kind == engine::JobKind::RefreshCatalog) {
        // A full bar would read as "the import is done" under the Import button.
        m_ui->progressBar->setValue(0);
        if (status == QLatin1String("completed"))
            m_ui->progressLabel->setText(tr("The lists are up to date."));
        else if (status == QLatin1String("cancelled"))
            m_ui->progressLabel->setText(tr("Refreshing the lists was cancelled."));
        else
            m_ui->progressLabel->setText(
                tr("The lists could not be refreshed: %1").arg(report.error));
        updateActions();
        return;
    }

    m_lastReport = report;
    if (report.runId > 0) {
        if (m_results->runId() != report.runId)
            showRun(report.runId);
        else
            m_results->refresh();
    }
    updateFilterCounts();
    if (report.dryRun && isCompleted(status))
        m_preview = report;
    else if (!report.dryRun)
        m_preview.reset(); // Halo changed: the preview no longer says what an import would do
    const QLocale locale;
    if (status == QLatin1String("cancelled")) {
        m_ui->progressLabel->setText(
            tr("Cancelled after %1.").arg(records(report.counts.settled())));
    } else if (status == QLatin1String("failed")) {
        m_ui->progressLabel->setText(tr("Stopped: %1").arg(report.error));
    } else {
        const qint64 seconds = std::max<qint64>(report.startedAt.secsTo(report.finishedAt), 0);
        m_ui->progressLabel->setText(
            tr("Done: %1 read in %2 s.")
                .arg(records(report.counts.read), locale.toString(seconds)));
    }
    updateSummary();
    updateActions();
}

void RunPanel::updateSummary()
{
    if (!m_lastReport)
        return;
    const engine::RunReport &r = *m_lastReport;
    const QString counts = JobRunner::countsText(r.counts);
    QString text;
    if (r.status == QLatin1String("failed"))
        text = tr("The run stopped: %1").arg(r.error);
    else if (r.status == QLatin1String("cancelled"))
        text = r.dryRun ? tr("Preview cancelled; so far: %1.").arg(counts)
                        : tr("Import cancelled; done so far: %1.").arg(counts);
    else if (r.dryRun)
        text = tr("Preview (nothing was written): %1.").arg(counts);
    else if (r.status == QLatin1String("completed_with_errors"))
        text = tr("Import finished with errors: %1.").arg(counts);
    else
        text = tr("Import finished: %1.").arg(counts);
    // Easy to miss among thousands of unchanged rows, so the summary says it.
    if (r.usersNotMoved > 0 && r.status != QLatin1String("failed"))
        text += QLatin1Char(' ') +
                tr("%n linked user(s) stay at their Halo customer although HubSpot now places "
                   "the contact elsewhere (tick \"Follow company changes\" to move them).",
                   nullptr, int(qMin<qint64>(r.usersNotMoved, std::numeric_limits<int>::max())));
    m_ui->resultSummaryLabel->setText(text);
}

void RunPanel::showRun(qint64 runId)
{
    m_results->setActionFilter(kAllButFilteredOut);
    m_results->setRun(runId);
    updateFilterCounts();
    if (runId == 0 && !m_runner.isBusy()) {
        m_ui->resultSummaryLabel->setText(
            m_entity == core::Entity::Contact
                ? tr("Run a preview to see what an import would do for each contact.")
                : tr("Run a preview to see what an import would do for each company."));
    }
    updateActions();
}

void RunPanel::updateFilterCounts()
{
    m_countsClock.start();
    QComboBox *combo = m_ui->actionFilterCombo;
    const QString current = m_results->actionFilter();
    // The model keeps these counts as it reads new rows (refresh()), so they cost nothing here.
    const qint64 total = m_results->actionCount(QString());
    const QSignalBlocker blocker(combo);
    combo->clear();
    const QLocale locale;
    combo->addItem(tr("All (%1)").arg(locale.toString(total)), QString());
    if (m_results->actionCount(QStringLiteral("filtered_out")) > 0 ||
        current == kAllButFilteredOut) {
        combo->addItem(tr("All but filtered out (%1)")
                           .arg(locale.toString(m_results->actionCount(kAllButFilteredOut))),
                       kAllButFilteredOut);
    }
    for (const QString &action : kActions) {
        const qint64 n = m_results->actionCount(action);
        if (n > 0 || action == current) {
            combo->addItem(QStringLiteral("%1 (%2)").arg(RunResultModel::actionLabel(action),
                                                         locale.toString(n)),
                           action);
        }
    }
    const int index = combo->findData(current);
    combo->setCurrentIndex(std::max(index, 0));
    if (index < 0 && !current.isEmpty())
        m_results->setActionFilter(QString());
}

qint64 RunPanel::shownRunId() const
{
    return m_results->runId();
}

bool RunPanel::exportCsv()
{
    const qint64 runId = m_results->runId();
    if (runId <= 0)
        return false;
    const QString what = engine::jobKindName(m_kind); // "companies", "contacts"
    const QString action = m_results->actionFilter();
    const QString suggested =
        action.isEmpty()
            ? QStringLiteral("halospot-%1-run-%2.csv").arg(what).arg(runId)
            : QStringLiteral("halospot-%1-run-%2-%3.csv").arg(what).arg(runId).arg(action);
    const QString path = m_chooseFile(this, suggested);
    if (path.isEmpty())
        return false;
    const QString source = m_entity == core::Entity::Contact ? tr("Contacts") : tr("Companies");
    const Result<qint64> written = core::exportRunItemsCsv(m_store, runId, action, path);
    if (!written.ok()) {
        Q_EMIT activity(source, tr("The results were not exported: %1").arg(written.error()), true);
        return false;
    }
    Q_EMIT activity(source, tr("Exported %1 to %2.")
                                .arg(written.value() == 1
                                         ? tr("1 row")
                                         : tr("%1 rows").arg(QLocale().toString(written.value())),
                                     QFileInfo(path).fileName()));
    return true;
}

} // namespace halospot::gui
