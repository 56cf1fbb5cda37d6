// The fake HubSpot's property definitions for companies and contacts (every type/fieldType pair
// of the reference) and the validation of written values against them.
#pragma once

#include "HubSpotSearch.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace halospot::sandbox {

enum class ObjectKind
{
    Company,
    Contact
};

struct PropertyDef
{
    QString name;
    QString label;
    QString type;
    QString fieldType;
    QString groupName;
    QList<QPair<QString, QString>> options; // value, label
    bool readOnlyValue = false;
    bool calculated = false;
    bool hidden = false;
    bool hasUniqueValue = false;
    bool hubspotDefined = true;
    bool externalOptions = false;
    QString referencedObjectType;
    int displayOrder = 0;
};

// The outcome of checking one written value: the stored form, or HubSpot's per-property error.
struct PropertyWrite
{
    bool ok = true;
    QString value;   // normalised value to store; empty = clear
    QString error;   // e.g. PROPERTY_DOESNT_EXIST, INVALID_OPTION
    QString message; // the sentence HubSpot puts into the per-property error
};

class HubSpotProperties final
{
public:
    static const QList<PropertyDef> &definitions(ObjectKind kind);
    static const PropertyDef *find(ObjectKind kind, const QString &name);
    static QJsonObject toJson(const PropertyDef &def);
    // Every property name -> its search type (for HubSpotSearch).
    static const PropertyTypes &searchTypes(ObjectKind kind);
    // Checks a value an API client writes. `current` is the stored value (multi-checkbox values
    // starting with ';' are appended to it).
    static PropertyWrite checkWrite(ObjectKind kind, const QString &name, const QString &value,
                                    const QString &current = {});

    // Wire formats: date "YYYY-MM-DD", datetime "YYYY-MM-DDThh:mm:ss.sssZ".
    static QString formatDateTime(qint64 epochMs);
    // ISO 8601 (date or date-time, UTC when no offset) or epoch milliseconds.
    static std::optional<qint64> parseInstant(const QString &text);

    static QString objectTypeName(ObjectKind kind); // "COMPANY" / "CONTACT"
};

} // namespace halospot::sandbox
