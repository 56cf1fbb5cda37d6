// Moving one value across an accepted mapping (SPEC §3 "Values convert exactly"): a HubSpot
// property string into the JSON value Halo's customfields[].value accepts, a Halo value back into
// the string HubSpot expects, and the comparisons that decide "unchanged" without a write.
#pragma once

#include "FieldTypes.h"
#include "Result.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QString>

namespace halospot::core {

struct ValueConvert
{
    Q_DECLARE_TR_FUNCTIONS(ValueConvert)
};

// HubSpot -> Halo. What is written, per kind (the format the sandbox's FakeHalo accepts and that
// follows halo-api.md §6.3, customfields [{id, value}]):
//   Text           the string as is ("" clears)
//   Integer        canonical digits as a string, "3" (also from "3.0"; "3.5" fails)
//   Decimal        canonical decimal as a string, "12.5" (from "012.50")
//   Date           "YYYY-MM-DD" (from YYYY-MM-DD, midnight-UTC epoch millis or ISO at midnight)
//   DateTime       "YYYY-MM-DDTHH:mm:ss" in UTC, no zone designator - Halo keeps UTC and reads
//                  a bare timestamp as UTC (from ISO 8601 with zone, or epoch millis)
//   Checkbox       JSON true / false (from "true"/"false", any case)
//   SingleSelect   the Halo option id as a JSON number
//   MultiSelect    a JSON array of {"id": <option id>} in HubSpot's order, without repeats
// An empty (or all-blank) HubSpot value clears the field: "" for the text kinds, null for the
// others. A value that cannot be converted fails with a sentence naming the value, the HubSpot
// property and the Halo field.
Result<QJsonValue> toHaloValue(const MappingRule &rule, const QString &hubspotValue);

// Halo -> HubSpot, for sync back: the value Halo reports in customfields[].value (a string,
// number, bool, option id, {id,name} object or array of them, or null) as the property string
// HubSpot accepts: option values (not labels), ';'-joined multiple options, "true"/"false" (or
// the property's own spelling such as "True"), YYYY-MM-DD dates, YYYY-MM-DDTHH:mm:ss.zzzZ
// datetimes. Null or empty gives "" (HubSpot's way to clear).
Result<QString> toHubSpotValue(const MappingRule &rule, const QJsonValue &haloValue);

// The comparable form of a Halo value for this field: option ids sorted, numbers canonical,
// dates and instants in one format, 3 and "3" alike. Values that do not parse compare as their
// text, so two equal odd values are still "the same". Halo's 1900-01-01 "no date" reads as "".
QString canonicalHaloValue(const MappingRule &rule, const QJsonValue &haloValue);
// The comparable form of a HubSpot value for this property.
QString canonicalHubSpotValue(const MappingRule &rule, const QString &hubspotValue);

// Whether Halo already holds what an import would write (then the record costs no write).
bool sameHaloValue(const MappingRule &rule, const QJsonValue &current, const QJsonValue &wanted);
// Whether HubSpot already holds what a sync back would write.
bool sameHubSpotValue(const MappingRule &rule, const QString &current, const QString &wanted);

} // namespace halospot::core
