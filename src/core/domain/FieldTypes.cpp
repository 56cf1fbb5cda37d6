// HubSpot property and Halo field definitions, and the SPEC §3 type-compatibility table.
#include "FieldTypes.h"

#include <QJsonArray>

namespace halospot::core {

namespace {

const QString kString = QStringLiteral("string");

// Calculated properties carry a calculation_* field type; what they hold is their `type`, so
// they are treated as the plain field type of that type (import only, see canSyncBack).
QString effectiveFieldType(const PropertyDef &p)
{
    if (!p.fieldType.startsWith(QLatin1String("calculation_")))
        return p.fieldType;
    if (p.type == QLatin1String("string") || p.type == QLatin1String("phone_number"))
        return QStringLiteral("text");
    if (p.type == QLatin1String("number"))
        return QStringLiteral("number");
    if (p.type == QLatin1String("bool"))
        return QStringLiteral("booleancheckbox");
    if (p.type == QLatin1String("enumeration"))
        return QStringLiteral("select");
    if (p.type == QLatin1String("date") || p.type == QLatin1String("datetime"))
        return QStringLiteral("date");
    return p.fieldType;
}

// HubSpot's PropertyCreate enum also knows a "phone_number" type; it holds text.
QString effectiveType(const PropertyDef &p)
{
    return p.type == QLatin1String("phone_number") ? kString : p.type;
}

bool isKnownHaloType(HaloFieldType t)
{
    switch (t) {
    case HaloFieldType::Text:
    case HaloFieldType::Memo:
    case HaloFieldType::SingleSelect:
    case HaloFieldType::MultiSelect:
    case HaloFieldType::Date:
    case HaloFieldType::Time:
    case HaloFieldType::Checkbox:
    case HaloFieldType::RichText:
        return true;
    }
    return false;
}

QString textInputName(int inputType)
{
    switch (inputType) {
    case HaloTextInput::Anything:
        return FieldRules::tr("any text");
    case HaloTextInput::Integer:
        return FieldRules::tr("integer");
    case HaloTextInput::Money:
        return FieldRules::tr("money");
    case HaloTextInput::Alphanumeric:
        return FieldRules::tr("alphanumeric");
    case HaloTextInput::Decimal:
        return FieldRules::tr("decimal");
    case HaloTextInput::Url:
        return FieldRules::tr("URL");
    case HaloTextInput::Password:
        return FieldRules::tr("password");
    default:
        return FieldRules::tr("input type %1").arg(inputType);
    }
}

QString fieldKind(const HaloFieldDef &f)
{
    const QString type = haloFieldTypeName(f.type);
    if (f.type == HaloFieldType::Text)
        return FieldRules::tr("%1, %2").arg(type, textInputName(f.inputType));
    if (f.type == HaloFieldType::Date) {
        return f.inputType == HaloDateInput::DateTime ? FieldRules::tr("%1 with time").arg(type)
                                                      : FieldRules::tr("%1 only").arg(type);
    }
    return type;
}

// "'Industry' (industry, enumeration/select)": what a sentence calls one side of a mapping.
QString side(const QString &label, const QString &name, const QString &kind)
{
    if (label.isEmpty() || label == name)
        return QStringLiteral("'%1' (%2)").arg(name, kind);
    return QStringLiteral("'%1' (%2, %3)").arg(label, name, kind);
}

Result<MappingRule> refuse(const PropertyDef &p, const HaloFieldDef &f, const QString &why)
{
    const QString hubspot = side(p.label, p.name, QStringLiteral("%1/%2").arg(p.type, p.fieldType));
    return Result<MappingRule>::failure(
        FieldRules::tr("HubSpot property %1 cannot be mapped to Halo field %2: %3")
            .arg(hubspot, side(f.label, f.name, fieldKind(f)), why));
}

MappingRule accept(const PropertyDef &p, const HaloFieldDef &f, ValueKind kind)
{
    MappingRule rule;
    rule.kind = kind;
    rule.property = p;
    rule.field = f;
    rule.options = OptionIndex(p, f);
    rule.syncBackAllowed = canSyncBack(p, &rule.syncBackBlockedReason);
    return rule;
}

bool isTextualInput(int inputType)
{
    return inputType == HaloTextInput::Anything || inputType == HaloTextInput::Alphanumeric ||
           inputType == HaloTextInput::Url;
}

// A string into a Text field: only the text input types; numbers-only and password fields
// would refuse or hide ordinary text.
Result<MappingRule> textInto(const PropertyDef &p, const HaloFieldDef &f)
{
    if (isTextualInput(f.inputType))
        return accept(p, f, ValueKind::Text);
    if (f.inputType == HaloTextInput::Integer || f.inputType == HaloTextInput::Decimal ||
        f.inputType == HaloTextInput::Money) {
        return refuse(p, f,
                      FieldRules::tr("the field accepts only numbers; map a HubSpot number "
                                     "property to it."));
    }
    if (f.inputType == HaloTextInput::Password)
        return refuse(p, f, FieldRules::tr("HaloSpot does not write into password fields."));
    return refuse(
        p, f, FieldRules::tr("the field's input type %1 is unknown to HaloSpot.").arg(f.inputType));
}

} // namespace

QString haloFieldTypeName(HaloFieldType type)
{
    switch (type) {
    case HaloFieldType::Text:
        return FieldRules::tr("Text");
    case HaloFieldType::Memo:
        return FieldRules::tr("Memo");
    case HaloFieldType::SingleSelect:
        return FieldRules::tr("Single selection");
    case HaloFieldType::MultiSelect:
        return FieldRules::tr("Multiple selection");
    case HaloFieldType::Date:
        return FieldRules::tr("Date");
    case HaloFieldType::Time:
        return FieldRules::tr("Time");
    case HaloFieldType::Checkbox:
        return FieldRules::tr("Checkbox");
    case HaloFieldType::RichText:
        return FieldRules::tr("Rich text");
    }
    return FieldRules::tr("type %1").arg(int(type));
}

PropertyDef PropertyDef::fromJson(const QJsonObject &json)
{
    PropertyDef p;
    p.name = json.value(QLatin1String("name")).toString();
    p.label = json.value(QLatin1String("label")).toString();
    p.type = json.value(QLatin1String("type")).toString();
    p.fieldType = json.value(QLatin1String("fieldType")).toString();
    p.groupName = json.value(QLatin1String("groupName")).toString();
    p.calculated = json.value(QLatin1String("calculated")).toBool();
    p.hidden = json.value(QLatin1String("hidden")).toBool();
    p.readOnly = json.value(QLatin1String("modificationMetadata"))
                     .toObject()
                     .value(QLatin1String("readOnlyValue"))
                     .toBool();
    const QJsonArray options = json.value(QLatin1String("options")).toArray();
    for (const QJsonValue &v : options) {
        const QJsonObject o = v.toObject();
        p.options.append(PropertyOption{o.value(QLatin1String("label")).toString(),
                                        o.value(QLatin1String("value")).toString(),
                                        o.value(QLatin1String("hidden")).toBool()});
    }
    return p;
}

QJsonObject PropertyDef::toJson() const
{
    QJsonArray opts;
    for (const PropertyOption &o : options) {
        opts.append(QJsonObject{{QStringLiteral("label"), o.label},
                                {QStringLiteral("value"), o.value},
                                {QStringLiteral("hidden"), o.hidden}});
    }
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("label"), label},
        {QStringLiteral("type"), type},
        {QStringLiteral("fieldType"), fieldType},
        {QStringLiteral("groupName"), groupName},
        {QStringLiteral("options"), opts},
        {QStringLiteral("calculated"), calculated},
        {QStringLiteral("hidden"), hidden},
        {QStringLiteral("modificationMetadata"),
         QJsonObject{{QStringLiteral("readOnlyValue"), readOnly}}},
    };
}

