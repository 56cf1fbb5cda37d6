// Test helpers for SecretStore: run one call and wait for its continuation, random secrets, and a
// scan of a directory tree for a secret's bytes.
#pragma once

#include "SecretStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>
#include <QStringList>
#include <QTest>
#include <QThread>

#include <functional>

namespace halospot::api::test {

// Points every per-user folder (HOME, XDG_*) into `home`, before anything uses them, so a test can
// search them afterwards. With cutOffBus the process also loses its session bus, as on a system
// with no keychain: a bus address to a socket that does not exist (rather than none) keeps D-Bus
// from autolaunching a bus through X11.
inline bool isolateUserFolders(const QString &home, bool cutOffBus)
{
    for (const char *dir : {"config", "data", "cache", "state", "runtime"}) {
        if (!QDir(home).mkpath(QString::fromLatin1(dir)))
            return false;
    }
    qputenv("HOME", home.toUtf8());
    qputenv("XDG_CONFIG_HOME", (home + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (home + QStringLiteral("/data")).toUtf8());
    qputenv("XDG_CACHE_HOME", (home + QStringLiteral("/cache")).toUtf8());
    qputenv("XDG_STATE_HOME", (home + QStringLiteral("/state")).toUtf8());
    if (cutOffBus) {
        qputenv("XDG_RUNTIME_DIR", (home + QStringLiteral("/runtime")).toUtf8());
        qputenv("DBUS_SESSION_BUS_ADDRESS",
                QByteArray("unix:path=") + home.toUtf8() + "/no-such-bus");
        qunsetenv("DISPLAY");
        qunsetenv("WAYLAND_DISPLAY");
    }
    return true;
}

struct Completion
{
    SecretResult result;
    bool ranInsideCall = false; // the continuation ran before read()/write()/remove() returned
    bool ranOnStoreThread = false;
    bool completed = false;
};

// Starts one SecretStore call and waits (event loop running, as the app's would be) for `done`. A
// call that never completes comes back as Failed, so a test fails instead of passing on a default.
inline Completion await(SecretStore &store, const std::function<void(SecretStore::Done)> &start,
                        int timeoutMs = 30000)
{
    bool returned = false;
    bool finished = false;
    Completion completion;
    start([&](const SecretResult &result) {
        completion.result = result;
        completion.ranInsideCall = !returned;
        completion.ranOnStoreThread = QThread::currentThread() == store.thread();
        finished = true;
    });
    returned = true;
    if (!QTest::qWaitFor([&] { return finished; }, timeoutMs)) {
        completion = Completion();
        completion.result.outcome = SecretOutcome::Failed;
        completion.result.message = QStringLiteral("the keychain call did not complete in time");
        return completion;
    }
    completion.completed = true;
    return completion;
}

inline Completion readSecret(SecretStore &store, const QString &key)
{
    return await(store, [&](SecretStore::Done done) { store.read(key, std::move(done)); });
}

inline Completion writeSecret(SecretStore &store, const QString &key, const QString &secret)
{
    return await(store, [&](SecretStore::Done done) { store.write(key, secret, std::move(done)); });
}

inline Completion removeSecret(SecretStore &store, const QString &key)
{
    return await(store, [&](SecretStore::Done done) { store.remove(key, std::move(done)); });
}

// A random secret of printable ASCII, as tokens are; never a fixed string in the repository.
inline QString randomSecret(int length)
{
    static const QString alphabet =
        QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");
    QString s;
    s.reserve(length);
    for (int i = 0; i < length; ++i)
        s.append(alphabet.at(int(QRandomGenerator::system()->bounded(alphabet.size()))));
    return s;
}

// Files under `root` whose bytes contain `secret` as UTF-8 or UTF-16.
inline QStringList filesContaining(const QString &root, const QString &secret)
{
    QStringList hits;
    const QByteArray utf8 = secret.toUtf8();
    const QByteArray utf16(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2);
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        if (bytes.contains(utf8) || bytes.contains(utf16))
            hits.append(f.fileName());
    }
    return hits;
}

} // namespace halospot::api::test
