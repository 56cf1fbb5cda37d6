// Custom-field definitions of the fake Halo and the per-type value rules.
#include "HaloFields.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>
#include <QTime>
#include <QTimeZone>
#include <QUrl>

#include <cmath>

namespace halospot::sandbox {

namespace {

HaloFieldDef def(int typeId, const char *name, const char *label, HaloFieldType type,
                 int inputType = 0, const QStringList &options = {})
{
    HaloFieldDef d;
    d.typeId = typeId;
    d.name = QStringLiteral("CF") + QLatin1String(name);
    d.label = QLatin1String(label);
    d.type = type;
    d.inputType = inputType;
    for (const QString &o : options)
        d.values.append(HaloLookup{0, o});
    return d;
}

QStringList lifecycleStages()
{
    return {QStringLiteral("Subscriber"),
            QStringLiteral("Lead"),
            QStringLiteral("Marketing Qualified Lead"),
            QStringLiteral("Sales Qualified Lead"),
            QStringLiteral("Opportunity"),
            QStringLiteral("Customer"),
            QStringLiteral("Evangelist"),
            QStringLiteral("Other")};
}

QStringList industries()
{
    // Labels of HubSpot's default `industry` options, so that mappings by label work.
    return {QStringLiteral("Accounting"),
            QStringLiteral("Banking"),
            QStringLiteral("Computer Software"),
            QStringLiteral("Construction"),
            QStringLiteral("Education Management"),
            QStringLiteral("Financial Services"),
            QStringLiteral("Health, Wellness and Fitness"),
            QStringLiteral("Hospital & Health Care"),
            QStringLiteral("Information Technology and Services"),
            QStringLiteral("Insurance"),
            QStringLiteral("Law Practice"),
            QStringLiteral("Logistics and Supply Chain"),
            QStringLiteral("Manufacturing"),
            QStringLiteral("Marketing and Advertising"),
            QStringLiteral("Non-Profit Organization Management"),
            QStringLiteral("Real Estate"),
            QStringLiteral("Retail"),
            QStringLiteral("Telecommunications")};
}

// A scalar written as text; nullopt for arrays and objects.
std::optional<QString> scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::floor(d) == d && std::abs(d) < 9e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 15);
    }
    case QJsonValue::String:
        return value.toString();
    default:
        return std::nullopt;
    }
}

QString quoted(const QJsonValue &value)
{
    const auto text = scalarText(value);
    if (text)
        return QStringLiteral("'%1'").arg(*text);
    return value.isArray() ? QStringLiteral("an array") : QStringLiteral("an object");
}

const HaloLookup *findOption(const HaloFieldDef &def, const QJsonValue &value)
{
    // A selection is written by option id (number or numeric string) or by option label.
    bool isNumber = value.isDouble();
    int id = value.toInt();
    if (value.isString())
        id = value.toString().trimmed().toInt(&isNumber);
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        if (o.contains(QLatin1String("id")))
            return findOption(def, o.value(QLatin1String("id")));
        return findOption(def, o.value(QLatin1String("name")));
    }
    for (const HaloLookup &l : def.values) {
        if (isNumber && l.id == id)
            return &l;
    }
    if (!value.isString())
        return nullptr;
    const QString label = value.toString().trimmed();
    for (const HaloLookup &l : def.values) {
        if (l.name.compare(label, Qt::CaseInsensitive) == 0)
            return &l;
    }
    return nullptr;
}

QString optionList(const HaloFieldDef &def)
{
    QStringList names;
    for (const HaloLookup &l : def.values)
        names << QStringLiteral("%1 %2").arg(l.id).arg(l.name);
    return names.join(QStringLiteral(", "));
}