const PropertyOption *PropertyDef::optionByValue(const QString &value) const
{
    for (const PropertyOption &o : options) {
        if (o.value == value)
            return &o;
    }
    return nullptr;
}

QString PropertyDef::describe() const
{
    if (label.isEmpty() || label == name)
        return QStringLiteral("'%1'").arg(name);
    return QStringLiteral("'%1' (%2)").arg(label, name);
}

HaloFieldDef HaloFieldDef::fromJson(const QJsonObject &json)
{
    HaloFieldDef f;
    f.id = json.value(QLatin1String("id")).toInt();
    f.name = json.value(QLatin1String("name")).toString();
    f.label = json.value(QLatin1String("label")).toString();
    f.type = HaloFieldType(json.value(QLatin1String("type")).toInt());
    f.inputType = json.value(QLatin1String("inputtype")).toInt();
    f.readOnly = json.value(QLatin1String("readonly")).toBool();
    f.characterLimit = json.value(QLatin1String("characterlimit")).toInt();
    // typeid is what the list is filtered by; usage repeats it in the sandbox and in Halo.
    const int table = json.contains(QLatin1String("typeid"))
                          ? json.value(QLatin1String("typeid")).toInt()
                          : json.value(QLatin1String("usage")).toInt();
    f.usage = table == 2   ? HaloFieldUsage::Customer
              : table == 4 ? HaloFieldUsage::User
                           : HaloFieldUsage::Unknown;
    const QJsonArray values = json.value(QLatin1String("values")).toArray();
    for (const QJsonValue &v : values) {
        const QJsonObject o = v.toObject();
        f.options.append(HaloOption{o.value(QLatin1String("id")).toInteger(),
                                    o.value(QLatin1String("name")).toString()});
    }
    return f;
}

