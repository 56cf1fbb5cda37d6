// The values that cross between the engine thread and its callers: what a job should do (JobSpec),
// how far it got (Progress) and how it ended (RunReport). Plain values, registered as metatypes so
// that they travel through queued signals.
#pragma once

#include "HaloClient.h"
#include "HubSpotTokens.h"
#include "Profile.h"
#include "StoreTypes.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace halospot::engine {

enum class JobKind
{
    ImportCompanies,
    ImportContacts, // HubSpot contacts into Halo users (ContactImport)
    RefreshCatalog, // fill the picker caches (CatalogRefresh); writes nothing to either service
};

QString jobKindName(JobKind kind); // "companies", "contacts", "catalog"

// How the engine signs in to HubSpot: a static token, or the OAuth app and its refresh token.
struct HubSpotCredentials
{
    QString staticToken; // used when not empty
    QString clientId;
    QString clientSecret;
    QString refreshToken;
};

struct JobSpec
{
    JobKind kind = JobKind::ImportCompanies;
    bool dryRun = false;
    api::HubSpotSettings hubspot;
    HubSpotCredentials hubspotCredentials;
    int hubspotTransferTimeoutMs = 30000;
    api::HaloSettings halo; // includes the client secret
    core::CompanySettings companies;
    core::ContactSettings contacts;   // the contact import's; it also reads `companies`
    bool writeHubSpotIdToHalo = true; // the profile's linking.write_hubspot_id_to_halo
    QString storePath;                // the engine opens its own Store on this file
    int batchSize = 50;               // records per Halo array POST
    int writesInFlight = 2;           // Halo POSTs in flight at once
    int maxUnknownRetries = 5;        // outcome-unknown sends of one record before it fails
};

// The counts of SPEC §4's report.
struct Counts
{
    qint64 read = 0;
    qint64 filteredOut = 0;
    qint64 created = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
    qint64 skipped = 0;
    qint64 ambiguous = 0;
    qint64 failed = 0;

    qint64 settled() const
    {
        return filteredOut + created + updated + unchanged + skipped + ambiguous + failed;
    }
    void add(const QString &action);
    QJsonObject toJson() const;
    friend bool operator==(const Counts &, const Counts &) = default;
};

struct Progress
{
    JobKind kind = JobKind::ImportCompanies;
    bool dryRun = false;
    QString phase;        // a short sentence: "Reading Halo customers", "Importing companies", …
    Counts counts;        // records settled so far (read = records received from HubSpot)
    qint64 total = -1;    // HubSpot companies to read; -1 when unknown
    double perSecond = 0; // records settled per second since reading started
    qint64 etaSeconds = -1; // -1 when unknown
};

struct RunReport
{
    qint64 runId = 0;
    JobKind kind = JobKind::ImportCompanies;
    bool dryRun = false;
    QString status; // completed|completed_with_errors|failed|cancelled
    QString error;  // why the job failed or stopped early; empty otherwise
    // Why a "failed" run failed, for exit codes (SPEC §4): the API error that ended it
    // (Unauthorized / ReconnectNeeded: sign-in; Network, Timeout, Http, RateLimited, …: a
    // service), or None for a failure of no service (the database, field mappings that cannot
    // work). nullopt: the job did not say; `halospot import` then asks both services itself.
    std::optional<api::ApiError> failureError;
    QDateTime startedAt;
    QDateTime finishedAt;
    Counts counts;
    // Contact import: linked users left at their customer although HubSpot now places the
    // contact at another company's customer ("follow company changes" off). Easy to miss in a
    // long result list, so the report counts them.
    qint64 usersNotMoved = 0;
};

void registerEngineMetaTypes();

} // namespace halospot::engine

Q_DECLARE_METATYPE(halospot::engine::JobSpec)
Q_DECLARE_METATYPE(halospot::engine::Progress)
Q_DECLARE_METATYPE(halospot::engine::RunReport)
