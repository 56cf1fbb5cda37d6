// Writing the profile document, and the names its enumerations have in it.
#include "Profile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace halospot::core {

namespace {

QJsonValue idOrNull(const std::optional<qint64> &id)
{
    return id ? QJsonValue(*id) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonArray fieldMappingsJson(const QList<FieldMapping> &mappings)
{
    QJsonArray out;
    for (const FieldMapping &m : mappings) {
        QJsonObject o{{QStringLiteral("hubspot_property"), m.hubspotProperty},
                      {QStringLiteral("sync_back"), m.syncBack}};
        if (m.haloFieldId)
            o.insert(QStringLiteral("halo_field_id"), *m.haloFieldId);
        else
            o.insert(QStringLiteral("halo_field_name"), m.haloFieldName);
        out.append(o);
    }
    return out;
}

} // namespace

QString contactIncludeName(ContactInclude include)
{
    switch (include) {
    case ContactInclude::CompanyContacts:
        break;
    case ContactInclude::CompanyContactsAndStages:
        return QStringLiteral("company_contacts_and_stages");
    case ContactInclude::All:
        return QStringLiteral("all");
    }
    return QStringLiteral("company_contacts");
}

QString syncTriggerName(SyncTrigger trigger)
{
    switch (trigger) {
    case SyncTrigger::Disabled:
        break;
    case SyncTrigger::Create:
        return QStringLiteral("create");
    case SyncTrigger::Update:
        return QStringLiteral("update");
    case SyncTrigger::CreateAndUpdate:
        return QStringLiteral("create_and_update");
    }
    return QStringLiteral("disabled");
}

QString conflictPolicyName(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::HubSpot:
        break;
    case ConflictPolicy::Halo:
        return QStringLiteral("halo");
    case ConflictPolicy::Newest:
        return QStringLiteral("newest");
    }
    return QStringLiteral("hubspot");
}

QByteArray serializeProfile(const Profile &p)
{
    const HubSpotConnectionConfig &hs = p.connection.hubspot;
    const HaloConnectionConfig &halo = p.connection.halo;

    QJsonArray customerMappings;
    for (const CustomerMapping &m : p.companies.customerMappings) {
        customerMappings.append(
            QJsonObject{{QStringLiteral("hubspot_company_id"), m.hubspotCompanyId},
                        {QStringLiteral("halo_client_id"), m.haloClientId},
                        {QStringLiteral("halo_site_id"), idOrNull(m.haloSiteId)}});
    }

    const QJsonObject root{
        {QStringLiteral("format"), QStringLiteral("halospot-profile")},
        {QStringLiteral("version"), kProfileVersion},
        {QStringLiteral("hubspot"),
         QJsonObject{{QStringLiteral("auth"), hubSpotAuthModeName(hs.auth)},
                     {QStringLiteral("client_id"), hs.clientId},
                     {QStringLiteral("redirect_port"), int(hs.redirectPort)},
                     {QStringLiteral("api_base"), hs.apiBase.toString()},
                     {QStringLiteral("auth_base"), hs.authBase.toString()},
                     {QStringLiteral("api_version"), hs.apiVersion}}},
        {QStringLiteral("halo"),
         QJsonObject{{QStringLiteral("url"), halo.url.toString()},
                     {QStringLiteral("auth_url"), textOrNull(halo.authUrl.toString())},
                     {QStringLiteral("tenant"), textOrNull(halo.tenant)},
                     {QStringLiteral("client_id"), halo.clientId},
                     {QStringLiteral("scope"), halo.scope}}},
        {QStringLiteral("companies"),
         QJsonObject{
             {QStringLiteral("lifecycle_stages"),
              QJsonArray::fromStringList(p.companies.lifecycleStages)},
             {QStringLiteral("customer_mappings"), customerMappings},
             {QStringLiteral("field_mappings"), fieldMappingsJson(p.companies.fieldMappings)}}},
        {QStringLiteral("contacts"),
         QJsonObject{
             {QStringLiteral("include"), contactIncludeName(p.contacts.include)},
             {QStringLiteral("lifecycle_stages"),
              QJsonArray::fromStringList(p.contacts.lifecycleStages)},
             {QStringLiteral("field_mappings"), fieldMappingsJson(p.contacts.fieldMappings)},
             {QStringLiteral("default_site_id"), idOrNull(p.contacts.defaultSiteId)},
             {QStringLiteral("follow_company_changes"), p.contacts.followCompanyChanges}}},
        {QStringLiteral("linking"),
         QJsonObject{{QStringLiteral("write_hubspot_id_to_halo"), p.linking.writeHubSpotIdToHalo}}},
        {QStringLiteral("sync"),
         QJsonObject{{QStringLiteral("customers"), syncTriggerName(p.sync.customers)},
                     {QStringLiteral("contacts"), syncTriggerName(p.sync.contacts)},
                     {QStringLiteral("delete_inactive_customers"), p.sync.deleteInactiveCustomers},
                     {QStringLiteral("delete_inactive_contacts"), p.sync.deleteInactiveContacts},
                     {QStringLiteral("notify_each_success"), p.sync.notifyEachSuccess},
                     {QStringLiteral("conflict"), conflictPolicyName(p.sync.conflict)},
                     {QStringLiteral("max_archive_percent"), p.sync.maxArchivePercent}}},
        {QStringLiteral("schedule"),
         QJsonObject{{QStringLiteral("enabled"), p.schedule.enabled},
                     {QStringLiteral("companies"), p.schedule.companies},
                     {QStringLiteral("contacts"), p.schedule.contacts},
                     {QStringLiteral("sync"), p.schedule.sync},
                     {QStringLiteral("every_minutes"), p.schedule.everyMinutes}}},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace halospot::core