QJsonObject HaloFieldDef::toJson() const
{
    QJsonArray values;
    for (const HaloOption &o : options)
        values.append(QJsonObject{{QStringLiteral("id"), o.id}, {QStringLiteral("name"), o.name}});
    const int table = usage == HaloFieldUsage::Customer ? 2 : usage == HaloFieldUsage::User ? 4 : 0;
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("label"), label},
        {QStringLiteral("type"), int(type)},
        {QStringLiteral("inputtype"), inputType},
        {QStringLiteral("typeid"), table},
        {QStringLiteral("readonly"), readOnly},
        {QStringLiteral("characterlimit"), characterLimit},
        {QStringLiteral("values"), values},
    };
}

const HaloOption *HaloFieldDef::optionById(qint64 optionId) const
{
    for (const HaloOption &o : options) {
        if (o.id == optionId)
            return &o;
    }
    return nullptr;
}

QString HaloFieldDef::describe() const
{
    if (label.isEmpty() || label == name)
        return QStringLiteral("'%1'").arg(name);
    return QStringLiteral("'%1' (%2)").arg(label, name);
}

Result<MappingRule> canMap(const PropertyDef &p, const HaloFieldDef &f)
{
    if (!isKnownHaloType(f.type)) {
        return refuse(
            p, f, FieldRules::tr("Halo field type %1 is unknown to HaloSpot.").arg(int(f.type)));
    }
    if (f.readOnly)
        return refuse(p, f, FieldRules::tr("the Halo field is read-only."));
    if (f.type == HaloFieldType::Time) {
        return refuse(p, f,
                      FieldRules::tr("Halo Time fields hold a time of day, and no HubSpot "
                                     "property type holds one."));
    }

    const QString type = effectiveType(p);
    const QString ft = effectiveFieldType(p);
    const auto is = [](const QString &s, const char *what) { return s == QLatin1String(what); };
    const HaloFieldType t = f.type;

    if (is(type, "string") && (is(ft, "text") || is(ft, "phonenumber"))) {
        if (t == HaloFieldType::Text)
            return textInto(p, f);
        return refuse(p, f, FieldRules::tr("a single-line text property needs a Text field."));
    }
    if (is(type, "string") && is(ft, "textarea")) {
        if (t == HaloFieldType::Memo)
            return accept(p, f, ValueKind::Text);
        if (t == HaloFieldType::Text)
            return textInto(p, f);
        return refuse(p, f,
                      FieldRules::tr("a multi-line text property needs a Memo or Text "
                                     "field."));
    }
    if (is(type, "string") && is(ft, "html")) {
        if (t == HaloFieldType::RichText || t == HaloFieldType::Memo)
            return accept(p, f, ValueKind::Text);
        return refuse(p, f,
                      FieldRules::tr("a rich text property needs a Rich text or Memo "
                                     "field."));
    }
    if (is(type, "number") && is(ft, "number")) {
        if (t == HaloFieldType::Text && f.inputType == HaloTextInput::Integer)
            return accept(p, f, ValueKind::Integer);
        if (t == HaloFieldType::Text &&
            (f.inputType == HaloTextInput::Decimal || f.inputType == HaloTextInput::Money))
            return accept(p, f, ValueKind::Decimal);
        return refuse(p, f,
                      FieldRules::tr("a number property needs a Text field with a numeric input "
                                     "type (integer, decimal or money)."));
    }
    if (is(type, "date") && is(ft, "date")) {
        if (t == HaloFieldType::Date && f.inputType == HaloDateInput::DateOnly)
            return accept(p, f, ValueKind::Date);
        return refuse(p, f, FieldRules::tr("a date property needs a date-only Date field."));
    }
    if (is(type, "datetime") && is(ft, "date")) {
        if (t == HaloFieldType::Date && f.inputType == HaloDateInput::DateTime)
            return accept(p, f, ValueKind::DateTime);
        return refuse(p, f,
                      FieldRules::tr("a date-and-time property needs a Date field with "
                                     "time."));
    }
    if ((is(type, "bool") || is(type, "enumeration")) && is(ft, "booleancheckbox")) {
        if (t == HaloFieldType::Checkbox)
            return accept(p, f, ValueKind::Checkbox);
        return refuse(p, f, FieldRules::tr("a yes/no property needs a Checkbox field."));
    }
    if (is(type, "enumeration") && (is(ft, "select") || is(ft, "radio"))) {
        if (t == HaloFieldType::SingleSelect)
            return accept(p, f, ValueKind::SingleSelect);
        return refuse(p, f,
                      FieldRules::tr("a single-choice property needs a Single selection "
                                     "field."));
    }
    if (is(type, "enumeration") && is(ft, "checkbox")) {
        if (t == HaloFieldType::MultiSelect)
            return accept(p, f, ValueKind::MultiSelect);
        return refuse(p, f,
                      FieldRules::tr("a multiple-choice property needs a Multiple "
                                     "selection field."));
    }
    return refuse(p, f,
                  FieldRules::tr("HaloSpot cannot map HubSpot properties of type '%1' with field "
                                 "type '%2' to any Halo field.")
                      .arg(p.type, p.fieldType));
}

