// The field mappings of an import checked against what HubSpot and Halo really have: each becomes
// a mapping rule, or the import does not start. Shared by the company and the contact import.
#pragma once

#include "FieldTypes.h"
#include "HubSpotClient.h"
#include "Profile.h"
#include "Result.h"
#include "StoreTypes.h"

#include <QList>

namespace halospot::engine {

// entity says whose properties and fields these are (Company: HubSpot companies and Halo customer
// fields; Contact: contacts and user fields). On failure the error names every mapping that
// cannot be used.
Result<QList<core::MappingRule>> resolveFieldMappings(const QList<core::FieldMapping> &mappings,
                                                      const QList<api::HubSpotProperty> &properties,
                                                      const QList<core::HaloFieldDef> &fields,
                                                      core::Entity entity);

} // namespace halospot::engine
