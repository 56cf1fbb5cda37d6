// A client-side rolling-window limiter shared by every request to one service, whatever thread
// sends it, so that in steady state no request goes out that the service would refuse with a 429.
#pragma once

#include <QMutex>
#include <QtGlobal>

#include <deque>

namespace halospot::api {

class RateLimiter final
{
    Q_DISABLE_COPY_MOVE(RateLimiter)

public:
    // At most maxRequests in any windowMs (real milliseconds). maxRequests <= 0 = unlimited.
    RateLimiter(int maxRequests, qint64 windowMs);

    // Reserves the earliest slot that keeps <= max in any window and returns the ms to wait
    // before sending (0 = now). The caller must send at (about) that time.
    qint64 reserve();
    // Tune from X-HubSpot-RateLimit-Max / -Remaining / -Interval-Milliseconds (real ms): adopts
    // the server's window and counts requests the server saw that this limiter did not (other
    // apps, other processes). remaining < 0 = unknown. ageMs is how long the attempt was on the
    // wire: the server counted its window at some moment in that span, not when the reply is
    // read here, so every slot of ours that may lie in that window counts as ours.
    void applyHeaders(int max, int remaining, qint64 intervalMs, qint64 ageMs = 0);
    // No slot before now + ms (after a 429).
    void pauseFor(qint64 ms);
    void reconfigure(int maxRequests, qint64 windowMs);

    int maxRequests() const;
    qint64 windowMs() const;
    // Extra spacing added to the window, covering timer lateness and loopback/network jitter
    // between the moment a slot is used here and the moment the server counts the request.
    // A margin set here is kept when the window changes; otherwise it follows the window.
    qint64 marginMs() const;
    void setMarginMs(qint64 ms);
    // Slots reserved in total (for tests and benchmarks).
    qint64 reservedTotal() const;

private:
    qint64 nowMs() const;
    void prune(qint64 now);

    mutable QMutex m_mutex;
    int m_max;
    qint64 m_windowMs;
    qint64 m_marginMs;
    bool m_marginSet = false; // setMarginMs() was called: keep it across window changes
    qint64 m_pausedUntil = 0;
    qint64 m_reserved = 0;
    std::deque<qint64> m_stamps; // reserved send times, ascending, on a steady clock
};

} // namespace halospot::api
