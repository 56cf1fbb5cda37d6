// `halospot auth hubspot --token-stdin` and `halospot auth halo --secret-stdin`: check a secret
// against the service and, only when it works, keep it in the OS keychain.
#pragma once

#include "CommandContext.h"

#include <QStringList>

namespace halospot::app {

// arguments[0] is the command's name ("halospot auth"), then the service and its options.
// Exit codes: 0 saved; 2 bad usage, an invalid address or no usable keychain (a headless command
// cannot offer "this session only": use the environment variables instead); 3 the service refused
// the secret; 4 the service could not be reached. Needs a QCoreApplication.
int runAuthCommand(const QStringList &arguments, const GlobalOptions &globals);

} // namespace halospot::app
