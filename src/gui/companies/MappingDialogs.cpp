// The mapping tabs' add dialogs: pickers, an immediate check, and the table's verdict.
#include "MappingDialogs.h"

#include "CatalogPicker.h"
#include "FieldTypes.h"
#include "StoreTypes.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace halospot::gui {

namespace {

QLabel *makeErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("errorLabel"));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setVisible(false);
    return label;
}

void showMessage(QLabel *label, const QString &text, bool isError)
{
    label->setText(text);
    label->setStyleSheet(isError ? QStringLiteral("color: #b3261e;") : QString());
    label->setVisible(!text.isEmpty());
}

QDialogButtonBox *makeButtons(QDialog *dialog, const QString &okText)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    buttons->setObjectName(QStringLiteral("buttonBox"));
    buttons->button(QDialogButtonBox::Ok)->setText(okText);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    return buttons;
}

} // namespace

CustomerMappingDialog::CustomerMappingDialog(const core::Catalog &catalog, Add add, QWidget *parent)
    : QDialog(parent)
    , m_add(std::move(add))
    , m_company(new CatalogPicker(catalog, CatalogPicker::Kind::Company, this))
    , m_customer(new CatalogPicker(catalog, CatalogPicker::Kind::Customer, this))
    , m_site(new CatalogPicker(catalog, CatalogPicker::Kind::Site, this))
    , m_error(makeErrorLabel(this))
    , m_buttons(makeButtons(this, tr("Add")))
{
    setObjectName(QStringLiteral("customerMappingDialog"));
    setWindowTitle(tr("Add Customer Mapping"));
    m_company->setObjectName(QStringLiteral("companyPicker"));
    m_company->setPlaceholderText(tr("Type a company name, domain or ID"));
    m_customer->setObjectName(QStringLiteral("customerPicker"));
    m_customer->setPlaceholderText(tr("Type a customer name or ID"));
    m_site->setObjectName(QStringLiteral("sitePicker"));
    m_site->setPlaceholderText(tr("Optional: the customer's main site when empty"));
    m_site->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("&HubSpot company:"), m_company);
    form->addRow(tr("Halo &customer:"), m_customer);
    form->addRow(tr("Halo &site:"), m_site);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("Imports this HubSpot company into this Halo customer, whatever their names."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(560, sizeHint().height());

    connect(m_company, &CatalogPicker::picked, this, &CustomerMappingDialog::updateOk);
    connect(m_company, &QLineEdit::textEdited, this, &CustomerMappingDialog::updateOk);
    connect(m_customer, &CatalogPicker::picked, this, [this](const QVariant &value) {
        // Sites belong to one customer: offer only that customer's.
        m_site->setSiteCustomer(value.toLongLong());
        m_site->setValue({});
        m_site->setEnabled(true);
        updateOk();
    });
    connect(m_customer, &QLineEdit::textEdited, this, [this] {
        m_site->setEnabled(m_customer->value().isValid());
        updateOk();
    });
    updateOk();
}

void CustomerMappingDialog::updateOk()
{
    showMessage(m_error, {}, false);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(m_company->value().isValid() && m_customer->value().isValid());
}

void CustomerMappingDialog::accept()
{
    if (!m_company->value().isValid() || !m_customer->value().isValid()) {
        showMessage(m_error, tr("Pick a HubSpot company and a Halo customer from the lists."),
                    true);
        return;
    }
    core::CustomerMapping mapping;
    mapping.hubspotCompanyId = m_company->value().toString();
    mapping.haloClientId = m_customer->value().toLongLong();
    if (m_site->value().isValid() && m_site->value().toLongLong() > 0)
        mapping.haloSiteId = m_site->value().toLongLong();
    if (const Status added = m_add(mapping); !added.ok()) {
        showMessage(m_error, added.error(), true);
        return;
    }
    QDialog::accept();
}

