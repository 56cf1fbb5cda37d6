// CompaniesTab: the run half - Refresh lists, Preview, Import, Cancel, progress, the result list
// with its action filter, and the CSV export.
#include "CompaniesTab.h"

#include "CompanyModels.h"
#include "JobRunner.h"
#include "RunItems.h"
#include "RunResultModel.h"
#include "Store.h"
#include "ui_CompaniesTab.h"

#include <QFileInfo>
#include <QLocale>

namespace halospot::gui {

namespace {

const QString kSource = QStringLiteral("Companies");

// The filter's order: what needs attention after what was done.
const QStringList kActions = {
    QStringLiteral("created"),      QStringLiteral("updated"),   QStringLiteral("unchanged"),
    QStringLiteral("skipped"),      QStringLiteral("ambiguous"), QStringLiteral("failed"),
    QStringLiteral("filtered_out"),
};

// The list's default: companies outside the ticked stages are usually most of a portal and
// would bury what the run did.
const QString kAllButFilteredOut = QStringLiteral("!filtered_out");

bool isCompaniesRun(const core::RunRecord &run)
{
    return run.kind == engine::jobKindName(engine::JobKind::ImportCompanies);
}

} // namespace

void CompaniesTab::refreshLists()
{
    startJob(engine::JobKind::RefreshCatalog, false);
}

void CompaniesTab::preview()
{
    startJob(engine::JobKind::ImportCompanies, true);
}

void CompaniesTab::importCompanies()
{
    if (const QString reason = importBlockedReason(); !reason.isEmpty()) {
        m_ui->progressLabel->setText(reason);
        return;
    }
    if (!m_confirm(this, tr("Import Companies"), confirmText()))
        return;
    startJob(engine::JobKind::ImportCompanies, false);
}

void CompaniesTab::cancel()
{
    if (m_ownJob && m_runner.isBusy()) {
        m_runner.cancel();
        m_ui->progressLabel->setText(tr("Cancelling…"));
        m_ui->cancelButton->setEnabled(false);
    }
}

QString CompaniesTab::confirmText()
{
    const QLocale locale;
    if (m_preview) {
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
        return tr("The preview found: %1.\n\nImport the companies into Halo now?")
            .arg(found.join(QStringLiteral(", ")));
    }
    if (!m_stageCounts) {
        // Counted from the picker cache once per refresh: the confirmation names a number.
        QHash<QString, qint64> counts;
        const Result<qint64> total = m_catalog.count(core::CatalogList::Companies);
        if (total.ok() && total.value() > 0) {
            const auto companies = m_catalog.searchCompanies(QString(), int(total.value()));
            if (companies.ok()) {
                for (const core::CatalogCompany &company : companies.value())
                    ++counts[company.lifecycleStage];
            }
        }
        m_stageCounts = counts;
    }
    qint64 count = 0;
    for (const QString &stage : m_lifecycle->selected())
        count += m_stageCounts->value(stage);
    const QString companies = count == 1 ? tr("1 HubSpot company")
                                         : tr("%1 HubSpot companies").arg(locale.toString(count));
    return tr("%1 in the ticked stages will be imported into Halo (as the lists were at their "
              "last refresh). No preview was run.\n\nImport now?")
        .arg(companies);
}

void CompaniesTab::startJob(engine::JobKind kind, bool dryRun)
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
    }
}

void CompaniesTab::maybeAutoRefresh()
{
    if (!m_connected || m_autoRefreshed || m_runner.isBusy())
        return;
    const Result<QDateTime> stages = m_catalog.refreshedAt(core::CatalogList::LifecycleStages);
    const Result<QDateTime> companies = m_catalog.refreshedAt(core::CatalogList::Companies);
    const bool never = !stages.ok() || !stages.value().isValid() || !companies.ok() ||
                       !companies.value().isValid();
    if (!never)
        return;
    // Once per session: when it fails, the button and the Activity view say so.
    m_autoRefreshed = true;
    refreshLists();
}

void CompaniesTab::onStarted(engine::JobKind kind, bool dryRun)
{
    if (m_ownJob) {
        m_ui->progressBar->setRange(0, 0);
        m_ui->progressLabel->setText(tr("Starting…"));
        if (kind == engine::JobKind::ImportCompanies) {
            showRun(0);
            m_ui->resultSummaryLabel->setText(
                dryRun ? tr("Preview running: nothing is written to Halo.")
                       : tr("Import running: the list fills as companies are done."));
        }
    }
    updateCatalogLabel();
    updateActions();
}

