// HubSpot token handling: proactive OAuth refresh shared by all callers, 401 replays, and the
// distinct "reconnect needed" state when HubSpot refuses the refresh token.
#include "HubSpotTokens.h"

#include "RestClient.h"

#include <QJsonObject>
#include <QMetaObject>
#include <QMutexLocker>
#include <QThread>

namespace halospot::api {

namespace {

QByteArray formField(const char *name, const QString &value)
{
    return QByteArray(name) + '=' + QUrl::toPercentEncoding(value);
}

} // namespace

bool HubSpotSettings::isDateVersion() const
{
    // Date versions look like 2026-03; everything else (v3, v4) is a numbered version.
    return apiVersion.size() >= 7 && apiVersion.at(4) == QLatin1Char('-');
}

QUrl HubSpotSettings::url(const QString &path) const
{
    QUrl u = apiBase;
    QString base = u.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    u.setPath(base + path);
    return u;
}

QString HubSpotSettings::objectsPath(const QString &objectType) const
{
    return isDateVersion() ? QStringLiteral("/crm/objects/%1/%2").arg(apiVersion, objectType)
                           : QStringLiteral("/crm/%1/objects/%2").arg(apiVersion, objectType);
}

QString HubSpotSettings::propertiesPath(const QString &objectType) const
{
    return isDateVersion() ? QStringLiteral("/crm/properties/%1/%2").arg(apiVersion, objectType)
                           : QStringLiteral("/crm/%1/properties/%2").arg(apiVersion, objectType);
}

QString HubSpotSettings::associationsPath(const QString &fromType, const QString &toType) const
{
    // Numbered versions keep associations on v4 (v3 associations lack labels and type IDs).
    return isDateVersion()
               ? QStringLiteral("/crm/associations/%1/%2/%3").arg(apiVersion, fromType, toType)
               : QStringLiteral("/crm/v4/associations/%1/%2").arg(fromType, toType);
}

QString HubSpotSettings::accountInfoPath() const
{
    return isDateVersion() ? QStringLiteral("/account-info/%1/details").arg(apiVersion)
                           : QStringLiteral("/account-info/v3/details");
}

QString HubSpotSettings::tokenPath() const
{
    return isDateVersion() ? QStringLiteral("/oauth/%1/token").arg(apiVersion)
                           : QStringLiteral("/oauth/v3/token");
}

qint64 HubSpotSettings::realMs(qint64 serviceMs) const
{
    return timeScale > 1.0 ? qint64(double(serviceMs) / timeScale) : serviceMs;
}

HubSpotTokens::HubSpotTokens(HubSpotSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_rest(new RestClient(QStringLiteral("HubSpot"), this))
{
    m_clock.start();
    RetryPolicy policy;
    policy.timeScale = m_settings.timeScale;
    m_rest->setRetryPolicy(policy);
}

HubSpotTokens::~HubSpotTokens() = default;

void HubSpotTokens::setStaticToken(const QString &token)
{
    QMutexLocker lock(&m_mutex);
    m_static = true;
    m_accessToken = token;
    m_refreshToken.clear();
    m_reconnect = false;
}

void HubSpotTokens::setOAuth(const QString &clientId, const QString &clientSecret,
                             const QString &refreshToken, const QString &accessToken,
                             const QDateTime &accessExpiresAtUtc)
{
    QMutexLocker lock(&m_mutex);
    m_static = false;
    m_clientId = clientId;
    m_clientSecret = clientSecret;
    m_refreshToken = refreshToken;
    m_accessToken = accessToken;
    m_expiresAtMs = 0;
    m_lifetimeMs = 0;
    if (!accessToken.isEmpty() && accessExpiresAtUtc.isValid()) {
        const qint64 left = QDateTime::currentDateTimeUtc().msecsTo(accessExpiresAtUtc);
        m_expiresAtMs = m_clock.elapsed() + m_settings.realMs(left);
        m_lifetimeMs = m_settings.realMs(1800 * 1000);
    }
    m_reconnect = false;
    m_reconnectMessage.clear();
}

void HubSpotTokens::setTransferTimeoutMs(int ms)
{
    m_rest->setTransferTimeoutMs(ms);
}

void HubSpotTokens::setRefreshLeadSec(qint64 seconds)
{
    QMutexLocker lock(&m_mutex);
    m_leadSec = qMax<qint64>(0, seconds);
}

bool HubSpotTokens::isStatic() const
{
    QMutexLocker lock(&m_mutex);
    return m_static;
}

bool HubSpotTokens::needsReconnect() const
{
    QMutexLocker lock(&m_mutex);
    return m_reconnect;
}

QString HubSpotTokens::reconnectMessage() const
{
    QMutexLocker lock(&m_mutex);
    return m_reconnectMessage;
}

int HubSpotTokens::refreshCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_refreshes;
}

qint64 HubSpotTokens::leadMs() const
{
    const qint64 lead = m_settings.realMs(m_leadSec * 1000);
    // A token issued for less than twice the lead would always look due: refresh it at half-life.
    return m_lifetimeMs > 0 ? qMin(lead, m_lifetimeMs / 2) : lead;
}

void HubSpotTokens::accessToken(QObject *context, std::function<void(const TokenReply &)> done)
{
    TokenReply reply;
    bool start = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_static || m_reconnect) {
            if (m_static) {
                reply.token = m_accessToken;
                if (reply.token.isEmpty()) {
                    reply.error = ApiError::Unauthorized;
                    reply.message = tr("No HubSpot access token is set. Connect HubSpot in the "
                                       "settings.");
                }
            } else {
                reply.error = ApiError::ReconnectNeeded;
                reply.message = m_reconnectMessage;
            }
        } else {
            const qint64 now = m_clock.elapsed();
            const bool have = !m_accessToken.isEmpty() && m_expiresAtMs > 0;
            const qint64 left = have ? m_expiresAtMs - now : 0;
            // Keep using a token inside the lead time while the refresh runs, unless it may expire
            // before the request reaches HubSpot.
            const qint64 usableMargin = qMin<qint64>(leadMs() / 4, 30000);
            if (!have || left <= leadMs()) {
                start = !m_refreshing;
                m_refreshing = true;
            }
            if (have && left > usableMargin) {
                reply.token = m_accessToken;
            } else {
                m_waiters.append({QPointer<QObject>(context), std::move(done)});
                done = nullptr;
            }
        }
    }
    if (start)
        QMetaObject::invokeMethod(this, &HubSpotTokens::startRefresh);
    if (done)
        done(reply);
}