std::optional<QString> normalizeMulti(const HaloFieldDef &def, const QJsonValue &value,
                                      QString *why)
{
    QList<QJsonValue> parts;
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (const QJsonValue &v : a)
            parts << v;
    } else if (value.isString()) {
        const QString s = value.toString().trimmed();
        if (s.isEmpty())
            return QString();
        // Labels may contain commas ("Health, Wellness and Fitness"): try the whole string, then
        // HubSpot's ';' separator, then commas.
        if (findOption(def, QJsonValue(s))) {
            parts << QJsonValue(s);
        } else {
            const QChar sep = s.contains(QLatin1Char(';')) ? QLatin1Char(';') : QLatin1Char(',');
            const QStringList pieces = s.split(sep, Qt::SkipEmptyParts);
            for (const QString &p : pieces)
                parts << QJsonValue(p.trimmed());
        }
    } else if (value.isDouble()) {
        parts << value;
    } else {
        *why = QStringLiteral("%1 is not a list of options").arg(quoted(value));
        return std::nullopt;
    }
    QStringList ids;
    for (const QJsonValue &p : std::as_const(parts)) {
        const HaloLookup *l = findOption(def, p);
        if (!l) {
            *why = QStringLiteral("%1 is not one of the field's values (%2)")
                       .arg(quoted(p), optionList(def));
            return std::nullopt;
        }
        const QString id = QString::number(l->id);
        if (!ids.contains(id))
            ids << id;
    }
    return ids.join(QLatin1Char(','));
}

std::optional<QString> normalizeDate(const HaloFieldDef &def, const QString &text, QString *why)
{
    QDateTime dt;
    const QDate date = QDate::fromString(text, Qt::ISODate);
    if (date.isValid() && text.size() == 10) {
        dt = QDateTime(date, QTime(0, 0), QTimeZone::utc());
    } else {
        QString t = text;
        if (t.size() > 10 && t.at(10) == QLatin1Char(' '))
            t[10] = QLatin1Char('T');
        dt = QDateTime::fromString(t, Qt::ISODateWithMs);
        if (!dt.isValid() || t.size() < 16) {
            *why = QStringLiteral("'%1' is not a date (expected YYYY-MM-DD or an ISO 8601 date "
                                  "and time)")
                       .arg(text);
            return std::nullopt;
        }
        // Halo keeps timestamps in UTC without a zone designator; no zone given means UTC.
        if (dt.timeSpec() == Qt::LocalTime)
            dt = QDateTime(dt.date(), dt.time(), QTimeZone::utc());
        dt = dt.toUTC();
    }
    if (def.inputType == HaloInput::DateOnly)
        dt.setTime(QTime(0, 0));
    return dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
}

bool isNumber(const QString &text, bool wholeOnly)
{
    static const QRegularExpression whole(QStringLiteral("^[+-]?\\d+$"));
    static const QRegularExpression decimal(QStringLiteral("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$"));
    return (wholeOnly ? whole : decimal).match(text).hasMatch();
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

} // namespace

HaloFieldCatalog::HaloFieldCatalog()
{
    using T = HaloFieldType;
    namespace I = HaloInput;
    const int c = kHaloClientFields;
    add(def(c, "industry", "Industry", T::SingleSelect, 0, industries()));
    add(def(c, "lifecyclestage", "Lifecycle stage", T::SingleSelect, 0, lifecycleStages()));
    add(def(c, "tier", "Support tier", T::SingleSelect, I::Radio,
            {QStringLiteral("Bronze"), QStringLiteral("Silver"), QStringLiteral("Gold")}));
    add(def(c, "numberofemployees", "Number of employees", T::Text, I::Integer));
    add(def(c, "annualrevenue", "Annual revenue", T::Text, I::Money));
    add(def(c, "satisfaction", "Satisfaction score", T::Text, I::Decimal));
    add(def(c, "phone", "Phone number", T::Text, I::Anything));
    add(def(c, "accountcode", "Account code", T::Text, I::Alphanumeric));
    add(def(c, "linkedin", "LinkedIn company page", T::Text, I::Url));
    add(def(c, "hubspotid", "HubSpot company ID", T::Text, I::Anything));
    add(def(c, "description", "Description", T::Memo));
    add(def(c, "services", "Services", T::MultiSelect, 0,
            {QStringLiteral("Managed Services"), QStringLiteral("Cloud Backup"),
             QStringLiteral("Security"), QStringLiteral("VoIP"), QStringLiteral("Consulting"),
             QStringLiteral("Hardware")}));
    add(def(c, "contractstart", "Contract start", T::Date, I::DateOnly));
    add(def(c, "lastcontacted", "Last contacted", T::Date, I::DateTime));
    add(def(c, "supportends", "Support hours end", T::Time));
    add(def(c, "isvip", "VIP customer", T::Checkbox));
    add(def(c, "about", "About", T::RichText));

    const int u = kHaloUserFields;
    add(def(u, "jobtitle", "Job title", T::Text, I::Anything));
    add(def(u, "lifecyclestage", "Lifecycle stage", T::SingleSelect, 0, lifecycleStages()));
    add(def(u, "leadstatus", "Lead status", T::SingleSelect, 0,
            {QStringLiteral("New"), QStringLiteral("Open"), QStringLiteral("In Progress"),
             QStringLiteral("Open Deal"), QStringLiteral("Unqualified"),
             QStringLiteral("Attempted to Contact"), QStringLiteral("Connected"),
             QStringLiteral("Bad Timing")}));
    add(def(u, "extension", "Phone extension", T::Text, I::Integer));
    add(def(u, "budget", "Budget", T::Text, I::Money));
    add(def(u, "leadscore", "Lead score", T::Text, I::Decimal));
    add(def(u, "website", "Personal website", T::Text, I::Url));
    add(def(u, "hubspotid", "HubSpot contact ID", T::Text, I::Anything));
    add(def(u, "bio", "Biography", T::Memo));
    add(def(u, "interests", "Interests", T::MultiSelect, 0,
            {QStringLiteral("Networking"), QStringLiteral("Cloud"), QStringLiteral("Security"),
             QStringLiteral("Training"), QStringLiteral("Events")}));
    add(def(u, "birthday", "Date of birth", T::Date, I::DateOnly));
    add(def(u, "lastactivity", "Last activity", T::Date, I::DateTime));
    add(def(u, "calltime", "Preferred call time", T::Time));
    add(def(u, "newsletter", "Newsletter opt-in", T::Checkbox));
    add(def(u, "signature", "E-mail signature", T::RichText));
}

