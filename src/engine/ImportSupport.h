// Small pieces an import job's planning and writing need whatever it imports: the shape of a
// change, Halo's 400 naming the rejected element, and whether a newest-first page reaches back
// far enough to show every record created since a point. Shared by the company and the contact
// import.
#pragma once

#include "ApiResult.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QString>

#include <limits>

namespace halospot::engine::importsupport {

inline bool emptyValue(const QJsonValue &v)
{
    return v.isNull() || v.isUndefined() || (v.isString() && v.toString().isEmpty());
}

// {"from": …, "to": …} as RunItem::changes holds it.
inline QJsonObject change(const QJsonValue &from, const QJsonValue &to)
{
    return QJsonObject{{QStringLiteral("from"), from.isUndefined() ? QJsonValue() : from},
                       {QStringLiteral("to"), to}};
}

// Whether `rows` (the first page of a list, asked for newest first) certainly holds every record
// newer than knownBefore: it really is in descending id order and reaches back to a known one.
inline bool coversNewRows(const QJsonArray &rows, qint64 knownBefore)
{
    if (rows.isEmpty())
        return true; // no records at all: nothing was created
    qint64 previous = std::numeric_limits<qint64>::max();
    for (const QJsonValue &v : rows) {
        const qint64 id = v.toObject().value(QLatin1String("id")).toInteger();
        if (id >= previous)
            return false; // not newest first: the order was not applied
        previous = id;
    }
    return previous <= knownBefore;
}

// The element a Halo 400 names ("[3].name", "Users [3] 'Jane': …"), or -1.
inline int rejectedIndex(const api::ApiResponse &response, qsizetype size)
{
    static const QRegularExpression re(QStringLiteral("\\[(\\d+)\\]"));
    for (const QString &text : {QString::fromUtf8(response.body), response.message}) {
        const QRegularExpressionMatch m = re.match(text);
        if (m.hasMatch()) {
            const int i = m.captured(1).toInt();
            if (i >= 0 && i < size)
                return i;
        }
    }
    return -1;
}

} // namespace halospot::engine::importsupport
