// The engine jobs' shared set-up (see JobClients.h).
#include "JobClients.h"

#include "HaloClient.h"
#include "HubSpotTokens.h"

namespace halospot::engine {

JobClients makeJobClients(const JobSpec &spec, QObject *owner)
{
    JobClients c;
    c.tokens = new api::HubSpotTokens(spec.hubspot, owner);
    const HubSpotCredentials &credentials = spec.hubspotCredentials;
    if (!credentials.staticToken.isEmpty())
        c.tokens->setStaticToken(credentials.staticToken);
    else
        c.tokens->setOAuth(credentials.clientId, credentials.clientSecret,
                           credentials.refreshToken);
    // A stalled token request must give up as soon as a stalled API call does.
    c.tokens->setTransferTimeoutMs(spec.hubspotTransferTimeoutMs);
    c.hubspot = new api::HubSpotClient(c.tokens, owner);
    c.hubspot->rest().setTransferTimeoutMs(spec.hubspotTransferTimeoutMs);
    c.halo = new api::HaloClient(spec.halo, {}, owner);
    return c;
}

core::PropertyDef toPropertyDef(const api::HubSpotProperty &p)
{
    core::PropertyDef d;
    d.name = p.name;
    d.label = p.label;
    d.type = p.type;
    d.fieldType = p.fieldType;
    d.groupName = p.groupName;
    d.readOnly = p.readOnlyValue;
    d.calculated = p.calculated;
    d.hidden = p.hidden;
    for (const api::HubSpotPropertyOption &o : p.options)
        d.options.append(core::PropertyOption{o.label, o.value, o.hidden});
    return d;
}

} // namespace halospot::engine
