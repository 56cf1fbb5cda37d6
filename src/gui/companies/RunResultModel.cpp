// The result list of a run, read from the store a page at a time as the view asks for rows.
#include "RunResultModel.h"

#include "ModelSupport.h"
#include "RunItems.h"

#include <limits>

namespace halospot::gui {

RunResultModel::RunResultModel(const core::Store &store, const core::Catalog &catalog,
                               QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_catalog(catalog)
    , m_pages(kCachedPages)
{}

void RunResultModel::recount()
{
    m_count = 0;
    m_perAction.clear();
    m_total = 0;
    m_maxId = 0;
    m_error.clear();
    if (m_runId <= 0)
        return;
    if (!tallyNewItems())
        return;
    m_count = actionCount(m_action);
}

bool RunResultModel::tallyNewItems()
{
    const Result<core::RunItemTally> tally = core::tallyRunItems(m_store, m_runId, m_maxId);
    if (!tally) {
        m_error = tally.error();
        return false;
    }
    for (const auto &[action, n] : tally.value().perAction) {
        m_perAction[action] += n;
        m_total += n;
    }
    m_maxId = tally.value().maxId;
    return true;
}

qint64 RunResultModel::actionCount(const QString &action) const
{
    if (action.isEmpty())
        return m_total;
    if (action.startsWith(QLatin1Char('!')))
        return m_total - m_perAction.value(action.mid(1));
    return m_perAction.value(action);
}

void RunResultModel::setEntity(core::Entity entity)
{
    if (entity == m_entity)
        return;
    m_entity = entity;
    // Only the headers say it; each row's tooltip follows the entity recorded with the item.
    Q_EMIT headerDataChanged(Qt::Horizontal, CompanyColumn, HaloColumn);
}

void RunResultModel::setRun(qint64 runId)
{
    beginResetModel();
    m_runId = runId;
    m_pages.clear();
    recount();
    endResetModel();
}

void RunResultModel::setActionFilter(const QString &action)
{
    if (action == m_action)
        return;
    beginResetModel();
    m_action = action;
    m_pages.clear();
    recount();
    endResetModel();
}

void RunResultModel::refresh()
{
    if (m_runId <= 0)
        return;
    if (!tallyNewItems())
        return;
    m_error.clear();
    const qint64 now = actionCount(m_action);
    if (now == m_count)
        return;
    if (now < m_count) {
        // Items never disappear from a run; if they did, nothing read before can be trusted.
        beginResetModel();
        m_pages.clear();
        m_count = now;
        endResetModel();
        return;
    }
    // The last page may have been read while it was short; it is read again when next needed.
    if (m_count % kPageSize != 0)
        m_pages.remove(m_count / kPageSize);
    const qint64 last = std::min<qint64>(now, std::numeric_limits<int>::max());
    if (last <= m_count) {
        m_count = now;
        return;
    }
    beginInsertRows({}, int(m_count), int(last - 1));
    m_count = now;
    endInsertRows();
}

const RunResultModel::Page *RunResultModel::page(qint64 number) const
{
    if (const Page *cached = m_pages.object(number))
        return cached;
    const Result<QList<core::RunItem>> items =
        core::runItems(m_store, m_runId, m_action, number * kPageSize, kPageSize);
    if (!items) {
        m_error = items.error();
        return nullptr;
    }
    auto *read = new Page;
    read->items = items.value();
    for (const core::RunItem &item : std::as_const(read->items)) {
        QString name;
        if (item.entity == core::Entity::Company) {
            const auto company = m_catalog.company(item.hubspotId);
            if (company.ok() && company.value())
                name = company.value()->name;
        }
        read->names.append(name);
    }
    m_pages.insert(number, read); // the cache owns it now
    return m_pages.object(number);
}

core::RunItem RunResultModel::item(int row) const
{
    if (row < 0 || row >= m_count)
        return {};
    const qint64 number = row / kPageSize;
    const int at = row % kPageSize;
    const Page *p = page(number);
    if (p && at >= p->items.size()) {
        // Read while the run was still adding to this page.
        m_pages.remove(number);
        p = page(number);
    }
    return p && at < p->items.size() ? p->items.at(at) : core::RunItem{};
}

int RunResultModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(std::min<qint64>(m_count, std::numeric_limits<int>::max()));
}

int RunResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

QIcon actionIcon(const QString &action)
{
    using S = QStyle;
    if (action == QLatin1String("created"))
        return models::standardIcon(S::SP_FileDialogNewFolder);
    if (action == QLatin1String("updated"))
        return models::standardIcon(S::SP_BrowserReload);
    if (action == QLatin1String("unchanged"))
        return models::standardIcon(S::SP_DialogApplyButton);
    if (action == QLatin1String("ambiguous"))
        return models::standardIcon(S::SP_MessageBoxQuestion);
    if (action == QLatin1String("failed"))
        return models::standardIcon(S::SP_MessageBoxCritical);
    if (action == QLatin1String("skipped") || action == QLatin1String("filtered_out"))
        return models::standardIcon(S::SP_MessageBoxInformation);
    return {};
}

} // namespace

