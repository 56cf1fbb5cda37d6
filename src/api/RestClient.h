// The request base every service client is built on: one QNetworkAccessManager per thread (created
// lazily in the client's thread), JSON in and out, transfer timeout, an X-Request-ID per attempt,
// shared rate limiters, the retry policy, async authentication, and redacted per-service logging.
#pragma once

#include "ApiResult.h"
#include "RateLimiter.h"
#include "RetryPolicy.h"

#include <QHash>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QString>

#include <deque>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace halospot::api {

// The logging category of a service: halospot.api.<service lower-cased>.
const QLoggingCategory &apiCategory(const QString &service);

// Whether a URL may carry credentials: https, or http to a loopback host (sandbox, tests).
bool isSecureOrLoopback(const QUrl &url);

class RestClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestClient)

public:
    using Done = std::function<void(const ApiResponse &)>;
    using Ready = std::function<void(bool ok, QString error)>;
    using Authenticator = std::function<void(QNetworkRequest &, Ready ready)>;
    // Gets the request as the failed attempt sent it (its Authorization header tells which
    // credentials were rejected) and calls `retry` once with whether to replay.
    using UnauthorizedHandler =
        std::function<void(const QNetworkRequest &failed, std::function<void(bool retry)> retry)>;
    using ErrorInterpreter = std::function<void(const ApiRequest &, ApiResponse &)>;
    using ReplyObserver = std::function<void(const ApiRequest &, const ApiResponse &)>;

    // service names the logging category and appears in sentences ("Halo", "HubSpot").
    explicit RestClient(QString service, QObject *parent = nullptr);
    ~RestClient() override;

    QString service() const { return m_service; }

    void setLimiter(const QString &name, std::shared_ptr<RateLimiter> limiter);
    std::shared_ptr<RateLimiter> limiter(const QString &name) const;
    void setTransferTimeoutMs(int ms);
    int transferTimeoutMs() const { return m_timeoutMs; }
    // A deadline for a whole attempt, however slowly bytes keep coming (the transfer timeout only
    // catches silence). 0 = none. Default: 120 s.
    void setAttemptDeadlineMs(int ms) { m_deadlineMs = qMax(0, ms); }
    int attemptDeadlineMs() const { return m_deadlineMs; }
    void setRetryPolicy(const RetryPolicy &policy);
    const RetryPolicy &retryPolicy() const { return m_policy; }
    // Requests this client has on the wire (or waiting for their limiter slot) at once; more wait
    // in a queue. 6 matches QNAM's HTTP/1.1 connections per host, so a reserved limiter slot is
    // used at once instead of waiting inside QNAM.
    void setMaxInFlight(int count);
    int maxInFlight() const { return m_maxInFlight; }

    // Called before each attempt to add auth headers; may be async (calls `ready` later, or fails
    // the request with ready(false, sentence)). Not called for requests with authenticate = false.
    void setAuthenticator(Authenticator authenticator);
    // The error a request ends with when its authenticator calls ready(false, …); a client sets
    // it just before reporting (e.g. ReconnectNeeded for a revoked grant). Default Unauthorized.
    void setAuthFailureKind(ApiError kind) { m_authFailureKind = kind; }
    // Called on a 401 once per request: refresh and replay (retry(true) replays the request).
    // The handler sees the rejected attempt's request, so it can tell a token that is still
    // current from one that was replaced while the attempt was on the wire.
    void setUnauthorizedHandler(UnauthorizedHandler handler);
    // Service-specific reading of an error reply (429 policy, Halo error shapes, ...): may set
    // error and message. Called for every non-2xx reply before the retry policy decides.
    void setErrorInterpreter(ErrorInterpreter interpreter);
    // Sees every reply, retried attempts included. X-HubSpot-RateLimit-Max/-Remaining/
    // -Interval-Milliseconds (real ms) are applied to the request's limiter by the client itself.
    void setReplyObserver(ReplyObserver observer);

    // Sends (after queueing, rate limiting and retries); `done` runs in this client's thread, and
    // only while `context` is alive (a null context: always). Never blocks.
    void send(const ApiRequest &request, QObject *context, Done done);
    // Ends every queued and running request with ApiError::Cancelled.
    void cancelAll();

    int queuedCount() const { return int(m_queue.size()); }
    int runningCount() const { return m_running; }
    // Mainly for tests: the manager of this client's thread (created on first use).
    QNetworkAccessManager *networkAccessManager();

private:
    struct Job;
    void pump();
    void startAttempt(const std::shared_ptr<Job> &job);
    void afterAuth(const std::shared_ptr<Job> &job, const QNetworkRequest &request);
    void transmit(const std::shared_ptr<Job> &job, const QNetworkRequest &request);
    void onFinished(const std::shared_ptr<Job> &job, QNetworkReply *reply);
    void handleResponse(const std::shared_ptr<Job> &job, ApiResponse response, bool reachedServer);
    void finish(const std::shared_ptr<Job> &job, ApiResponse response);
    void wait(const std::shared_ptr<Job> &job, qint64 ms, std::function<void()> then);
    void observeLimitHeaders(const ApiRequest &request, const ApiResponse &response, qint64 ageMs);
    bool redirectAllowed(const QUrl &from, const QUrl &to) const;
    QString describe(const ApiRequest &request) const;

    QString m_service;
    const QLoggingCategory &m_log;
    QNetworkAccessManager *m_nam = nullptr;
    QHash<QString, std::shared_ptr<RateLimiter>> m_limiters;
    int m_timeoutMs = 30000;
    int m_deadlineMs = 120000;
    RetryPolicy m_policy;
    int m_maxInFlight = 6;
    Authenticator m_authenticator;
    ApiError m_authFailureKind = ApiError::Unauthorized;
    UnauthorizedHandler m_unauthorized;
    ErrorInterpreter m_interpreter;
    ReplyObserver m_observer;
    std::deque<std::shared_ptr<Job>> m_queue;
    QList<std::shared_ptr<Job>> m_active;
    int m_running = 0;
};

} // namespace halospot::api
