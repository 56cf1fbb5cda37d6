// The fake HubSpot's CRM search semantics: matching and ordering records (parsing is in
// HubSpotSearchParse.cpp).
#include "HubSpotSearch.h"

#include "HubSpotSearchDetail.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonValue>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <vector>

namespace halospot::sandbox {

using namespace search_detail;

namespace {

template<typename T>
int threeWay(T a, T b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

// nullopt when either side does not parse as the type: such values never compare.
std::optional<int> compareTyped(PropType type, QStringView a, QStringView b)
{
    switch (type) {
    case PropType::Number: {
        const auto x = parseNumber(a), y = parseNumber(b);
        if (!x || !y)
            return std::nullopt;
        return threeWay(*x, *y);
    }
    case PropType::Date:
    case PropType::DateTime: {
        const auto x = HubSpotSearch::parseInstantMs(a), y = HubSpotSearch::parseInstantMs(b);
        if (!x || !y)
            return std::nullopt;
        return threeWay(*x, *y);
    }
    case PropType::Bool: {
        const auto x = parseBool(a), y = parseBool(b);
        if (!x || !y)
            return std::nullopt;
        return threeWay(int(*x), int(*y));
    }
    case PropType::Enumeration:
        return threeWay(a.compare(b, Qt::CaseSensitive), 0);
    case PropType::String:
        break;
    }
    return threeWay(a.compare(b, Qt::CaseInsensitive), 0);
}

template<typename F>
bool anyPart(QStringView text, QChar separator, F &&pred)
{
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(separator, start);
        if (end < 0)
            end = text.size();
        if (pred(text.mid(start, end - start).trimmed()))
            return true;
        start = end + 1;
    }
    return false;
}

// Calls pred on every maximal run of characters for which inRun is true; stops at the first hit.
template<typename InRun, typename F>
bool anyRun(QStringView text, InRun &&inRun, F &&pred)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && !inRun(text[i]))
            ++i;
        const qsizetype start = i;
        while (i < n && inRun(text[i]))
            ++i;
        if (i > start && pred(text.mid(start, i - start)))
            return true;
    }
    return false;
}

bool eqValue(PropType type, QStringView record, QStringView value)
{
    if (type == PropType::Enumeration) {
        if (record == value)
            return true;
        return anyPart(record, QLatin1Char(';'),
                       [&](QStringView option) { return option == value; });
    }
    const auto c = compareTyped(type, record, value);
    return c && *c == 0;
}

bool hasUpper(QStringView text)
{
    for (const QChar c : text) {
        if (c.isUpper())
            return true;
    }
    return false;
}

bool inValues(PropType type, QStringView record, const QStringList &values)
{
    for (const QString &value : values) {
        // String IN values must be lower-case: an upper-case value can never match.
        if (type == PropType::String && hasUpper(value))
            continue;
        if (eqValue(type, record, value))
            return true;
    }
    return false;
}

bool charEq(QChar a, QChar b, Qt::CaseSensitivity cs)
{
    return cs == Qt::CaseSensitive ? a == b : a.toCaseFolded() == b.toCaseFolded();
}

// '*' matches any run of characters (also none); everything else matches itself.
bool globMatch(QStringView pattern, QStringView text, Qt::CaseSensitivity cs)
{
    qsizetype p = 0, t = 0, star = -1, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == QLatin1Char('*')) {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && charEq(pattern[p], text[t], cs)) {
            ++p;
            ++t;
        } else if (star >= 0) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

bool containsToken(PropType type, QStringView record, QStringView filterValue)
{
    const Qt::CaseSensitivity cs =
        type == PropType::Enumeration ? Qt::CaseSensitive : Qt::CaseInsensitive;
    const auto notSpace = [](QChar c) { return !c.isSpace(); };
    const auto isWordChar = [](QChar c) { return c.isLetterOrNumber(); };
    bool anyWord = false;
    const bool allWordsMatch = !anyRun(filterValue, notSpace, [&](QStringView word) {
        anyWord = true;
        const auto matchesWord = [&](QStringView token) { return globMatch(word, token, cs); };
        const bool found = matchesWord(record.trimmed()) || anyRun(record, notSpace, matchesWord) ||
                           anyRun(record, isWordChar, matchesWord);
        return !found; // stop at the first word that matches no token
    });
    return anyWord && allWordsMatch;
}

