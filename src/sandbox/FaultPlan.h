// Faults the sandbox can inject into its replies: switched on in-process by tests (exact, queued
// faults) or by rates from `halospot sandbox` options (seeded, so a run is repeatable).
#pragma once

#include <QHash>
#include <QRandomGenerator>
#include <QString>

#include <deque>

namespace halospot::sandbox {

enum class Fault
{
    None,
    ServerError,        // 500/502/503 with a JSON error body
    RateLimited,        // 429 outside the real window, with Retry-After
    RateLimitedNoRetry, // 429 outside the real window, without Retry-After
    Malformed,          // 200 with a truncated JSON body
    Stall,              // the request is never answered (the client must time out)
    Drop,               // the connection is cut mid-reply (through FaultProxy)
};

QString faultName(Fault fault);

struct FaultRates
{
    int latencyMs = 0; // fixed latency added to every reply (real milliseconds)
    int jitterMs = 0;  // plus a uniform random 0..jitterMs (real milliseconds)
    double serverError = 0;
    double rateLimited = 0;
    bool retryAfter = true; // whether random 429s carry Retry-After
    double malformed = 0;
    double stall = 0;
    double drop = 0; // used by FaultProxy
    // Tokens issued from now on expire after this many (scaled) seconds; < 0 keeps the default.
    qint64 tokenLifetimeSec = -1;
};

class FaultPlan final
{
public:
    explicit FaultPlan(quint64 seed = 1);

    void setRates(const FaultRates &rates) { m_rates = rates; }
    const FaultRates &rates() const { return m_rates; }

    // The next `count` eligible requests get this fault, before any random one.
    void injectNext(Fault fault, int count = 1);
    void clearQueued() { m_queued.clear(); }

    // Decides the fault for one request (pops a queued fault or rolls the rates).
    Fault next();
    // Decides whether a reply is cut off and its connection dropped (FaultProxy asks this once per
    // request/reply exchange, so keep-alive connections are covered too).
    bool nextConnectionDrop();
    // Latency for one reply, real milliseconds.
    int nextLatencyMs();

    int fired(Fault fault) const { return m_fired.value(int(fault)); }
    int firedTotal() const;

private:
    bool roll(double rate);

    FaultRates m_rates;
    std::deque<Fault> m_queued;
    QRandomGenerator m_rng;
    QHash<int, int> m_fired;
};

} // namespace halospot::sandbox