const HaloFieldDef *HaloFieldCatalog::find(int id) const
{
    for (const HaloFieldDef &d : m_fields) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

const HaloFieldDef *HaloFieldCatalog::findByName(int typeId, const QString &name) const
{
    const QString bare =
        name.startsWith(QLatin1String("CF"), Qt::CaseInsensitive) ? name.mid(2) : name;
    for (const HaloFieldDef &d : m_fields) {
        if (d.typeId == typeId && d.name.mid(2).compare(bare, Qt::CaseInsensitive) == 0)
            return &d;
    }
    return nullptr;
}

int HaloFieldCatalog::add(HaloFieldDef d)
{
    d.id = m_nextFieldId++;
    for (HaloLookup &l : d.values)
        l.id = m_nextLookupId++;
    m_fields.append(std::move(d));
    return m_fields.constLast().id;
}

std::optional<QString> HaloFieldCatalog::normalize(const HaloFieldDef &d, const QJsonValue &value,
                                                   QString *why)
{
    if (value.isNull() || value.isUndefined())
        return QString();
    if (d.type == HaloFieldType::MultiSelect)
        return normalizeMulti(d, value, why);
    if (d.type == HaloFieldType::SingleSelect) {
        if (value.isString() && value.toString().trimmed().isEmpty())
            return QString();
        const HaloLookup *l = findOption(d, value);
        if (!l) {
            *why = QStringLiteral("%1 is not one of the field's values (%2)")
                       .arg(quoted(value), optionList(d));
            return std::nullopt;
        }
        return QString::number(l->id);
    }
    const std::optional<QString> raw = scalarText(value);
    if (!raw) {
        *why = QStringLiteral("%1 is not a single value").arg(quoted(value));
        return std::nullopt;
    }
    const QString text = d.type == HaloFieldType::Text ? raw->trimmed() : *raw;
    if (text.isEmpty())
        return QString();

    switch (d.type) {
    case HaloFieldType::Text:
        switch (d.inputType) {
        case HaloInput::Integer:
            if (!isNumber(text, true)) {
                *why = QStringLiteral("'%1' is not a whole number").arg(text);
                return std::nullopt;
            }
            return text;
        case HaloInput::Money:
        case HaloInput::Decimal:
            if (!isNumber(text, false)) {
                *why = QStringLiteral("'%1' is not a number").arg(text);
                return std::nullopt;
            }
            return text;
        case HaloInput::Alphanumeric:
            for (const QChar ch : text) {
                if (!ch.isLetterOrNumber() && ch != QLatin1Char(' ')) {
                    *why = QStringLiteral("'%1' may contain only letters, digits and spaces")
                               .arg(text);
                    return std::nullopt;
                }
            }
            return text;
        case HaloInput::Url:
            if (!isUrl(text)) {
                *why = QStringLiteral("'%1' is not a URL").arg(text);
                return std::nullopt;
            }
            return text;
        default:
            return text;
        }
    case HaloFieldType::Memo:
    case HaloFieldType::RichText:
        return text;
    case HaloFieldType::Date:
        return normalizeDate(d, text.trimmed(), why);
    case HaloFieldType::Time: {
        const QString t = text.trimmed();
        QTime time = QTime::fromString(t, QStringLiteral("HH:mm"));
        if (!time.isValid())
            time = QTime::fromString(t, QStringLiteral("HH:mm:ss"));
        if (!time.isValid()) {
            *why = QStringLiteral("'%1' is not a time of day (expected HH:mm)").arg(t);
            return std::nullopt;
        }
        return time.toString(time.second() ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
    }
    case HaloFieldType::Checkbox: {
        const QString t = text.trimmed().toLower();
        if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("yes"))
            return QStringLiteral("true");
        if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("no"))
            return QStringLiteral("false");
        *why = QStringLiteral("'%1' is not true or false").arg(text);
        return std::nullopt;
    }
    default:
        return text;
    }
}

