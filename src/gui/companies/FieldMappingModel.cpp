// The field mapping table of the Companies tab: HubSpot property → Halo custom field, checked
// against the SPEC §3 rules (core::canMap, core::canSyncBack) on every change.
#include "CompanyModels.h"

#include "ModelSupport.h"

namespace halospot::gui {

namespace {

// "Industry (CFindustry)": the label people know, then the name the API uses.
QString fieldText(const core::HaloFieldDef &f)
{
    if (f.label.isEmpty() || f.label == f.name)
        return f.name;
    return QStringLiteral("%1 (%2)").arg(f.label, f.name);
}

QString propertyText(const core::PropertyDef &p)
{
    if (p.label.isEmpty() || p.label == p.name)
        return p.name;
    return QStringLiteral("%1 (%2)").arg(p.label, p.name);
}

QString fieldRef(const core::FieldMapping &m)
{
    return m.haloFieldId ? QString::number(*m.haloFieldId) : m.haloFieldName;
}

} // namespace

FieldMappingModel::FieldMappingModel(core::Entity entity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_entity(entity)
{}

int FieldMappingModel::propertyIndex(const QString &name) const
{
    for (int i = 0; i < m_properties.size(); ++i) {
        if (m_properties.at(i).name == name)
            return i;
    }
    return -1;
}

int FieldMappingModel::fieldIndex(const core::FieldMapping &m) const
{
    for (int i = 0; i < m_fields.size(); ++i) {
        const core::HaloFieldDef &f = m_fields.at(i);
        if (m.haloFieldId ? f.id == *m.haloFieldId
                          : f.name.compare(m.haloFieldName, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

QString FieldMappingModel::propertyDisplay(const core::FieldMapping &m) const
{
    const int i = propertyIndex(m.hubspotProperty);
    return i >= 0 ? propertyText(m_properties.at(i))
                  : tr("Unknown property %1 (not in the last refresh)").arg(m.hubspotProperty);
}

QString FieldMappingModel::fieldDisplay(const core::FieldMapping &m) const
{
    const int i = fieldIndex(m);
    return i >= 0 ? fieldText(m_fields.at(i))
                  : tr("Unknown field %1 (not in the last refresh)").arg(fieldRef(m));
}

FieldMappingModel::RowState FieldMappingModel::evaluate(const core::FieldMapping &m) const
{
    RowState s;
    s.property = propertyIndex(m.hubspotProperty);
    s.field = fieldIndex(m);
    if (s.property < 0) {
        s.problem = tr("HubSpot property %1 is not in the last refresh of the picker lists; "
                       "refresh them, or remove the row that maps it to %2.")
                        .arg(m.hubspotProperty, fieldDisplay(m));
        s.syncBackReason = s.problem;
        return s;
    }
    const core::PropertyDef &p = m_properties.at(s.property);
    if (s.field < 0) {
        s.problem = tr("Halo field %1 is not in the last refresh of the picker lists; refresh "
                       "them, or remove the row that maps %2 to it.")
                        .arg(fieldRef(m), propertyText(p));
        s.syncBackReason = s.problem;
        return s;
    }
    const core::HaloFieldDef &f = m_fields.at(s.field);
    const Result<core::MappingRule> rule = core::canMap(p, f, m_entity);
    if (!rule) {
        s.problem = rule.error();
        s.syncBackReason = s.problem;
        return s;
    }
    s.syncBackAllowed = core::canSyncBack(p, &s.syncBackReason);
    if (m.syncBack && !s.syncBackAllowed) {
        // Only possible for a row loaded from a profile: addMapping clears the flag.
        s.problem = s.syncBackReason + QLatin1Char(' ') + tr("Untick Sync back for this row.");
        return s;
    }
    s.usable = true;
    s.okText = tr("%1 can be mapped to %2.").arg(propertyText(p), fieldText(f));
    return s;
}

void FieldMappingModel::recheck()
{
    m_states.clear();
    for (const core::FieldMapping &m : std::as_const(m_mappings))
        m_states.append(evaluate(m));
}

void FieldMappingModel::setDefinitions(const QList<core::PropertyDef> &properties,
                                       const QList<core::HaloFieldDef> &fields)
{
    // Which cells are checkable may change, so views must ask again for everything.
    beginResetModel();
    m_properties = properties;
    m_fields = fields;
    recheck();
    endResetModel();
}

void FieldMappingModel::setMappings(const QList<core::FieldMapping> &mappings)
{
    beginResetModel();
    m_mappings = mappings;
    recheck();
    endResetModel();
}

Result<int> FieldMappingModel::addMapping(const core::FieldMapping &mapping)
{
    using R = Result<int>;
    if (mapping.hubspotProperty.trimmed().isEmpty())
        return R::failure(tr("Pick a HubSpot property for this row."));
    if (!mapping.haloFieldId && mapping.haloFieldName.trimmed().isEmpty())
        return R::failure(tr("Pick a Halo field for this row."));

    const int fi = fieldIndex(mapping);
    for (const core::FieldMapping &m : std::as_const(m_mappings)) {
        if (m.hubspotProperty == mapping.hubspotProperty) {
            return R::failure(tr("HubSpot property %1 is already mapped to %2; remove that row "
                                 "first.")
                                  .arg(propertyDisplay(mapping), fieldDisplay(m)));
        }
    }
    for (const core::FieldMapping &m : std::as_const(m_mappings)) {
        const int other = fieldIndex(m);
        const bool same =
            fi >= 0 ? other == fi
                    : other < 0 && fieldRef(m).compare(fieldRef(mapping), Qt::CaseInsensitive) == 0;
        if (same) {
            return R::failure(tr("Halo field %1 already receives %2; remove that row first.")
                                  .arg(fieldDisplay(mapping), propertyDisplay(m)));
        }
    }

    // The pair is judged without Sync back; a refused Sync back is cleared, not refused.
    core::FieldMapping row = mapping;
    row.syncBack = false;
    RowState state = evaluate(row);
    if (state.property < 0) {
        return R::failure(tr("HubSpot property %1 is not in the last refresh of the picker "
                             "lists; refresh them and pick the property again.")
                              .arg(mapping.hubspotProperty));
    }
    if (state.field < 0) {
        return R::failure(tr("Halo field %1 is not in the last refresh of the picker lists; "
                             "refresh them and pick the field for %2 again.")
                              .arg(fieldRef(mapping), propertyDisplay(mapping)));
    }
    if (!state.usable)
        return R::failure(state.problem);
    if (mapping.syncBack && state.syncBackAllowed) {
        row.syncBack = true;
        state = evaluate(row);
    }

    const int at = int(m_mappings.size());
    beginInsertRows({}, at, at);
    m_mappings.append(row);
    m_states.append(state);
    endInsertRows();
    Q_EMIT changed();
    return at;
}

bool FieldMappingModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_mappings.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_mappings.remove(row, count);
    m_states.remove(row, count);
    endRemoveRows();
    Q_EMIT changed();
    return true;
}

QStringList FieldMappingModel::problems() const
{
    QStringList list;
    for (const RowState &s : m_states) {
        if (!s.usable)
            list.append(s.problem);
    }
    return list;
}

int FieldMappingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_mappings.size());
}

int FieldMappingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FieldMappingModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::FieldMapping &m = m_mappings.at(index.row());
    const RowState &s = m_states.at(index.row());
    const core::PropertyDef *p = s.property >= 0 ? &m_properties.at(s.property) : nullptr;
    const core::HaloFieldDef *f = s.field >= 0 ? &m_fields.at(s.field) : nullptr;

    switch (index.column()) {
    case PropertyColumn:
        switch (role) {
        case Qt::DisplayRole:
            return p ? (p->label.isEmpty() ? p->name : p->label) : propertyDisplay(m);
        case Qt::ToolTipRole:
            return p ? p->name : s.problem;
        case Qt::DecorationRole:
            return p ? QVariant() : QVariant(models::warningIcon());
        case Qt::UserRole:
            return m.hubspotProperty;
        default:
            return {};
        }
    case TypeColumn:
        if (role == Qt::DisplayRole || role == Qt::UserRole)
            return p ? tr("%1 / %2").arg(p->type, p->fieldType) : QString();
        if (role == Qt::ToolTipRole && f)
            return tr("Halo field type: %1").arg(core::haloFieldTypeName(f->type));
        return {};
    case FieldColumn:
        switch (role) {
        case Qt::DisplayRole:
            return f ? fieldText(*f) : fieldDisplay(m);
        case Qt::ToolTipRole:
            return f ? tr("Halo field ID %1, type %2")
                           .arg(f->id)
                           .arg(core::haloFieldTypeName(f->type))
                     : s.problem;
        case Qt::DecorationRole:
            return f ? QVariant() : QVariant(models::warningIcon());
        case Qt::UserRole:
            return m.haloFieldId ? QVariant(*m.haloFieldId) : QVariant(m.haloFieldName);
        default:
            return {};
        }
    case SyncBackColumn: {
        const bool checkable = s.syncBackAllowed || m.syncBack;
        switch (role) {
        case Qt::CheckStateRole:
            return checkable ? QVariant(m.syncBack ? Qt::Checked : Qt::Unchecked) : QVariant();
        case Qt::DisplayRole:
            return checkable ? QVariant() : QVariant(tr("Import only"));
        case Qt::ToolTipRole:
            return s.syncBackAllowed ? tr("Write changes made in Halo back to HubSpot property %1.")
                                           .arg(p ? propertyText(*p) : m.hubspotProperty)
                                     : s.syncBackReason;
        case Qt::UserRole:
            return m.syncBack;
        default:
            return {};
        }
    }
    case StatusColumn:
        switch (role) {
        case Qt::DisplayRole:
            // The icon carries ✓ / ⚠; the text says why a row cannot work (SPEC §1.2).
            return s.usable ? tr("OK") : s.problem;
        case Qt::ToolTipRole:
            return s.usable ? s.okText : s.problem;
        case Qt::DecorationRole:
            return s.usable ? models::okIcon() : models::warningIcon();
        case Qt::UserRole:
            return s.usable;
        default:
            return {};
        }
    default:
        return {};
    }
}

bool FieldMappingModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    m_lastError.clear();
    if (role != Qt::CheckStateRole || !index.isValid() || index.column() != SyncBackColumn ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const int row = index.row();
    const bool checked = value.toInt() == Qt::Checked;
    core::FieldMapping &m = m_mappings[row];
    if (checked == m.syncBack)
        return true;
    if (checked && !m_states.at(row).syncBackAllowed) {
        m_lastError = m_states.at(row).syncBackReason;
        return false;
    }
    m.syncBack = checked;
    m_states[row] = evaluate(m);
    Q_EMIT dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
    Q_EMIT changed();
    return true;
}

Qt::ItemFlags FieldMappingModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == SyncBackColumn) {
        // A refused Sync back stays untickable; one loaded ticked can still be unticked.
        if (m_states.at(index.row()).syncBackAllowed || m_mappings.at(index.row()).syncBack)
            f |= Qt::ItemIsUserCheckable;
    }
    return f;
}

QVariant FieldMappingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PropertyColumn:
        return tr("HubSpot property");
    case TypeColumn:
        return tr("Type");
    case FieldColumn:
        return tr("Halo field");
    case SyncBackColumn:
        return tr("Sync back");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace halospot::gui
