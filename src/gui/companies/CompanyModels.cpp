// The lifecycle stage checklist and the customer mapping table of the Companies tab.
#include "CompanyModels.h"

#include "ModelSupport.h"

#include <QSet>

namespace halospot::gui {

// --- LifecycleModel ---

LifecycleModel::LifecycleModel(QObject *parent)
    : LifecycleModel(core::Entity::Company, parent)
{}

LifecycleModel::LifecycleModel(core::Entity entity, QObject *parent)
    : QAbstractListModel(parent)
    , m_entity(entity)
{
    rebuild({});
}

void LifecycleModel::rebuild(const QStringList &selectedValues)
{
    const QSet<QString> wanted(selectedValues.cbegin(), selectedValues.cend());
    QSet<QString> listed;
    QList<Row> rows;
    for (const core::CatalogStage &stage : std::as_const(m_stages)) {
        if (stage.value.isEmpty() || listed.contains(stage.value))
            continue;
        listed.insert(stage.value);
        rows.append(Row{stage.value, stage.label.isEmpty() ? stage.value : stage.label, true,
                        wanted.contains(stage.value)});
    }
    // A stage the profile selects but HubSpot no longer offers stays visible so that it can be
    // unticked; otherwise the import would silently filter on a value nobody can see.
    for (const QString &value : selectedValues) {
        if (value.isEmpty() || listed.contains(value))
            continue;
        listed.insert(value);
        rows.append(Row{value, value, false, true});
    }
    rows.append(Row{QString(), tr("(no stage)"), true, wanted.contains(QString())});
    m_rows = rows;
}

void LifecycleModel::setStages(const QList<core::CatalogStage> &stages)
{
    const QStringList keep = selected();
    beginResetModel();
    m_stages = stages;
    rebuild(keep);
    endResetModel();
}

void LifecycleModel::setSelected(const QStringList &values)
{
    beginResetModel();
    rebuild(values);
    endResetModel();
}

QStringList LifecycleModel::selected() const
{
    QStringList values;
    for (const Row &row : m_rows) {
        if (row.checked)
            values.append(row.value);
    }
    return values;
}

void LifecycleModel::setAllChecked(bool checked)
{
    bool any = false;
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        // "All" means every stage HubSpot offers: a stage it no longer offers is only listed so
        // that it can be unticked, so "All" leaves it as it is (and never ticks it again).
        if (checked && !row.known)
            continue;
        if (row.checked == checked)
            continue;
        row.checked = checked;
        any = true;
        const QModelIndex at = index(i, 0);
        Q_EMIT dataChanged(at, at, {Qt::CheckStateRole});
    }
    if (any)
        Q_EMIT changed();
}

void LifecycleModel::selectAll()
{
    setAllChecked(true);
}

void LifecycleModel::selectNone()
{
    setAllChecked(false);
}

QString LifecycleModel::valueAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).value : QString();
}

int LifecycleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant LifecycleModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return row.known ? row.label : tr("%1 (no longer offered by HubSpot)").arg(row.value);
    case Qt::ToolTipRole:
        if (!row.known) {
            return tr("HubSpot no longer offers the lifecycle stage \u201c%1\u201d; untick it to "
                      "stop filtering on it.")
                .arg(row.value);
        }
        if (row.value.isEmpty()) {
            return m_entity == core::Entity::Contact
                       ? tr("Contacts whose lifecycle stage is empty.")
                       : tr("Companies whose lifecycle stage is empty.");
        }
        return row.value;
    case Qt::DecorationRole:
        return row.known ? QVariant() : QVariant(models::warningIcon());
    case Qt::CheckStateRole:
        return row.checked ? Qt::Checked : Qt::Unchecked;
    case Qt::UserRole:
        return row.value;
    default:
        return {};
    }
}

bool LifecycleModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const bool checked = value.toInt() == Qt::Checked;
    Row &row = m_rows[index.row()];
    if (row.checked == checked)
        return true;
    row.checked = checked;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT changed();
    return true;
}

