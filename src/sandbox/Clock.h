// The sandbox's notion of time: real time, optionally running N times faster so that rate-limit
// windows and token lifetimes pass quickly in benchmarks and tests.
#pragma once

#include <QDateTime>
#include <QElapsedTimer>

namespace halospot::sandbox {

class Clock final
{
public:
    explicit Clock(double scale = 1.0);

    // Scaled milliseconds since the clock started; monotonic.
    qint64 nowMs() const;
    // Scaled UTC wall time: the start time plus scaled elapsed time.
    QDateTime nowUtc() const;

    double scale() const { return m_scale; }
    // Changing the scale keeps nowMs() continuous.
    void setScale(double scale);

    // How many real milliseconds pass while the scaled clock advances by scaledMs.
    qint64 toRealMs(qint64 scaledMs) const;

private:
    QElapsedTimer m_timer;
    QDateTime m_startUtc;
    double m_scale = 1.0;
    qint64 m_offsetMs = 0; // scaled ms accumulated before the last scale change
    qint64 m_realAtChange = 0;
};

} // namespace halospot::sandbox
