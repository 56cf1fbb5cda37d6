// Quitting the event loop on SIGINT/SIGTERM, for `halospot sandbox` and the window alike, so that
// both close as they would from their own Quit (temporary folders removed, threads joined).
#pragma once

#include <QTimer>

namespace halospot::app {

// While it exists, SIGINT and SIGTERM quit the application's event loop (within ~100 ms) instead
// of killing the process. One at a time; the previous handlers come back on destruction.
class StopSignal final
{
public:
    StopSignal();
    ~StopSignal();
    StopSignal(const StopSignal &) = delete;
    StopSignal &operator=(const StopSignal &) = delete;

    // True once a signal arrived (also before the event loop runs).
    static bool requested();

private:
    void (*m_previousInt)(int);
    void (*m_previousTerm)(int);
    QTimer m_poll;
};

} // namespace halospot::app
