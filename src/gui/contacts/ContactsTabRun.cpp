// ContactsTab: the lists (stages, sites, contact properties, user fields, the contact count), the
// "all contacts" question, and Refresh / Preview / Import handed to the RunPanel.
#include "ContactsTab.h"

#include "CatalogPicker.h"
#include "CompanyModels.h"
#include "JobRunner.h"
#include "RunPanel.h"
#include "TimeText.h"
#include "ui_ContactsTab.h"

#include <QLocale>

namespace halospot::gui {

namespace {

// The lists the tab shows; the oldest of them decides "refreshed … ago".
constexpr std::initializer_list<core::CatalogList> kLists = {
    core::CatalogList::LifecycleStages,   core::CatalogList::Customers,  core::CatalogList::Sites,
    core::CatalogList::ContactProperties, core::CatalogList::UserFields,
};

} // namespace

void ContactsTab::importContacts()
{
    if (const QString reason = importBlockedReason(); !reason.isEmpty()) {
        m_run->showMessage(reason);
        return;
    }
    if (!m_confirm(this, tr("Import Contacts"), confirmText()))
        return;
    m_run->startImport();
}

void ContactsTab::reloadCatalog()
{
    const auto stages = m_catalog.stages();
    m_lifecycle->setStages(stages.ok() ? stages.value() : QList<core::CatalogStage>());
    const auto properties = m_catalog.properties(core::Entity::Contact);
    const auto fields = m_catalog.fields(core::Entity::Contact);
    m_propertyDefs = properties.ok() ? properties.value() : QList<core::PropertyDef>();
    m_fieldDefs = fields.ok() ? fields.value() : QList<core::HaloFieldDef>();
    m_fields->setDefinitions(m_propertyDefs, m_fieldDefs);
    // The site's name may have changed (or the site become known).
    if (m_defaultSite && !m_sitePicker->hasFocus())
        m_sitePicker->setValue(QVariant(*m_defaultSite));
    updateCatalogLabel();
    updateAllContactsLabel();
    updateSiteViews();
    updateActions();
}

void ContactsTab::updateCatalogLabel()
{
    m_ui->catalogLabel->setText(
        mappingtab::catalogText(m_catalog, m_runner, kLists, [this](const QString &ago) {
            const Result<qint64> sites = m_catalog.count(core::CatalogList::Sites);
            const QLocale locale;
            return tr("Lists from HubSpot and Halo (%1 sites, %2 user fields, %3 contact "
                      "properties), refreshed %4.")
                .arg(locale.toString(sites.ok() ? sites.value() : 0),
                     locale.toString(m_fieldDefs.size()), locale.toString(m_propertyDefs.size()),
                     ago);
        }));
}

void ContactsTab::updateAllContactsLabel()
{
    const Result<core::CatalogCount> counted = m_catalog.contactCount();
    if (!counted.ok() || counted->count < 0) {
        m_ui->allContactsRadio->setText(tr("A&ll contacts (not counted yet)"));
        return;
    }
    m_ui->allContactsRadio->setText(
        tr("A&ll contacts (%1 in HubSpot, counted %2)")
            .arg(QLocale().toString(counted->count), TimeText::ago(counted->countedAt)));
}

bool ContactsTab::confirmAllContacts()
{
    const Result<core::CatalogCount> counted = m_catalog.contactCount();
    if (!counted.ok() || counted->count < 0) {
        // Nobody should choose every contact of a portal without knowing how many there are.
        m_ui->includeNoteLabel->setText(
            tr("HaloSpot has not counted the HubSpot contacts yet. Refresh the lists first (F5), "
               "then choose All contacts again."));
        m_ui->includeNoteLabel->setVisible(true);
        return false;
    }
    const qint64 n = counted->count;
    const QString contacts = n == 1 ? tr("the 1 HubSpot contact")
                                    : tr("all %1 HubSpot contacts").arg(QLocale().toString(n));
    const QString site =
        m_defaultSite
            ? tr("Contacts without an imported or mapped company become users at the default "
                 "site.")
            : tr("No default site is set, so contacts without an imported or mapped company will "
                 "be skipped.");
    const QString text =
        tr("Import %1 (counted %2)?\n\nA HubSpot portal usually holds many marketing leads that "
           "do not belong in a PSA; with this choice every one of them becomes a Halo user. %3")
            .arg(contacts, TimeText::ago(counted->countedAt), site);
    m_ui->includeNoteLabel->setVisible(false);
    return m_confirm(this, tr("Include All Contacts"), text);
}

QString ContactsTab::confirmText() const
{
    if (const QString found = m_run->previewFindings(); !found.isEmpty())
        return tr("%1\n\nImport the contacts into Halo now?").arg(found);
    QString what;
    switch (m_include) {
    case core::ContactInclude::CompanyContacts:
        what = tr("The contacts of the imported or mapped companies will be imported into Halo.");
        break;
    case core::ContactInclude::CompanyContactsAndStages: {
        const qsizetype stages = m_lifecycle->selected().size();
        what = (stages == 1 ? tr("The contacts of the imported or mapped companies, and the "
                                 "contacts in the ticked stage without such a company, will be "
                                 "imported into Halo.")
                            : tr("The contacts of the imported or mapped companies, and the "
                                 "contacts in the %1 ticked stages without such a company, will "
                                 "be imported into Halo.")
                                  .arg(stages));
        break;
    }
    case core::ContactInclude::All: {
        const Result<core::CatalogCount> counted = m_catalog.contactCount();
        what = counted.ok() && counted->count >= 0
                   ? tr("All %1 HubSpot contacts (at the last count) will be imported into Halo.")
                         .arg(QLocale().toString(counted->count))
                   : tr("All HubSpot contacts will be imported into Halo.");
        break;
    }
    }
    if (!m_defaultSite && m_include != core::ContactInclude::CompanyContacts) {
        what += QLatin1Char(' ') + tr("No default site is set, so contacts without an imported or "
                                      "mapped company are skipped.");
    }
    return tr("%1 No preview was run.\n\nImport now?").arg(what);
}

QList<core::CatalogList> ContactsTab::requiredLists() const
{
    return {core::CatalogList::LifecycleStages, core::CatalogList::Sites,
            core::CatalogList::ContactProperties, core::CatalogList::UserFields};
}

void ContactsTab::updateTimes()
{
    updateCatalogLabel();
    updateAllContactsLabel();
}

} // namespace halospot::gui
