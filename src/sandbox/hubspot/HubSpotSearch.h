// The fake HubSpot's CRM search semantics (POST /crm/v3/objects/{type}/search) without any HTTP:
// request parsing and validation, record matching and result ordering.
#pragma once

#include "../../core/Result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace halospot::sandbox {

// Identical to the alias in data/Generator.h; an identical alias redeclaration is legal C++, and
// declaring it here keeps this header usable without the generator.
using Props =
    QHash<QString, QString>; // HubSpot property name -> string value; absent key = no value

enum class PropType
{
    String,
    Number,
    Date,
    DateTime,
    Bool,
    Enumeration
};
using PropertyTypes = QHash<QString, PropType>; // every searchable property name -> type

struct SearchFilter
{
    QString propertyName;
    QString op;
    QString value;
    QString highValue;
    QStringList values;
};

struct SearchRequest
{
    QList<QList<SearchFilter>> groups; // OR of ANDs; empty = match all
    QString sortProperty;              // empty = default order (creation, oldest first)
    bool sortDescending = false;
    QStringList properties; // empty = default properties
    int limit = 10;
    qint64 after = 0;
    QString query;
};

// Semantics chosen where HubSpot's documentation is silent (each is a deliberate decision):
//
// * Values. An absent key and an empty string both mean "no value". Values are compared by the
//   property's type: Number numerically; Date/DateTime as instants (ISO 8601 such as 2020-02-29 or
//   2020-02-29T03:30:17.000Z, or epoch milliseconds; text without an offset is UTC); Bool as
//   "true"/"false" in any case (false < true); String case-insensitively; Enumeration
//   case-sensitively for every operator. A record value that does not parse as its type never
//   compares equal, less or greater, and sorts with the missing values; HAS_PROPERTY only asks
//   whether the value is non-empty.
// * Negative operators are exact complements: NEQ = !EQ, NOT_IN = !IN, NOT_CONTAINS_TOKEN =
//   !CONTAINS_TOKEN, NOT_HAS_PROPERTY = !HAS_PROPERTY. So a record WITHOUT the property matches
//   NEQ, NOT_IN and NOT_CONTAINS_TOKEN (HubSpot's behaviour is unconfirmed; this is what an
//   index-backed "must not" query does). Every positive operator except HAS_PROPERTY needs a value
//   to match.
// * IN / NOT_IN on String properties: HubSpot requires lower-case values. A value containing an
//   upper-case letter never matches (so it excludes nothing under NOT_IN); it is not rejected.
// * Enumeration values are ';'-separated sets (multiple checkboxes): EQ / IN match when any option
//   equals a filter value (or the whole value does).
// * CONTAINS_TOKEN: the record value's tokens are the whole value, its whitespace-separated words
//   and its runs of letters/digits; '*' in the filter value matches any run of characters, so
//   "*@hubspot.com" matches the e-mail "jo@hubspot.com" and "hubspot" matches it too. A filter
//   value of several words needs every word to match some token.
// * A filter on a property name not in the PropertyTypes is rejected with VALIDATION_ERROR naming
//   it (HubSpot answers PROPERTY_DOESNT_EXIST-style errors for undefined properties), as are filter
//   values that do not parse as the property's type (number, date, bool) for EQ/NEQ/range/IN ops.
// * Association pseudo-properties "associations.company" and "associations.contact" are accepted
//   with EQ, NEQ, IN, NOT_IN, HAS_PROPERTY and NOT_HAS_PROPERTY; filter values must be record ids.
//   CONTRACT FOR THE CALLER: put the associated record ids into the record's Props under that same
//   key, joined with ';' (e.g. a contact's Props["associations.company"] = "101;205"). EQ/IN match
//   when any associated id is among the filter values.
// * `sorts`: only the wire format of objects {propertyName, direction} is accepted; the SDKs'
//   string form ("createdate" / "-createdate") is rejected so that the fake exposes that bug.
//   direction defaults to ASCENDING. More than one sort is a VALIDATION_ERROR.
// * `query`: every whitespace-separated word of the query must occur, case-insensitively, in one of
//   the query fields at the start of the value or right after a character that is not a letter or
//   digit (a token-prefix match): "acme" finds "ACME Corp", "example.com" finds "jo@example.com".
//   A non-blank query with no query fields matches nothing.
// * Order: by the sort property's typed value, records without a value last in both directions,
//   then by numeric hs_object_id ascending. Without a sort property: createdate ascending (oldest
//   first), then hs_object_id.
// * `limit` 0..200 (0 = count only), `after` a non-negative integer as a string or JSON number
//   ("" = 0). Filter values given as JSON numbers or booleans are stored in HubSpot's string form.
//   A filter group with no filters matches every record. Names in `properties` are not checked
//   (HubSpot silently leaves out undefined ones), so the caller must ignore unknown names.
// * A Date property holds midnight UTC, so EQ against a non-midnight instant never matches it.
class HubSpotSearch final
{
public:
    static constexpr int MaxFilterGroups = 5;
    static constexpr int MaxFiltersPerGroup = 6;
    static constexpr int MaxFiltersTotal = 18;
    static constexpr int MaxLimit = 200;
    static constexpr int DefaultLimit = 10;
    static constexpr int MaxQueryLength = 3000;

    // Validates like HubSpot (<=5 groups, <=6 filters/group, <=18 total, known operators, one sort,
    // limit <= 200, query <= 3000 chars, after an integer string, unknown property names ...). The
    // error string is HubSpot's `message` for a 400 VALIDATION_ERROR.
    static Result<SearchRequest> parse(const QJsonObject &body, const PropertyTypes &types);
    // queryFields: the default text fields searched by `query`.
    static bool matches(const SearchRequest &request, const Props &record,
                        const PropertyTypes &types, const QStringList &queryFields);
    // Strict weak order for the request's sort (sortProperty typed comparison, then numeric id).
    static bool lessThan(const SearchRequest &request, const Props &a, const Props &b,
                         const PropertyTypes &types);

    // Sorts records into lessThan's order, parsing each record's sort value only once: prefer it
    // to std::sort with lessThan for large result sets.
    static void sort(const SearchRequest &request, QList<const Props *> &records,
                     const PropertyTypes &types);

    // The 13 operator names HubSpot accepts.
    static const QStringList &operators();
    // Epoch milliseconds of an ISO 8601 date / date-time or an epoch-millis string; nullopt if it
    // is neither. Text without an offset is taken as UTC.
    static std::optional<qint64> parseInstantMs(QStringView text);
};

} // namespace halospot::sandbox
