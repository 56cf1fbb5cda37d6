// Shared fixture for the HubSpotSearch tests: a realistic property-type table and small helpers.
#pragma once

#include "HubSpotSearch.h"

#include <QJsonArray>
#include <QJsonObject>

namespace halospot::sandbox::test {

// The types of a contact/company-like object: one property of every PropType.
inline PropertyTypes searchTypes()
{
    return {
        {QStringLiteral("name"), PropType::String},
        {QStringLiteral("domain"), PropType::String},
        {QStringLiteral("email"), PropType::String},
        {QStringLiteral("city"), PropType::String},
        {QStringLiteral("annualrevenue"), PropType::Number},
        {QStringLiteral("hs_object_id"), PropType::Number},
        {QStringLiteral("createdate"), PropType::DateTime},
        {QStringLiteral("closedate"), PropType::Date},
        {QStringLiteral("is_public"), PropType::Bool},
        {QStringLiteral("lifecyclestage"), PropType::Enumeration},
        {QStringLiteral("hs_interests"), PropType::Enumeration},
    };
}

inline QJsonObject filterJson(const QString &property, const QString &op, const QString &value = {},
                              const QString &highValue = {}, const QStringList &values = {})
{
    QJsonObject filter{{QStringLiteral("propertyName"), property},
                       {QStringLiteral("operator"), op}};
    if (!value.isEmpty())
        filter.insert(QStringLiteral("value"), value);
    if (!highValue.isEmpty())
        filter.insert(QStringLiteral("highValue"), highValue);
    if (!values.isEmpty())
        filter.insert(QStringLiteral("values"), QJsonArray::fromStringList(values));
    return filter;
}

// {"filterGroups": [{"filters": [...]}, ...]} from groups of filter objects.
inline QJsonObject groupsBody(const QList<QList<QJsonObject>> &groups)
{
    QJsonArray array;
    for (const QList<QJsonObject> &group : groups) {
        QJsonArray filters;
        for (const QJsonObject &filter : group)
            filters.append(filter);
        array.append(QJsonObject{{QStringLiteral("filters"), filters}});
    }
    return QJsonObject{{QStringLiteral("filterGroups"), array}};
}

} // namespace halospot::sandbox::test
