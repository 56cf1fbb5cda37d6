// The two sides of a field mapping - a HubSpot property and a Halo custom field - and the SPEC §3
// rules for which pairs can be mapped and which properties can be synced back.
#pragma once

#include "OptionIndex.h"
#include "Result.h"
#include "StoreTypes.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace halospot::core {

struct PropertyOption
{
    QString label;
    QString value; // the internal value HubSpot stores and expects on writes
    bool hidden = false;
};

// A HubSpot property definition as GET /crm/v3/properties/{objectType} returns it.
struct PropertyDef
{
    QString name;
    QString label;
    QString type;      // string, number, date, datetime, bool, enumeration, phone_number, json, ...
    QString fieldType; // text, textarea, html, phonenumber, number, date, booleancheckbox, ...
    QString groupName;
    QList<PropertyOption> options;
    bool readOnly = false; // modificationMetadata.readOnlyValue: HubSpot refuses writes
    bool calculated = false;
    bool hidden = false;

    // Missing members keep their defaults; HubSpot's shape is trusted no further than that.
    static PropertyDef fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
    const PropertyOption *optionByValue(const QString &value) const;
    // "Industry (industry)", as sentences name a property.
    QString describe() const;
};

// Halo's FieldInfo.type codes.
enum class HaloFieldType : int
{
    Text = 0,
    Memo = 1,
    SingleSelect = 2,
    MultiSelect = 3,
    Date = 4,
    Time = 5,
    Checkbox = 6,
    RichText = 10,
};

QString haloFieldTypeName(HaloFieldType type); // "Text", "Single selection", ... or "type 7"

// FieldInfo.inputtype of Text fields (reference/halo-api.md §6.2, as the sandbox serves it).
namespace HaloTextInput {
constexpr int Anything = 0;
constexpr int Integer = 1;
constexpr int Money = 2;
constexpr int Alphanumeric = 3;
constexpr int Decimal = 4;
constexpr int Url = 5;
constexpr int Password = 6;
} // namespace HaloTextInput

// FieldInfo.inputtype of Date fields.
namespace HaloDateInput {
constexpr int DateOnly = 0;
constexpr int DateTime = 1;
} // namespace HaloDateInput

// Which records a Halo field belongs to (FieldInfo.typeid / usage: Halo's table ids 2 and 4).
enum class HaloFieldUsage
{
    Unknown,
    Customer,
    User,
};

struct HaloOption
{
    qint64 id = 0;
    QString name; // the label agents see
};

// A Halo custom field definition as GET /api/FieldInfo returns it.
struct HaloFieldDef
{
    int id = 0;
    QString name; // the API name with Halo's "CF" prefix, e.g. "CFindustry"
    QString label;
    HaloFieldType type = HaloFieldType::Text;
    int inputType = 0; // Text: HaloTextInput; Date: HaloDateInput; selections: the widget
    QList<HaloOption> options;
    HaloFieldUsage usage = HaloFieldUsage::Unknown;
    bool readOnly = false;
    int characterLimit = 0; // 0 = none

    static HaloFieldDef fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
    const HaloOption *optionById(qint64 id) const;
    // "Industry (CFindustry)", as sentences name a field.
    QString describe() const;
};

// How values travel between the two sides of an accepted mapping.
enum class ValueKind
{
    Text,         // string properties into Text, Memo or Rich text fields
    Integer,      // number property into a Text field of input type Integer
    Decimal,      // number property into a Text field of input type Decimal or Money
    Date,         // YYYY-MM-DD at midnight UTC
    DateTime,     // an instant, UTC
    Checkbox,     // true / false
    SingleSelect, // one option: HubSpot option value <-> Halo option id
    MultiSelect,  // HubSpot values joined by ';' <-> a list of Halo option ids
};

// An accepted pairing: what ValueConvert needs to move values in both directions.
struct MappingRule
{
    ValueKind kind = ValueKind::Text;
    PropertyDef property;
    HaloFieldDef field;
    bool syncBackAllowed = true;
    QString syncBackBlockedReason; // why not, when !syncBackAllowed
    // Built by canMap; a rule put together by hand may leave it empty (then conversion builds
    // one per call) or fill it with OptionIndex(property, field).
    OptionIndex options;
};

struct FieldRules
{
    Q_DECLARE_TR_FUNCTIONS(FieldRules)
};

// Whether the property's values can go into the field (SPEC §3). The failure is a sentence that
// names both sides and says why, for the field-mapping row to show.
Result<MappingRule> canMap(const PropertyDef &property, const HaloFieldDef &field);
// The same, and the field must belong to the records the property's object imports into:
// companies into customer fields, contacts into user fields.
Result<MappingRule> canMap(const PropertyDef &property, const HaloFieldDef &field, Entity entity);

// Read-only and calculated properties are import-only (SPEC §3). `reason` gets the sentence.
bool canSyncBack(const PropertyDef &property, QString *reason = nullptr);

} // namespace halospot::core

Q_DECLARE_METATYPE(halospot::core::PropertyDef)
Q_DECLARE_METATYPE(halospot::core::HaloFieldDef)
Q_DECLARE_METATYPE(halospot::core::MappingRule)
