// Internal to the fake HubSpot's search: the operator table and typed value parsing shared by the
// request parser (HubSpotSearchParse.cpp) and the matcher (HubSpotSearch.cpp).
#pragma once

#include "HubSpotSearch.h"

#include <QStringView>

#include <optional>

namespace halospot::sandbox::search_detail {

enum class Op
{
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    Between,
    In,
    NotIn,
    HasProperty,
    NotHasProperty,
    ContainsToken,
    NotContainsToken
};

struct OpName
{
    const char16_t *name;
    Op op;
};

inline constexpr OpName kOps[] = {
    {u"EQ", Op::Eq},
    {u"NEQ", Op::Neq},
    {u"LT", Op::Lt},
    {u"LTE", Op::Lte},
    {u"GT", Op::Gt},
    {u"GTE", Op::Gte},
    {u"BETWEEN", Op::Between},
    {u"IN", Op::In},
    {u"NOT_IN", Op::NotIn},
    {u"HAS_PROPERTY", Op::HasProperty},
    {u"NOT_HAS_PROPERTY", Op::NotHasProperty},
    {u"CONTAINS_TOKEN", Op::ContainsToken},
    {u"NOT_CONTAINS_TOKEN", Op::NotContainsToken},
};

inline std::optional<Op> opFromName(QStringView name)
{
    for (const OpName &entry : kOps) {
        if (name == QStringView(entry.name))
            return entry.op;
    }
    return std::nullopt;
}

inline bool isAssociation(QStringView name)
{
    return name == QStringView(u"associations.company") ||
           name == QStringView(u"associations.contact");
}

inline QString typeName(PropType type)
{
    static const char *const names[] = {"string",   "number", "date",
                                        "datetime", "bool",   "enumeration"};
    return QString::fromLatin1(names[int(type)]);
}

inline std::optional<double> parseNumber(QStringView text)
{
    bool ok = false;
    const double d = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(d))
        return std::nullopt;
    return d;
}

inline std::optional<bool> parseBool(QStringView text)
{
    text = text.trimmed();
    if (text.compare(u"true", Qt::CaseInsensitive) == 0)
        return true;
    if (text.compare(u"false", Qt::CaseInsensitive) == 0)
        return false;
    return std::nullopt;
}

inline std::optional<qint64> parseId(QStringView text)
{
    bool ok = false;
    const qint64 id = text.trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(id) : std::nullopt;
}

inline bool parsesAs(PropType type, QStringView text)
{
    switch (type) {
    case PropType::Number:
        return parseNumber(text).has_value();
    case PropType::Date:
    case PropType::DateTime:
        return HubSpotSearch::parseInstantMs(text).has_value();
    case PropType::Bool:
        return parseBool(text).has_value();
    case PropType::String:
    case PropType::Enumeration:
        break;
    }
    return true;
}

} // namespace halospot::sandbox::search_detail