bool matchesAssociation(Op op, QStringView record, const SearchFilter &filter)
{
    const auto hasId = [&](QStringView wanted) {
        const auto wantedId = parseId(wanted);
        return wantedId && anyPart(record, QLatin1Char(';'), [&](QStringView id) {
                   return !id.isEmpty() && parseId(id) == wantedId;
               });
    };
    const auto anyOf = [&](const QStringList &values) {
        for (const QString &value : values) {
            if (hasId(value))
                return true;
        }
        return false;
    };
    switch (op) {
    case Op::Eq:
        return hasId(filter.value);
    case Op::Neq:
        return !hasId(filter.value);
    case Op::In:
        return anyOf(filter.values);
    case Op::NotIn:
        return !anyOf(filter.values);
    case Op::HasProperty:
        return !record.trimmed().isEmpty();
    case Op::NotHasProperty:
        return record.trimmed().isEmpty();
    default:
        return false;
    }
}

bool matchesFilter(const SearchFilter &filter, const Props &record, const PropertyTypes &types)
{
    const auto op = opFromName(filter.op);
    if (!op)
        return false;
    const auto it = record.constFind(filter.propertyName);
    const QStringView value = it == record.constEnd() ? QStringView() : QStringView(*it);
    if (isAssociation(filter.propertyName))
        return matchesAssociation(*op, value, filter);

    const PropType type = types.value(filter.propertyName, PropType::String);
    const bool present = !value.trimmed().isEmpty();
    const auto compare = [&](const QString &with) -> std::optional<int> {
        if (!present)
            return std::nullopt;
        return compareTyped(type, value, with);
    };
    switch (*op) {
    case Op::Eq:
        return present && eqValue(type, value, filter.value);
    case Op::Neq:
        return !(present && eqValue(type, value, filter.value));
    case Op::Lt: {
        const auto c = compare(filter.value);
        return c && *c < 0;
    }
    case Op::Lte: {
        const auto c = compare(filter.value);
        return c && *c <= 0;
    }
    case Op::Gt: {
        const auto c = compare(filter.value);
        return c && *c > 0;
    }
    case Op::Gte: {
        const auto c = compare(filter.value);
        return c && *c >= 0;
    }
    case Op::Between: {
        const auto low = compare(filter.value), high = compare(filter.highValue);
        return low && high && *low >= 0 && *high <= 0;
    }
    case Op::In:
        return present && inValues(type, value, filter.values);
    case Op::NotIn:
        return !(present && inValues(type, value, filter.values));
    case Op::HasProperty:
        return present;
    case Op::NotHasProperty:
        return !present;
    case Op::ContainsToken:
        return present && containsToken(type, value, filter.value);
    case Op::NotContainsToken:
        return !(present && containsToken(type, value, filter.value));
    }
    return false;
}

// A token-prefix hit: word occurs at the start of text or right after a non-alphanumeric char.
bool hasWordPrefix(QStringView text, QStringView word)
{
    qsizetype from = 0;
    while (true) {
        const qsizetype pos = text.indexOf(word, from, Qt::CaseInsensitive);
        if (pos < 0)
            return false;
        if (pos == 0 || !text[pos - 1].isLetterOrNumber())
            return true;
        from = pos + 1;
    }
}

bool matchesQuery(QStringView query, const Props &record, const QStringList &queryFields)
{
    const auto notSpace = [](QChar c) { return !c.isSpace(); };
    // anyRun stops at the first query word that no field contains.
    return !anyRun(query, notSpace, [&](QStringView word) {
        for (const QString &field : queryFields) {
            const auto it = record.constFind(field);
            if (it != record.constEnd() && hasWordPrefix(*it, word))
                return false;
        }
        return true;
    });
}

// A record's sort value, parsed once per comparison side; a view into the record's string.
struct SortValue
{
    bool present = false;
    double number = 0; // Number and Bool
    qint64 instant = 0;
    QStringView text;
};