void HubSpotTokens::tokenRejected(const QString &rejected, QObject *context,
                                  std::function<void(const TokenReply &)> done)
{
    TokenReply reply;
    bool start = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_static) {
            reply.error = ApiError::Unauthorized;
            reply.message = tr("HubSpot refused the access token. The private app token may have "
                               "been rotated or deleted: enter the current one in the settings.");
        } else if (m_reconnect) {
            reply.error = ApiError::ReconnectNeeded;
            reply.message = m_reconnectMessage;
        } else if (m_refreshing) {
            m_waiters.append({QPointer<QObject>(context), std::move(done)});
            done = nullptr;
        } else if (!m_accessToken.isEmpty() && rejected != m_accessToken &&
                   m_expiresAtMs > m_clock.elapsed()) {
            // The request carried an older token; a newer one exists already: just replay.
            reply.token = m_accessToken;
        } else {
            m_expiresAtMs = 0; // the current token is dead whatever its expiry said
            m_refreshing = true;
            start = true;
            m_waiters.append({QPointer<QObject>(context), std::move(done)});
            done = nullptr;
        }
    }
    if (start)
        QMetaObject::invokeMethod(this, &HubSpotTokens::startRefresh);
    if (done)
        done(reply);
}

void HubSpotTokens::startRefresh()
{
    QString clientId, clientSecret, refreshToken;
    {
        QMutexLocker lock(&m_mutex);
        clientId = m_clientId;
        clientSecret = m_clientSecret;
        refreshToken = m_refreshToken;
    }
    if (refreshToken.isEmpty()) {
        TokenReply reply;
        reply.error = ApiError::ReconnectNeeded;
        reply.message = tr("HaloSpot has no HubSpot refresh token. Connect HubSpot again.");
        finishRefresh(reply, {}, 0);
        return;
    }
    ApiRequest request;
    request.method = "POST";
    request.url = m_settings.url(m_settings.tokenPath());
    request.contentType = "application/x-www-form-urlencoded";
    request.body = formField("grant_type", QStringLiteral("refresh_token")) + '&' +
                   formField("client_id", clientId) + '&' +
                   formField("client_secret", clientSecret) + '&' +
                   formField("refresh_token", refreshToken);
    request.limiter.clear(); // token calls do not count against the CRM limits
    request.authenticate = false;
    request.what = tr("refresh the HubSpot access token");
    m_rest->send(request, this, [this](const ApiResponse &response) {
        const QJsonObject body = response.json.object();
        if (response.status >= 200 && response.status < 300) {
            const QString access = body.value(QStringLiteral("access_token")).toString();
            const QString refresh = body.value(QStringLiteral("refresh_token")).toString();
            const qint64 expiresIn = body.value(QStringLiteral("expires_in")).toInteger(1800);
            TokenReply reply;
            if (access.isEmpty()) {
                reply.error = ApiError::Malformed;
                reply.message = tr("HubSpot's token reply carried no access token.");
            } else {
                reply.token = access;
            }
            finishRefresh(reply, refresh, expiresIn);
            return;
        }
        TokenReply reply;
        const QString status = body.value(QStringLiteral("status")).toString();
        const QString error = body.value(QStringLiteral("error")).toString();
        if (status == QLatin1String("BAD_REFRESH_TOKEN") ||
            error == QLatin1String("invalid_grant")) {
            reply.error = ApiError::ReconnectNeeded;
            reply.message = tr("HubSpot no longer accepts HaloSpot's authorization (the app was "
                               "uninstalled or access was revoked). Connect HubSpot again.");
        } else if (error == QLatin1String("invalid_client")) {
            reply.error = ApiError::Unauthorized;
            reply.message = tr("HubSpot refused HaloSpot's app credentials (client ID or secret) "
                               "while refreshing the access token.");
        } else {
            reply.error = response.ok() ? ApiError::Http : response.error;
            reply.message =
                response.message.isEmpty()
                    ? tr("HubSpot answered HTTP %1 to the token refresh.").arg(response.status)
                    : response.message;
        }
        finishRefresh(reply, {}, 0);
    });
}

