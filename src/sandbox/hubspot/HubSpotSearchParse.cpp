// The fake HubSpot's search request parser: validates a search body the way HubSpot does.
#include "HubSpotSearch.h"
#include "HubSpotSearchDetail.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonValue>

namespace halospot::sandbox {

using namespace search_detail;

namespace {

int digitsAt(QStringView text, qsizetype pos, int count)
{
    if (pos + count > text.size())
        return -1;
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const QChar c = text[pos + i];
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return -1;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

using ParseResult = Result<SearchRequest>;

QString quoted(const QString &text)
{
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

// A JSON scalar as HubSpot's string form; nullopt for arrays and objects. null/absent = "".
std::optional<QString> scalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    if (value.isNull() || value.isUndefined())
        return QString();
    return std::nullopt;
}

// A non-negative integer given as a JSON number or as a string of digits.
std::optional<qint64> nonNegativeInteger(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d >= 0 && d == std::trunc(d) && d < 9007199254740992.0)
            return qint64(d);
        return std::nullopt;
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok && n >= 0)
            return n;
    }
    return std::nullopt;
}

QString checkTypedValue(const SearchFilter &filter, PropType type, const QString &value)
{
    if (isAssociation(filter.propertyName)) {
        if (!parseId(value))
            return QStringLiteral("%1 is not a record id; filters on %2 take the id of an "
                                  "associated record.")
                .arg(quoted(value), filter.propertyName);
        return {};
    }
    if (parsesAs(type, value))
        return {};
    QString expected = QStringLiteral("a number");
    if (type == PropType::Bool)
        expected = QStringLiteral("true or false");
    else if (type == PropType::Date || type == PropType::DateTime)
        expected = QStringLiteral("epoch milliseconds or an ISO 8601 date");
    return QStringLiteral("%1 is not a valid value for the %2 property %3: expected %4.")
        .arg(quoted(value), typeName(type), quoted(filter.propertyName), expected);
}

