// Starting the window: data directory, store, keychain, connections, and (demo mode) the
// embedded sandbox.
#pragma once

#include "CommandLine.h"

namespace halospot::app {

// Runs the window until it closes; needs a QApplication. Returns the process exit code.
int runGui(const GuiRequest &request);

} // namespace halospot::app
