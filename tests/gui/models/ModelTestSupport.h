// Test helpers for the Companies tab's models: a real store in a temporary folder with a catalog
// filled through its own write methods, and a few sample definitions.
#pragma once

#include "Catalog.h"
#include "FieldTypes.h"
#include "Profile.h"
#include "Store.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

namespace halospot::gui::test {

struct CatalogFixture
{
    CatalogFixture()
        : store(QDir(dir.path()).filePath(QStringLiteral("halospot.db")))
        , catalog(store)
    {
        opened = store.open().ok();
    }

    bool setCompanies(const QList<core::CatalogCompany> &rows)
    {
        return catalog.begin(core::CatalogList::Companies).ok() &&
               catalog.addCompanies(rows).ok() && catalog.finish(core::CatalogList::Companies).ok();
    }
    bool setCustomers(const QList<core::CatalogCustomer> &rows)
    {
        return catalog.begin(core::CatalogList::Customers).ok() &&
               catalog.addCustomers(rows).ok() && catalog.finish(core::CatalogList::Customers).ok();
    }
    bool setSites(const QList<core::CatalogSite> &rows)
    {
        return catalog.begin(core::CatalogList::Sites).ok() && catalog.addSites(rows).ok() &&
               catalog.finish(core::CatalogList::Sites).ok();
    }

    // Two companies, two customers with one site each: what most mapping tests need.
    bool fillSmall()
    {
        return setCompanies({{QStringLiteral("101"), QStringLiteral("Acme Corporation"),
                              QStringLiteral("acme.com"), QStringLiteral("customer")},
                             {QStringLiteral("102"), QStringLiteral("Beta GmbH"),
                              QStringLiteral("beta.de"), QStringLiteral("lead")}}) &&
               setCustomers({{5, QStringLiteral("ACME Ltd"), false},
                             {6, QStringLiteral("Other Ltd"), false},
                             {7, QStringLiteral("Old Ltd"), true}}) &&
               setSites({{50, 5, QStringLiteral("Main Office"), {}},
                         {60, 6, QStringLiteral("Branch"), {}}});
    }

    QTemporaryDir dir;
    core::Store store;
    core::Catalog catalog;
    bool opened = false;
};

inline core::PropertyDef propertyDef(const QString &name, const QString &label, const QString &type,
                                     const QString &fieldType, bool readOnly = false)
{
    core::PropertyDef p;
    p.name = name;
    p.label = label;
    p.type = type;
    p.fieldType = fieldType;
    p.readOnly = readOnly;
    return p;
}

inline core::HaloFieldDef fieldDef(int id, const QString &name, const QString &label,
                                   core::HaloFieldType type, int inputType = 0,
                                   core::HaloFieldUsage usage = core::HaloFieldUsage::Customer)
{
    core::HaloFieldDef f;
    f.id = id;
    f.name = name;
    f.label = label;
    f.type = type;
    f.inputType = inputType;
    f.usage = usage;
    return f;
}

inline core::FieldMapping fieldMapping(const QString &property, int fieldId, bool syncBack = false)
{
    core::FieldMapping m;
    m.hubspotProperty = property;
    m.haloFieldId = fieldId;
    m.syncBack = syncBack;
    return m;
}

} // namespace halospot::gui::test