Result<SearchFilter> parseFilter(const QJsonValue &json, const PropertyTypes &types)
{
    using R = Result<SearchFilter>;
    if (!json.isObject())
        return R::failure(QStringLiteral("Invalid input JSON: every filter must be an object."));
    const QJsonObject object = json.toObject();
    SearchFilter filter;
    const QJsonValue name = object.value(QLatin1String("propertyName"));
    const QJsonValue op = object.value(QLatin1String("operator"));
    filter.propertyName = name.toString();
    filter.op = op.toString();
    QStringList missing;
    if (filter.propertyName.isEmpty())
        missing.append(QStringLiteral("propertyName"));
    if (filter.op.isEmpty())
        missing.append(QStringLiteral("operator"));
    if (!missing.isEmpty())
        return R::failure(QStringLiteral("Invalid input JSON: Cannot build Filter, some of "
                                         "required attributes are not set [%1]")
                              .arg(missing.join(QStringLiteral(", "))));
    const auto parsedOp = opFromName(filter.op);
    if (!parsedOp)
        return R::failure(
            QStringLiteral("Unknown filter operator %1 on property %2; use one of %3.")
                .arg(quoted(filter.op), quoted(filter.propertyName),
                     HubSpotSearch::operators().join(QStringLiteral(", "))));
    // Filters on undefined properties are rejected rather than matching nothing, so that a typo
    // in a client surfaces as an error.
    const bool association = isAssociation(filter.propertyName);
    if (!association && !types.contains(filter.propertyName))
        return R::failure(QStringLiteral("Property %1 does not exist and cannot be used in a "
                                         "filter (PROPERTY_DOESNT_EXIST).")
                              .arg(quoted(filter.propertyName)));

    const auto value = scalarText(object.value(QLatin1String("value")));
    const auto highValue = scalarText(object.value(QLatin1String("highValue")));
    if (!value || !highValue)
        return R::failure(QStringLiteral("Invalid input JSON: value and highValue of the filter on "
                                         "%1 must be strings.")
                              .arg(quoted(filter.propertyName)));
    filter.value = *value;
    filter.highValue = *highValue;
    const QJsonValue values = object.value(QLatin1String("values"));
    if (!values.isArray() && !values.isNull() && !values.isUndefined())
        return R::failure(
            QStringLiteral("Invalid input JSON: values of the filter on %1 must be an "
                           "array of strings.")
                .arg(quoted(filter.propertyName)));
    for (const QJsonValue &item : values.toArray()) {
        const auto text = scalarText(item);
        if (!text || item.isNull())
            return R::failure(QStringLiteral("Invalid input JSON: values of the filter on %1 must "
                                             "be an array of strings.")
                                  .arg(quoted(filter.propertyName)));
        filter.values.append(*text);
    }

    const PropType type = types.value(filter.propertyName, PropType::String);
    const auto needs = [&](const QString &what) {
        return R::failure(QStringLiteral("Operator %1 on property %2 requires %3.")
                              .arg(filter.op, quoted(filter.propertyName), what));
    };
    QStringList typed; // the values that must parse as the property's type
    switch (*parsedOp) {
    case Op::Eq:
    case Op::Neq:
    case Op::Lt:
    case Op::Lte:
    case Op::Gt:
    case Op::Gte:
        if (filter.value.trimmed().isEmpty())
            return needs(QStringLiteral("a value"));
        typed = {filter.value};
        break;
    case Op::Between:
        if (filter.value.trimmed().isEmpty() || filter.highValue.trimmed().isEmpty())
            return needs(QStringLiteral("both value and highValue"));
        typed = {filter.value, filter.highValue};
        break;
    case Op::In:
    case Op::NotIn:
        if (filter.values.isEmpty())
            return needs(QStringLiteral("a non-empty values array"));
        typed = filter.values;
        break;
    case Op::ContainsToken:
    case Op::NotContainsToken:
        if (filter.value.trimmed().isEmpty())
            return needs(QStringLiteral("a value"));
        break;
    case Op::HasProperty:
    case Op::NotHasProperty:
        break;
    }
    if (association && *parsedOp != Op::Eq && *parsedOp != Op::Neq && *parsedOp != Op::In &&
        *parsedOp != Op::NotIn && *parsedOp != Op::HasProperty && *parsedOp != Op::NotHasProperty)
        return R::failure(QStringLiteral("Operator %1 is not supported on %2; use EQ, NEQ, IN, "
                                         "NOT_IN, HAS_PROPERTY or NOT_HAS_PROPERTY.")
                              .arg(filter.op, filter.propertyName));
    for (const QString &text : std::as_const(typed)) {
        const QString error = checkTypedValue(filter, type, text);
        if (!error.isEmpty())
            return R::failure(error);
    }
    return filter;
}

Status parseGroups(const QJsonValue &json, const PropertyTypes &types, SearchRequest &request)
{
    if (json.isNull() || json.isUndefined())
        return {};
    if (!json.isArray())
        return Status::failure(
            QStringLiteral("Invalid input JSON: filterGroups must be an array."));
    const QJsonArray groups = json.toArray();
    if (groups.size() > HubSpotSearch::MaxFilterGroups)
        return Status::failure(QStringLiteral("Too many filter groups: %1 were given, the maximum "
                                              "is %2.")
                                   .arg(groups.size())
                                   .arg(HubSpotSearch::MaxFilterGroups));
    QList<QJsonArray> filterArrays;
    qsizetype total = 0;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const QJsonValue filters = groups.at(i).toObject().value(QLatin1String("filters"));
        if (!groups.at(i).isObject() || !(filters.isArray() || filters.isUndefined()))
            return Status::failure(QStringLiteral("Invalid input JSON: filter group %1 must be an "
                                                  "object with a filters array.")
                                       .arg(i + 1));
        const QJsonArray array = filters.toArray();
        if (array.size() > HubSpotSearch::MaxFiltersPerGroup)
            return Status::failure(QStringLiteral("Too many filters in filter group %1: %2 were "
                                                  "given, the maximum per group is %3.")
                                       .arg(i + 1)
                                       .arg(array.size())
                                       .arg(HubSpotSearch::MaxFiltersPerGroup));
        total += array.size();
        filterArrays.append(array);
    }
    if (total > HubSpotSearch::MaxFiltersTotal)
        return Status::failure(QStringLiteral("Too many filters: %1 were given across all filter "
                                              "groups, the maximum is %2.")
                                   .arg(total)
                                   .arg(HubSpotSearch::MaxFiltersTotal));
    for (const QJsonArray &array : std::as_const(filterArrays)) {
        QList<SearchFilter> group; // an empty group matches everything, like an empty AND
        for (const QJsonValue &item : array) {
            auto filter = parseFilter(item, types);
            if (!filter)
                return Status::failure(filter.error());
            group.append(std::move(filter).value());
        }
        request.groups.append(group);
    }
    return {};
}

