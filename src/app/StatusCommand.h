// `halospot status`: both connections checked live, link counts and the last runs.
#pragma once

#include "CommandContext.h"

#include <QStringList>

namespace halospot::app {

// arguments[0] is the command's name ("halospot status"). Prints to stdout (one JSON object with
// --json). Exit codes: 0 both services work; 2 bad usage or an invalid stored address; 3 a service
// is not configured, has no secret or refused it; 4 a service could not be reached. When the two
// services fail differently, 2 wins over 3 and 3 over 4 (what needs a person comes first). Needs a
// QCoreApplication.
int runStatusCommand(const QStringList &arguments, const GlobalOptions &globals);

} // namespace halospot::app
