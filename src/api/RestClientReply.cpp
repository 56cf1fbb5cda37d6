// RestClient: turning a QNetworkReply into an ApiResponse, the retry loop and completion.
#include "RestClient.h"
#include "RestClientJob.h"

#include "Redact.h"

#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace halospot::api {

namespace {

bool isTransportError(QNetworkReply::NetworkError error)
{
    // Qt numbers connection errors 1-99 and proxy errors 100-199; 200+ are HTTP-level.
    return error != QNetworkReply::NoError && int(error) < 200;
}

// Errors where the request cannot have reached the service.
bool neverSent(QNetworkReply::NetworkError error)
{
    return error == QNetworkReply::ConnectionRefusedError ||
           error == QNetworkReply::HostNotFoundError ||
           error == QNetworkReply::ProxyConnectionRefusedError ||
           error == QNetworkReply::ProxyNotFoundError ||
           error == QNetworkReply::SslHandshakeFailedError;
}

QString reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 409:
        return QStringLiteral("Conflict");
    case 423:
        return QStringLiteral("Locked");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return QString();
    }
}

} // namespace

void RestClient::onFinished(const std::shared_ptr<Job> &job, QNetworkReply *reply)
{
    reply->deleteLater();
    if (job->reply == reply)
        job->reply = nullptr;
    if (job->finished)
        return;

    ApiResponse r;
    r.requestId = job->requestId;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const auto pairs = reply->rawHeaderPairs();
    for (const auto &pair : pairs)
        r.headers.insert(pair.first.toLower(), pair.second);
    if (reply->isOpen())
        r.body = reply->readAll();
    const QNetworkReply::NetworkError error = reply->error();
    const QString what = describe(job->request);

    if (!job->refusedRedirect.isEmpty()) {
        r.error = ApiError::Refused;
        r.message = tr("%1 redirected the request to %2 to %3, which HaloSpot refuses to follow "
                       "(another host or an insecure address). Check the %1 address.")
                        .arg(m_service, what,
                             job->refusedRedirect.toDisplayString(QUrl::RemoveQuery |
                                                                  QUrl::RemoveUserInfo));
        finish(job, r);
        return;
    }

    bool reachedServer = true;
    if (r.status == 0 || isTransportError(error)) {
        if (error == QNetworkReply::OperationCanceledError ||
            error == QNetworkReply::TimeoutError) {
            // Replies we abort for other reasons are disconnected first, so a cancel here is the
            // transfer timeout or the attempt deadline firing.
            r.error = ApiError::Timeout;
            r.message = tr("%1 did not answer within %2 seconds while HaloSpot tried to %3.")
                            .arg(m_service)
                            .arg(m_timeoutMs / 1000.0, 0, 'g', 3)
                            .arg(what);
        } else {
            reachedServer = !neverSent(error);
            r.error = ApiError::Network;
            r.message = tr("HaloSpot could not reach %1 to %2: %3.")
                            .arg(m_service, what, reply->errorString());
        }
        // A status with a cut body says nothing reliable about the outcome.
        r.status = 0;
    } else if (!r.body.isEmpty()) {
        QJsonParseError parseError;
        r.json = QJsonDocument::fromJson(r.body, &parseError);
        const bool success = r.status >= 200 && r.status < 300;
        if (parseError.error != QJsonParseError::NoError) {
            r.json = QJsonDocument();
            const bool looksJson = r.header("content-type").contains("json");
            if (success && looksJson) {
                r.error = ApiError::Malformed;
                r.message = tr("%1 sent an unreadable reply while HaloSpot tried to %2 "
                               "(invalid JSON at byte %3).")
                                .arg(m_service, what)
                                .arg(parseError.offset);
            }
        }
    }

    qCDebug(m_log).noquote() << job->request.method << redactUrl(job->request.url) << "->"
                             << r.status << apiErrorName(r.error) << "in" << job->elapsed.elapsed()
                             << "ms id" << job->requestId;
    if (!r.body.isEmpty() && (r.status < 200 || r.status >= 300))
        qCDebug(m_log).noquote() << "  reply" << redactBody(r.body);

    if (r.status > 0)
        observeLimitHeaders(job->request, r, job->onWire.isValid() ? job->onWire.elapsed() : 0);
    if (m_observer)
        m_observer(job->request, r);
    handleResponse(job, std::move(r), reachedServer);
}

