// RestClient: queueing, limiter slots, authentication and sending. Reply handling, retries and
// completion live in RestClientReply.cpp.
#include "RestClient.h"
#include "RestClientJob.h"

#include "Redact.h"

#include <QHostAddress>
#include <QMutex>
#include <QMutexLocker>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <map>

namespace halospot::api {

namespace {

// One manager per thread, shared by every RestClient living there and deleted with the last one.
struct ThreadNam
{
    QNetworkAccessManager *nam = nullptr;
    int users = 0;
};
thread_local ThreadNam t_nam;

} // namespace

const QLoggingCategory &apiCategory(const QString &service)
{
    // Categories keep a pointer to their name, so names and categories live for the program.
    static QMutex mutex;
    static std::map<QString, std::pair<QByteArray, std::unique_ptr<QLoggingCategory>>> categories;
    QMutexLocker lock(&mutex);
    auto &entry = categories[service.toLower()];
    if (!entry.second) {
        entry.first = "halospot.api." + service.toLower().toLatin1();
        // Debug lines (one per request) are off unless asked for (QT_LOGGING_RULES, --verbose).
        entry.second = std::make_unique<QLoggingCategory>(entry.first.constData(), QtInfoMsg);
    }
    return *entry.second;
}

bool isSecureOrLoopback(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return false;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return true;
    if (scheme != QLatin1String("http"))
        return false;
    const QString host = url.host().toLower();
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

RestClient::RestClient(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
    , m_log(apiCategory(m_service))
{}

RestClient::~RestClient()
{
    // No callbacks from a dying client: just stop the network work.
    for (const auto &job : std::as_const(m_active)) {
        job->finished = true;
        if (QNetworkReply *reply = job->reply) {
            reply->disconnect(this);
            reply->abort();
            delete reply;
        }
    }
    m_active.clear();
    m_queue.clear();
    // The manager belongs to this thread's slot; a client must die in the thread it worked in.
    Q_ASSERT_X(!m_nam || QThread::currentThread() == thread(), "RestClient",
               "destroyed outside its thread");
    if (m_nam && --t_nam.users == 0) {
        delete t_nam.nam;
        t_nam.nam = nullptr;
    }
}

QNetworkAccessManager *RestClient::networkAccessManager()
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "RestClient",
               "used from a thread other than its own");
    if (!m_nam) {
        if (!t_nam.nam) {
            t_nam.nam = new QNetworkAccessManager;
            // Redirects are checked one by one (redirectAllowed) so none leaves the host or https.
            t_nam.nam->setRedirectPolicy(QNetworkRequest::UserVerifiedRedirectPolicy);
        }
        ++t_nam.users;
        m_nam = t_nam.nam;
    }
    return m_nam;
}

void RestClient::setLimiter(const QString &name, std::shared_ptr<RateLimiter> limiter)
{
    m_limiters.insert(name, std::move(limiter));
}

std::shared_ptr<RateLimiter> RestClient::limiter(const QString &name) const
{
    return m_limiters.value(name);
}

void RestClient::setTransferTimeoutMs(int ms)
{
    m_timeoutMs = qMax(0, ms);
}

void RestClient::setRetryPolicy(const RetryPolicy &policy)
{
    m_policy = policy;
}

void RestClient::setMaxInFlight(int count)
{
    m_maxInFlight = qMax(1, count);
    pump();
}

void RestClient::setAuthenticator(Authenticator authenticator)
{
    m_authenticator = std::move(authenticator);
}

void RestClient::setUnauthorizedHandler(UnauthorizedHandler handler)
{
    m_unauthorized = std::move(handler);
}

void RestClient::setErrorInterpreter(ErrorInterpreter interpreter)
{
    m_interpreter = std::move(interpreter);
}

void RestClient::setReplyObserver(ReplyObserver observer)
{
    m_observer = std::move(observer);
}

QString RestClient::describe(const ApiRequest &request) const
{
    return request.what.isEmpty() ? QStringLiteral("complete a request") : request.what;
}

void RestClient::send(const ApiRequest &request, QObject *context, Done done)
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "RestClient::send",
               "called from a thread other than the client's");
    auto job = std::make_shared<Job>();
    job->request = request;
    job->context = context;
    job->hasContext = context != nullptr;
    job->done = std::move(done);
    job->elapsed.start();

    if (!isSecureOrLoopback(request.url)) {
        ApiResponse refused;
        refused.error = ApiError::Refused;
        refused.message =
            tr("HaloSpot did not contact %1 to %2, because %3 is not a secure "
               "(https) address. Use the https:// address of the service.")
                .arg(m_service, describe(request),
                     request.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
        // Completed later, so callers see the same (asynchronous) order for every outcome.
        QTimer::singleShot(0, this, [this, job, refused] {
            m_active.append(job);
            ++m_running;
            finish(job, refused);
        });
        return;
    }
    if (!request.authenticate) {
        // Sign-in requests skip the queue: the requests filling the in-flight slots may be the
        // very ones waiting for this token.
        ++m_running;
        m_active.append(job);
        startAttempt(job);
        return;
    }
    m_queue.push_back(job);
    pump();
}

void RestClient::pump()
{
    while (m_running < m_maxInFlight && !m_queue.empty()) {
        auto job = m_queue.front();
        m_queue.pop_front();
        ++m_running;
        m_active.append(job);
        startAttempt(job);
    }
}

