// What every engine job sets up the same way: its API clients from the JobSpec, and HubSpot's
// property definitions in the domain's terms.
#pragma once

#include "EngineTypes.h"
#include "FieldTypes.h"
#include "HubSpotClient.h"

class QObject;

namespace halospot::api {
class HaloClient;
class HubSpotTokens;
} // namespace halospot::api

namespace halospot::engine {

// A job's clients, all children of the job (so on its thread, with that thread's network access).
struct JobClients
{
    api::HubSpotTokens *tokens = nullptr; // a static token, or OAuth from the refresh token
    api::HubSpotClient *hubspot = nullptr;
    api::HaloClient *halo = nullptr;
};

// The caller connects tokens->refreshTokenChanged to its own signal: the newest refresh token
// must reach the keychain.
JobClients makeJobClients(const JobSpec &spec, QObject *owner);

core::PropertyDef toPropertyDef(const api::HubSpotProperty &property);

} // namespace halospot::engine
