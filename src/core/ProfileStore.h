// Keeps the profile (SPEC §5) in the store's settings, for `config export` / `config import` and
// the GUI's File menu. Secrets are never part of it.
#pragma once

#include "Profile.h"
#include "Result.h"

namespace halospot::core {

class Store;

// The stored profile; what was never stored keeps Profile{}'s defaults. The sections are read back
// through parseProfile, so a stored value that is no longer valid is reported (with its JSON path)
// instead of being used.
Result<Profile> loadProfile(const Store &store);

// Validates the profile (serialized and parsed back) and stores it: the connection settings and
// every section in one transaction, so a failure leaves the old profile.
Status saveProfile(Store &store, const Profile &profile);

} // namespace halospot::core
