// A rolling-window request limit as the real services enforce it (HubSpot's 10-second window,
// its per-second search limit, Halo's N-per-minutes window), measured on the sandbox clock.
#pragma once

#include <QtGlobal>

#include <deque>

namespace halospot::sandbox {

class RollingWindow final
{
public:
    RollingWindow(int maxRequests, qint64 windowMs);

    // Counts a request at nowMs if the window has room. Otherwise returns false and, when given,
    // sets retryAfterMs to the time until the oldest request leaves the window.
    bool tryAcquire(qint64 nowMs, qint64 *retryAfterMs = nullptr);
    int remaining(qint64 nowMs);
    int max() const { return m_max; }
    qint64 windowMs() const { return m_windowMs; }
    void reconfigure(int maxRequests, qint64 windowMs);
    void reset() { m_stamps.clear(); }

private:
    void expire(qint64 nowMs);

    int m_max;
    qint64 m_windowMs;
    std::deque<qint64> m_stamps;
};

} // namespace halospot::sandbox
