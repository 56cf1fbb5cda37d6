// Fault decisions for the sandbox services and proxy.
#include "FaultPlan.h"

namespace halospot::sandbox {

QString faultName(Fault fault)
{
    switch (fault) {
    case Fault::None:
        return QStringLiteral("none");
    case Fault::ServerError:
        return QStringLiteral("server-error");
    case Fault::RateLimited:
        return QStringLiteral("rate-limited");
    case Fault::RateLimitedNoRetry:
        return QStringLiteral("rate-limited-no-retry-after");
    case Fault::Malformed:
        return QStringLiteral("malformed");
    case Fault::Stall:
        return QStringLiteral("stall");
    case Fault::Drop:
        return QStringLiteral("drop");
    }
    return QString();
}

FaultPlan::FaultPlan(quint64 seed)
    : m_rng(quint32(seed ^ (seed >> 32)))
{}

void FaultPlan::injectNext(Fault fault, int count)
{
    for (int i = 0; i < count; ++i)
        m_queued.push_back(fault);
}

bool FaultPlan::roll(double rate)
{
    return rate > 0 && m_rng.generateDouble() < rate;
}

Fault FaultPlan::next()
{
    Fault fault = Fault::None;
    // A queued Drop belongs to the proxy; the HTTP layer leaves it in the queue.
    if (!m_queued.empty() && m_queued.front() != Fault::Drop) {
        fault = m_queued.front();
        m_queued.pop_front();
    } else if (roll(m_rates.serverError)) {
        fault = Fault::ServerError;
    } else if (roll(m_rates.rateLimited)) {
        fault = m_rates.retryAfter ? Fault::RateLimited : Fault::RateLimitedNoRetry;
    } else if (roll(m_rates.malformed)) {
        fault = Fault::Malformed;
    } else if (roll(m_rates.stall)) {
        fault = Fault::Stall;
    }
    if (fault != Fault::None)
        ++m_fired[int(fault)];
    return fault;
}

bool FaultPlan::nextConnectionDrop()
{
    bool drop = false;
    if (!m_queued.empty() && m_queued.front() == Fault::Drop) {
        m_queued.pop_front();
        drop = true;
    } else {
        drop = roll(m_rates.drop);
    }
    if (drop)
        ++m_fired[int(Fault::Drop)];
    return drop;
}

int FaultPlan::nextLatencyMs()
{
    int ms = m_rates.latencyMs;
    if (m_rates.jitterMs > 0)
        ms += int(m_rng.bounded(m_rates.jitterMs + 1));
    return ms;
}

int FaultPlan::firedTotal() const
{
    int total = 0;
    for (auto it = m_fired.cbegin(); it != m_fired.cend(); ++it)
        total += it.value();
    return total;
}

} // namespace halospot::sandbox
