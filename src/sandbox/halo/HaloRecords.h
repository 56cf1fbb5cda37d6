// The fake Halo's records as compact plain structs (no JSON objects), so that the sandbox can hold
// 100 000 clients and 500 000 users without needing gigabytes.
#pragma once

#include <QList>
#include <QString>

namespace halospot::sandbox {

// One custom-field value; `value` is already normalised for the field's type (see HaloFields).
struct HaloCustomValue
{
    int fieldId = 0;
    QString value;
};
using HaloCustomValues = QList<HaloCustomValue>;

// The stored value of a field, or a null QString when the record has none.
QString customValue(const HaloCustomValues &values, int fieldId);
// Sets one value; an empty value removes the field from the record.
void setCustomValue(HaloCustomValues &values, int fieldId, const QString &value);

struct HaloClientRec
{
    int id = 0; // 0 marks a free (deleted) slot
    int topLevelId = 1;
    int mainSiteId = 0;
    bool inactive = false;
    QString name;
    QString website;
    QString notes;
    QString ref;
    QString hubspotId;
    qint64 createdMs = 0; // UTC milliseconds since the epoch, on the sandbox clock
    qint64 updatedMs = 0;
    HaloCustomValues custom;
};

struct HaloSiteRec
{
    int id = 0;
    int clientId = 0;
    bool inactive = false;
    QString name;
    QString phonenumber;
    QString notes;
    QString hubspotId;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
};

struct HaloUserRec
{
    int id = 0;
    int siteId = 0;
    int clientId = 0; // derived from the site; kept for fast client_id filters
    bool inactive = false;
    QString name; // empty while it is just "firstname surname" (saves memory on 500 000 users)
    QString firstname;
    QString surname;
    QString email;
    QString phonenumber;
    QString mobilenumber;
    QString title;
    QString notes;
    QString hubspotId;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    HaloCustomValues custom;

    QString derivedName() const
    {
        if (surname.isEmpty())
            return firstname.trimmed();
        if (firstname.isEmpty())
            return surname.trimmed();
        return (firstname + QLatin1Char(' ') + surname).trimmed();
    }
    QString displayName() const { return name.isEmpty() ? derivedName() : name; }
    // Stores the display name, or nothing when it equals the derived one.
    void setName(const QString &full) { name = full == derivedName() ? QString() : full; }
};

} // namespace halospot::sandbox
