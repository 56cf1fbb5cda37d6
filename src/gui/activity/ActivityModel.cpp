// ActivityModel: a bounded, append-only table of activity entries.
#include "ActivityModel.h"

#include <QApplication>
#include <QBrush>
#include <QIcon>
#include <QLocale>
#include <QPalette>
#include <QStyle>

namespace halospot::gui {

ActivityModel::ActivityModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ActivityModel::add(const QString &source, const QString &message, bool isError)
{
    if (message.isEmpty())
        return;
    if (m_entries.size() >= maxEntries) {
        beginRemoveRows({}, 0, 0);
        m_entries.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append({QDateTime::currentDateTime(), source, message, isError});
    endInsertRows();
}

void ActivityModel::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(e.time.time(), QLocale::ShortFormat);
        case SourceColumn:
            return e.source;
        case MessageColumn:
            return e.message;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn)
            return e.message;
        if (index.column() == TimeColumn)
            return QLocale().toString(e.time, QLocale::LongFormat);
        break;
    case Qt::DecorationRole:
        if (index.column() == SourceColumn &&
            qobject_cast<QApplication *>(QCoreApplication::instance())) {
            return QApplication::style()->standardIcon(
                e.isError ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxInformation);
        }
        break;
    case IsErrorRole:
        return e.isError;
    case RawValueRole:
        if (index.column() == TimeColumn)
            return e.time;
        return index.column() == SourceColumn ? e.source : e.message;
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SourceColumn:
        return tr("Source");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace halospot::gui
