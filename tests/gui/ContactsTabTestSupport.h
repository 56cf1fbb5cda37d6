// Test helpers for the Contacts tab tests: the shared tab helpers plus the saved contact settings.
#pragma once

#include "ContactsTab.h"
#include "ProfileStore.h"
#include "TabTestSupport.h"

namespace halospot::gui::test {

inline core::ContactSettings savedContacts(core::Store &store)
{
    const Result<core::Profile> profile = core::loadProfile(store);
    return profile.ok() ? profile->contacts : core::ContactSettings{};
}

} // namespace halospot::gui::test