SortValue sortValue(PropType type, const Props &record, const QString &name)
{
    SortValue v;
    const auto it = record.constFind(name);
    if (it == record.constEnd() || (v.text = QStringView(*it).trimmed()).isEmpty())
        return v;
    if (type == PropType::Number || type == PropType::Bool) {
        const auto number = type == PropType::Number ? parseNumber(v.text) : parseBool(v.text);
        if (!number)
            return v;
        v.number = double(*number);
    } else if (type == PropType::Date || type == PropType::DateTime) {
        const auto instant = HubSpotSearch::parseInstantMs(v.text);
        if (!instant)
            return v;
        v.instant = *instant;
    }
    v.present = true;
    return v;
}

// Missing or unparsable values sort after present ones in both directions.
int compareForSort(PropType type, const SortValue &x, const SortValue &y, bool descending)
{
    if (!x.present || !y.present)
        return threeWay(int(!x.present), int(!y.present));
    int c = 0;
    if (type == PropType::Number || type == PropType::Bool)
        c = threeWay(x.number, y.number);
    else if (type == PropType::Date || type == PropType::DateTime)
        c = threeWay(x.instant, y.instant);
    else
        c = threeWay(x.text.compare(y.text, type == PropType::Enumeration ? Qt::CaseSensitive
                                                                          : Qt::CaseInsensitive),
                     0);
    return descending ? -c : c;
}

} // namespace

const QStringList &HubSpotSearch::operators()
{
    static const QStringList names = [] {
        QStringList list;
        for (const OpName &entry : kOps)
            list.append(QStringView(entry.name).toString());
        return list;
    }();
    return names;
}

bool HubSpotSearch::matches(const SearchRequest &request, const Props &record,
                            const PropertyTypes &types, const QStringList &queryFields)
{
    if (!QStringView(request.query).trimmed().isEmpty() &&
        !matchesQuery(request.query, record, queryFields))
        return false;
    if (request.groups.isEmpty())
        return true;
    for (const QList<SearchFilter> &group : request.groups) {
        bool all = true; // an empty group matches every record
        for (const SearchFilter &filter : group) {
            if (!matchesFilter(filter, record, types)) {
                all = false;
                break;
            }
        }
        if (all)
            return true;
    }
    return false;
}

namespace {

struct SortOrder
{
    QString property;
    PropType type = PropType::String;
    bool descending = false;
};

SortOrder sortOrder(const SearchRequest &request, const PropertyTypes &types)
{
    SortOrder order;
    const QString createdate = QStringLiteral("createdate");
    order.property = request.sortProperty.isEmpty() ? createdate : request.sortProperty;
    order.descending = !request.sortProperty.isEmpty() && request.sortDescending;
    order.type = types.value(order.property,
                             order.property == createdate ? PropType::DateTime : PropType::String);
    return order;
}

std::optional<qint64> recordId(const Props &record)
{
    const auto it = record.constFind(QStringLiteral("hs_object_id"));
    return it == record.constEnd() ? std::nullopt : parseId(*it);
}

// Records without a numeric id go last.
bool idLess(const std::optional<qint64> &a, const std::optional<qint64> &b)
{
    if (!a || !b)
        return a.has_value() && !b.has_value();
    return *a < *b;
}

} // namespace

bool HubSpotSearch::lessThan(const SearchRequest &request, const Props &a, const Props &b,
                             const PropertyTypes &types)
{
    const SortOrder order = sortOrder(request, types);
    const int c = compareForSort(order.type, sortValue(order.type, a, order.property),
                                 sortValue(order.type, b, order.property), order.descending);
    if (c != 0)
        return c < 0;
    return idLess(recordId(a), recordId(b));
}

void HubSpotSearch::sort(const SearchRequest &request, QList<const Props *> &records,
                         const PropertyTypes &types)
{
    struct Keyed
    {
        SortValue value;
        std::optional<qint64> id;
        const Props *record;
    };
    const SortOrder order = sortOrder(request, types);
    std::vector<Keyed> keyed;
    keyed.reserve(size_t(records.size()));
    for (const Props *record : std::as_const(records))
        keyed.push_back(
            {sortValue(order.type, *record, order.property), recordId(*record), record});
    std::sort(keyed.begin(), keyed.end(), [&](const Keyed &a, const Keyed &b) {
        const int c = compareForSort(order.type, a.value, b.value, order.descending);
        return c != 0 ? c < 0 : idLess(a.id, b.id);
    });
    for (size_t i = 0; i < keyed.size(); ++i)
        records[qsizetype(i)] = keyed[i].record;
}

} // namespace halospot::sandbox