void RestClient::wait(const std::shared_ptr<Job> &job, qint64 ms, std::function<void()> then)
{
    if (ms <= 0) {
        then();
        return;
    }
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    // Coarse timers may fire early, which would use a limiter slot before it is free.
    timer->setTimerType(Qt::PreciseTimer);
    job->timer = timer;
    connect(timer, &QTimer::timeout, this, [job, timer, then = std::move(then)] {
        timer->deleteLater();
        job->timer = nullptr;
        if (!job->finished)
            then();
    });
    timer->start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())));
}

void RestClient::startAttempt(const std::shared_ptr<Job> &job)
{
    if (job->finished)
        return;
    auto request = std::make_shared<QNetworkRequest>(job->request.url);
    if (!job->request.authenticate || !m_authenticator) {
        afterAuth(job, *request);
        return;
    }
    QPointer<RestClient> self(this);
    m_authenticator(*request, [self, job, request](bool ok, QString error) {
        if (!self || job->finished)
            return;
        if (!ok) {
            ApiResponse failed;
            failed.error = self->m_authFailureKind;
            failed.message = error.isEmpty()
                                 ? tr("HaloSpot could not sign in to %1 to %2.")
                                       .arg(self->m_service, self->describe(job->request))
                                 : error;
            self->finish(job, failed);
            return;
        }
        self->afterAuth(job, *request);
    });
}

void RestClient::afterAuth(const std::shared_ptr<Job> &job, const QNetworkRequest &request)
{
    // The slot is taken only now, when nothing but the limiter stands between us and the wire.
    const auto limiter =
        job->request.limiter.isEmpty() ? nullptr : m_limiters.value(job->request.limiter);
    const qint64 delay = limiter ? limiter->reserve() : 0;
    if (delay > 0)
        qCDebug(m_log) << "waiting" << delay << "ms for a" << job->request.limiter << "slot";
    wait(job, delay, [this, job, request] { transmit(job, request); });
}

void RestClient::transmit(const std::shared_ptr<Job> &job, const QNetworkRequest &prepared)
{
    QNetworkRequest request = prepared;
    const ApiRequest &r = job->request;
    ++job->attempts;
    job->requestId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    request.setRawHeader("X-Request-ID", job->requestId);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("HaloSpot/0.1"));
    if (!r.contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, r.contentType);
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    request.setTransferTimeout(std::chrono::milliseconds(m_timeoutMs));
#else
    request.setTransferTimeout(m_timeoutMs);
#endif
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::UserVerifiedRedirectPolicy);

    if (m_log.isDebugEnabled()) {
        qCDebug(m_log).noquote() << r.method << redactUrl(r.url) << "id" << job->requestId
                                 << "attempt" << job->attempts;
        const auto headers = request.rawHeaderList();
        for (const QByteArray &name : headers)
            qCDebug(m_log).noquote()
                << "  " << name << ":" << redactHeader(name, request.rawHeader(name));
        if (!r.body.isEmpty())
            qCDebug(m_log).noquote() << "  body" << redactBody(r.body);
    }

    QNetworkAccessManager *nam = networkAccessManager();
    QNetworkReply *reply = (r.method == "GET" && r.body.isEmpty())
                               ? nam->get(request)
                               : nam->sendCustomRequest(request, r.method, r.body);
    job->reply = reply;
    job->sent = request;
    job->onWire.start();
    job->refusedRedirect.clear();
    connect(reply, &QNetworkReply::redirected, this, [this, job, reply](const QUrl &to) {
        const QUrl from = reply->url();
        const QUrl target = from.resolved(to);
        if (redirectAllowed(job->request.url, target)) {
            Q_EMIT reply->redirectAllowed();
            return;
        }
        job->refusedRedirect = target;
        reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, job, reply] { onFinished(job, reply); });
    if (m_deadlineMs > 0) {
        // Aborting makes the reply finish with OperationCanceledError, read as a timeout.
        QPointer<QNetworkReply> guard(reply);
        QTimer::singleShot(m_deadlineMs, reply, [guard] {
            if (guard && guard->isRunning())
                guard->abort();
        });
    }
}

bool RestClient::redirectAllowed(const QUrl &from, const QUrl &to) const
{
    // Same host and port only, and never down from https; plain http stays allowed only where
    // the original was plain http to a loopback host (the sandbox).
    if (to.host().compare(from.host(), Qt::CaseInsensitive) != 0)
        return false;
    if (to.port(to.scheme() == QLatin1String("https") ? 443 : 80) !=
        from.port(from.scheme() == QLatin1String("https") ? 443 : 80))
        return false;
    if (to.scheme() == QLatin1String("https"))
        return true;
    return from.scheme() == QLatin1String("http") && isSecureOrLoopback(to);
}

void RestClient::cancelAll()
{
    auto queued = std::move(m_queue);
    m_queue.clear();
    for (const auto &job : queued) {
        m_active.append(job);
        ++m_running;
    }
    const auto active = m_active;
    for (const auto &job : active) {
        if (job->finished)
            continue;
        if (QNetworkReply *reply = job->reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
            job->reply = nullptr;
        }
        ApiResponse cancelled;
        cancelled.error = ApiError::Cancelled;
        cancelled.message = tr("The request to %1 was cancelled.").arg(m_service);
        finish(job, cancelled);
    }
}

} // namespace halospot::api
