// The retry decisions: rate-limit waits from headers and HubSpot policy names, backoff for
// transient failures, and the rule that a create is never sent twice.
#include "RetryPolicy.h"

#include <QJsonObject>
#include <QLocale>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace halospot::api {

namespace {

QString clockTime(const QDateTime &when)
{
    return QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
}

qint64 withJitter(qint64 ms, double jitter)
{
    if (ms <= 0 || jitter <= 0)
        return qMax<qint64>(0, ms);
    const double low = double(ms) * (1.0 - std::clamp(jitter, 0.0, 1.0));
    return qint64(low + QRandomGenerator::global()->generateDouble() * (double(ms) - low));
}

} // namespace

qint64 RetryPolicy::scaled(qint64 serverMs) const
{
    if (timeScale <= 1.0)
        return serverMs;
    return qMax<qint64>(1, qint64(std::ceil(double(serverMs) / timeScale)));
}

qint64 RetryPolicy::backoffMs(int failure) const
{
    const int shift = std::clamp(failure - 1, 0, 20);
    const qint64 capped = qMin(backoffMaxMs, backoffBaseMs * (qint64(1) << shift));
    return withJitter(capped, jitter);
}

std::optional<qint64> RetryPolicy::retryAfterMs(const ApiResponse &response,
                                                const QDateTime &nowUtc)
{
    const QByteArray header = response.header("retry-after").trimmed();
    if (!header.isEmpty()) {
        bool ok = false;
        const double seconds = header.toDouble(&ok);
        if (ok && seconds >= 0)
            return qint64(std::ceil(seconds * 1000.0));
        const QDateTime when = QDateTime::fromString(QString::fromLatin1(header), Qt::RFC2822Date);
        if (when.isValid())
            return qMax<qint64>(0, nowUtc.msecsTo(when));
    }
    // Halo sometimes puts the hint in the body instead.
    if (response.json.isObject()) {
        const QJsonObject o = response.json.object();
        for (const auto key : {QLatin1String("retry_after"), QLatin1String("retryAfter")}) {
            const QJsonValue v = o.value(key);
            if (v.isDouble() && v.toDouble() >= 0)
                return qint64(std::ceil(v.toDouble() * 1000.0));
            if (v.isString()) {
                bool ok = false;
                const double seconds = v.toString().toDouble(&ok);
                if (ok && seconds >= 0)
                    return qint64(std::ceil(seconds * 1000.0));
            }
        }
    }
    return std::nullopt;
}

QDateTime RetryPolicy::nextDailyReset(const QDateTime &nowLocal)
{
    const QDateTime local = nowLocal.toLocalTime();
    return QDateTime(local.date().addDays(1), QTime(0, 0));
}

bool RetryPolicy::isTransient(const ApiResponse &response)
{
    if (response.status >= 500)
        return response.status != 501 && response.status != 505;
    if (response.status == 408)
        return true;
    return response.error == ApiError::Network || response.error == ApiError::Timeout ||
           response.error == ApiError::Malformed;
}

RetryDecision RetryPolicy::decide(const ApiRequest &request, const ApiResponse &response,
                                  const AttemptInfo &attempt) const
{
    RetryDecision d;
    const QString what =
        request.what.isEmpty() ? QStringLiteral("complete the request") : request.what;

    if (response.status == 429) {
        const QJsonObject body = response.json.object();
        const QString policyName = body.value(QLatin1String("policyName")).toString();
        const QString message = body.value(QLatin1String("message")).toString();
        if (policyName == QLatin1String("DAILY")) {
            const QDateTime reset = nextDailyReset(QDateTime::currentDateTime());
            d.error = ApiError::DailyLimit;
            d.message = QStringLiteral("%1's daily API limit is used up, so HaloSpot could not %2. "
                                       "The limit resets at midnight in the %1 account's time "
                                       "zone (about %3 here if it matches yours); try again then.")
                            .arg(attempt.service, what, clockTime(reset));
            return d;
        }
        if (attempt.rateLimitWaits > maxRateLimitWaits) {
            d.error = ApiError::RateLimited;
            d.message = QStringLiteral("%1 kept refusing requests for being too frequent, so "
                                       "HaloSpot could not %2. Try again in a few minutes.")
                            .arg(attempt.service, what);
            return d;
        }
        qint64 wait = 0;
        if (const auto after = retryAfterMs(response, QDateTime::currentDateTimeUtc())) {
            wait = scaleRetryAfter ? scaled(*after) : *after;
        } else if (policyName == QLatin1String("TEN_SECONDLY_ROLLING")) {
            const qint64 interval =
                response.header("x-hubspot-ratelimit-interval-milliseconds").toLongLong();
            // The header is in real ms already (the sandbox divides it by its time scale); only
            // the client's own default is in server time.
            wait = interval > 0 ? interval : scaled(windowWaitMs);
        } else if (message.contains(QLatin1String("secondly limit"), Qt::CaseInsensitive)) {
            wait = scaled(secondlyWaitMs);
        } else {
            const int shift = std::clamp(attempt.rateLimitWaits - 1, 0, 20);
            wait = scaled(
                withJitter(qMin(rateLimitMaxMs, rateLimitBaseMs * (qint64(1) << shift)), jitter));
        }
        if (wait > scaled(maxRetryAfterMs)) {
            d.error = ApiError::RateLimited;
            d.message = QStringLiteral("%1 asked HaloSpot to wait until %2 before sending more "
                                       "requests, so it could not %3. Try again after that time.")
                            .arg(attempt.service,
                                 clockTime(QDateTime::currentDateTime().addMSecs(wait)), what);
            return d;
        }
        d.retry = true;
        d.delayMs = wait;
        d.pauseLimiter = true;
        return d;
    }

    if (response.status == 423) {
        if (attempt.rateLimitWaits > maxRateLimitWaits) {
            d.error = ApiError::Http;
            d.message = QStringLiteral("%1 kept reporting the records as locked, so HaloSpot "
                                       "could not %2. Try again in a few minutes.")
                            .arg(attempt.service, what);
            return d;
        }
        const qint64 hinted = retryAfterMs(response, QDateTime::currentDateTimeUtc()).value_or(0);
        d.retry = true;
        d.delayMs = qMax(scaled(lockedWaitMs), scaleRetryAfter ? scaled(hinted) : hinted);
        return d;
    }

    if (!isTransient(response))
        return d;

    if (!request.idempotent && attempt.mayHaveReachedServer) {
        d.error = ApiError::OutcomeUnknown;
        d.message = QStringLiteral("HaloSpot cannot tell whether %1 managed to %2 (%3). It was "
                                   "not sent again, to avoid duplicates; the records will be "
                                   "checked before any retry.")
                        .arg(attempt.service, what,
                             response.message.isEmpty() ? QStringLiteral("no clear reply")
                                                        : response.message);
        return d;
    }
    if (attempt.failures >= maxAttempts)
        return d;
    d.retry = true;
    d.delayMs = backoffMs(attempt.failures);
    return d;
}

} // namespace halospot::api
