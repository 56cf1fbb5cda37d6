// Counts bookkeeping and the metatype registration of the engine's value types.
#include "EngineTypes.h"

namespace halospot::engine {

QString jobKindName(JobKind kind)
{
    switch (kind) {
    case JobKind::ImportCompanies:
        return QStringLiteral("companies");
    case JobKind::ImportContacts:
        return QStringLiteral("contacts");
    case JobKind::RefreshCatalog:
        return QStringLiteral("catalog");
    }
    return QString();
}

void Counts::add(const QString &action)
{
    if (action == QLatin1String("filtered_out"))
        ++filteredOut;
    else if (action == QLatin1String("created"))
        ++created;
    else if (action == QLatin1String("updated"))
        ++updated;
    else if (action == QLatin1String("unchanged"))
        ++unchanged;
    else if (action == QLatin1String("skipped"))
        ++skipped;
    else if (action == QLatin1String("ambiguous"))
        ++ambiguous;
    else
        ++failed;
}

QJsonObject Counts::toJson() const
{
    return QJsonObject{
        {QStringLiteral("read"), read},           {QStringLiteral("filtered_out"), filteredOut},
        {QStringLiteral("created"), created},     {QStringLiteral("updated"), updated},
        {QStringLiteral("unchanged"), unchanged}, {QStringLiteral("skipped"), skipped},
        {QStringLiteral("ambiguous"), ambiguous}, {QStringLiteral("failed"), failed},
    };
}

void registerEngineMetaTypes()
{
    qRegisterMetaType<JobSpec>();
    qRegisterMetaType<Progress>();
    qRegisterMetaType<RunReport>();
    qRegisterMetaType<core::RunItem>();
    qRegisterMetaType<QList<core::RunItem>>();
}

} // namespace halospot::engine
