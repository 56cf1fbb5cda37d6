// What the headless commands share: the data directory's store and profile, the keychain, waiting
// for asynchronous calls in a nested event loop, reading a secret from stdin, and the mapping of
// API failures to the exit codes of SPEC §4.
#pragma once

#include "ApiResult.h"
#include "ConnectionCheck.h"
#include "ConnectionConfig.h"
#include "Credentials.h"
#include "Result.h"
#include "SecretStore.h"
#include "Store.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QString>
#include <QTextStream>

#include <functional>
#include <memory>

namespace halospot::app {

// The database file of a data directory; the GUI and every command open the same one.
QString storePath(const QString &dataDir);

// Where a command's sentences go: results to stdout, problems to stderr prefixed with the command.
struct CommandOutput
{
    QString name;
    QTextStream out{stdout};
    QTextStream err{stderr};

    int fail(int code, const QString &message)
    {
        err << name << ": " << message << Qt::endl;
        return code;
    }
};

// The global options a command needs (parsed before the command's own).
struct GlobalOptions
{
    QString dataDir; // already resolved by dataDirectory()
    bool verbose = false;
};

// An open data directory: its store, its profile ID (the keychain's key prefix) and the keychain
// under SecretStore::defaultService().
class CommandContext final
{
public:
    // The error is a sentence for stderr; the exit code is then ExitUsage.
    static Result<std::unique_ptr<CommandContext>> open(const QString &dataDir);
    ~CommandContext();
    CommandContext(const CommandContext &) = delete;
    CommandContext &operator=(const CommandContext &) = delete;

    const QString &dataDir() const { return m_dataDir; }
    core::Store &store() { return *m_store; }
    const QString &profileId() const { return m_profileId; }
    api::SecretStore &secrets() { return *m_secrets; }
    api::Credentials &credentials() { return *m_credentials; }

    // Synchronous keychain calls for a command (a nested event loop runs meanwhile).
    api::SecretResult writeSecret(api::Secret secret, const QString &value);
    api::SecretSet loadSecrets(const QProcessEnvironment &environment);

private:
    CommandContext() = default;

    QString m_dataDir;
    std::unique_ptr<core::Store> m_store;
    QString m_profileId;
    std::unique_ptr<api::SecretStore> m_secrets;
    std::unique_ptr<api::Credentials> m_credentials;
};

// Runs a nested event loop until the callback handed to `start` has been called once; returns
// what it was called with. The callback must run on this thread.
template<typename T>
T awaitResult(const std::function<void(std::function<void(const T &)>)> &start)
{
    QEventLoop loop;
    bool finished = false;
    T value{};
    start([&](const T &result) {
        if (finished)
            return;
        value = result;
        finished = true;
        loop.quit();
    });
    if (!finished)
        loop.exec();
    return value;
}

// One line from standard input without its line break and surrounding blanks. Fails (with a
// sentence) when stdin is empty or cannot be read. `what` names the secret ("the HubSpot token").
Result<QString> readSecretLine(const QString &what);

// SecretStore's sentence about a keychain failure without its offer of "this session only", which
// the window can make and a command cannot: the first sentence, ending with a full stop.
QString keychainProblem(const QString &message);

// The exit code for a failed API check: 3 when credentials were refused, 4 when the service could
// not be reached or kept failing, 2 when the address itself was refused locally.
int exitCodeFor(api::ApiError error);

// Asks Halo for a token once (one quick retry): ExitOk when that works, ExitAuth when the
// credentials, tenant or scope were refused, ExitUnreachable when Halo could not be reached or
// kept failing, ExitUsage when the address was refused locally.
int probeHalo(const api::HaloSettings &settings);

// Runs a HubSpotCheck to its end.
api::HubSpotCheckResult checkHubSpot(api::HubSpotTokens &tokens, const QString &clientId = {},
                                     const QString &clientSecret = {});

// Runs Halo's "Test connection" to its end; onStep sees each step as it finishes.
struct HaloCheckOutcome
{
    bool ok = false;
    QList<api::HaloStepResult> steps;
    // Meaningful when a step failed: 3 (credentials, tenant or permission) or 4 (unreachable).
    int exitCode = 0;
    bool tokenOk() const;
};
HaloCheckOutcome checkHalo(const api::HaloSettings &settings,
                           const std::function<void(const api::HaloStepResult &)> &onStep = {});

// What is kept about the account between checks (no secrets), checked now.

// The client settings from the stored configuration.

// A command's help: QCommandLineParser's text with the command's own name in the usage line.
QString commandHelp(const QCommandLineParser &parser, const QString &name,
                    const QString &usageTail = {});

// "ok", "warning", "failed", "skipped".
QString haloStateName(api::HaloStepResult::State state);
QString haloStepKey(api::HaloStep step); // "token", "read_customers", …

} // namespace halospot::app
