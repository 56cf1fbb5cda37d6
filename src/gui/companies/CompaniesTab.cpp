// CompaniesTab: the setup half - connection state, the picker lists, the stage checklist and the
// two mapping tables, each edit saved to the profile at once.
#include "CompaniesTab.h"

#include "CompanyModels.h"
#include "ConnectionManager.h"
#include "JobRunner.h"
#include "MappingDialogs.h"
#include "ModelSupport.h"
#include "ProfileStore.h"
#include "RunPanel.h"
#include "RunResultModel.h"
#include "Store.h"
#include "ui_CompaniesTab.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLocale>
#include <QTimer>

#include <algorithm>

namespace halospot::gui {

namespace {

const QString kSource = QStringLiteral("Companies");

// The lists the tab shows; the oldest of them decides "refreshed … ago".
constexpr std::initializer_list<core::CatalogList> kLists = {
    core::CatalogList::LifecycleStages,   core::CatalogList::Companies,
    core::CatalogList::Customers,         core::CatalogList::Sites,
    core::CatalogList::CompanyProperties, core::CatalogList::CustomerFields,
};

} // namespace

CompaniesTab::CompaniesTab(core::Store &store, ConnectionManager &connections, JobRunner &runner,
                           QWidget *parent)
    : MappingTabBase(store, connections, runner, core::Entity::Company, parent)
    , m_ui(std::make_unique<Ui::CompaniesTab>())
    , m_lifecycle(new LifecycleModel(this))
    , m_customers(new CustomerMappingModel(m_catalog, this))
    , m_fields(new FieldMappingModel(core::Entity::Company, this))
{
    m_ui->setupUi(this);
    setupViews();
    setupShortcuts();

    connect(m_lifecycle, &LifecycleModel::changed, this, &CompaniesTab::saveCompanies);
    connect(m_customers, &CustomerMappingModel::changed, this, &CompaniesTab::saveCompanies);
    connect(m_fields, &FieldMappingModel::changed, this, &CompaniesTab::saveCompanies);
    connect(m_ui->allStagesButton, &QPushButton::clicked, this, [this] {
        m_lifecycle->selectAll();
        saveCompanies();
    });
    connect(m_ui->noStagesButton, &QPushButton::clicked, this, [this] {
        m_lifecycle->selectNone();
        saveCompanies();
    });
    connect(m_ui->addCustomerMappingButton, &QPushButton::clicked, this,
            &CompaniesTab::addCustomerMapping);
    connect(m_ui->removeCustomerMappingButton, &QPushButton::clicked, this,
            &CompaniesTab::removeCustomerMappings);
    connect(m_ui->addFieldMappingButton, &QPushButton::clicked, this,
            &CompaniesTab::addFieldMapping);
    connect(m_ui->removeFieldMappingButton, &QPushButton::clicked, this,
            &CompaniesTab::removeFieldMappings);
    connect(m_ui->refreshListsButton, &QPushButton::clicked, this, &CompaniesTab::refreshLists);
    connect(m_run, &RunPanel::importRequested, this, &CompaniesTab::importCompanies);
    start();
}

CompaniesTab::~CompaniesTab() = default;

void CompaniesTab::setupViews()
{
    m_ui->notConnectedLabel->setStyleSheet(
        QStringLiteral("#notConnectedLabel { background: #fff4ce; border: 1px solid #e0c060; }"));
    m_ui->nothingTickedLabel->setStyleSheet(QStringLiteral("color: #8a5300;"));
    m_ui->catalogLabel->setTextFormat(Qt::PlainText);
    m_ui->runWidgetLayout->addWidget(m_run);

    m_ui->lifecycleStageList->setModel(m_lifecycle);
    m_ui->customerMappingTable->setModel(m_customers);
    m_ui->fieldMappingTable->setModel(m_fields);

    m_ui->customerMappingTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    QHeaderView *customers = m_ui->customerMappingTable->horizontalHeader();
    customers->setHighlightSections(false);
    customers->setSectionResizeMode(QHeaderView::Stretch);
    mappingtab::setupFieldTable(m_ui->fieldMappingTable);

    m_ui->setupSplitter->setStretchFactor(0, 1);
    m_ui->setupSplitter->setStretchFactor(1, 3);
    m_ui->setupSplitter->setSizes({260, 740});
    // The field table usually grows longer than the customer pairs.
    m_ui->mappingsLayout->setStretch(0, 2);
    m_ui->mappingsLayout->setStretch(1, 3);
    m_ui->verticalSplitter->setStretchFactor(0, 1);
    m_ui->verticalSplitter->setStretchFactor(1, 1);
    m_ui->verticalSplitter->setSizes({340, 320});
}

void CompaniesTab::setupShortcuts()
{
    mappingtab::addTableShortcuts(m_ui->customerMappingTable, this,
                                  &CompaniesTab::addCustomerMapping,
                                  &CompaniesTab::removeCustomerMappings);
    mappingtab::addTableShortcuts(m_ui->fieldMappingTable, this, &CompaniesTab::addFieldMapping,
                                  &CompaniesTab::removeFieldMappings);
    addRunShortcuts(m_ui->refreshListsButton);
}

void CompaniesTab::loadProfile()
{
    const Result<core::Profile> profile = core::loadProfile(m_store);
    if (!profile.ok()) {
        Q_EMIT activity(kSource, profile.error(), true);
        return;
    }
    m_loading = true;
    const core::CompanySettings &companies = profile->companies;
    m_lifecycle->setSelected(companies.lifecycleStages);
    m_customers->setMappings(companies.customerMappings);
    m_fields->setMappings(companies.fieldMappings);
    m_loading = false;
    m_run->forgetPreview();
    updateActions();
}

void CompaniesTab::saveCompanies()
{
    if (m_loading)
        return;
    Result<core::Profile> profile = core::loadProfile(m_store);
    if (!profile.ok()) {
        Q_EMIT activity(kSource, profile.error(), true);
        return;
    }
    core::CompanySettings next = profile->companies;
    next.lifecycleStages = m_lifecycle->selected();
    next.customerMappings = m_customers->mappings();
    next.fieldMappings = m_fields->mappings();
    if (next != profile->companies) {
        profile.value().companies = next;
        if (const Status saved = core::saveProfile(m_store, profile.value()); !saved.ok())
            Q_EMIT activity(kSource, tr("The change was not saved: %1").arg(saved.error()), true);
        // What the last preview showed no longer describes what an import would do.
        m_run->forgetPreview();
    }
    updateActions();
}

void CompaniesTab::reloadCatalog()
{
    const auto stages = m_catalog.stages();
    m_lifecycle->setStages(stages.ok() ? stages.value() : QList<core::CatalogStage>());
    const auto properties = m_catalog.properties(core::Entity::Company);
    const auto fields = m_catalog.fields(core::Entity::Company);
    m_propertyDefs = properties.ok() ? properties.value() : QList<core::PropertyDef>();
    m_fieldDefs = fields.ok() ? fields.value() : QList<core::HaloFieldDef>();
    m_fields->setDefinitions(m_propertyDefs, m_fieldDefs);
    m_customers->refreshNames();
    m_stageCounts.reset();
    updateCatalogLabel();
    updateActions();
}

void CompaniesTab::updateCatalogLabel()
{
    m_ui->catalogLabel->setText(
        mappingtab::catalogText(m_catalog, m_runner, kLists, [this](const QString &ago) {
            const Result<qint64> companies = m_catalog.count(core::CatalogList::Companies);
            const Result<qint64> customers = m_catalog.count(core::CatalogList::Customers);
            const QLocale locale;
            return tr("Lists from HubSpot and Halo (%1 companies, %2 customers), refreshed %3.")
                .arg(locale.toString(companies.ok() ? companies.value() : 0),
                     locale.toString(customers.ok() ? customers.value() : 0), ago);
        }));
}

void CompaniesTab::updateConnected()
{
    m_connected = mappingtab::showConnection(
        m_connections, m_ui->notConnectedLabel, m_ui->contentWidget,
        tr("%1 Connect both on the Connect tab first: the stages, companies, customers and "
           "fields offered here come from them."));
    updateActions();
    maybeAutoRefresh();
}

QString CompaniesTab::importBlockedReason() const
{
    if (!m_connected)
        return tr("Connect HubSpot and Halo first.");
    if (m_lifecycle->selected().isEmpty())
        return tr("Nothing is ticked, so nothing would be imported.");
    if (const QStringList problems = m_fields->problems(); !problems.isEmpty()) {
        return tr("Import is blocked until these field mappings are fixed or removed: %1")
            .arg(problems.join(QStringLiteral(" ")));
    }
    return {};
}

void CompaniesTab::updateActions()
{
    const bool busy = m_runner.isBusy();
    const bool nothingTicked = m_lifecycle->selected().isEmpty();
    m_ui->nothingTickedLabel->setVisible(nothingTicked);
    const QString blocked = importBlockedReason();
    // The stage list says "nothing ticked" itself; the line above the buttons is for field rows.
    const bool fieldProblems = m_connected && !m_fields->problems().isEmpty();
    m_run->setSetupState(m_connected, blocked, fieldProblems ? blocked : QString());

    m_ui->refreshListsButton->setEnabled(m_connected && !busy);
    m_ui->removeCustomerMappingButton->setEnabled(m_customers->rowCount() > 0);
    m_ui->removeFieldMappingButton->setEnabled(m_fields->rowCount() > 0);
}

void CompaniesTab::addCustomerMapping()
{
    if (!m_connected)
        return;
    auto *dialog = new CustomerMappingDialog(
        m_catalog,
        [this](const core::CustomerMapping &mapping) -> Status {
            const Result<int> row = m_customers->addMapping(mapping);
            if (!row.ok())
                return Status::failure(row.error());
            m_ui->customerMappingTable->selectRow(row.value());
            return Status();
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void CompaniesTab::removeCustomerMappings()
{
    models::removeSelectedRows(m_ui->customerMappingTable);
    updateActions();
}

void CompaniesTab::addFieldMapping()
{
    if (m_connected) {
        mappingtab::addFieldMapping(this, m_catalog, core::Entity::Company, m_propertyDefs,
                                    m_fieldDefs, m_fields, m_ui->fieldMappingTable);
    }
}

void CompaniesTab::removeFieldMappings()
{
    models::removeSelectedRows(m_ui->fieldMappingTable);
    updateActions();
}

} // namespace halospot::gui