void RestClient::observeLimitHeaders(const ApiRequest &request, const ApiResponse &response,
                                     qint64 ageMs)
{
    const auto limiter = request.limiter.isEmpty() ? nullptr : m_limiters.value(request.limiter);
    if (!limiter)
        return;
    const QByteArray max = response.header("x-hubspot-ratelimit-max");
    const QByteArray interval = response.header("x-hubspot-ratelimit-interval-milliseconds");
    if (max.isEmpty() || interval.isEmpty())
        return;
    const QByteArray remaining = response.header("x-hubspot-ratelimit-remaining");
    bool ok = false;
    const int remainingValue = remaining.toInt(&ok);
    // The interval is taken as real milliseconds: it is the time this client waits for the
    // window, and a sandbox under a time scale already sends it divided by the scale.
    limiter->applyHeaders(max.toInt(), ok ? remainingValue : -1, interval.toLongLong(), ageMs);
}

void RestClient::handleResponse(const std::shared_ptr<Job> &job, ApiResponse r, bool reachedServer)
{
    const QString what = describe(job->request);
    const bool success = r.status >= 200 && r.status < 300 && r.error == ApiError::None;
    if (success) {
        finish(job, std::move(r));
        return;
    }

    if (r.status == 401 && job->request.authenticate && m_unauthorized && !job->replayedAfter401) {
        job->replayedAfter401 = true;
        QPointer<RestClient> self(this);
        m_unauthorized(job->sent, [self, job, r](bool retry) {
            if (!self || job->finished)
                return;
            if (retry) {
                self->startAttempt(job);
                return;
            }
            ApiResponse failed = r;
            failed.error = ApiError::Unauthorized;
            failed.message = tr("%1 rejected HaloSpot's sign-in while it tried to %2. Check the "
                                "connection settings.")
                                 .arg(self->m_service, self->describe(job->request));
            self->finish(job, failed);
        });
        return;
    }

    if (r.error == ApiError::None) {
        r.error = r.status == 401 ? ApiError::Unauthorized : ApiError::Http;
        const QString reason = reasonPhrase(r.status);
        r.message = tr("%1 answered HTTP %2%3 while HaloSpot tried to %4.")
                        .arg(m_service)
                        .arg(r.status)
                        .arg(reason.isEmpty() ? QString() : QLatin1Char(' ') + reason)
                        .arg(what);
    }
    if (m_interpreter && (r.status < 200 || r.status >= 300) && r.status > 0)
        m_interpreter(job->request, r);

    const bool transient = RetryPolicy::isTransient(r);
    if (transient)
        ++job->failures;
    if (r.status == 429 || r.status == 423)
        ++job->rateLimitWaits;
    AttemptInfo info;
    info.failures = job->failures;
    info.rateLimitWaits = job->rateLimitWaits;
    info.mayHaveReachedServer = reachedServer;
    info.service = m_service;
    const RetryDecision decision = m_policy.decide(job->request, r, info);

    if (decision.retry) {
        qCInfo(m_log).noquote() << "retrying" << job->request.method << redactUrl(job->request.url)
                                << "in" << decision.delayMs << "ms after"
                                << (r.status ? QString::number(r.status) : apiErrorName(r.error));
        if (decision.pauseLimiter) {
            if (const auto limiter = m_limiters.value(job->request.limiter))
                limiter->pauseFor(decision.delayMs);
        }
        QPointer<RestClient> self(this);
        wait(job, decision.delayMs, [self, job] {
            if (self)
                self->startAttempt(job);
        });
        return;
    }

    if (decision.error != ApiError::None)
        r.error = decision.error;
    if (!decision.message.isEmpty())
        r.message = decision.message;
    else if (transient && job->failures > 1)
        r.message += tr(" (gave up after %1 attempts)").arg(job->failures);
    finish(job, std::move(r));
}

void RestClient::finish(const std::shared_ptr<Job> &job, ApiResponse response)
{
    if (job->finished)
        return;
    job->finished = true;
    if (job->timer)
        job->timer->deleteLater();
    m_active.removeOne(job);
    --m_running;
    response.attempts = job->attempts;
    if (response.requestId.isEmpty())
        response.requestId = job->requestId;
    if (!response.ok())
        qCInfo(m_log).noquote() << apiErrorName(response.error) << response.message;

    QPointer<RestClient> self(this);
    const bool deliver = !job->hasContext || job->context;
    Done done = std::move(job->done);
    if (deliver && done)
        done(response);
    if (self)
        self->pump();
}

} // namespace halospot::api
