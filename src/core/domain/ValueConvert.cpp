// Value conversion between HubSpot property strings and Halo custom-field values.
#include "ValueConvert.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QStringList>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <optional>

namespace halospot::core {

namespace {

constexpr int kMaxListedOptions = 12;

QString quote(const QString &value)
{
    return QStringLiteral("'%1'").arg(value);
}

template<typename T>
Result<T> fail(const MappingRule &rule, bool toHalo, const QString &why)
{
    const QString from = toHalo
                             ? ValueConvert::tr("HubSpot property %1").arg(rule.property.describe())
                             : ValueConvert::tr("Halo field %1").arg(rule.field.describe());
    const QString to = toHalo
                           ? ValueConvert::tr("Halo field %1").arg(rule.field.describe())
                           : ValueConvert::tr("HubSpot property %1").arg(rule.property.describe());
    return Result<T>::failure(ValueConvert::tr("%1 -> %2: %3").arg(from, to, why));
}

// A JSON scalar as text; arrays and objects give nullopt.
std::optional<QString> scalarText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (std::floor(d) == d && std::abs(d) < 9e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::String:
        return v.toString();
    default:
        return std::nullopt;
    }
}

// Digits with at most one decimal point and an optional sign, as HubSpot writes numbers, in one
// spelling: no '+', no leading or trailing zeros, no "-0". Exact: never goes through a double.
std::optional<QString> canonicalNumber(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^([+-]?)(\\d*)(?:\\.(\\d*))?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch() || (m.capturedLength(2) == 0 && m.capturedLength(3) == 0))
        return std::nullopt;
    QString whole = m.captured(2);
    QString fraction = m.captured(3);
    while (whole.size() > 1 && whole.startsWith(QLatin1Char('0')))
        whole.remove(0, 1);
    if (whole.isEmpty())
        whole = QStringLiteral("0");
    while (fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    QString out = fraction.isEmpty() ? whole : whole + QLatin1Char('.') + fraction;
    if (m.captured(1) == QLatin1String("-") && out != QLatin1String("0"))
        out.prepend(QLatin1Char('-'));
    return out;
}

QDateTime utc(const QDate &date, const QTime &time)
{
    return QDateTime(date, time, QTimeZone::utc());
}

// An instant as HubSpot or Halo spell it: epoch milliseconds, YYYY-MM-DD (midnight UTC) or
// ISO 8601 with 'T' or ' ', with or without a zone (none means UTC: both services keep UTC).
std::optional<QDateTime> parseInstant(const QString &raw)
{
    static const QRegularExpression millis(QStringLiteral("^-?\\d{1,16}$"));
    const QString text = raw.trimmed();
    if (millis.match(text).hasMatch())
        return QDateTime::fromMSecsSinceEpoch(text.toLongLong(), QTimeZone::utc());
    if (text.size() == 10) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        return utc(d, QTime(0, 0));
    }
    static const QRegularExpression zone(QStringLiteral("(Z|[+-]\\d{2}(:?\\d{2})?)$"));
    QString t = text;
    if (t.size() > 10 && t.at(10) == QLatin1Char(' '))
        t[10] = QLatin1Char('T');
    if (t.size() < 16 || t.at(10) != QLatin1Char('T'))
        return std::nullopt;
    // No zone means UTC. Saying so before parsing keeps the machine's own time zone (and its
    // daylight-saving gaps) out of the result.
    if (!zone.match(t.mid(16)).hasMatch())
        t += QLatin1Char('Z');
    const QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toUTC();
}

// Halo stores seconds; comparing milliseconds would report every HubSpot instant as changed.
QDateTime toSeconds(const QDateTime &dt)
{
    const QTime t = dt.time();
    return utc(dt.date(), QTime(t.hour(), t.minute(), t.second()));
}

QString haloInstant(const QDateTime &dt)
{
    return toSeconds(dt).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss"));
}