FieldMappingDialog::FieldMappingDialog(const core::Catalog &catalog, core::Entity entity,
                                       const QList<core::PropertyDef> &properties,
                                       const QList<core::HaloFieldDef> &fields, Add add,
                                       QWidget *parent)
    : QDialog(parent)
    , m_add(std::move(add))
    , m_entity(entity)
    , m_properties(properties)
    , m_fields(fields)
    , m_property(new CatalogPicker(catalog, CatalogPicker::Kind::Property, this))
    , m_field(new CatalogPicker(catalog, CatalogPicker::Kind::Field, this))
    , m_syncBack(new QCheckBox(tr("Sync &back to HubSpot when the field changes in Halo"), this))
    , m_error(makeErrorLabel(this))
    , m_buttons(makeButtons(this, tr("Add")))
{
    setObjectName(QStringLiteral("fieldMappingDialog"));
    setWindowTitle(tr("Add Field Mapping"));
    m_property->setObjectName(QStringLiteral("propertyPicker"));
    m_property->setProperties(properties);
    m_field->setObjectName(QStringLiteral("fieldPicker"));
    const bool contacts = entity == core::Entity::Contact;
    m_property->setPlaceholderText(contacts ? tr("Type a contact property label or internal name")
                                            : tr("Type a company property label or internal name"));
    m_field->setPlaceholderText(contacts ? tr("Type a user field label or name")
                                         : tr("Type a customer field label or name"));
    m_field->setFields(fields);
    m_syncBack->setObjectName(QStringLiteral("syncBackCheck"));

    auto *form = new QFormLayout;
    form->addRow(contacts ? tr("HubSpot contact &property:") : tr("HubSpot company &property:"),
                 m_property);
    form->addRow(contacts ? tr("Halo user &field:") : tr("Halo customer &field:"), m_field);
    form->addRow(QString(), m_syncBack);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(560, sizeHint().height());

    connect(m_property, &CatalogPicker::picked, this, &FieldMappingDialog::check);
    connect(m_property, &QLineEdit::textEdited, this, &FieldMappingDialog::check);
    connect(m_field, &CatalogPicker::picked, this, &FieldMappingDialog::check);
    connect(m_field, &QLineEdit::textEdited, this, &FieldMappingDialog::check);
    check();
}

void FieldMappingDialog::check()
{
    const core::PropertyDef *property = nullptr;
    const core::HaloFieldDef *field = nullptr;
    for (const core::PropertyDef &p : std::as_const(m_properties)) {
        if (m_property->value().isValid() && p.name == m_property->value().toString())
            property = &p;
    }
    for (const core::HaloFieldDef &f : std::as_const(m_fields)) {
        if (m_field->value().isValid() && f.id == m_field->value().toInt())
            field = &f;
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(property && field);
    m_syncBack->setEnabled(true);
    m_syncBack->setToolTip({});
    if (property) {
        QString why;
        if (!core::canSyncBack(*property, &why)) {
            m_syncBack->setChecked(false);
            m_syncBack->setEnabled(false);
            m_syncBack->setToolTip(why);
        }
    }
    if (!property || !field) {
        showMessage(m_error, {}, false);
        return;
    }
    const Result<core::MappingRule> rule = core::canMap(*property, *field, m_entity);
    // Said before OK is pressed, so that nobody has to guess which Halo field would fit.
    if (rule.ok())
        showMessage(m_error, tr("✓ These types fit together."), false);
    else
        showMessage(m_error, rule.error(), true);
}

void FieldMappingDialog::accept()
{
    if (!m_property->value().isValid() || !m_field->value().isValid()) {
        showMessage(m_error, tr("Pick a HubSpot property and a Halo field from the lists."), true);
        return;
    }
    core::FieldMapping mapping;
    mapping.hubspotProperty = m_property->value().toString();
    mapping.haloFieldId = m_field->value().toInt();
    mapping.syncBack = m_syncBack->isEnabled() && m_syncBack->isChecked();
    if (const Status added = m_add(mapping); !added.ok()) {
        showMessage(m_error, added.error(), true);
        return;
    }
    QDialog::accept();
}

} // namespace halospot::gui
