// `halospot import companies|contacts [--dry-run] [--report FILE]`: one import run on the engine
// thread, headless, with progress on stderr, the results on stdout and SPEC §4's exit codes.
#pragma once

#include "CommandContext.h"

#include <QStringList>

namespace halospot::app {

// arguments[0] is the command's name ("halospot import"), then what to import. Exit codes:
// 0 every record settled without failure; 1 some records failed (a dry run too, when they would);
// 2 bad usage, no or an invalid profile, contact settings that cannot work (include
// "company_contacts_and_stages" with no stage), a service address or ID missing, a keychain that
// cannot be read, a report file that cannot be written, or a run the services did not cause to fail
// before it read anything (field mappings that cannot work, the database); 3 a secret is missing
// or was refused; 4 a service could not be reached or kept failing after the retries; 5 cancelled
// by SIGINT/SIGTERM, or another run holds the data directory's run lock.
int runImportCommand(const QStringList &arguments, const GlobalOptions &globals);

} // namespace halospot::app
