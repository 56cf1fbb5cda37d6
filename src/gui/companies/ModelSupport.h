// Small helpers shared by the Companies tab's item models (icons, the "unknown ID" wording).
#pragma once

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <QStyle>

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

} // namespace halospot::gui::models
