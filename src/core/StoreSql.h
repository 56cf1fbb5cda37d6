// Internal helpers shared by the Store's source files: the log category, one prepared-statement
// runner and the text forms of times and JSON in the database. Not part of the public API.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace halospot::core::detail {

// Prepares sql, binds values positionally and executes it. Values are always bound, never pasted
// into the text. On failure query.lastError() says why.
bool exec(QSqlQuery &query, const QString &sql, const QVariantList &values = {});

// addBindValue, except that a null QString is bound as '' rather than SQL NULL (Qt Sql binds a
// null QString as NULL, which NOT NULL text columns reject).
void bind(QSqlQuery &query, const QVariant &value);

// Times are stored as ISO 8601 UTC text with milliseconds, so they sort as text.
QString timeText(const QDateTime &time);
QString nowText();
QDateTime timeFromText(const QString &text);

QString jsonText(const QJsonObject &object);
QJsonObject jsonFromText(const QString &text);

// A bound value that is NULL when id is 0.
QVariant idOrNull(qint64 id);

} // namespace halospot::core::detail
