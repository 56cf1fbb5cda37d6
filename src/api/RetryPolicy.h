// Which failed attempts are tried again, and after how long: Retry-After first, HubSpot's
// TEN_SECONDLY_ROLLING / search "secondly" / DAILY policies, 423 Locked, and capped exponential
// backoff with jitter for 5xx, timeouts and dropped connections on idempotent calls only.
#pragma once

#include "ApiResult.h"

#include <QDateTime>

#include <optional>

namespace halospot::api {

struct RetryDecision
{
    bool retry = false;
    qint64 delayMs = 0;              // real ms before the next attempt
    bool pauseLimiter = false;       // the whole service is throttled: pause the shared limiter too
    ApiError error = ApiError::None; // when not retrying: the final error (None = keep as is)
    QString message;                 // when not retrying: the final sentence (empty = keep as is)
};

// What the client knows about the failed attempt.
struct AttemptInfo
{
    int failures = 0;                 // failures so far for 5xx/timeout/drop, including this one
    int rateLimitWaits = 0;           // 429/423 waits so far, including this one
    bool mayHaveReachedServer = true; // false only when the connection was never made
    QString service;                  // "HubSpot", "Halo": for sentences
};

struct RetryPolicy
{
    int maxAttempts = 6;           // attempts per request for 5xx, timeouts, drops
    qint64 backoffBaseMs = 500;    // first backoff; doubles per failure
    qint64 backoffMaxMs = 30000;   // cap per wait
    double jitter = 0.5;           // the wait is drawn from [d*(1-jitter), d]
    int maxRateLimitWaits = 40;    // 429/423 waits per request before giving up
    qint64 rateLimitBaseMs = 2000; // 429 with no hint at all (Halo): exponential from here
    qint64 rateLimitMaxMs = 60000;
    qint64 windowWaitMs = 10000;  // TEN_SECONDLY_ROLLING without Retry-After / interval header
    qint64 secondlyWaitMs = 1000; // search "secondly" limit
    qint64 lockedWaitMs = 2000;   // 423 Locked: at least 2 s
    qint64 maxRetryAfterMs = 15 * 60 * 1000; // a longer Retry-After ends the call instead
    // Sandbox benchmarks run the server's clock S times faster: this client's own server-time
    // defaults (windowWaitMs, secondlyWaitMs, 423, backoff for 429s without hints) are divided by
    // this. X-HubSpot-RateLimit-Interval-Milliseconds is real ms already and is not. 1 in real
    // use.
    double timeScale = 1.0;
    // Whether Retry-After is in server time (scaled by timeScale) or already in real seconds
    // (what the sandbox sends).
    bool scaleRetryAfter = false;

    // The capped exponential backoff with jitter for the n-th failure (1-based), real ms.
    qint64 backoffMs(int failure) const;
    RetryDecision decide(const ApiRequest &request, const ApiResponse &response,
                         const AttemptInfo &attempt) const;

    // Retry-After (seconds or an HTTP date) or a JSON retry_after, in server ms; nullopt if absent.
    static std::optional<qint64> retryAfterMs(const ApiResponse &response, const QDateTime &nowUtc);
    // When a daily budget counted in the account's time zone resets; approximated by the next
    // local midnight, as the account time zone is not known to the client.
    static QDateTime nextDailyReset(const QDateTime &nowLocal);
    // True for the statuses and errors that backoff applies to.
    static bool isTransient(const ApiResponse &response);

private:
    qint64 scaled(qint64 serverMs) const;
};

} // namespace halospot::api
