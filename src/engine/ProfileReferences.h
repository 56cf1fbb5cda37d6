// Checks the references of a profile against live data (SPEC §5, issue 5 item 6): the lifecycle
// stages, HubSpot properties, Halo fields, customers and sites it names must exist, mapped pairs
// must pass SPEC §3's rules, and sync_back must be allowed. Asynchronous and non-blocking, so the
// window can run it as well as `halospot config import`.
#pragma once

#include "ApiResult.h"
#include "FieldTypes.h"
#include "HubSpotClient.h"
#include "Profile.h"

#include <QCoreApplication>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <functional>
#include <memory>

namespace halospot::api {
class HaloClient;
}

namespace halospot::engine {

// What the live data the checks need says, gathered once; also checked on its own (tests, the
// window with its picker caches).
struct ReferenceData
{
    // Property definitions by name, per HubSpot object ("companies", "contacts"); only the objects
    // the profile refers to are read.
    QHash<QString, QHash<QString, core::PropertyDef>> properties;
    QList<core::HaloFieldDef> customerFields; // FieldInfo typeid 2
    QList<core::HaloFieldDef> userFields;     // FieldInfo typeid 4
    QSet<qint64> customers;                   // every customer id, inactive ones too
    QHash<qint64, qint64> siteClients;        // site id -> its customer id
    bool hasCompanyProperties = false;
    bool hasContactProperties = false;
    bool hasCustomerFields = false;
    bool hasUserFields = false;
    bool hasCustomers = false;
    bool hasSites = false;
};

struct ReferenceCheckResult
{
    // Nothing could be checked (or not everything): a service could not be asked. `error` says
    // which and why; `apiError` is the failed call's.
    bool complete = false;
    QString error;
    api::ApiError apiError = api::ApiError::None;
    // Every reference that does not hold, one sentence each starting with its JSON path
    // ("companies.field_mappings[1].hubspot_property: …"), in the profile's order.
    QStringList problems;

    bool ok() const { return complete && problems.isEmpty(); }
};

struct ProfileReferencesText
{
    Q_DECLARE_TR_FUNCTIONS(ProfileReferences)
};

// The checks themselves, on data already read. Only the parts of the profile whose data is
// present (the has* flags) are checked.
QStringList checkProfileReferences(const core::Profile &profile, const ReferenceData &data);

// Reads what the checks need (only what the profile refers to: properties, fields, customers,
// sites), several requests in flight at once, then runs checkProfileReferences. Both clients must
// live in this object's thread and outlive it.
class ProfileReferenceCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileReferenceCheck)

public:
    using Done = std::function<void(const ReferenceCheckResult &)>;

    ProfileReferenceCheck(api::HubSpotClient *hubspot, api::HaloClient *halo,
                          QObject *parent = nullptr);
    ~ProfileReferenceCheck() override;

    // done runs once, later, on this object's thread (never inside the call); not at all after
    // cancel() or when this object is destroyed first.
    void run(const core::Profile &profile, Done done);
    void cancel();

private:
    struct Run;

    void finishOne(const std::shared_ptr<Run> &run);

    api::HubSpotClient *m_hubspot;
    api::HaloClient *m_halo;
    std::shared_ptr<Run> m_run;
};

} // namespace halospot::engine
