// Turning the stored profile and the loaded secrets into a JobSpec: the one place that decides
// which settings and which credentials a job runs with, shared by `halospot import` and the GUI.
#pragma once

#include "Credentials.h"
#include "EngineTypes.h"
#include "Profile.h"
#include "Result.h"

#include <QCoreApplication>

namespace halospot::engine {

struct JobSetupText
{
    Q_DECLARE_TR_FUNCTIONS(JobSetup)
};

// What a job needs beyond the profile.
struct JobSetupOptions
{
    JobKind kind = JobKind::ImportCompanies;
    bool dryRun = false;
    QString storePath;
};

// Fails (a sentence naming what is missing and how to fix it: "HubSpot is not connected: run
// `halospot auth hubspot --token-stdin` or set HALOSPOT_HUBSPOT_TOKEN", "Halo is not set up …")
// when the profile lacks a service address or client ID, or the secrets lack a usable HubSpot
// credential (a static token, or an OAuth client secret + refresh token) or the Halo secret.
Result<JobSpec> makeJobSpec(const core::Profile &profile, const api::SecretSet &secrets,
                            const JobSetupOptions &options);

} // namespace halospot::engine
