// The `halospot` command line: global options, then one command with its own options.
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

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

// What main() needs to know before it creates the application object: whether the window is
// wanted (no command given, or --sandbox) and the global options that apply to it.
struct GuiRequest
{
    bool sandbox = false; // --sandbox: demo mode on an embedded sandbox
    bool verbose = false;
    QString dataDir; // --data-dir as given (empty when not given)
};

// Decides from the arguments alone (no QCoreApplication needed): a GuiRequest when the window
// should start, nullopt when a command, --help, --version or a usage error is to be handled by
// runCommandLine().
std::optional<GuiRequest> guiRequest(const QStringList &arguments);

// The data directory: `option` (from --data-dir) if set, else $HALOSPOT_DATA_DIR, else the
// platform's application data location. Call after the application name is set.
QString dataDirectory(const QString &option);

// Parses arguments (argv[0] first) and runs the chosen command; returns the process exit code.
// Needs a QCoreApplication (commands that serve run its event loop). Without a command (main()
// asks guiRequest() first, so only a caller that wanted a command gets here) it prints the help
// and returns ExitUsage; --help (also --help-all) and --version return ExitOk.
int runCommandLine(const QStringList &arguments);

} // namespace halospot::app