// Halo (SQL Server behind .NET) reads unset dates back as 1900-01-01, or as the minimum date of
// SQL Server or .NET, rather than as null. Only those exact dates mean "none".
bool isHaloNoDate(const QDateTime &dt)
{
    const QDate d = dt.date();
    return dt.time() == QTime(0, 0) &&
           (d == QDate(1900, 1, 1) || d == QDate(1753, 1, 1) || d == QDate(1, 1, 1));
}

std::optional<bool> parseBool(const QString &raw)
{
    const QString t = raw.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("yes"))
        return true;
    if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("no"))
        return false;
    return std::nullopt;
}

QString haloOptionList(const HaloFieldDef &f)
{
    QStringList names;
    for (const HaloOption &o : f.options) {
        if (names.size() == kMaxListedOptions) {
            names << ValueConvert::tr("... %n more", nullptr,
                                      int(f.options.size()) - kMaxListedOptions);
            break;
        }
        names << quote(o.name);
    }
    return names.isEmpty()
               ? ValueConvert::tr("the field has no options")
               : ValueConvert::tr("its options are %1").arg(names.join(QStringLiteral(", ")));
}

// The rule's option index; a rule put together by hand gets one for this call.
OptionIndex indexOf(const MappingRule &rule)
{
    if (rule.options.isEmpty() &&
        (!rule.field.options.isEmpty() || !rule.property.options.isEmpty()))
        return OptionIndex(rule.property, rule.field);
    return rule.options; // implicitly shared: a cheap copy
}

// SPEC §3: options are matched by label, then by value, ignoring case and spacing.
Result<qint64> toHaloOption(const MappingRule &rule, const OptionIndex &idx, const QString &value)
{
    const qsizetype i = idx.hubspotIndexForValue(value);
    const QString label = i >= 0 ? rule.property.options.at(i).label : QString();
    if (!label.isEmpty()) {
        if (const std::optional<qint64> id = idx.haloIdForName(label))
            return *id;
    }
    if (const std::optional<qint64> id = idx.haloIdForName(value))
        return *id;
    const QString shown = !label.isEmpty() && label != value
                              ? ValueConvert::tr("%1 (label %2)").arg(quote(value), quote(label))
                              : quote(value);
    return fail<qint64>(rule, true,
                        ValueConvert::tr("%1 matches no option of the Halo field; %2.")
                            .arg(shown, haloOptionList(rule.field)));
}

// The option ids in a Halo selection value, whatever shape it comes in. Unknown names end up in
// *unknown. Ids 0 and below are Halo's "nothing selected".
QList<qint64> haloOptionIds(const OptionIndex &idx, const QJsonValue &v, QStringList *unknown)
{
    QList<qint64> ids;
    const auto add = [&ids](qint64 id) {
        if (id > 0 && !ids.contains(id))
            ids << id;
    };
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (const QJsonValue &item : a) {
            for (const qint64 id : haloOptionIds(idx, item, unknown))
                add(id);
        }
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        return haloOptionIds(idx,
                             o.contains(QLatin1String("id")) ? o.value(QLatin1String("id"))
                                                             : o.value(QLatin1String("name")),
                             unknown);
    } else if (v.isDouble()) {
        add(qint64(v.toDouble()));
    } else if (v.isString()) {
        const QString s = v.toString().trimmed();
        bool isId = false;
        const qint64 id = s.toLongLong(&isId);
        if (isId) {
            add(id);
        } else if (const std::optional<qint64> named = idx.haloIdForName(s)) {
            add(*named);
        } else if (s.contains(QLatin1Char(','))) {
            return haloOptionIds(idx, QJsonArray::fromStringList(s.split(QLatin1Char(','))),
                                 unknown);
        } else if (!s.isEmpty()) {
            *unknown << s;
        }
    }
    return ids;
}