Qt::ItemFlags LifecycleModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
           Qt::ItemNeverHasChildren;
}

// --- CustomerMappingModel ---

CustomerMappingModel::CustomerMappingModel(const core::Catalog &catalog, QObject *parent)
    : QAbstractTableModel(parent)
    , m_catalog(catalog)
{}

CustomerMappingModel::Names CustomerMappingModel::namesFor(const core::CustomerMapping &m) const
{
    Names names;
    const auto company = m_catalog.company(m.hubspotCompanyId);
    names.companyKnown = company.ok() && company.value().has_value();
    names.company =
        names.companyKnown
            ? company.value()->display()
            : tr("Unknown company %1 (not in the last refresh)").arg(m.hubspotCompanyId);
    const auto customer = m_catalog.customer(m.haloClientId);
    names.customerKnown = customer.ok() && customer.value().has_value();
    names.customer = names.customerKnown
                         ? customer.value()->display()
                         : tr("Unknown customer %1 (not in the last refresh)").arg(m.haloClientId);
    if (!m.haloSiteId) {
        names.site = tr("(main site)");
        return names;
    }
    const auto site = m_catalog.site(*m.haloSiteId);
    names.siteKnown = site.ok() && site.value().has_value();
    names.site = names.siteKnown
                     ? site.value()->name
                     : tr("Unknown site %1 (not in the last refresh)").arg(*m.haloSiteId);
    return names;
}

void CustomerMappingModel::setMappings(const QList<core::CustomerMapping> &mappings)
{
    beginResetModel();
    m_mappings = mappings;
    m_names.clear();
    for (const core::CustomerMapping &m : mappings)
        m_names.append(namesFor(m));
    endResetModel();
}

Status CustomerMappingModel::check(const core::CustomerMapping &mapping, int ignoreRow) const
{
    if (mapping.hubspotCompanyId.trimmed().isEmpty())
        return Status::failure(tr("Pick a HubSpot company for this row."));
    if (mapping.haloClientId <= 0)
        return Status::failure(tr("Pick a Halo customer for this row."));

    const auto company = m_catalog.company(mapping.hubspotCompanyId);
    if (!company)
        return Status::failure(company.error());
    const auto customer = m_catalog.customer(mapping.haloClientId);
    if (!customer)
        return Status::failure(customer.error());
    const Names names = namesFor(mapping);

    for (int i = 0; i < m_mappings.size(); ++i) {
        if (i == ignoreRow || m_mappings.at(i).hubspotCompanyId != mapping.hubspotCompanyId)
            continue;
        const QString other = m_names.at(i).customer;
        if (m_mappings.at(i) == mapping) {
            return Status::failure(tr("%1 is already mapped to %2; that pair is already in the "
                                      "table.")
                                       .arg(names.company, other));
        }
        return Status::failure(
            tr("%1 is already mapped to %2; remove that row first.").arg(names.company, other));
    }

    if (!company.value()) {
        return Status::failure(tr("HubSpot company %1 is not in the last refresh of the picker "
                                  "lists; refresh them and pick the company again.")
                                   .arg(mapping.hubspotCompanyId));
    }
    if (!customer.value()) {
        return Status::failure(tr("Halo customer %1 is not in the last refresh of the picker "
                                  "lists; refresh them and pick the customer again.")
                                   .arg(mapping.haloClientId));
    }
    if (mapping.haloSiteId) {
        const auto site = m_catalog.site(*mapping.haloSiteId);
        if (!site)
            return Status::failure(site.error());
        if (!site.value()) {
            return Status::failure(tr("Halo site %1 is not in the last refresh of the picker "
                                      "lists; refresh them and pick the site again.")
                                       .arg(*mapping.haloSiteId));
        }
        const core::CatalogSite &s = *site.value();
        if (s.clientId != mapping.haloClientId) {
            const QString owner =
                s.clientName.isEmpty() ? tr("customer %1").arg(s.clientId) : s.clientName;
            return Status::failure(tr("Site %1 belongs to %2, not to %3; pick one of %3's sites "
                                      "or leave the site empty.")
                                       .arg(s.name, owner, customer.value()->name));
        }
    }
    return {};
}

