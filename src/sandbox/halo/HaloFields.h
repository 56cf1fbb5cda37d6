// The fake Halo's custom-field definitions (FieldInfo) and the rules for values of each field type:
// what a write may send, how it is stored, and how it reads back as {value, display}.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace halospot::sandbox {

// Halo's FieldInfo.type codes.
enum class HaloFieldType
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

// FieldInfo.inputtype: for Text fields the value's subtype, for Date fields date-only or with time,
// for single selections the widget (which does not change values).
namespace HaloInput {
constexpr int Anything = 0;
constexpr int Integer = 1;
constexpr int Money = 2;
constexpr int Alphanumeric = 3;
constexpr int Decimal = 4;
constexpr int Url = 5;
constexpr int Password = 6;
constexpr int DateOnly = 0;
constexpr int DateTime = 1;
constexpr int Radio = 2;
} // namespace HaloInput

// FieldInfo.typeid: the entity a field belongs to (Halo's table ids).
constexpr int kHaloClientFields = 2;
constexpr int kHaloUserFields = 4;

struct HaloLookup
{
    int id = 0;
    QString name;
};

struct HaloFieldDef
{
    int id = 0;
    int typeId = kHaloClientFields;
    QString name; // with Halo's "CF" prefix
    QString label;
    HaloFieldType type = HaloFieldType::Text;
    int inputType = 0;
    QList<HaloLookup> values; // options of selection fields
};

class HaloFieldCatalog final
{
public:
    // Seeds a realistic default set: every type, for customers and for users.
    HaloFieldCatalog();

    const QList<HaloFieldDef> &all() const { return m_fields; }
    const HaloFieldDef *find(int id) const;
    // By name, case-insensitive, with or without the CF prefix.
    const HaloFieldDef *findByName(int typeId, const QString &name) const;
    // Adds a definition (id and option ids are assigned); returns the new id.
    int add(HaloFieldDef def);

    // Checks a written value against the field and returns it normalised for storage; an empty
    // string clears the field. On a bad value returns nullopt and sets *why (a sentence naming the
    // value, without the record or field).
    static std::optional<QString> normalize(const HaloFieldDef &def, const QJsonValue &value,
                                            QString *why);
    // How a stored value reads back in `customfields[].value` and `.display`.
    static QJsonValue jsonValue(const HaloFieldDef &def, const QString &stored);
    static QString display(const HaloFieldDef &def, const QString &stored);
    // The GET /api/FieldInfo shape of a definition.
    static QJsonObject definitionJson(const HaloFieldDef &def);

private:
    int m_nextFieldId = 101;
    int m_nextLookupId = 1;
    QList<HaloFieldDef> m_fields;
};

} // namespace halospot::sandbox
