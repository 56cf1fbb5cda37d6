// The fake HubSpot's property definitions and write validation.
#include "HubSpotProperties.h"

#include "Generator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTimeZone>

namespace halospot::sandbox {

namespace {

enum Flag
{
    ReadOnly = 1,
    Calculated = 2 | ReadOnly,
    Hidden = 4,
    Unique = 8,
    Custom = 16,
    External = 32,
};

QString humanize(const QString &value)
{
    QString s = value.toLower();
    s.replace(QStringLiteral("_slash_"), QStringLiteral("/"));
    s.replace(u'_', u' ');
    if (!s.isEmpty())
        s[0] = s.at(0).toUpper();
    return s;
}

PropertyDef def(const char *name, const char *label, const char *type, const char *fieldType,
                const char *group, int flags = 0, const QStringList &values = {},
                const QStringList &labels = {})
{
    PropertyDef d;
    d.name = QString::fromLatin1(name);
    d.label = QString::fromUtf8(label);
    d.type = QString::fromLatin1(type);
    d.fieldType = QString::fromLatin1(fieldType);
    d.groupName = QString::fromLatin1(group);
    d.readOnlyValue = flags & ReadOnly;
    d.calculated = (flags & Calculated) == Calculated;
    d.hidden = flags & Hidden;
    d.hasUniqueValue = flags & Unique;
    d.hubspotDefined = !(flags & Custom);
    d.externalOptions = flags & External;
    for (int i = 0; i < values.size(); ++i)
        d.options.append({values.at(i), i < labels.size() ? labels.at(i) : humanize(values.at(i))});
    return d;
}

QStringList lifecycleLabels()
{
    return {QStringLiteral("Subscriber"),
            QStringLiteral("Lead"),
            QStringLiteral("Marketing Qualified Lead"),
            QStringLiteral("Sales Qualified Lead"),
            QStringLiteral("Opportunity"),
            QStringLiteral("Customer"),
            QStringLiteral("Evangelist"),
            QStringLiteral("Other"),
            QStringLiteral("Onboarding")};
}

const QStringList &trueFalse()
{
    static const QStringList v{QStringLiteral("True"), QStringLiteral("False")};
    return v;
}

// Shared by both object types: the internal and type-coverage properties.
void common(QList<PropertyDef> &d, const char *group)
{
    d << def("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", group, 0,
             Generator::lifecycleStages(), lifecycleLabels())
      << def("hubspot_owner_id", "Owner", "enumeration", "select", "sales_properties", External,
             Generator::ownerIds(),
             {QStringLiteral("Alex Owner"), QStringLiteral("Bea Owner"),
              QStringLiteral("Chris Owner"), QStringLiteral("Dana Owner")})
      << def("hs_object_id", "Record ID", "number", "number", group, Calculated)
      << def("hs_object_source_json", "Record source detail", "json", "text",
             "analyticsinformation", Calculated | Hidden)
      << def("hs_geo_coordinates", "Geo coordinates", "object_coordinates", "text",
             "analyticsinformation", Calculated | Hidden)
      << def("hs_whatsapp_phone_number", "WhatsApp Phone Number", "phone_number", "phonenumber",
             group);
}

// Numbers every definition and fills the cross-references that the table cannot express.
QList<PropertyDef> finish(QList<PropertyDef> d)
{
    for (int i = 0; i < d.size(); ++i) {
        d[i].displayOrder = d.at(i).hidden ? -1 : i;
        if (d.at(i).name == QLatin1String("hubspot_owner_id"))
            d[i].referencedObjectType = QStringLiteral("OWNER");
        else if (d.at(i).name == QLatin1String("associatedcompanyid"))
            d[i].referencedObjectType = QStringLiteral("COMPANY");
    }
    return d;
}

QList<PropertyDef> companyDefs()
{
    const char *g = "companyinformation";
    QList<PropertyDef> d;
    d << def("name", "Company name", "string", "text", g)
      << def("domain", "Company Domain Name", "string", "text", g)
      << def("website", "Website URL", "string", "text", g)
      << def("phone", "Phone Number", "string", "phonenumber", g)
      << def("address", "Street Address", "string", "text", g)
      << def("city", "City", "string", "text", g)
      << def("state", "State/Region", "string", "text", g)
      << def("zip", "Postal Code", "string", "text", g)
      << def("country", "Country/Region", "string", "text", g)
      << def("industry", "Industry", "enumeration", "select", g, 0, Generator::industries())
      << def("numberofemployees", "Number of Employees", "number", "number", g)
      << def("annualrevenue", "Annual Revenue", "number", "number", g)
      << def("description", "Description", "string", "textarea", g)
      << def("type", "Type", "enumeration", "select", g, 0, Generator::companyTypes())
      << def("hs_additional_domains", "Additional Domains", "string", "text", g)
      << def("createdate", "Create Date", "datetime", "date", g, Calculated)
      << def("hs_lastmodifieddate", "Last Modified Date", "datetime", "date", g, Calculated)
      << def("is_public", "Is Public", "bool", "booleancheckbox", g, 0,
             {QStringLiteral("true"), QStringLiteral("false")},
             {QStringLiteral("Yes"), QStringLiteral("No")})
      << def("hs_was_imported", "Imported", "bool", "calculation_equation", g, Calculated)
      << def("services_offered", "Services offered", "enumeration", "checkbox", g, Custom,
             Generator::services())
      << def("key_account", "Key account", "enumeration", "booleancheckbox", g, Custom, trueFalse())
      << def("hs_ideal_customer_profile", "Ideal Customer Profile Tier", "enumeration",
             "calculation_equation", g, Calculated, Generator::tiers())
      << def("contract_start_date", "Contract start date", "date", "date", g, Custom)
      << def("notes_last_contacted", "Last Contacted", "datetime", "date", "sales_properties",
             Calculated)
      << def("next_review_at", "Next review", "datetime", "date", g, Custom)
      << def("contract_document", "Contract document", "string", "file", g, Custom)
      << def("about_us", "About Us", "string", "html", g)
      << def("hs_annual_revenue_label", "Revenue band", "string", "calculation_equation", g,
             Calculated)
      << def("hs_num_child_companies", "Number of child companies", "number",
             "calculation_equation", g, Calculated)
      << def("hs_total_deal_value", "Total deal value", "number", "calculation_rollup",
             "sales_properties", Calculated)
      << def("hs_company_score", "Company score", "number", "calculation_score", g, Calculated)
      << def("hs_time_in_lead", "Time in Lead", "number", "calculation_read_time",
             "analyticsinformation", Calculated);
    common(d, g);
    return finish(d);
}

QList<PropertyDef> contactDefs()
{
    const char *g = "contactinformation";
    QList<PropertyDef> d;
    d << def("email", "Email", "string", "text", g, Unique)
      << def("firstname", "First Name", "string", "text", g)
      << def("lastname", "Last Name", "string", "text", g)
      << def("phone", "Phone Number", "string", "phonenumber", g)
      << def("mobilephone", "Mobile Phone Number", "string", "phonenumber", g)
      << def("fax", "Fax Number", "string", "phonenumber", g)
      << def("jobtitle", "Job Title", "string", "text", g)
      << def("company", "Company Name", "string", "text", g)
      << def("address", "Street Address", "string", "text", g)
      << def("city", "City", "string", "text", g)
      << def("state", "State/Region", "string", "text", g)
      << def("zip", "Postal Code", "string", "text", g)
      << def("country", "Country/Region", "string", "text", g)
      << def("website", "Website URL", "string", "text", g)
      << def("message", "Message", "string", "textarea", g)
      << def("hs_lead_status", "Lead Status", "enumeration", "select", "sales_properties", 0,
             Generator::leadStatuses())
      << def("hs_timezone", "Time Zone", "enumeration", "select", g, 0, Generator::timezones())
      << def("hs_additional_emails", "Additional email addresses", "string", "textarea", g,
             ReadOnly)
      << def("createdate", "Create Date", "datetime", "date", g, Calculated)
      << def("lastmodifieddate", "Last Modified Date", "datetime", "date", g, Calculated)
      << def("associatedcompanyid", "Primary Associated Company ID", "number", "number", g,
             Hidden | External)
      << def("newsletter_opt_in", "Newsletter opt-in", "bool", "booleancheckbox", g, Custom,
             {QStringLiteral("true"), QStringLiteral("false")},
             {QStringLiteral("Yes"), QStringLiteral("No")})
      << def("currentlyinworkflow", "Currently in workflow", "enumeration", "booleancheckbox",
             "contact_activity", Calculated | Hidden, trueFalse())
      << def("date_of_birth", "Date of birth", "date", "date", g)
      << def("hs_last_sales_activity_timestamp", "Last Engagement Date", "datetime", "date",
             "sales_properties", Calculated)
      << def("hubspotscore", "HubSpot Score", "number", "calculation_score", g, Calculated)
      << def("hs_is_contact", "Is a contact", "bool", "calculation_read_time", g,
             Calculated | Hidden)
      << def("num_associated_deals", "Associated Deals", "number", "calculation_rollup",
             "deal_information", Calculated)
      << def("hs_full_name_or_email", "Full name or email", "string", "calculation_equation", g,
             Calculated)
      << def("hs_lifecyclestage_customer_date", "Became a Customer Date", "datetime", "date", g,
             Calculated)
      << def("support_areas", "Support areas", "enumeration", "checkbox", g, Custom,
             Generator::supportAreas())
      << def("signature_file", "Signature", "string", "file", g, Custom)
      << def("bio", "Bio", "string", "html", g, Custom)
      << def("hs_is_unworked", "Contact unworked", "bool", "calculation_equation", g, Calculated)
      << def("hs_predictivescoringtier", "Likelihood to close tier", "enumeration",
             "calculation_equation", g, Calculated, Generator::tiers())
      << def("nps_score", "NPS score", "number", "number", g, Custom)
      << def("next_followup_at", "Next follow-up", "datetime", "date", g, Custom);
    common(d, g);
    return finish(d);
}

PropType searchType(const QString &type)
{
    if (type == QLatin1String("number"))
        return PropType::Number;
    if (type == QLatin1String("date"))
        return PropType::Date;
    if (type == QLatin1String("datetime"))
        return PropType::DateTime;
    if (type == QLatin1String("bool"))
        return PropType::Bool;
    if (type == QLatin1String("enumeration"))
        return PropType::Enumeration;
    return PropType::String;
}

PropertyWrite failure(const QString &error, const QString &message)
{
    PropertyWrite w;
    w.ok = false;
    w.error = error;
    w.message = message;
    return w;
}

PropertyWrite success(const QString &value)
{
    PropertyWrite w;
    w.value = value;
    return w;
}

} // namespace

const QList<PropertyDef> &HubSpotProperties::definitions(ObjectKind kind)
{
    static const QList<PropertyDef> companies = companyDefs();
    static const QList<PropertyDef> contacts = contactDefs();
    return kind == ObjectKind::Company ? companies : contacts;
}

const PropertyDef *HubSpotProperties::find(ObjectKind kind, const QString &name)
{
    for (const PropertyDef &d : definitions(kind)) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

const PropertyTypes &HubSpotProperties::searchTypes(ObjectKind kind)
{
    static const auto build = [](ObjectKind k) {
        PropertyTypes t;
        for (const PropertyDef &d : definitions(k))
            t.insert(d.name, searchType(d.type));
        return t;
    };
    static const PropertyTypes companies = build(ObjectKind::Company);
    static const PropertyTypes contacts = build(ObjectKind::Contact);
    return kind == ObjectKind::Company ? companies : contacts;
}

QString HubSpotProperties::objectTypeName(ObjectKind kind)
{
    return kind == ObjectKind::Company ? QStringLiteral("COMPANY") : QStringLiteral("CONTACT");
}

QJsonObject HubSpotProperties::toJson(const PropertyDef &def)
{
    QJsonArray options;
    int order = 0;
    for (const auto &o : def.options) {
        options.append(QJsonObject{{QStringLiteral("label"), o.second},
                                   {QStringLiteral("value"), o.first},
                                   {QStringLiteral("displayOrder"), order++},
                                   {QStringLiteral("hidden"), false}});
    }
    QJsonObject o{
        {QStringLiteral("name"), def.name},
        {QStringLiteral("label"), def.label},
        {QStringLiteral("type"), def.type},
        {QStringLiteral("fieldType"), def.fieldType},
        {QStringLiteral("description"), QString()},
        {QStringLiteral("groupName"), def.groupName},
        {QStringLiteral("options"), options},
        {QStringLiteral("displayOrder"), def.displayOrder},
        {QStringLiteral("calculated"), def.calculated},
        {QStringLiteral("externalOptions"), def.externalOptions},
        {QStringLiteral("hasUniqueValue"), def.hasUniqueValue},
        {QStringLiteral("hidden"), def.hidden},
        {QStringLiteral("hubspotDefined"), def.hubspotDefined},
        {QStringLiteral("formField"), !def.readOnlyValue && !def.hidden},
        {QStringLiteral("archived"), false},
        {QStringLiteral("dataSensitivity"), QStringLiteral("non_sensitive")},
        {QStringLiteral("createdAt"), QStringLiteral("2019-08-06T02:41:52.000Z")},
        {QStringLiteral("updatedAt"), QStringLiteral("2024-02-01T10:00:00.000Z")},
        {QStringLiteral("modificationMetadata"),
         QJsonObject{{QStringLiteral("archivable"), !def.hubspotDefined},
                     {QStringLiteral("readOnlyDefinition"), def.hubspotDefined},
                     {QStringLiteral("readOnlyValue"), def.readOnlyValue}}},
    };
    if (!def.referencedObjectType.isEmpty())
        o.insert(QStringLiteral("referencedObjectType"), def.referencedObjectType);
    return o;
}

QString HubSpotProperties::formatDateTime(qint64 epochMs)
{
    // Spelled out: Qt 6.4 writes "+00:00" instead of "Z" for a QTimeZone::utc() date-time.
    return QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

std::optional<qint64> HubSpotProperties::parseInstant(const QString &text)
{
    static const QRegularExpression millis(QStringLiteral("^-?\\d{1,16}$"));
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QString t = text.trimmed();
    if (millis.match(t).hasMatch())
        return t.toLongLong();
    if (dateOnly.match(t).hasMatch()) {
        const QDate d = QDate::fromString(t, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        return QDateTime(d, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    }
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt = QDateTime(dt.date(), dt.time(), QTimeZone::utc());
    return dt.toMSecsSinceEpoch();
}

PropertyWrite HubSpotProperties::checkWrite(ObjectKind kind, const QString &name,
                                            const QString &value, const QString &current)
{
    const PropertyDef *d = find(kind, name);
    if (!d)
        return failure(QStringLiteral("PROPERTY_DOESNT_EXIST"),
                       QStringLiteral("Property \"%1\" does not exist").arg(name));
    if (d->readOnlyValue)
        return failure(
            QStringLiteral("READ_ONLY_VALUE"),
            QStringLiteral("%1 is a read only property; its value cannot be set.").arg(name));
    if (value.isEmpty())
        return success(QString()); // clearing is always allowed
    if (value.size() > 65536)
        return failure(QStringLiteral("INVALID_STRING_TOO_LONG"),
                       QStringLiteral("%1 is longer than 65536 characters.").arg(name));

    if (d->type == QLatin1String("number")) {
        static const QRegularExpression number(QStringLiteral("^-?(\\d+(\\.\\d*)?|\\.\\d+)$"));
        if (!number.match(value.trimmed()).hasMatch())
            return failure(QStringLiteral("INVALID_NUMBER"),
                           QStringLiteral("%1 was not a valid number.").arg(value));
        return success(value.trimmed());
    }
    if (d->type == QLatin1String("bool")) {
        const QString v = value.trimmed().toLower();
        if (v != QLatin1String("true") && v != QLatin1String("false"))
            return failure(QStringLiteral("INVALID_BOOLEAN"),
                           QStringLiteral("%1 was not a valid boolean (true/false).").arg(value));
        return success(v);
    }
    if (d->type == QLatin1String("date") || d->type == QLatin1String("datetime")) {
        const std::optional<qint64> ms = parseInstant(value);
        if (!ms)
            return failure(
                QStringLiteral("INVALID_DATE"),
                QStringLiteral("%1 was not a valid date or epoch milliseconds value.").arg(value));
        if (d->type == QLatin1String("datetime"))
            return success(formatDateTime(*ms));
        if (*ms % 86400000LL != 0)
            return failure(QStringLiteral("INVALID_DATE"),
                           QStringLiteral("%1 is at %2 but date values must be at midnight UTC.")
                               .arg(value, formatDateTime(*ms)));
        return success(
            QDateTime::fromMSecsSinceEpoch(*ms, QTimeZone::utc()).date().toString(Qt::ISODate));
    }
    if (d->type == QLatin1String("enumeration")) {
        if (d->externalOptions) {
            static const QRegularExpression id(QStringLiteral("^\\d+$"));
            if (!id.match(value).hasMatch())
                return failure(QStringLiteral("INVALID_OPTION"),
                               QStringLiteral("%1 was not a valid id.").arg(value));
            return success(value);
        }
        QStringList allowed;
        for (const auto &o : d->options)
            allowed << o.first;
        const bool multiple = d->fieldType == QLatin1String("checkbox");
        const bool append = multiple && value.startsWith(u';');
        QStringList chosen = multiple ? value.split(u';', Qt::SkipEmptyParts) : QStringList{value};
        for (const QString &v : std::as_const(chosen)) {
            if (!allowed.contains(v))
                return failure(QStringLiteral("INVALID_OPTION"),
                               QStringLiteral("%1 was not one of the allowed options: [%2]")
                                   .arg(v, allowed.join(QStringLiteral(", "))));
        }
        if (append) {
            QStringList merged = current.split(u';', Qt::SkipEmptyParts);
            for (const QString &v : std::as_const(chosen)) {
                if (!merged.contains(v))
                    merged << v;
            }
            chosen = merged;
        }
        return success(chosen.join(u';'));
    }
    return success(value);
}

} // namespace halospot::sandbox
