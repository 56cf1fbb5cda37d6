// The sandbox's scaled clock.
#include "Clock.h"

#include <cmath>

namespace halospot::sandbox {

Clock::Clock(double scale)
    : m_startUtc(QDateTime::currentDateTimeUtc())
    , m_scale(scale > 0 ? scale : 1.0)
{
    m_timer.start();
}

qint64 Clock::nowMs() const
{
    const qint64 real = m_timer.elapsed();
    return m_offsetMs + qint64(std::llround(double(real - m_realAtChange) * m_scale));
}

QDateTime Clock::nowUtc() const
{
    return m_startUtc.addMSecs(nowMs());
}

void Clock::setScale(double scale)
{
    if (scale <= 0)
        return;
    m_offsetMs = nowMs();
    m_realAtChange = m_timer.elapsed();
    m_scale = scale;
}

qint64 Clock::toRealMs(qint64 scaledMs) const
{
    if (scaledMs <= 0)
        return 0;
    return qint64(std::ceil(double(scaledMs) / m_scale));
}

} // namespace halospot::sandbox
