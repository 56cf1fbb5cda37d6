// How the tabs say when something happened: "just now", "5 minutes ago", "on 27/11/2026 12:00".
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace halospot::gui {

class TimeText final
{
    Q_DECLARE_TR_FUNCTIONS(TimeText)

public:
    static QString ago(const QDateTime &when)
    {
        const qint64 seconds = std::max<qint64>(0, when.secsTo(QDateTime::currentDateTimeUtc()));
        if (seconds < 60)
            return tr("just now");
        if (seconds < 3600)
            return seconds < 120 ? tr("1 minute ago") : tr("%1 minutes ago").arg(seconds / 60);
        if (seconds < 86400)
            return seconds < 7200 ? tr("1 hour ago") : tr("%1 hours ago").arg(seconds / 3600);
        return tr("on %1").arg(QLocale().toString(when.toLocalTime(), QLocale::ShortFormat));
    }
};

} // namespace halospot::gui
