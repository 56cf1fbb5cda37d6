// ContactsTab: the setup half - connection state, which contacts to include, the default site,
// "Follow company changes" and the field mapping table, each edit saved to the profile at once.
#include "ContactsTab.h"

#include "CatalogPicker.h"
#include "CompanyModels.h"
#include "ConnectionManager.h"
#include "JobRunner.h"
#include "ModelSupport.h"
#include "ProfileStore.h"
#include "RunPanel.h"
#include "Store.h"
#include "ui_ContactsTab.h"

#include <QButtonGroup>
#include <QTimer>

namespace halospot::gui {

namespace {

const QString kSource = QStringLiteral("Contacts");

} // namespace

ContactsTab::ContactsTab(core::Store &store, ConnectionManager &connections, JobRunner &runner,
                         QWidget *parent)
    : MappingTabBase(store, connections, runner, core::Entity::Contact, parent)
    , m_ui(std::make_unique<Ui::ContactsTab>())
    , m_lifecycle(new LifecycleModel(core::Entity::Contact, this))
    , m_fields(new FieldMappingModel(core::Entity::Contact, this))
    , m_sitePicker(new CatalogPicker(m_catalog, CatalogPicker::Kind::Site, this))
{
    m_ui->setupUi(this);
    setupViews();
    setupShortcuts();

    auto *include = new QButtonGroup(this);
    include->addButton(m_ui->companyContactsRadio, int(core::ContactInclude::CompanyContacts));
    include->addButton(m_ui->stagesRadio, int(core::ContactInclude::CompanyContactsAndStages));
    include->addButton(m_ui->allContactsRadio, int(core::ContactInclude::All));
    connect(include, &QButtonGroup::idClicked, this,
            [this](int id) { chooseInclude(core::ContactInclude(id)); });

    connect(m_lifecycle, &LifecycleModel::changed, this, &ContactsTab::saveContacts);
    connect(m_fields, &FieldMappingModel::changed, this, &ContactsTab::saveContacts);
    connect(m_ui->allStagesButton, &QPushButton::clicked, this, [this] {
        m_lifecycle->selectAll();
        saveContacts();
    });
    connect(m_ui->noStagesButton, &QPushButton::clicked, this, [this] {
        m_lifecycle->selectNone();
        saveContacts();
    });
    connect(m_ui->followCompanyChangesCheck, &QCheckBox::toggled, this, &ContactsTab::saveContacts);
    connect(m_sitePicker, &CatalogPicker::picked, this, &ContactsTab::onSitePicked);
    connect(m_sitePicker, &QLineEdit::editingFinished, this, &ContactsTab::onSiteEditingFinished);
    connect(m_ui->clearDefaultSiteButton, &QPushButton::clicked, this,
            &ContactsTab::clearDefaultSite);
    connect(m_ui->addFieldMappingButton, &QPushButton::clicked, this,
            &ContactsTab::addFieldMapping);
    connect(m_ui->removeFieldMappingButton, &QPushButton::clicked, this,
            &ContactsTab::removeFieldMappings);
    connect(m_ui->refreshListsButton, &QPushButton::clicked, this, &ContactsTab::refreshLists);
    connect(m_run, &RunPanel::importRequested, this, &ContactsTab::importContacts);
    start();
}

ContactsTab::~ContactsTab() = default;

void ContactsTab::setupViews()
{
    m_ui->notConnectedLabel->setStyleSheet(
        QStringLiteral("#notConnectedLabel { background: #fff4ce; border: 1px solid #e0c060; }"));
    m_ui->siteWarningLabel->setStyleSheet(
        QStringLiteral("#siteWarningLabel { background: #fff4ce; border: 1px solid #e0c060; }"));
    m_ui->nothingTickedLabel->setStyleSheet(QStringLiteral("color: #8a5300;"));
    m_ui->includeNoteLabel->setStyleSheet(QStringLiteral("color: #8a5300;"));
    for (QLabel *label : {m_ui->catalogLabel, m_ui->siteWarningLabel, m_ui->includeNoteLabel,
                          m_ui->defaultSiteStateLabel})
        label->setTextFormat(Qt::PlainText);
    m_ui->includeNoteLabel->setVisible(false);

    // The picker needs the catalog, so it is made here and placed between label and Clear.
    m_sitePicker->setObjectName(QStringLiteral("defaultSitePicker"));
    m_sitePicker->setPlaceholderText(tr("Type a Halo site or customer name"));
    m_sitePicker->setClearButtonEnabled(false); // the Clear button beside it says what it does
    m_sitePicker->setToolTip(
        tr("New users whose HubSpot contact has no imported or mapped company are created at "
           "this site"));
    m_ui->defaultSiteLayout->insertWidget(1, m_sitePicker, 1);
    m_ui->defaultSiteLabel->setBuddy(m_sitePicker);

    m_ui->lifecycleStageList->setModel(m_lifecycle);
    m_ui->fieldMappingTable->setModel(m_fields);
    mappingtab::setupFieldTable(m_ui->fieldMappingTable);

    m_ui->runWidgetLayout->addWidget(m_run);
    m_ui->setupSplitter->setStretchFactor(0, 1);
    m_ui->setupSplitter->setStretchFactor(1, 2);
    m_ui->setupSplitter->setSizes({340, 660});
    // The field table usually grows longer than the users box needs.
    m_ui->mappingsLayout->setStretch(0, 0);
    m_ui->mappingsLayout->setStretch(1, 1);
    m_ui->verticalSplitter->setStretchFactor(0, 1);
    m_ui->verticalSplitter->setStretchFactor(1, 1);
    m_ui->verticalSplitter->setSizes({380, 280});
}

void ContactsTab::setupShortcuts()
{
    mappingtab::addTableShortcuts(m_ui->fieldMappingTable, this, &ContactsTab::addFieldMapping,
                                  &ContactsTab::removeFieldMappings);
    addRunShortcuts(m_ui->refreshListsButton);
}

void ContactsTab::loadProfile()
{
    const Result<core::Profile> profile = core::loadProfile(m_store);
    if (!profile.ok()) {
        Q_EMIT activity(kSource, profile.error(), true);
        return;
    }
    m_loading = true;
    const core::ContactSettings &contacts = profile->contacts;
    m_include = contacts.include;
    m_lifecycle->setSelected(contacts.lifecycleStages);
    m_fields->setMappings(contacts.fieldMappings);
    m_defaultSite = contacts.defaultSiteId;
    m_sitePicker->setValue(m_defaultSite ? QVariant(*m_defaultSite) : QVariant());
    m_ui->followCompanyChangesCheck->setChecked(contacts.followCompanyChanges);
    m_loading = false;
    m_ui->includeNoteLabel->setVisible(false);
    m_run->forgetPreview();
    updateIncludeViews();
    updateSiteViews();
    updateActions();
}

void ContactsTab::saveContacts()
{
    if (m_loading)
        return;
    Result<core::Profile> profile = core::loadProfile(m_store);
    if (!profile.ok()) {
        Q_EMIT activity(kSource, profile.error(), true);
        return;
    }
    core::ContactSettings next = profile->contacts;
    next.include = m_include;
    next.lifecycleStages = m_lifecycle->selected();
    next.fieldMappings = m_fields->mappings();
    next.defaultSiteId = m_defaultSite;
    next.followCompanyChanges = m_ui->followCompanyChangesCheck->isChecked();
    if (next != profile->contacts) {
        profile.value().contacts = next;
        if (const Status saved = core::saveProfile(m_store, profile.value()); !saved.ok())
            Q_EMIT activity(kSource, tr("The change was not saved: %1").arg(saved.error()), true);
        // What the last preview showed no longer describes what an import would do.
        m_run->forgetPreview();
    }
    updateIncludeViews();
    updateSiteViews();
    updateActions();
}

bool ContactsTab::chooseInclude(core::ContactInclude include)
{
    if (include == m_include) {
        updateIncludeViews();
        return true;
    }
    if (include == core::ContactInclude::All && !confirmAllContacts()) {
        updateIncludeViews(); // the previous choice stays ticked
        return false;
    }
    m_include = include;
    m_ui->includeNoteLabel->setVisible(false);
    saveContacts();
    return true;
}

void ContactsTab::updateIncludeViews()
{
    QRadioButton *checked = m_include == core::ContactInclude::All ? m_ui->allContactsRadio
                            : m_include == core::ContactInclude::CompanyContactsAndStages
                                ? m_ui->stagesRadio
                                : m_ui->companyContactsRadio;
    checked->setChecked(true);
    const bool stages = m_include == core::ContactInclude::CompanyContactsAndStages;
    m_ui->stagesWidget->setEnabled(stages);
    m_ui->nothingTickedLabel->setVisible(stages && m_lifecycle->selected().isEmpty());
}

void ContactsTab::updateSiteViews()
{
    if (!m_defaultSite) {
        m_ui->defaultSiteStateLabel->setText(
            tr("No default site: contacts without a company in Halo are skipped."));
    } else {
        const auto site = m_catalog.site(*m_defaultSite);
        if (site.ok() && site.value()) {
            m_ui->defaultSiteStateLabel->setText(
                tr("Contacts without a company in Halo become users of %1 at its site %2.")
                    .arg(site.value()->clientName.isEmpty()
                             ? tr("customer %1").arg(site.value()->clientId)
                             : site.value()->clientName,
                         site.value()->name));
        } else {
            m_ui->defaultSiteStateLabel->setText(
                tr("Site %1 is not in the last refresh of the lists: refresh them (F5), or pick "
                   "another site.")
                    .arg(*m_defaultSite));
        }
    }
    m_ui->clearDefaultSiteButton->setEnabled(m_defaultSite.has_value());
    QString warning;
    if (!m_defaultSite && m_include == core::ContactInclude::CompanyContactsAndStages) {
        warning = tr("Contacts in the ticked stages that have no imported or mapped company need "
                     "a default site; without one they are skipped.");
    } else if (!m_defaultSite && m_include == core::ContactInclude::All) {
        warning = tr("With all contacts, every contact without an imported or mapped company "
                     "needs a default site; without one they are skipped.");
    }
    m_ui->siteWarningLabel->setText(warning);
    m_ui->siteWarningLabel->setVisible(!warning.isEmpty());
}

void ContactsTab::onSitePicked(const QVariant &value)
{
    const qint64 id = value.toLongLong();
    if (id <= 0 || (m_defaultSite && *m_defaultSite == id))
        return;
    m_defaultSite = id;
    saveContacts();
}

void ContactsTab::onSiteEditingFinished()
{
    if (m_sitePicker->value().isValid())
        return;
    // Typed text that names no site: emptied means "no default site", anything else goes back
    // to the site that is set, so the field never shows what is not saved.
    if (m_sitePicker->text().trimmed().isEmpty())
        clearDefaultSite();
    else
        m_sitePicker->setValue(m_defaultSite ? QVariant(*m_defaultSite) : QVariant());
}

void ContactsTab::clearDefaultSite()
{
    m_sitePicker->setValue({});
    if (!m_defaultSite)
        return;
    m_defaultSite.reset();
    saveContacts();
}

void ContactsTab::updateConnected()
{
    m_connected = mappingtab::showConnection(
        m_connections, m_ui->notConnectedLabel, m_ui->contentWidget,
        tr("%1 Connect both on the Connect tab first: the stages, sites, properties and fields "
           "offered here come from them."));
    updateActions();
    maybeAutoRefresh();
}

QString ContactsTab::importBlockedReason() const
{
    if (!m_connected)
        return tr("Connect HubSpot and Halo first.");
    if (m_runner.isBusy()) {
        return tr("%1 is running; wait for it to finish or cancel it.")
            .arg(JobRunner::jobTitle(m_runner.kind(), m_runner.dryRun()));
    }
    if (m_include == core::ContactInclude::CompanyContactsAndStages &&
        m_lifecycle->selected().isEmpty()) {
        return tr("No lifecycle stage is ticked under Contacts to include: tick at least one, or "
                  "choose another option.");
    }
    if (const QStringList problems = m_fields->problems(); !problems.isEmpty()) {
        return tr("Import is blocked until these field mappings are fixed or removed: %1")
            .arg(problems.join(QStringLiteral(" ")));
    }
    return {};
}

void ContactsTab::updateActions()
{
    const bool busy = m_runner.isBusy();
    const QString blocked = importBlockedReason();
    // Not connected has its banner and a running job its progress line; the rest is said
    // above the buttons.
    const bool show = m_connected && !busy && !blocked.isEmpty();
    m_run->setSetupState(m_connected, blocked, show ? blocked : QString());
    m_ui->refreshListsButton->setEnabled(m_connected && !busy);
    m_ui->removeFieldMappingButton->setEnabled(m_fields->rowCount() > 0);
}

void ContactsTab::addFieldMapping()
{
    if (m_connected) {
        mappingtab::addFieldMapping(this, m_catalog, core::Entity::Contact, m_propertyDefs,
                                    m_fieldDefs, m_fields, m_ui->fieldMappingTable,
                                    tr("Add Contact Field Mapping"));
    }
}

void ContactsTab::removeFieldMappings()
{
    models::removeSelectedRows(m_ui->fieldMappingTable);
    updateActions();
}

} // namespace halospot::gui
