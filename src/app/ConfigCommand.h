// `halospot config export FILE` and `halospot config import FILE`: the profile of SPEC §5 (no
// secrets) out of and into a data directory.
#pragma once

#include "CommandContext.h"

#include <QStringList>

namespace halospot::app {

// arguments[0] is the command's name ("halospot config"), then "export" or "import" and the file
// ("-" is stdout for export, stdin for import). Exit codes: 0 done; 2 bad usage, an unreadable or
// unwritable file, an invalid profile (every problem is printed to stderr as "path: sentence" and
// nothing is changed) or a store that cannot be read or written.
// Import also checks what the profile refers to (lifecycle stages, HubSpot properties, Halo fields,
// customers and sites; engine::ProfileReferenceCheck) against the services the new file names,
// signed in with the secrets the data directory already has (keychain or environment). A reference
// that does not hold is a problem like any other (exit 2, nothing changed). When the services
// cannot be asked (no secrets yet, a service unreachable or refusing), the profile is imported
// after the static checks with a warning on stderr saying why the references were not checked;
// `--no-check` skips the live checks.
int runConfigCommand(const QStringList &arguments, const GlobalOptions &globals);

} // namespace halospot::app