void CompaniesTab::onProgress(const engine::Progress &p)
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

void CompaniesTab::onResults()
{
    if (!m_ownJob || m_runner.kind() != engine::JobKind::ImportCompanies)
        return;
    if (m_results->runId() == 0) {
        // The engine names its run only at the end; the newest companies run since the start
        // is this one.
        const Result<QList<core::RunRecord>> recent = m_store.recentRuns(5);
        if (recent.ok()) {
            for (const core::RunRecord &run : recent.value()) {
                if (run.id > m_jobStartedRunFloor && isCompaniesRun(run)) {
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

void CompaniesTab::onFinished(const engine::RunReport &report)
{
    if (!m_ownJob) {
        updateActions();
        maybeAutoRefresh();
        return;
    }
    m_ownJob = false;
    m_ui->progressBar->setRange(0, 1);
    m_ui->progressBar->setValue(report.status == QLatin1String("failed") ? 0 : 1);
    const qint64 seconds = report.startedAt.secsTo(report.finishedAt);
    const QString status = report.status;
    if (report.kind == engine::JobKind::RefreshCatalog) {
        // A full bar would read as "the import is done" under the Import button.
        m_ui->progressBar->setValue(0);
        reloadCatalog();
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
    m_hasReport = true;
    if (report.runId > 0) {
        if (m_results->runId() != report.runId)
            showRun(report.runId);
        else
            m_results->refresh();
    }
    updateFilterCounts();
    if (report.dryRun &&
        (status == QLatin1String("completed") || status == QLatin1String("completed_with_errors")))
        m_preview = report;
    else if (!report.dryRun)
        m_preview.reset(); // Halo changed: the preview no longer says what an import would do
    const QLocale locale;
    if (status == QLatin1String("cancelled")) {
        m_ui->progressLabel->setText(
            tr("Cancelled after %1 companies.").arg(locale.toString(report.counts.settled())));
    } else if (status == QLatin1String("failed")) {
        m_ui->progressLabel->setText(tr("Stopped: %1").arg(report.error));
    } else {
        m_ui->progressLabel->setText(
            tr("Done: %1 read in %2 s.")
                .arg(report.counts.read == 1
                         ? tr("1 company")
                         : tr("%1 companies").arg(locale.toString(report.counts.read)),
                     locale.toString(std::max<qint64>(seconds, 0))));
    }
    updateSummary();
    updateActions();
}

void CompaniesTab::updateSummary()
{
    if (!m_hasReport)
        return;
    const engine::RunReport &r = m_lastReport;
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
    m_ui->resultSummaryLabel->setText(text);
}

void CompaniesTab::showRun(qint64 runId)
{
    m_results->setActionFilter(kAllButFilteredOut);
    m_results->setRun(runId);
    updateFilterCounts();
    if (runId == 0 && !m_runner.isBusy()) {
        m_ui->resultSummaryLabel->setText(
            tr("Run a preview to see what an import would do for each company."));
    }
    updateActions();
}

void CompaniesTab::updateFilterCounts()
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

qint64 CompaniesTab::shownRunId() const
{
    return m_results->runId();
}

bool CompaniesTab::exportCsv()
{
    const qint64 runId = m_results->runId();
    if (runId <= 0)
        return false;
    const QString action = m_results->actionFilter();
    const QString suggested =
        action.isEmpty()
            ? QStringLiteral("halospot-companies-run-%1.csv").arg(runId)
            : QStringLiteral("halospot-companies-run-%1-%2.csv").arg(runId).arg(action);
    const QString path = m_chooseFile(this, suggested);
    if (path.isEmpty())
        return false;
    const Result<qint64> written = core::exportRunItemsCsv(m_store, runId, action, path);
    if (!written.ok()) {
        Q_EMIT activity(kSource, tr("The results were not exported: %1").arg(written.error()),
                        true);
        return false;
    }
    Q_EMIT activity(kSource, tr("Exported %1 to %2.")
                                 .arg(written.value() == 1
                                          ? tr("1 row")
                                          : tr("%1 rows").arg(QLocale().toString(written.value())),
                                      QFileInfo(path).fileName()));
    return true;
}

} // namespace halospot::gui