QVariant RunResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::DecorationRole &&
        role != Qt::UserRole)
        return {};
    const qint64 number = index.row() / kPageSize;
    const int at = index.row() % kPageSize;
    const core::RunItem it = item(index.row());
    const Page *p = m_pages.object(number);
    const QString name = p && at < p->names.size() ? p->names.at(at) : QString();

    switch (index.column()) {
    case CompanyColumn:
        if (role == Qt::DisplayRole)
            return name.isEmpty() ? it.hubspotId : name;
        if (role == Qt::ToolTipRole)
            return tr("HubSpot ID %1").arg(it.hubspotId);
        if (role == Qt::UserRole)
            return it.hubspotId;
        return {};
    case ActionColumn:
        if (role == Qt::DisplayRole)
            return actionLabel(it.action);
        if (role == Qt::DecorationRole)
            return actionIcon(it.action);
        if (role == Qt::UserRole)
            return it.action;
        return {};
    case HaloColumn:
        if (role == Qt::DisplayRole)
            return it.haloId > 0 ? QString::number(it.haloId) : QString();
        if (role == Qt::ToolTipRole && it.haloId > 0) {
            return it.entity == core::Entity::Contact ? tr("Halo user ID %1").arg(it.haloId)
                                                      : tr("Halo customer ID %1").arg(it.haloId);
        }
        if (role == Qt::UserRole)
            return it.haloId;
        return {};
    case DetailColumn: {
        const QString changes = changesText(it.changes);
        // What changed is what an update is about; the reason (how the customer was found,
        // why nothing was written) follows it.
        if (role == Qt::DisplayRole || role == Qt::UserRole) {
            if (it.reason.isEmpty() || changes.isEmpty())
                return it.reason.isEmpty() ? changes : it.reason;
            return tr("%1 (%2)").arg(changes, it.reason);
        }
        if (role == Qt::ToolTipRole) {
            if (it.reason.isEmpty() || changes.isEmpty())
                return it.reason.isEmpty() ? changes : it.reason;
            return it.reason + QLatin1Char('\n') + changes;
        }
        return {};
    }
    default:
        return {};
    }
}

QVariant RunResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case CompanyColumn:
        return m_entity == core::Entity::Contact ? tr("HubSpot contact") : tr("HubSpot company");
    case ActionColumn:
        return tr("Outcome");
    case HaloColumn:
        return m_entity == core::Entity::Contact ? tr("Halo user") : tr("Halo customer");
    case DetailColumn:
        return tr("Details");
    default:
        return {};
    }
}

QString RunResultModel::actionLabel(const QString &action)
{
    if (action == QLatin1String("created"))
        return tr("Created");
    if (action == QLatin1String("updated"))
        return tr("Updated");
    if (action == QLatin1String("unchanged"))
        return tr("Unchanged");
    if (action == QLatin1String("skipped"))
        return tr("Skipped");
    if (action == QLatin1String("ambiguous"))
        return tr("Ambiguous");
    if (action == QLatin1String("failed"))
        return tr("Failed");
    if (action == QLatin1String("filtered_out"))
        return tr("Filtered out");
    return action;
}

QString RunResultModel::changesText(const QJsonObject &changes)
{
    return core::runItemChangesText(changes);
}

} // namespace halospot::gui
