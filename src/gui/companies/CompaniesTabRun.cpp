// CompaniesTab: the run half - Refresh lists, Preview, Import (confirmed with what the preview or
// the lists say), Cancel and Export, handed to the RunPanel that follows the jobs.
#include "CompaniesTab.h"

#include "CompanyModels.h"
#include "JobRunner.h"
#include "RunPanel.h"
#include "ui_CompaniesTab.h"

#include <QLocale>

namespace halospot::gui {

void CompaniesTab::refreshLists()
{
    m_run->startJob(engine::JobKind::RefreshCatalog, false);
}

void CompaniesTab::preview()
{
    m_run->preview();
}

void CompaniesTab::importCompanies()
{
    if (const QString reason = importBlockedReason(); !reason.isEmpty()) {
        m_run->showMessage(reason);
        return;
    }
    if (!m_confirm(this, tr("Import Companies"), confirmText()))
        return;
    m_run->startImport();
}

void CompaniesTab::cancel()
{
    m_run->cancel();
}

bool CompaniesTab::exportCsv()
{
    return m_run->exportCsv();
}

void CompaniesTab::setFileChooser(FileChooser chooser)
{
    m_run->setFileChooser(std::move(chooser));
}

qint64 CompaniesTab::shownRunId() const
{
    return m_run->shownRunId();
}

RunResultModel *CompaniesTab::resultModel() const
{
    return m_run->resultModel();
}

QString CompaniesTab::confirmText()
{
    if (const QString found = m_run->previewFindings(); !found.isEmpty())
        return tr("%1\n\nImport the companies into Halo now?").arg(found);
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
    const QLocale locale;
    const QString companies = count == 1 ? tr("1 HubSpot company")
                                         : tr("%1 HubSpot companies").arg(locale.toString(count));
    return tr("%1 in the ticked stages will be imported into Halo (as the lists were at their "
              "last refresh). No preview was run.\n\nImport now?")
        .arg(companies);
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

void CompaniesTab::onJobFinished(const engine::RunReport &report)
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