Result<MappingRule> canMap(const PropertyDef &p, const HaloFieldDef &f, Entity entity)
{
    const HaloFieldUsage wanted =
        entity == Entity::Company ? HaloFieldUsage::Customer : HaloFieldUsage::User;
    if (f.usage != HaloFieldUsage::Unknown && f.usage != wanted) {
        return refuse(p, f,
                      entity == Entity::Company
                          ? FieldRules::tr("company properties go into Customer fields, and "
                                           "this is a User field.")
                          : FieldRules::tr("contact properties go into User fields, and this is "
                                           "a Customer field."));
    }
    return canMap(p, f);
}

bool canSyncBack(const PropertyDef &p, QString *reason)
{
    QString why;
    if (p.calculated) {
        why = FieldRules::tr("HubSpot property %1 is calculated by HubSpot: it can be imported "
                             "but not synced back.")
                  .arg(p.describe());
    } else if (p.readOnly) {
        why = FieldRules::tr("HubSpot property %1 is read-only: it can be imported but not synced "
                             "back.")
                  .arg(p.describe());
    } else if (p.fieldType.startsWith(QLatin1String("calculation_"))) {
        why = FieldRules::tr("HubSpot property %1 is a calculation: it can be imported but not "
                             "synced back.")
                  .arg(p.describe());
    }
    if (reason)
        *reason = why;
    return why.isEmpty();
}

} // namespace halospot::core
