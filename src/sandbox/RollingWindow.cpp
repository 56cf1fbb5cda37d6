// Rolling-window limit on the sandbox clock.
#include "RollingWindow.h"

namespace halospot::sandbox {

RollingWindow::RollingWindow(int maxRequests, qint64 windowMs)
    : m_max(maxRequests)
    , m_windowMs(windowMs)
{}

void RollingWindow::expire(qint64 nowMs)
{
    while (!m_stamps.empty() && m_stamps.front() <= nowMs - m_windowMs)
        m_stamps.pop_front();
}

bool RollingWindow::tryAcquire(qint64 nowMs, qint64 *retryAfterMs)
{
    expire(nowMs);
    if (m_max <= 0 || int(m_stamps.size()) < m_max) {
        m_stamps.push_back(nowMs);
        return true;
    }
    if (retryAfterMs)
        *retryAfterMs = m_stamps.front() + m_windowMs - nowMs;
    return false;
}

int RollingWindow::remaining(qint64 nowMs)
{
    expire(nowMs);
    if (m_max <= 0)
        return 0;
    return qMax(0, m_max - int(m_stamps.size()));
}

void RollingWindow::reconfigure(int maxRequests, qint64 windowMs)
{
    m_max = maxRequests;
    m_windowMs = windowMs;
}

} // namespace halospot::sandbox