Result<int> CustomerMappingModel::addMapping(const core::CustomerMapping &mapping)
{
    const Status ok = check(mapping, -1);
    if (!ok)
        return Result<int>::failure(ok.error());
    const int row = int(m_mappings.size());
    beginInsertRows({}, row, row);
    m_mappings.append(mapping);
    m_names.append(namesFor(mapping));
    endInsertRows();
    Q_EMIT changed();
    return row;
}

Status CustomerMappingModel::replaceMapping(int row, const core::CustomerMapping &mapping)
{
    if (row < 0 || row >= m_mappings.size())
        return Status::failure(tr("That row is no longer in the table."));
    const Status ok = check(mapping, row);
    if (!ok)
        return ok;
    if (m_mappings.at(row) == mapping)
        return {};
    m_mappings[row] = mapping;
    m_names[row] = namesFor(mapping);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT changed();
    return {};
}

bool CustomerMappingModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_mappings.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_mappings.remove(row, count);
    m_names.remove(row, count);
    endRemoveRows();
    Q_EMIT changed();
    return true;
}

void CustomerMappingModel::refreshNames()
{
    for (int i = 0; i < m_mappings.size(); ++i)
        m_names[i] = namesFor(m_mappings.at(i));
    if (!m_mappings.isEmpty()) {
        Q_EMIT dataChanged(index(0, 0), index(int(m_mappings.size()) - 1, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::ToolTipRole, Qt::DecorationRole});
    }
}

int CustomerMappingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_mappings.size());
}

int CustomerMappingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CustomerMappingModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::CustomerMapping &m = m_mappings.at(index.row());
    const Names &n = m_names.at(index.row());
    const int column = index.column();
    const bool known = column == CompanyColumn    ? n.companyKnown
                       : column == CustomerColumn ? n.customerKnown
                                                  : n.siteKnown;
    switch (role) {
    case Qt::DisplayRole:
        return column == CompanyColumn ? n.company : column == CustomerColumn ? n.customer : n.site;
    case Qt::ToolTipRole:
        switch (column) {
        case CompanyColumn:
            return known ? tr("HubSpot company ID %1").arg(m.hubspotCompanyId)
                         : tr("HubSpot company %1 was not in the last refresh of the picker "
                              "lists. Refresh them; if the company was deleted, remove this row.")
                               .arg(m.hubspotCompanyId);
        case CustomerColumn:
            return known ? tr("Halo customer ID %1").arg(m.haloClientId)
                         : tr("Halo customer %1 was not in the last refresh of the picker lists. "
                              "Refresh them; if the customer was deleted, remove this row.")
                               .arg(m.haloClientId);
        default:
            if (!m.haloSiteId)
                return tr("No site chosen: the customer's main site is used.");
            return known ? tr("Halo site ID %1").arg(*m.haloSiteId)
                         : tr("Halo site %1 was not in the last refresh of the picker lists. "
                              "Refresh them; if the site was deleted, pick another one.")
                               .arg(*m.haloSiteId);
        }
    case Qt::DecorationRole:
        return known ? QVariant() : QVariant(models::warningIcon());
    case Qt::UserRole:
        if (column == CompanyColumn)
            return m.hubspotCompanyId;
        if (column == CustomerColumn)
            return m.haloClientId;
        return m.haloSiteId ? QVariant(*m.haloSiteId) : QVariant();
    default:
        return {};
    }
}

QVariant CustomerMappingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case CompanyColumn:
        return tr("HubSpot company");
    case CustomerColumn:
        return tr("Halo customer");
    case SiteColumn:
        return tr("Halo site");
    default:
        return {};
    }
}

} // namespace halospot::gui