bool isUrl(const QString &text)
{
    if (text.contains(QLatin1Char(' ')))
        return false;
    QUrl url(text, QUrl::StrictMode);
    if (url.scheme().isEmpty())
        url = QUrl(QStringLiteral("http://") + text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty() && url.host().contains(QLatin1Char('.'));
}

Result<QJsonValue> textToHalo(const MappingRule &rule, const QString &value)
{
    const HaloFieldDef &f = rule.field;
    if (f.type != HaloFieldType::Text)
        return QJsonValue(value);
    const QString text = value.trimmed();
    if (f.characterLimit > 0 && text.size() > f.characterLimit) {
        return fail<QJsonValue>(rule, true,
                                ValueConvert::tr("the value is %1 characters long and the field "
                                                 "holds at most %2.")
                                    .arg(text.size())
                                    .arg(f.characterLimit));
    }
    if (f.inputType == HaloTextInput::Url && !isUrl(text))
        return fail<QJsonValue>(rule, true, ValueConvert::tr("%1 is not a URL.").arg(quote(text)));
    if (f.inputType == HaloTextInput::Alphanumeric) {
        for (const QChar ch : text) {
            if (!ch.isLetterOrNumber() && ch != QLatin1Char(' ')) {
                return fail<QJsonValue>(rule, true,
                                        ValueConvert::tr("%1 has characters other than letters, "
                                                         "digits and spaces.")
                                            .arg(quote(text)));
            }
        }
    }
    return QJsonValue(text);
}

Result<QJsonValue> numberToHalo(const MappingRule &rule, const QString &value)
{
    const std::optional<QString> n = canonicalNumber(value);
    if (!n)
        return fail<QJsonValue>(rule, true,
                                ValueConvert::tr("%1 is not a number.").arg(quote(value)));
    if (rule.kind == ValueKind::Integer && n->contains(QLatin1Char('.'))) {
        return fail<QJsonValue>(rule, true,
                                ValueConvert::tr("%1 is not a whole number, and the field holds "
                                                 "integers only.")
                                    .arg(quote(value)));
    }
    return QJsonValue(*n);
}

Result<QJsonValue> dateToHalo(const MappingRule &rule, const QString &value)
{
    const std::optional<QDateTime> dt = parseInstant(value);
    if (!dt) {
        return fail<QJsonValue>(
            rule, true,
            ValueConvert::tr("%1 is not a date (expected YYYY-MM-DD).").arg(quote(value)));
    }
    if (rule.kind == ValueKind::DateTime)
        return QJsonValue(haloInstant(*dt));
    if (dt->time() != QTime(0, 0)) {
        return fail<QJsonValue>(
            rule, true, ValueConvert::tr("%1 is not a date at midnight UTC.").arg(quote(value)));
    }
    return QJsonValue(dt->date().toString(Qt::ISODate));
}

Result<QJsonValue> multiToHalo(const MappingRule &rule, const QString &value)
{
    const OptionIndex idx = indexOf(rule);
    QJsonArray out;
    QList<qint64> seen;
    const QStringList parts = value.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString v = part.trimmed();
        if (v.isEmpty())
            continue;
        const Result<qint64> id = toHaloOption(rule, idx, v);
        if (!id.ok())
            return Result<QJsonValue>::failure(id.error());
        if (!seen.contains(id.value())) {
            seen << id.value();
            out.append(QJsonObject{{QStringLiteral("id"), id.value()}});
        }
    }
    if (out.isEmpty())
        return QJsonValue(QJsonValue::Null);
    return QJsonValue(out);
}

bool isTextKind(ValueKind kind)
{
    return kind == ValueKind::Text || kind == ValueKind::Integer || kind == ValueKind::Decimal;
}

} // namespace

