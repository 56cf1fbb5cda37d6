// The CSV export of a run's results (RFC 4180, UTF-8), written atomically and read from the store
// in pages so that a run of 100 000 records never sits in memory at once.
#include "RunItems.h"

#include "Catalog.h"
#include "Store.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

namespace halospot::core {

namespace {

constexpr int kExportPage = 1000;

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QCoreApplication::translate("RunItems", "(empty)");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::floor(d) == d && std::fabs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 15);
    }
    case QJsonValue::String: {
        const QString s = value.toString();
        return s.isEmpty() ? QCoreApplication::translate("RunItems", "(empty)") : s;
    }
    case QJsonValue::Array: {
        // Multi-select values travel joined by ';' (SPEC §3); show them the same way.
        QStringList parts;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &v : array)
            parts.append(v.isString() ? v.toString() : valueText(v));
        return parts.join(QLatin1Char(';'));
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

// Names and values come from HubSpot, so they are untrusted: a cell a spreadsheet would run as a
// formula (=, +, -, @, tab, CR first) gets a leading apostrophe, which spreadsheets show as text.
// Plain numbers ("-12.5") are left alone.
QString defuseFormula(const QString &text)
{
    if (text.isEmpty())
        return text;
    const QChar first = text.front();
    const bool risky = first == QLatin1Char('=') || first == QLatin1Char('+') ||
                       first == QLatin1Char('-') || first == QLatin1Char('@') ||
                       first == QLatin1Char('\t') || first == QLatin1Char('\r');
    if (!risky)
        return text;
    bool isNumber = false;
    text.toDouble(&isNumber);
    return isNumber ? text : QLatin1Char('\'') + text;
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
QString csvField(const QString &raw)
{
    const QString text = defuseFormula(raw);
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QByteArray csvLine(const QStringList &fields)
{
    QStringList out;
    out.reserve(fields.size());
    for (const QString &f : fields)
        out.append(csvField(f));
    return (out.join(QLatin1Char(',')) + QLatin1String("\r\n")).toUtf8();
}

} // namespace

QString runItemChangesText(const QJsonObject &changes)
{
    QStringList parts;
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it) {
        const QJsonValue change = it.value();
        if (change.isObject() && (change.toObject().contains(QLatin1String("from")) ||
                                  change.toObject().contains(QLatin1String("to")))) {
            const QJsonObject o = change.toObject();
            parts.append(QStringLiteral("%1: %2 \u2192 %3")
                             .arg(it.key(), valueText(o.value(QLatin1String("from"))),
                                  valueText(o.value(QLatin1String("to")))));
        } else {
            parts.append(QStringLiteral("%1: %2").arg(it.key(), valueText(change)));
        }
    }
    return parts.join(QLatin1String("; "));
}

Result<qint64> exportRunItemsCsv(const Store &store, qint64 runId, const QString &action,
                                 const QString &path)
{
    using R = Result<qint64>;
    QSaveFile file(path);
    const auto writeFailure = [&path](const QString &why) {
        return R::failure(QCoreApplication::translate("RunItems",
                                                      "HaloSpot could not write the results to "
                                                      "%1: %2")
                              .arg(QDir::toNativeSeparators(path), why));
    };
    if (!file.open(QIODevice::WriteOnly))
        return writeFailure(file.errorString());

    // The catalog only reads here; it takes a non-const store because the refresh writes.
    const Catalog catalog(const_cast<Store &>(store));
    const QByteArray header =
        csvLine({QStringLiteral("hubspot_id"), QStringLiteral("name"), QStringLiteral("halo_id"),
                 QStringLiteral("action"), QStringLiteral("reason"), QStringLiteral("changes")});
    if (file.write(header) != header.size())
        return writeFailure(file.errorString());

    qint64 rows = 0;
    for (qint64 offset = 0;; offset += kExportPage) {
        const Result<QList<RunItem>> page = runItems(store, runId, action, offset, kExportPage);
        if (!page) {
            file.cancelWriting();
            return R::failure(page.error());
        }
        QByteArray chunk;
        for (const RunItem &item : page.value()) {
            QString name;
            if (item.entity == Entity::Company) {
                const auto company = catalog.company(item.hubspotId);
                if (company.ok() && company.value())
                    name = company.value()->name;
            }
            chunk += csvLine({item.hubspotId, name,
                              item.haloId > 0 ? QString::number(item.haloId) : QString(),
                              item.action, item.reason, runItemChangesText(item.changes)});
        }
        if (file.write(chunk) != chunk.size()) {
            file.cancelWriting();
            return writeFailure(file.errorString());
        }
        rows += page.value().size();
        if (page.value().size() < kExportPage)
            break;
    }
    if (!file.commit())
        return writeFailure(file.errorString());
    return rows;
}

} // namespace halospot::core
