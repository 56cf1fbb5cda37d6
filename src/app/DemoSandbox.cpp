// DemoSandbox: a Sandbox created, served and destroyed on a worker thread.
#include "DemoSandbox.h"

#include "Sandbox.h"

#include <QMetaObject>

namespace halospot::app {

DemoSandbox::DemoSandbox()
{
    m_thread.setObjectName(QStringLiteral("halospot-sandbox"));
}

DemoSandbox::~DemoSandbox()
{
    if (m_thread.isRunning()) {
        if (m_sandbox) {
            // The services' sockets belong to the worker thread: close them there.
            QMetaObject::invokeMethod(
                m_sandbox, [this] { delete m_sandbox; }, Qt::BlockingQueuedConnection);
            m_sandbox = nullptr;
        }
        m_thread.quit();
        m_thread.wait();
    }
}

Result<QJsonObject> DemoSandbox::start(const sandbox::SandboxOptions &options)
{
    m_thread.start();
    auto *anchor = new QObject;
    anchor->moveToThread(&m_thread);
    Status status;
    QJsonObject description;
    // Blocking here is fine: it happens once, before the window exists.
    QMetaObject::invokeMethod(
        anchor,
        [&] {
            m_sandbox = new sandbox::Sandbox(options);
            status = m_sandbox->start();
            if (status.ok())
                description = m_sandbox->describe();
        },
        Qt::BlockingQueuedConnection);
    anchor->deleteLater(); // runs on the worker thread
    if (!status.ok())
        return Result<QJsonObject>::failure(status.error());
    return description;
}

} // namespace halospot::app
