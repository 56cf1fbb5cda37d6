// CompaniesTab: the run half - Refresh lists, Preview, Import (confirmed with what the preview or
// the lists say), Cancel and Export, handed to the RunPanel that follows the jobs.
#include "CompaniesTab.h"

#include "CompanyModels.h"
#include "JobRunner.h"
#include "RunPanel.h"
#include "ui_CompaniesTab.h"

#include <QLocale>

namespace halospot::gui {

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

QList<core::CatalogList> CompaniesTab::requiredLists() const
{
    return {core::CatalogList::LifecycleStages, core::CatalogList::Companies};
}

} // namespace halospot::gui
