// EngineHost: the engine thread's lifetime.
#include "EngineHost.h"

#include "Engine.h"

#include <QMetaObject>

namespace halospot::engine {

EngineHost::EngineHost(QObject *parent)
    : QObject(parent)
{
    registerEngineMetaTypes();
    m_thread.setObjectName(QLatin1String(kThreadName));
    m_engine = new Engine;
    m_engine->moveToThread(&m_thread);
    m_thread.start();
}

EngineHost::~EngineHost()
{
    // The Engine (and with it the job, its clients and its QNAM) must die in its own thread; its
    // destructor cancels a running job first.
    Engine *engine = m_engine;
    m_engine = nullptr;
    QMetaObject::invokeMethod(
        engine, [engine] { delete engine; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void EngineHost::start(const JobSpec &spec)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
        engine, [engine, spec] { engine->start(spec); }, Qt::QueuedConnection);
}

void EngineHost::cancel()
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
        engine, [engine] { engine->cancel(); }, Qt::QueuedConnection);
}

} // namespace halospot::engine