Status parseSorts(const QJsonValue &json, const PropertyTypes &types, SearchRequest &request)
{
    if (json.isNull() || json.isUndefined())
        return {};
    if (!json.isArray())
        return Status::failure(QStringLiteral("Invalid input JSON: sorts must be an array."));
    const QJsonArray sorts = json.toArray();
    if (sorts.size() > 1)
        return Status::failure(
            QStringLiteral("Only one sort is supported; %1 were given.").arg(sorts.size()));
    if (sorts.isEmpty())
        return {};
    if (!sorts.at(0).isObject())
        return Status::failure(QStringLiteral("Invalid input JSON: a sort must be an object "
                                              "{\"propertyName\": \"…\", \"direction\": "
                                              "\"ASCENDING\" or \"DESCENDING\"}."));
    const QJsonObject sort = sorts.at(0).toObject();
    const QString name = sort.value(QLatin1String("propertyName")).toString();
    if (name.isEmpty())
        return Status::failure(
            QStringLiteral("Invalid input JSON: the sort needs a propertyName."));
    if (!types.contains(name))
        return Status::failure(QStringLiteral("Property %1 does not exist and cannot be used to "
                                              "sort (PROPERTY_DOESNT_EXIST).")
                                   .arg(quoted(name)));
    const QJsonValue direction = sort.value(QLatin1String("direction"));
    if (direction.toString() == QLatin1String("DESCENDING"))
        request.sortDescending = true;
    else if (!direction.isNull() && !direction.isUndefined() &&
             direction.toString() != QLatin1String("ASCENDING"))
        return Status::failure(QStringLiteral("Invalid sort direction; use ASCENDING or "
                                              "DESCENDING."));
    request.sortProperty = name;
    return {};
}

} // namespace

std::optional<qint64> HubSpotSearch::parseInstantMs(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (text.size() < 10 || text[4] != QLatin1Char('-')) {
        bool isMillis = false;
        const qint64 millis = text.toLongLong(&isMillis);
        return isMillis ? std::optional<qint64>(millis) : std::nullopt;
    }

    // YYYY-MM-DD[(T| )HH:MM[:SS[.fff…]]][Z|±HH[:]MM|±HH], parsed by hand so that text without an
    // offset is UTC and nothing depends on the local time zone or the Qt version.
    const int year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
    if (year < 0 || month < 0 || day < 0 || text.size() < 10 || text[4] != QLatin1Char('-') ||
        text[7] != QLatin1Char('-'))
        return std::nullopt;
    const QDate date(year, month, day);
    if (!date.isValid())
        return std::nullopt;
    constexpr qint64 unixEpochJulianDay = 2440588;
    qint64 ms = (date.toJulianDay() - unixEpochJulianDay) * 86400000;
    qsizetype pos = 10;
    if (pos < text.size() && (text[pos] == QLatin1Char('T') || text[pos] == QLatin1Char(' '))) {
        const int hour = digitsAt(text, pos + 1, 2), minute = digitsAt(text, pos + 4, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || text[pos + 3] != QLatin1Char(':'))
            return std::nullopt;
        ms += hour * 3600000LL + minute * 60000LL;
        pos += 6;
        if (pos < text.size() && text[pos] == QLatin1Char(':')) {
            const int second = digitsAt(text, pos + 1, 2);
            if (second < 0 || second > 59)
                return std::nullopt;
            ms += second * 1000LL;
            pos += 3;
            if (pos < text.size() &&
                (text[pos] == QLatin1Char('.') || text[pos] == QLatin1Char(','))) {
                ++pos;
                int scale = 100, fraction = 0, count = 0;
                while (pos < text.size() && text[pos].isDigit()) {
                    fraction += (text[pos].unicode() - u'0') * scale;
                    scale /= 10;
                    ++pos;
                    ++count;
                }
                if (count == 0)
                    return std::nullopt;
                ms += fraction;
            }
        }
    }
    if (pos == text.size())
        return ms;
    if (text[pos] == QLatin1Char('Z') && pos + 1 == text.size())
        return ms;
    if (text[pos] != QLatin1Char('+') && text[pos] != QLatin1Char('-'))
        return std::nullopt;
    const int sign = text[pos] == QLatin1Char('+') ? 1 : -1;
    const int offsetHours = digitsAt(text, pos + 1, 2);
    int offsetMinutes = 0;
    qsizetype end = pos + 3;
    if (end < text.size()) {
        if (text[end] == QLatin1Char(':'))
            ++end;
        offsetMinutes = digitsAt(text, end, 2);
        end += 2;
    }
    if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59 ||
        end != text.size())
        return std::nullopt;
    return ms - sign * (offsetHours * 3600000LL + offsetMinutes * 60000LL);
}

