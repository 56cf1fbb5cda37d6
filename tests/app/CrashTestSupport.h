// What the SIGKILL crash tests of `halospot import companies|contacts` share: the seed of the kill
// moments, a sandbox's profile and secrets for the child, and one run of the real binary killed
// (SIGKILL: no handler, no cleanup) a while after a line appeared on its stderr.
#pragma once

#include "AppTestSupport.h"
#include "Generator.h"
#include "Profile.h"
#include "ProfileStore.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <functional>

namespace halospot::app::test {

// The seed of the kill moments: HALOSPOT_CRASH_SEED when set (to repeat a failure), else random;
// printed either way.
inline quint64 crashSeed()
{
    quint64 seed = QRandomGenerator::global()->generate64();
    if (!qEnvironmentVariable("HALOSPOT_CRASH_SEED").isEmpty())
        seed = qEnvironmentVariable("HALOSPOT_CRASH_SEED").toULongLong();
    qInfo("crash seed: %llu (set HALOSPOT_CRASH_SEED to repeat)", seed);
    return seed;
}

// A profile for `box` with a static token: every company lifecycle stage ("(no stage)" too).
inline core::Profile sandboxProfile(sandbox::Sandbox &box)
{
    const QJsonObject info = box.describe();
    core::Profile p;
    p.connection.hubspot.auth = core::HubSpotAuthMode::StaticToken;
    p.connection.hubspot.apiBase = QUrl(info.value(QStringLiteral("hubspot_api_url")).toString());
    p.connection.halo.url = QUrl(info.value(QStringLiteral("halo_url")).toString());
    p.connection.halo.clientId = info.value(QStringLiteral("halo_client_id")).toString();
    p.companies.lifecycleStages = sandbox::Generator::lifecycleStages();
    p.companies.lifecycleStages << QString();
    return p;
}

// Stores `profile` in the data directory (QVERIFY: check QTest::currentTestFailed() after).
inline void saveProfileIn(const QString &dataDir, const core::Profile &profile)
{
    DataDir data(dataDir);
    QVERIFY(data.store);
    const Status saved = core::saveProfile(*data.store, profile);
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
}

// The child's environment: both of the sandbox's secrets, so no keychain is needed.
inline QProcessEnvironment sandboxEnvironment(sandbox::Sandbox &box)
{
    const QJsonObject info = box.describe();
    QProcessEnvironment env = childEnvironment();
    env.insert(QString::fromLatin1(api::kEnvHubSpotToken),
               info.value(QStringLiteral("hubspot_token")).toString());
    env.insert(QString::fromLatin1(api::kEnvHaloSecret),
               info.value(QStringLiteral("halo_client_secret")).toString());
    return env;
}

// `halospot --data-dir DIR import <what> [extra]`.
inline QStringList importArguments(const QString &dataDir, const QString &what,
                                   const QStringList &extra = {})
{
    return QStringList{QStringLiteral("--data-dir"), dataDir, QStringLiteral("import"), what} +
           extra;
}

// One import run to its end.
inline Run runImport(sandbox::Sandbox &box, const QString &dataDir, const QString &what,
                     const QStringList &extra = {})
{
    return runHalospot(importArguments(dataDir, what, extra), {}, sandboxEnvironment(box), 120000);
}

// How one run that was to be killed ended.
struct KillAttempt
{
    enum Outcome
    {
        Killed,           // by the SIGKILL
        FinishedByItself, // before the kill moment (or in the same instant)
        Broken,           // did not start, or never printed the line: see `err`
    };
    Outcome outcome = Broken;
    int exitCode = -1; // when it finished by itself
    QByteArray err;    // its stderr
    qint64 elapsedMs = 0;
};

// When the kill clock starts: called with the child's stderr so far while the child runs (and
// free to look at an in-process sandbox).
using KillTrigger = std::function<bool(const QByteArray &stderrSoFar)>;

// Starts the kill clock when stderr contains one of `markers`.
inline KillTrigger onLine(const QList<QByteArray> &markers)
{
    return [markers](const QByteArray &err) {
        for (const QByteArray &m : markers) {
            if (err.contains(m))
                return true;
        }
        return false;
    };
}

// Starts the binary, waits until `trigger` holds (at most `triggerWaitMs`), waits `extraMs` more
// and kills it with SIGKILL. The waits run this thread's event loop, so an in-process sandbox
// keeps answering the child. A run that ends before its kill moment, or without the trigger ever
// holding, finished by itself.
inline KillAttempt runAndKill(const QStringList &arguments, const QProcessEnvironment &environment,
                              const KillTrigger &trigger, int extraMs, int triggerWaitMs = 20000)
{
    KillAttempt attempt;
    QElapsedTimer clock;
    clock.start();
    QProcess process;
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(HALOSPOT_BINARY), arguments);
    if (!process.waitForStarted(10000)) {
        attempt.err = "the binary did not start";
        return attempt;
    }
    const bool seen = QTest::qWaitFor(
        [&] {
            attempt.err += process.readAllStandardError();
            return trigger(attempt.err) || !finished.isEmpty();
        },
        triggerWaitMs);
    if (!seen) {
        process.kill();
        process.waitForFinished(10000);
        attempt.err += "\n(the kill moment did not come within the time allowed)";
        return attempt;
    }
    if (finished.isEmpty())
        QTest::qWait(extraMs);
    if (finished.isEmpty()) {
        process.kill();
        if (!finished.wait(10000)) {
            attempt.err += "\n(it did not die within 10 s of SIGKILL)";
            return attempt;
        }
    }
    attempt.err += process.readAllStandardError();
    attempt.elapsedMs = clock.elapsed();
    if (process.exitStatus() == QProcess::NormalExit) {
        attempt.outcome = KillAttempt::FinishedByItself;
        attempt.exitCode = process.exitCode();
    } else {
        attempt.outcome = KillAttempt::Killed;
    }
    return attempt;
}

// Whether the data directory's intent journal holds writes whose outcome is unknown (a kill
// caught them in flight); -1 when it cannot be read.
inline int pendingIntents(const QString &dataDir)
{
    DataDir data(dataDir);
    if (!data.store)
        return -1;
    const auto pending = data.store->pendingWrites();
    return pending.ok() ? int(pending.value().size()) : -1;
}

} // namespace halospot::app::test
