// A profile with every section away from its defaults, for the profile store and command tests.
#pragma once

#include "Profile.h"

namespace halospot::core::testing {

inline Profile fullProfile()
{
    Profile p;
    p.connection.hubspot.auth = HubSpotAuthMode::StaticToken;
    p.connection.hubspot.clientId = QStringLiteral("hs-client-1");
    p.connection.hubspot.redirectPort = 9123;
    p.connection.hubspot.apiBase = QUrl(QStringLiteral("http://127.0.0.1:4010"));
    p.connection.hubspot.apiVersion = QStringLiteral("2026-03");
    p.connection.halo.url = QUrl(QStringLiteral("https://acme.halopsa.com"));
    p.connection.halo.tenant = QStringLiteral("acme");
    p.connection.halo.clientId = QStringLiteral("halo-client-1");
    p.connection.halo.scope = QStringLiteral("all edit:customers");
    p.companies.lifecycleStages = {QStringLiteral("customer"), QString()};
    p.companies.customerMappings = {{QStringLiteral("1001"), 42, 7},
                                    {QStringLiteral("1002"), 43, std::nullopt}};
    p.companies.fieldMappings = {
        {QStringLiteral("industry"), std::nullopt, QStringLiteral("CFindustry"), true},
        {QStringLiteral("tier"), 118, QString(), false}};
    p.contacts.include = ContactInclude::CompanyContactsAndStages;
    p.contacts.lifecycleStages = {QStringLiteral("lead")};
    p.contacts.fieldMappings = {{QStringLiteral("jobtitle"), 201, QString(), true}};
    p.contacts.defaultSiteId = 9;
    p.linking.writeHubSpotIdToHalo = false;
    p.sync.customers = SyncTrigger::CreateAndUpdate;
    p.sync.contacts = SyncTrigger::Update;
    p.sync.deleteInactiveCustomers = true;
    p.sync.notifyEachSuccess = false;
    p.sync.conflict = ConflictPolicy::Newest;
    p.sync.maxArchivePercent = 25;
    p.schedule.enabled = true;
    p.schedule.sync = true;
    p.schedule.contacts = false;
    p.schedule.everyMinutes = 30;
    return p;
}

} // namespace halospot::core::testing