QJsonValue HaloFieldCatalog::jsonValue(const HaloFieldDef &d, const QString &stored)
{
    if (stored.isEmpty())
        return QJsonValue(QJsonValue::Null);
    switch (d.type) {
    case HaloFieldType::SingleSelect:
        return stored.toInt();
    case HaloFieldType::MultiSelect: {
        QJsonArray out;
        const QStringList ids = stored.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &id : ids) {
            for (const HaloLookup &l : d.values) {
                if (l.id == id.toInt())
                    out.append(QJsonObject{{QStringLiteral("id"), l.id},
                                           {QStringLiteral("name"), l.name}});
            }
        }
        return out;
    }
    case HaloFieldType::Checkbox:
        return stored == QLatin1String("true");
    default:
        return stored;
    }
}

QString HaloFieldCatalog::display(const HaloFieldDef &d, const QString &stored)
{
    if (stored.isEmpty())
        return QString();
    switch (d.type) {
    case HaloFieldType::SingleSelect:
    case HaloFieldType::MultiSelect: {
        QStringList names;
        const QStringList ids = stored.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &id : ids) {
            for (const HaloLookup &l : d.values) {
                if (l.id == id.toInt())
                    names << l.name;
            }
        }
        return names.join(QStringLiteral(", "));
    }
    case HaloFieldType::Checkbox:
        return stored == QLatin1String("true") ? QStringLiteral("Yes") : QStringLiteral("No");
    case HaloFieldType::Date:
        return d.inputType == HaloInput::DateTime ? stored.left(16).replace(10, 1, QLatin1Char(' '))
                                                  : stored.left(10);
    default:
        return stored;
    }
}

QJsonObject HaloFieldCatalog::definitionJson(const HaloFieldDef &d)
{
    QJsonArray values;
    for (const HaloLookup &l : d.values)
        values.append(QJsonObject{{QStringLiteral("id"), l.id}, {QStringLiteral("name"), l.name}});
    const bool selection =
        d.type == HaloFieldType::SingleSelect || d.type == HaloFieldType::MultiSelect;
    return QJsonObject{
        {QStringLiteral("id"), d.id},
        {QStringLiteral("name"), d.name},
        {QStringLiteral("label"), d.label},
        {QStringLiteral("type"), int(d.type)},
        {QStringLiteral("inputtype"), d.inputType},
        {QStringLiteral("typeid"), d.typeId},
        {QStringLiteral("usage"), d.typeId},
        {QStringLiteral("custom"), true},
        {QStringLiteral("lookup"), selection ? d.id : 0},
        {QStringLiteral("values"), values},
        {QStringLiteral("mandatory"), false},
        {QStringLiteral("readonly"), false},
        {QStringLiteral("searchable"), false},
        {QStringLiteral("characterlimit"), d.type == HaloFieldType::Text ? 255 : 0},
        {QStringLiteral("max_selection"), d.type == HaloFieldType::MultiSelect ? 0 : 1},
    };
}

} // namespace halospot::sandbox
