// Rolling-window reservations on a steady clock, guarded by a mutex so clients on any thread share
// it.
#include "RateLimiter.h"

#include <QMutexLocker>

#include <algorithm>
#include <chrono>

namespace halospot::api {

namespace {

// Timers fire a little late and requests reach the server a little after they leave; the margin
// keeps two requests one window apart here from landing inside one window there.
qint64 defaultMargin(qint64 windowMs)
{
    return std::clamp<qint64>(windowMs / 100, 20, 250);
}

} // namespace

RateLimiter::RateLimiter(int maxRequests, qint64 windowMs)
    : m_max(maxRequests)
    , m_windowMs(qMax<qint64>(1, windowMs))
    , m_marginMs(defaultMargin(windowMs))
{}

qint64 RateLimiter::nowMs() const
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void RateLimiter::prune(qint64 now)
{
    // Only stamps that can no longer share a window with a future slot may go; applyHeaders also
    // looks back one round trip further, so keep about two windows.
    while (!m_stamps.empty() && m_stamps.front() <= now - 2 * m_windowMs - m_marginMs)
        m_stamps.pop_front();
}

qint64 RateLimiter::reserve()
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = nowMs();
    prune(now);
    ++m_reserved;
    qint64 slot = qMax(now, m_pausedUntil);
    if (m_max > 0) {
        // Slots are handed out in order, so checking the window that ends at the new slot is
        // enough: the max-th newest stamp must have left it.
        if (!m_stamps.empty())
            slot = qMax(slot, m_stamps.back());
        if (int(m_stamps.size()) >= m_max)
            slot = qMax(slot, m_stamps[m_stamps.size() - size_t(m_max)] + m_windowMs + m_marginMs);
    }
    m_stamps.push_back(slot);
    return slot - now;
}

void RateLimiter::applyHeaders(int max, int remaining, qint64 intervalMs, qint64 ageMs)
{
    QMutexLocker lock(&m_mutex);
    if (max > 0)
        m_max = max;
    if (intervalMs > 0 && intervalMs != m_windowMs) {
        m_windowMs = intervalMs;
        if (!m_marginSet)
            m_marginMs = defaultMargin(intervalMs);
    }
    if (remaining < 0 || m_max <= 0)
        return;
    const qint64 now = nowMs();
    prune(now);
    // Requests the server counted in its window that we did not send (other apps on the same
    // account): count them as sent now. The server's window ended somewhere between the moment
    // this attempt left (now - ageMs) and now, and our requests reach it up to a margin late, so
    // every slot of ours since now - window - ageMs - margin may be in it. Counting too many of
    // ours only misses a few of theirs for one reply; counting too few would invent requests
    // after every reply and slow the client down for nothing.
    const qint64 from = now - m_windowMs - qMax<qint64>(0, ageMs) - m_marginMs;
    const auto windowStart = std::upper_bound(m_stamps.begin(), m_stamps.end(), from);
    const auto windowEnd = std::upper_bound(m_stamps.begin(), m_stamps.end(), now);
    const int ours = int(windowEnd - windowStart);
    const int theirs = (m_max - remaining) - ours;
    if (theirs > 0)
        m_stamps.insert(windowEnd, size_t(theirs), now);
}

void RateLimiter::pauseFor(qint64 ms)
{
    QMutexLocker lock(&m_mutex);
    m_pausedUntil = qMax(m_pausedUntil, nowMs() + qMax<qint64>(0, ms));
}

void RateLimiter::reconfigure(int maxRequests, qint64 windowMs)
{
    QMutexLocker lock(&m_mutex);
    m_max = maxRequests;
    m_windowMs = qMax<qint64>(1, windowMs);
    if (!m_marginSet)
        m_marginMs = defaultMargin(m_windowMs);
}

int RateLimiter::maxRequests() const
{
    QMutexLocker lock(&m_mutex);
    return m_max;
}

qint64 RateLimiter::windowMs() const
{
    QMutexLocker lock(&m_mutex);
    return m_windowMs;
}

qint64 RateLimiter::marginMs() const
{
    QMutexLocker lock(&m_mutex);
    return m_marginMs;
}

void RateLimiter::setMarginMs(qint64 ms)
{
    QMutexLocker lock(&m_mutex);
    m_marginMs = qMax<qint64>(0, ms);
    m_marginSet = true;
}

qint64 RateLimiter::reservedTotal() const
{
    QMutexLocker lock(&m_mutex);
    return m_reserved;
}

} // namespace halospot::api
