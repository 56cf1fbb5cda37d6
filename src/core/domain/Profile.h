// The profile (SPEC §5): everything the administrator configures except secrets, as one JSON
// document for `config export` / `config import` and the GUI's File menu.
#pragma once

#include "ConnectionConfig.h"
#include "Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace halospot::core {

// Which contacts an import considers (SPEC §1.3).
enum class ContactInclude
{
    CompanyContacts,          // "company_contacts": contacts of imported or mapped companies
    CompanyContactsAndStages, // "company_contacts_and_stages": also the chosen lifecycle stages
    All,                      // "all": an explicit choice, never the default
};

// When a Halo record is synced to HubSpot (SPEC §1.5).
enum class SyncTrigger
{
    Disabled,        // "disabled"
    Create,          // "create"
    Update,          // "update"
    CreateAndUpdate, // "create_and_update"
};

// Who wins a field changed on both sides since the last sync.
enum class ConflictPolicy
{
    HubSpot, // "hubspot"
    Halo,    // "halo"
    Newest,  // "newest"
};

// A HubSpot company that goes to a chosen Halo customer (and optionally one of its sites).
struct CustomerMapping
{
    QString hubspotCompanyId;
    qint64 haloClientId = 0;
    std::optional<qint64> haloSiteId;

    friend bool operator==(const CustomerMapping &, const CustomerMapping &) = default;
};

// A HubSpot property into a Halo custom field, named by id or by API name (exactly one of the
// two; a name is resolved against Halo's field list when an import starts).
struct FieldMapping
{
    QString hubspotProperty;
    std::optional<int> haloFieldId;
    QString haloFieldName; // e.g. "CFindustry"; used when haloFieldId is empty
    bool syncBack = false;

    friend bool operator==(const FieldMapping &, const FieldMapping &) = default;
};

struct CompanySettings
{
    QStringList lifecycleStages; // internal values; "" means "(no stage)"
    QList<CustomerMapping> customerMappings;
    QList<FieldMapping> fieldMappings;

    friend bool operator==(const CompanySettings &, const CompanySettings &) = default;
};

struct ContactSettings
{
    ContactInclude include = ContactInclude::CompanyContacts;
    QStringList lifecycleStages;
    QList<FieldMapping> fieldMappings;
    std::optional<qint64> defaultSiteId;
    // A linked Halo user whose HubSpot company now leads to another customer is moved there only
    // when this is set; otherwise it stays and the run reports the change.
    bool followCompanyChanges = false;

    friend bool operator==(const ContactSettings &, const ContactSettings &) = default;
};

struct LinkingSettings
{
    bool writeHubSpotIdToHalo = true;

    friend bool operator==(const LinkingSettings &, const LinkingSettings &) = default;
};

struct SyncSettings
{
    SyncTrigger customers = SyncTrigger::Disabled;
    SyncTrigger contacts = SyncTrigger::Disabled;
    bool deleteInactiveCustomers = false;
    bool deleteInactiveContacts = false;
    bool notifyEachSuccess = true;
    ConflictPolicy conflict = ConflictPolicy::HubSpot;
    int maxArchivePercent = 10; // 0..100: the archive guard's share of linked records

    friend bool operator==(const SyncSettings &, const SyncSettings &) = default;
};

struct ScheduleSettings
{
    bool enabled = false;
    bool companies = true;
    bool contacts = true;
    bool sync = false;
    int everyMinutes = 60; // kMinScheduleMinutes..kMaxScheduleMinutes

    friend bool operator==(const ScheduleSettings &, const ScheduleSettings &) = default;
};

constexpr int kProfileVersion = 1;
constexpr int kMinScheduleMinutes = 5;     // keeps a schedule well inside both rate limits
constexpr int kMaxScheduleMinutes = 10080; // one week

struct Profile
{
    ConnectionConfig connection; // the "hubspot" and "halo" sections
    CompanySettings companies;
    ContactSettings contacts;
    LinkingSettings linking;
    SyncSettings sync;
    ScheduleSettings schedule;
};

struct ProfileRules
{
    Q_DECLARE_TR_FUNCTIONS(ProfileRules)
};

// Parses and validates a whole profile. Nothing is returned unless everything is valid, so a
// caller applies all of it or nothing. Each problem is one sentence starting with its JSON path
// ("companies.field_mappings[2].halo_feld_id: unknown key ..."); all of them are collected, in
// a stable order (unknown keys first, then each section), into *errors when given, and joined by
// newlines into the Result's error. Missing sections and keys keep their defaults, except "format"
// and "version" (required) and the identifying keys of mapping rows. Unknown keys are errors, and
// keys that look like secrets get a sentence saying that secrets never belong in a profile. Checks
// that need live data (does the lifecycle stage, the HubSpot property, the Halo field or site
// exist; can that property be synced back) are the engine's: it resolves the profile against the
// services when an import starts. This function needs nothing but the bytes.
Result<Profile> parseProfile(const QByteArray &json, QStringList *errors = nullptr);

// Indented JSON with every key written (defaults included) in a stable order; parseProfile
// reads it back to an equal profile, and serializing that gives the same bytes.
QByteArray serializeProfile(const Profile &profile);

QString contactIncludeName(ContactInclude include);
QString syncTriggerName(SyncTrigger trigger);
QString conflictPolicyName(ConflictPolicy policy);

} // namespace halospot::core