ParseResult HubSpotSearch::parse(const QJsonObject &body, const PropertyTypes &types)
{
    SearchRequest request;
    if (const Status groups =
            parseGroups(body.value(QLatin1String("filterGroups")), types, request);
        !groups)
        return ParseResult::failure(groups.error());
    if (const Status sorts = parseSorts(body.value(QLatin1String("sorts")), types, request); !sorts)
        return ParseResult::failure(sorts.error());

    const QJsonValue properties = body.value(QLatin1String("properties"));
    if (!properties.isArray() && !properties.isNull() && !properties.isUndefined())
        return ParseResult::failure(
            QStringLiteral("Invalid input JSON: properties must be an array of property names."));
    // Unknown names in `properties` are not an error: HubSpot silently leaves them out.
    for (const QJsonValue &item : properties.toArray()) {
        if (!item.isString())
            return ParseResult::failure(QStringLiteral(
                "Invalid input JSON: properties must be an array of property names."));
        if (!item.toString().isEmpty())
            request.properties.append(item.toString());
    }

    const QJsonValue limit = body.value(QLatin1String("limit"));
    if (!limit.isNull() && !limit.isUndefined()) {
        const auto n = nonNegativeInteger(limit);
        if (!n || *n > MaxLimit)
            return ParseResult::failure(
                QStringLiteral("limit must be an integer from 0 to %1; got %2.")
                    .arg(MaxLimit)
                    .arg(limit.isString() ? limit.toString()
                                          : scalarText(limit).value_or(QStringLiteral("?"))));
        request.limit = int(*n);
    }

    const QJsonValue after = body.value(QLatin1String("after"));
    if (!after.isNull() && !after.isUndefined() &&
        !(after.isString() && after.toString().isEmpty())) {
        const auto n = nonNegativeInteger(after);
        if (!n)
            return ParseResult::failure(
                QStringLiteral("after must be a non-negative integer offset such as \"10\"; got "
                               "%1.")
                    .arg(scalarText(after).value_or(QStringLiteral("an array or object"))));
        request.after = *n;
    }

    const QJsonValue query = body.value(QLatin1String("query"));
    if (!query.isNull() && !query.isUndefined()) {
        if (!query.isString())
            return ParseResult::failure(
                QStringLiteral("Invalid input JSON: query must be a string."));
        if (query.toString().size() > MaxQueryLength)
            return ParseResult::failure(
                QStringLiteral("query is too long: %1 characters, the maximum is %2.")
                    .arg(query.toString().size())
                    .arg(MaxQueryLength));
        request.query = query.toString();
    }
    return request;
}

} // namespace halospot::sandbox
