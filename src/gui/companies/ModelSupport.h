// Small helpers shared by the mapping tabs' item models and tables (icons, removing rows).
#pragma once

#include <QAbstractItemView>
#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <QItemSelectionModel>
#include <QStyle>

#include <algorithm>
#include <functional>

namespace halospot::gui::models {

// A QStyle standard icon, or none when no QApplication exists (a model may live in a
// QCoreApplication, e.g. in a command-line test, where asking for a style would crash).
inline QIcon standardIcon(QStyle::StandardPixmap pixmap)
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
        return {};
    return QApplication::style()->standardIcon(pixmap);
}

inline QIcon warningIcon()
{
    return standardIcon(QStyle::SP_MessageBoxWarning);
}

inline QIcon okIcon()
{
    return standardIcon(QStyle::SP_DialogApplyButton);
}

// Removes the selected rows of a table (or the current one when none is selected) through its
// model's removeRows, from the bottom up so that the row numbers stay right.
inline void removeSelectedRows(QAbstractItemView *view)
{
    QList<int> rows;
    for (const QModelIndex &index : view->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && view->currentIndex().isValid())
        rows.append(view->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (const int row : std::as_const(rows))
        view->model()->removeRows(row, 1);
}

} // namespace halospot::gui::models
