// `halospot sandbox`: runs the fake HubSpot and Halo services until interrupted.
#pragma once

#include "Result.h"
#include "Sandbox.h"

#include <QString>
#include <QStringList>

namespace halospot::app {

struct SandboxCommandOptions
{
    sandbox::SandboxOptions sandbox;
    bool printJson = false;
    bool help = false; // --help: the caller prints helpText and exits 0
    QString helpText;
};

// Parses the command's arguments (arguments[0] is the command's name, e.g. "halospot sandbox").
// A failure carries the message for stderr; the exit code is then ExitUsage.
Result<SandboxCommandOptions> parseSandboxArguments(const QStringList &arguments);

// Runs the command: starts both services, prints their URLs and credentials (one JSON line on
// stdout with --print-json), serves until SIGINT/SIGTERM and returns the exit code (SPEC §4).
// Needs a QCoreApplication.
int runSandboxCommand(const QStringList &arguments);

} // namespace halospot::app