void HubSpotTokens::finishRefresh(const TokenReply &reply, const QString &refreshToken,
                                  qint64 expiresInSec)
{
    QList<Waiter> waiters;
    QDateTime expiresAtUtc;
    bool refreshChanged = false;
    {
        QMutexLocker lock(&m_mutex);
        m_refreshing = false;
        waiters.swap(m_waiters);
        if (reply.ok()) {
            ++m_refreshes;
            m_accessToken = reply.token;
            m_lifetimeMs = m_settings.realMs(expiresInSec * 1000);
            m_expiresAtMs = m_clock.elapsed() + m_lifetimeMs;
            expiresAtUtc = QDateTime::currentDateTimeUtc().addSecs(expiresInSec);
            if (!refreshToken.isEmpty()) {
                refreshChanged = refreshToken != m_refreshToken;
                m_refreshToken = refreshToken;
            }
        } else if (reply.error == ApiError::ReconnectNeeded) {
            m_reconnect = true;
            m_reconnectMessage = reply.message;
            m_accessToken.clear();
            m_expiresAtMs = 0;
        }
    }
    if (reply.ok()) {
        if (refreshChanged)
            Q_EMIT refreshTokenChanged(refreshToken);
        Q_EMIT accessTokenChanged(reply.token, expiresAtUtc);
    } else if (reply.error == ApiError::ReconnectNeeded) {
        Q_EMIT reconnectNeeded(reply.message);
    }
    for (const Waiter &waiter : std::as_const(waiters))
        deliver(waiter, reply);
}

void HubSpotTokens::deliver(const Waiter &waiter, const TokenReply &reply)
{
    if (!waiter.context || !waiter.done)
        return;
    // Runs at once when the waiter lives in this thread, else queued to its thread.
    QMetaObject::invokeMethod(waiter.context.data(), [done = waiter.done, reply] { done(reply); });
}

} // namespace halospot::api
