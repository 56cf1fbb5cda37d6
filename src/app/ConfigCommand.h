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
int runConfigCommand(const QStringList &arguments, const GlobalOptions &globals);

} // namespace halospot::app