Result<QJsonValue> toHaloValue(const MappingRule &rule, const QString &hubspotValue)
{
    if (hubspotValue.trimmed().isEmpty())
        return isTextKind(rule.kind) ? QJsonValue(QString()) : QJsonValue(QJsonValue::Null);
    switch (rule.kind) {
    case ValueKind::Text:
        return textToHalo(rule, hubspotValue);
    case ValueKind::Integer:
    case ValueKind::Decimal:
        return numberToHalo(rule, hubspotValue);
    case ValueKind::Date:
    case ValueKind::DateTime:
        return dateToHalo(rule, hubspotValue);
    case ValueKind::Checkbox: {
        const QString t = hubspotValue.trimmed();
        if (t.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return QJsonValue(true);
        if (t.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            return QJsonValue(false);
        return fail<QJsonValue>(
            rule, true, ValueConvert::tr("%1 is neither true nor false.").arg(quote(hubspotValue)));
    }
    case ValueKind::SingleSelect: {
        const Result<qint64> id = toHaloOption(rule, indexOf(rule), hubspotValue.trimmed());
        if (!id.ok())
            return Result<QJsonValue>::failure(id.error());
        return QJsonValue(id.value());
    }
    case ValueKind::MultiSelect:
        return multiToHalo(rule, hubspotValue);
    }
    return fail<QJsonValue>(rule, true, ValueConvert::tr("unknown conversion."));
}

Result<QString> toHubSpotValue(const MappingRule &rule, const QJsonValue &haloValue)
{
    const std::optional<QString> text = scalarText(haloValue);
    const bool selection =
        rule.kind == ValueKind::SingleSelect || rule.kind == ValueKind::MultiSelect;
    if (!selection && !text) {
        return fail<QString>(rule, false,
                             ValueConvert::tr("Halo sent a list or an object where a single "
                                              "value belongs."));
    }
    if (!selection && text->trimmed().isEmpty())
        return QString();

    switch (rule.kind) {
    case ValueKind::Text:
        return *text;
    case ValueKind::Integer:
    case ValueKind::Decimal: {
        const std::optional<QString> n = canonicalNumber(*text);
        if (!n)
            return fail<QString>(rule, false,
                                 ValueConvert::tr("%1 is not a number.").arg(quote(*text)));
        return *n;
    }
    case ValueKind::Date:
    case ValueKind::DateTime: {
        const std::optional<QDateTime> dt = parseInstant(*text);
        if (!dt)
            return fail<QString>(rule, false,
                                 ValueConvert::tr("%1 is not a date.").arg(quote(*text)));
        if (isHaloNoDate(*dt))
            return QString();
        if (rule.kind == ValueKind::Date)
            return dt->date().toString(Qt::ISODate);
        return dt->toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
    }
    case ValueKind::Checkbox: {
        const std::optional<bool> b = parseBool(*text);
        if (!b)
            return fail<QString>(
                rule, false, ValueConvert::tr("%1 is neither true nor false.").arg(quote(*text)));
        const QString wanted = *b ? QStringLiteral("true") : QStringLiteral("false");
        // Enumeration check boxes spell their options "True"/"False": write their own value.
        for (const PropertyOption &o : rule.property.options) {
            if (o.value.compare(wanted, Qt::CaseInsensitive) == 0)
                return o.value;
        }
        return wanted;
    }
    case ValueKind::SingleSelect:
    case ValueKind::MultiSelect: {
        QStringList unknown;
        const OptionIndex idx = indexOf(rule);
        const QList<qint64> ids = haloOptionIds(idx, haloValue, &unknown);
        if (!unknown.isEmpty()) {
            return fail<QString>(rule, false,
                                 ValueConvert::tr("%1 is not an option of the Halo field.")
                                     .arg(quote(unknown.constFirst())));
        }
        if (rule.kind == ValueKind::SingleSelect && ids.size() > 1) {
            return fail<QString>(
                rule, false,
                ValueConvert::tr("Halo holds %1 options where HubSpot takes one.").arg(ids.size()));
        }
        QStringList values;
        for (const qint64 id : ids) {
            const HaloOption *ho = rule.field.optionById(id);
            if (!ho) {
                return fail<QString>(rule, false,
                                     ValueConvert::tr("option id %1 is not an option of the Halo "
                                                      "field.")
                                         .arg(id));
            }
            const qsizetype pi = idx.hubspotIndexForName(ho->name);
            if (pi < 0) {
                return fail<QString>(rule, false,
                                     ValueConvert::tr("%1 matches no option of the HubSpot "
                                                      "property.")
                                         .arg(quote(ho->name)));
            }
            const QString &hubspotValue = rule.property.options.at(pi).value;
            if (!values.contains(hubspotValue))
                values << hubspotValue;
        }
        return values.join(QLatin1Char(';'));
    }
    }
    return fail<QString>(rule, false, ValueConvert::tr("unknown conversion."));
}

QString canonicalHaloValue(const MappingRule &rule, const QJsonValue &haloValue)
{
    if (rule.kind == ValueKind::SingleSelect || rule.kind == ValueKind::MultiSelect) {
        QStringList unknown;
        QList<qint64> ids = haloOptionIds(indexOf(rule), haloValue, &unknown);
        std::sort(ids.begin(), ids.end());
        QStringList parts;
        for (const qint64 id : std::as_const(ids))
            parts << QString::number(id);
        unknown.sort();
        return (parts + unknown).join(QLatin1Char(','));
    }
    const QString text = scalarText(haloValue).value_or(QString());
    if (text.trimmed().isEmpty())
        return QString();
    switch (rule.kind) {
    case ValueKind::Text: {
        QString t = text;
        t.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
        // Halo trims single-line text on save.
        return rule.field.type == HaloFieldType::Text ? t.trimmed() : t;
    }
    case ValueKind::Integer:
    case ValueKind::Decimal:
        return canonicalNumber(text).value_or(text);
    case ValueKind::Date:
    case ValueKind::DateTime: {
        const std::optional<QDateTime> dt = parseInstant(text);
        if (!dt)
            return text;
        if (isHaloNoDate(*dt))
            return QString();
        return rule.kind == ValueKind::Date ? dt->date().toString(Qt::ISODate) : haloInstant(*dt);
    }
    case ValueKind::Checkbox: {
        const std::optional<bool> b = parseBool(text);
        return b ? (*b ? QStringLiteral("true") : QStringLiteral("false")) : text;
    }
    default:
        return text;
    }
}

QString canonicalHubSpotValue(const MappingRule &rule, const QString &hubspotValue)
{
    if (hubspotValue.trimmed().isEmpty())
        return QString();
    switch (rule.kind) {
    case ValueKind::Text:
        return QString(hubspotValue).replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    case ValueKind::Integer:
    case ValueKind::Decimal:
        return canonicalNumber(hubspotValue).value_or(hubspotValue);
    case ValueKind::Date:
    case ValueKind::DateTime: {
        const std::optional<QDateTime> dt = parseInstant(hubspotValue);
        if (!dt)
            return hubspotValue;
        return rule.kind == ValueKind::Date ? dt->date().toString(Qt::ISODate) : haloInstant(*dt);
    }
    case ValueKind::Checkbox:
        return hubspotValue.trimmed().toLower();
    case ValueKind::SingleSelect:
        return hubspotValue.trimmed();
    case ValueKind::MultiSelect: {
        QStringList values;
        const QStringList parts = hubspotValue.split(QLatin1Char(';'), Qt::SkipEmptyParts);
        for (const QString &p : parts) {
            const QString v = p.trimmed();
            if (!v.isEmpty() && !values.contains(v))
                values << v;
        }
        values.sort();
        return values.join(QLatin1Char(';'));
    }
    }
    return hubspotValue;
}

bool sameHaloValue(const MappingRule &rule, const QJsonValue &current, const QJsonValue &wanted)
{
    return canonicalHaloValue(rule, current) == canonicalHaloValue(rule, wanted);
}

bool sameHubSpotValue(const MappingRule &rule, const QString &current, const QString &wanted)
{
    return canonicalHubSpotValue(rule, current) == canonicalHubSpotValue(rule, wanted);
}

} // namespace halospot::core
