// The item models behind the Companies tab: the lifecycle stage checklist, the customer mapping
// table and the field mapping table. Each edits a copy of the profile's CompanySettings and says
// so through changed(); the tab saves it to the store at once. Every model passes
// QAbstractItemModelTester.
#pragma once

#include "Catalog.h"
#include "FieldTypes.h"
#include "Profile.h"
#include "Result.h"

#include <QAbstractListModel>
#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

namespace halospot::gui {

// Checkable rows: HubSpot's lifecycle stages (label, value as tooltip), then "(no stage)". A stage
// that is selected but no longer offered by HubSpot stays listed, marked as unknown, so that it
// can be unticked. Used for companies and, on the Contacts tab, for contacts (entity Contact).
class LifecycleModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LifecycleModel)

public:
    explicit LifecycleModel(QObject *parent = nullptr);
    // entity: whose stages the rows are (only the wording of "(no stage)" differs).
    explicit LifecycleModel(core::Entity entity, QObject *parent = nullptr);

    void setStages(const QList<core::CatalogStage> &stages); // keeps the selection
    void setSelected(const QStringList &values);             // "" = (no stage)
    QStringList selected() const;                            // in row order
    void selectAll();  // every offered stage and "(no stage)"; unknown stages stay as they are
    void selectNone(); // emits changed() when anything was ticked
    QString valueAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    void changed(); // the selection changed through the model (not through setSelected)

private:
    struct Row
    {
        QString value;
        QString label;
        bool known = true;
        bool checked = false;
    };
    void rebuild(const QStringList &selectedValues);
    void setAllChecked(bool checked);
    core::Entity m_entity = core::Entity::Company;
    QList<core::CatalogStage> m_stages;
    QList<Row> m_rows;
};

// HubSpot company → Halo customer (→ optional site). Names come from the catalog; an ID the
// catalog does not know is shown as "Unknown company 123 (not in the last refresh)" with a
// warning icon.
class CustomerMappingModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerMappingModel)

public:
    enum Column
    {
        CompanyColumn,
        CustomerColumn,
        SiteColumn,
        ColumnCount
    };
    // data(): Qt::UserRole gives the raw ID of the cell (QString company / qint64 customer, site).
    CustomerMappingModel(const core::Catalog &catalog, QObject *parent = nullptr);

    void setMappings(const QList<core::CustomerMapping> &mappings);
    const QList<core::CustomerMapping> &mappings() const { return m_mappings; }
    // Checks and adds a row; the error says why not ("Acme (acme.com) is already mapped to ACME
    // Ltd.", "That pair is already in the table.", a site that is not the customer's, …).
    Result<int> addMapping(const core::CustomerMapping &mapping);
    // Changes one row, checked the same way (the row itself does not count as a duplicate).
    Status replaceMapping(int row, const core::CustomerMapping &mapping);
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    // After a catalog refresh: names are looked up again.
    void refreshNames();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void changed();

private:
    struct Names
    {
        QString company, customer, site;
        bool companyKnown = true, customerKnown = true, siteKnown = true;
    };
    Status check(const core::CustomerMapping &mapping, int ignoreRow) const;
    Names namesFor(const core::CustomerMapping &mapping) const;
    const core::Catalog &m_catalog;
    QList<core::CustomerMapping> m_mappings;
    QList<Names> m_names;
};

// HubSpot property → Halo customer field, with Sync back. The Status column shows ✓ or the reason
// a row cannot work (incompatible types, unknown property or field); Sync back is checkable only
// when the property can be written back (tooltip says why not).
class FieldMappingModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FieldMappingModel)

public:
    enum Column
    {
        PropertyColumn, // "Industry" (tooltip: internal name)
        TypeColumn,     // "enumeration / select"
        FieldColumn,    // "Industry (CFindustry)"
        SyncBackColumn, // checkbox
        StatusColumn,   // ✓ / ⚠ reason
        ColumnCount
    };
    // entity: Company maps company properties to customer fields, Contact contact properties to
    // user fields.
    explicit FieldMappingModel(core::Entity entity, QObject *parent = nullptr);

    // The definitions rows are checked against (from the catalog); rows are re-checked.
    void setDefinitions(const QList<core::PropertyDef> &properties,
                        const QList<core::HaloFieldDef> &fields);
    void setMappings(const QList<core::FieldMapping> &mappings);
    const QList<core::FieldMapping> &mappings() const { return m_mappings; }
    // Refused with the reason when the pair is incompatible (canMap), the property or the Halo
    // field is already mapped, or either side is unknown. Sync back is cleared when not allowed.
    Result<int> addMapping(const core::FieldMapping &mapping);
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    // Rows whose pair cannot be used (shown with ⚠); an import refuses to start while any exist.
    QStringList problems() const;
    // Why the last setData() returned false (e.g. canSyncBack's reason), for the view to show.
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void changed();

private:
    // What the checks say about one row; indexes point into m_properties / m_fields (-1 = unknown).
    struct RowState
    {
        int property = -1;
        int field = -1;
        bool usable = false;
        QString problem; // a sentence naming both sides, when !usable
        QString okText;
        bool syncBackAllowed = false;
        QString syncBackReason;
    };
    int propertyIndex(const QString &name) const;
    int fieldIndex(const core::FieldMapping &mapping) const;
    QString propertyDisplay(const core::FieldMapping &mapping) const;
    QString fieldDisplay(const core::FieldMapping &mapping) const;
    RowState evaluate(const core::FieldMapping &mapping) const;
    void recheck();

    core::Entity m_entity;
    QList<core::PropertyDef> m_properties;
    QList<core::HaloFieldDef> m_fields;
    QList<core::FieldMapping> m_mappings;
    QList<RowState> m_states;
    QString m_lastError;
};

} // namespace halospot::gui
