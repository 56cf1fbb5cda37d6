// The `halospot` command line: global options, then one command with its own options.
#pragma once

#include <QStringList>

namespace halospot::app {

// Exit codes of SPEC §4.
enum ExitCode
{
    ExitOk = 0,
    ExitRecordsFailed = 1,
    ExitUsage = 2,
    ExitAuth = 3,
    ExitUnreachable = 4,
    ExitCancelled = 5,
};

// Parses arguments (argv[0] first) and runs the chosen command; returns the process exit code.
// Needs a QCoreApplication (commands that serve run its event loop).
int runCommandLine(const QStringList &arguments);

} // namespace halospot::app
