// Owns the engine thread ("halospot-engine") and the Engine living in it. Destroying the host
// cancels a running job, destroys the Engine in its own thread, then quits and waits for the
// thread.
#pragma once

#include "EngineTypes.h"

#include <QObject>
#include <QThread>

namespace halospot::engine {

class Engine;

class EngineHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineHost)

public:
    static constexpr const char *kThreadName = "halospot-engine";

    explicit EngineHost(QObject *parent = nullptr);
    ~EngineHost() override;

    // The Engine, living on the engine thread: connect to its signals (queued across threads);
    // never call its methods directly, use start() / cancel() below.
    Engine *engine() const { return m_engine; }
    QThread *engineThread() { return &m_thread; }

    // Queued calls into the engine thread.
    void start(const JobSpec &spec);
    void cancel();

private:
    QThread m_thread;
    Engine *m_engine = nullptr;
};

} // namespace halospot::engine
