// The "+ Add…" dialogs of the Companies and Contacts tabs: pick a HubSpot company and a Halo
// customer (and optionally a site), or a HubSpot property and a Halo customer or user field. The
// dialog hands the pair to the table, which checks it; a refused pair keeps the dialog open with
// the reason shown.
#pragma once

#include "Catalog.h"
#include "Profile.h"
#include "Result.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;

namespace halospot::gui {

class CatalogPicker;

class CustomerMappingDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerMappingDialog)

public:
    // add: tries to add the pair to the table; its error is shown and the dialog stays open.
    using Add = std::function<Status(const core::CustomerMapping &)>;
    CustomerMappingDialog(const core::Catalog &catalog, Add add, QWidget *parent = nullptr);

    CatalogPicker *companyPicker() const { return m_company; }
    CatalogPicker *customerPicker() const { return m_customer; }
    CatalogPicker *sitePicker() const { return m_site; }
    QLabel *errorLabel() const { return m_error; }

    void accept() override;

private:
    void updateOk();

    Add m_add;
    CatalogPicker *m_company;
    CatalogPicker *m_customer;
    CatalogPicker *m_site;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

class FieldMappingDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FieldMappingDialog)

public:
    using Add = std::function<Status(const core::FieldMapping &)>;
    // entity: Company pairs company properties with customer fields, Contact contact properties
    // with user fields (the rules of canMap for that entity).
    FieldMappingDialog(const core::Catalog &catalog, core::Entity entity,
                       const QList<core::PropertyDef> &properties,
                       const QList<core::HaloFieldDef> &fields, Add add, QWidget *parent = nullptr);

    CatalogPicker *propertyPicker() const { return m_property; }
    CatalogPicker *fieldPicker() const { return m_field; }
    QCheckBox *syncBackCheck() const { return m_syncBack; }
    QLabel *errorLabel() const { return m_error; }

    void accept() override;

private:
    // Says at once whether the picked pair can work, and whether it may sync back.
    void check();

    Add m_add;
    core::Entity m_entity;
    QList<core::PropertyDef> m_properties;
    QList<core::HaloFieldDef> m_fields;
    CatalogPicker *m_property;
    CatalogPicker *m_field;
    QCheckBox *m_syncBack;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace halospot::gui
