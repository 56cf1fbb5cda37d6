// The sandbox of demo mode (`halospot --sandbox`), run on its own thread so that serving requests
// never competes with the window for the GUI thread.
#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QThread>

namespace halospot::sandbox {
class Sandbox;
struct SandboxOptions;
} // namespace halospot::sandbox

namespace halospot::app {

class DemoSandbox final
{
public:
    DemoSandbox();
    ~DemoSandbox(); // stops the services and the thread
    Q_DISABLE_COPY_MOVE(DemoSandbox)

    // Starts the services on free loopback ports; the value is Sandbox::describe().
    Result<QJsonObject> start(const sandbox::SandboxOptions &options);

private:
    QThread m_thread;
    sandbox::Sandbox *m_sandbox = nullptr; // lives in m_thread
};

} // namespace halospot::app
