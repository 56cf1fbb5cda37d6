// HubSpotAuth: Connect to HubSpot in the browser, on QtNetworkAuth plus what Qt 6.4 lacks.

// Qt 6.4 lacks: a localhost redirect URL while bound to 127.0.0.1, PKCE, a system-random state, a
// usable code exchange and failure reporting; those are written here. Tokens are never logged.
#include "HubSpotAuth.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QOAuth2AuthorizationCodeFlow>
#include <QOAuthHttpServerReplyHandler>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>

#include <array>

namespace halospot::api {

namespace {

QString base64Url(const QByteArray &bytes)
{
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// 32 bytes from the OS generator. Qt 6.4's own state generator is a time-seeded mt19937, which is
// not good enough for a CSRF token, so state and PKCE verifier are made here.
QString randomToken()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return base64Url(QByteArray(reinterpret_cast<const char *>(words.data()),
                                qsizetype(words.size() * sizeof(quint32))));
}

QString page(const QString &title, const QString &text)
{
    // The reply handler wraps this in <html><body>; inline style keeps it readable.
    return QStringLiteral("<div style=\"font-family:sans-serif;max-width:32rem;margin:4rem auto\">"
                          "<h1>%1</h1><p>%2</p><p>You can close this window and return to "
                          "HaloSpot.</p></div>")
        .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
}

} // namespace

// Qt 6.4's QOAuthHttpServerReplyHandler::callback() always answers http://127.0.0.1:<port>/…, but
// HubSpot rejects IP-address redirect URLs. The listener stays on 127.0.0.1 only; just the
// advertised redirect URL names localhost.
class LoopbackReplyHandler final : public QOAuthHttpServerReplyHandler
{
public:
    LoopbackReplyHandler(quint16 port, QObject *parent)
        : QOAuthHttpServerReplyHandler(QHostAddress(QHostAddress::LocalHost), port, parent)
    {
        setCallbackPath(QStringLiteral("/callback"));
        // port() reads 0 once closed, but the code exchange still needs the redirect URL.
        m_port = QOAuthHttpServerReplyHandler::port();
    }

    QString callback() const override
    {
        return QStringLiteral("http://localhost:%1/callback").arg(m_port);
    }

private:
    Q_DISABLE_COPY_MOVE(LoopbackReplyHandler)
    quint16 m_port = 0;
};

HubSpotAuth::HubSpotAuth(HubSpotAuthConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_nam(new QNetworkAccessManager(this))
    , m_timer(new QTimer(this))
{
    qRegisterMetaType<HubSpotAuthResult>();
    if (m_config.scopes.isEmpty())
        m_config.scopes = requiredScopes();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const int seconds = qMax(1, m_config.timeoutMs / 1000);
        const QString span = seconds >= 120 ? QStringLiteral("%1 minutes").arg(seconds / 60)
                                            : QStringLiteral("%1 seconds").arg(seconds);
        finish({ApiError::Timeout,
                QStringLiteral("HubSpot did not answer within %1: the browser never came back to "
                               "HaloSpot. Try Connect to HubSpot again.")
                    .arg(span),
                {}});
    });
}

HubSpotAuth::~HubSpotAuth()
{
    m_running = false;
    teardown();
}

QStringList HubSpotAuth::requiredScopes()
{
    return {QStringLiteral("crm.objects.companies.read"),
            QStringLiteral("crm.objects.companies.write"),
            QStringLiteral("crm.objects.contacts.read"),
            QStringLiteral("crm.objects.contacts.write"), QStringLiteral("oauth")};
}

void HubSpotAuth::setBrowserOpener(BrowserOpener opener)
{
    m_opener = std::move(opener);
}

bool HubSpotAuth::isRunning() const
{
    return m_running;
}

quint16 HubSpotAuth::port() const
{
    return m_running ? m_port : 0;
}

QHostAddress HubSpotAuth::listenAddress() const
{
    return m_running ? QHostAddress(QHostAddress::LocalHost) : QHostAddress();
}

QUrl HubSpotAuth::redirectUri() const
{
    return m_handler ? QUrl(m_handler->callback()) : QUrl();
}

QUrl HubSpotAuth::authorizeUrl() const
{
    return m_authorizeUrl;
}

bool HubSpotAuth::start()
{
    if (m_running)
        return false;
    m_authorizeUrl.clear();

    auto *handler = new LoopbackReplyHandler(m_config.port, this);
    if (!handler->isListening()) {
        delete handler;
        m_running = true; // so that finish() reports it
        finish({ApiError::Network,
                QStringLiteral("HaloSpot could not listen on 127.0.0.1 port %1 for HubSpot's "
                               "answer; another program may be using it. Close it or choose "
                               "another redirect port (it must match the app's redirect URL).")
                    .arg(m_config.port),
                {}});
        return false;
    }
    m_handler = handler;
    m_port = handler->port();
    m_state = randomToken();
    m_verifier = randomToken();
    const QString challenge =
        base64Url(QCryptographicHash::hash(m_verifier.toLatin1(), QCryptographicHash::Sha256));

    auto *flow = new QOAuth2AuthorizationCodeFlow(m_nam, this);
    m_flow = flow;
    QUrl authorize = m_config.authBase;
    authorize.setPath(QStringLiteral("/oauth/authorize"));
    flow->setAuthorizationUrl(authorize);
    flow->setAccessTokenUrl(m_config.settings.url(m_config.settings.tokenPath()));
    flow->setClientIdentifier(m_config.clientId);
    flow->setClientIdentifierSharedKey(m_config.clientSecret);
    flow->setScope(m_config.scopes.join(QLatin1Char(' ')));
    flow->setState(m_state);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    // 6.8 adds its own PKCE; ours below covers every version alike.
    flow->setPkceMethod(QOAuth2AuthorizationCodeFlow::PkceMethod::None);
#endif
    // Qt 6.4 has no PKCE (setPkceMethod is 6.8): the challenge is added here, the verifier in
    // exchange().
    flow->setModifyParametersFunction(
        [challenge](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *params) {
            if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
                params->insert(QStringLiteral("code_challenge"), challenge);
                params->insert(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
            }
        });

    connect(handler, &QAbstractOAuthReplyHandler::callbackReceived, this, &HubSpotAuth::onCallback);
    flow->setReplyHandler(handler); // the flow's redirect_uri comes from handler->callback()
    connect(flow, &QAbstractOAuth::authorizeWithBrowser, this, &HubSpotAuth::openBrowser);
    m_running = true;
    m_timer->start(m_config.timeoutMs);
    flow->grant();
    // From here on the code exchange is ours: Qt 6.4's requestAccessToken() never consults the
    // modify-parameters hook (so no code_verifier can be added) and encodes redirect_uri twice
    // (HubSpot: "redirect_uri does not match"). Detaching the flow from the handler stops it
    // exchanging the code on its own; it has served to build the authorize URL.
    if (m_handler)
        m_handler->disconnect(flow);
    return true;
}

void HubSpotAuth::cancel()
{
    finish({ApiError::Cancelled, QStringLiteral("Connecting to HubSpot was cancelled."), {}});
}

void HubSpotAuth::openBrowser(const QUrl &url)
{
    if (!m_running)
        return;
    m_authorizeUrl = url;
    Q_EMIT authorizeUrlReady(url);
    if (m_opener && !m_opener(url))
        Q_EMIT browserFailed(url);
}

void HubSpotAuth::onCallback(const QVariantMap &data)
{
    if (!m_running || !m_handler)
        return;
    const QString error = data.value(QStringLiteral("error")).toString();
    const QString state = data.value(QStringLiteral("state")).toString();
    const QString code = data.value(QStringLiteral("code")).toString();
    if (state != m_state) {
        // Not our request (CSRF or a stale tab): its code is never exchanged.
        m_handler->setCallbackText(page(
            QStringLiteral("Not connected"),
            QStringLiteral("This answer does not belong to the connection HaloSpot started.")));
        finish({ApiError::Refused,
                QStringLiteral("HubSpot's answer did not match the request HaloSpot sent (state "
                               "mismatch), so it was ignored. Try Connect to HubSpot again."),
                {}});
        return;
    }
    if (!error.isEmpty()) {
        const QString description = data.value(QStringLiteral("error_description")).toString();
        const QString why =
            error == QLatin1String("access_denied")
                ? QStringLiteral("Access to HubSpot was refused in the browser.")
                : QStringLiteral("HubSpot refused the connection (%1)%2")
                      .arg(error, description.isEmpty() ? QStringLiteral(".")
                                                        : QStringLiteral(": ") + description);
        m_handler->setCallbackText(page(QStringLiteral("Not connected"), why));
        finish({ApiError::Refused, why, {}});
        return;
    }
    if (code.isEmpty()) {
        m_handler->setCallbackText(page(QStringLiteral("Not connected"),
                                        QStringLiteral("HubSpot sent no authorization code.")));
        finish({ApiError::Malformed,
                QStringLiteral("HubSpot came back without an authorization code."),
                {}});
        return;
    }
    m_handler->setCallbackText(page(QStringLiteral("HaloSpot is connecting to HubSpot"),
                                    QStringLiteral("The authorization was received.")));
    m_handler->close(); // one answer is all that is expected
    exchange(code);
}

void HubSpotAuth::exchange(const QString &code)
{
    // Each value is percent-encoded by hand: QUrlQuery leaves '+' alone, which a form decoder
    // reads as a space.
    const QList<QPair<QString, QString>> fields{
        {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
        {QStringLiteral("client_id"), m_config.clientId},
        {QStringLiteral("client_secret"), m_config.clientSecret},
        {QStringLiteral("redirect_uri"), redirectUri().toString(QUrl::FullyEncoded)},
        {QStringLiteral("code"), code},
        {QStringLiteral("code_verifier"), m_verifier}};
    QByteArray body;
    for (const auto &[key, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += key.toLatin1() + '=' + QUrl::toPercentEncoding(value);
    }
    QNetworkRequest request(m_config.settings.url(m_config.settings.tokenPath()));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(60000);
    QNetworkReply *reply = m_nam->post(request, body);
    m_tokenReply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        onTokenReply(reply);
    });
}

void HubSpotAuth::onTokenReply(QNetworkReply *reply)
{
    if (!m_running || reply != m_tokenReply)
        return;
    m_tokenReply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        finish({ApiError::Network,
                QStringLiteral("HaloSpot could not reach HubSpot's token endpoint (%1).")
                    .arg(reply->errorString()),
                {}});
        return;
    }
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    if (status != 200) {
        QString detail = json.value(QStringLiteral("message")).toString();
        if (detail.isEmpty())
            detail = json.value(QStringLiteral("error_description")).toString();
        QString message =
            QStringLiteral("HubSpot refused the authorization code (HTTP %1)").arg(status);
        message += detail.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + detail;
        if (!message.endsWith(QLatin1Char('.')))
            message += QLatin1Char('.');
        message += QStringLiteral(" Try Connect to HubSpot again.");
        finish({ApiError::Http, message, {}});
        return;
    }
    HubSpotGrant grant;
    grant.accessToken = json.value(QStringLiteral("access_token")).toString();
    grant.refreshToken = json.value(QStringLiteral("refresh_token")).toString();
    grant.expiresInSec = json.value(QStringLiteral("expires_in")).toInteger();
    grant.hubId = json.value(QStringLiteral("hub_id")).toInteger();
    const QJsonArray scopes = json.value(QStringLiteral("scopes")).toArray();
    for (const QJsonValue &scope : scopes)
        grant.scopes << scope.toString();
    if (grant.scopes.isEmpty())
        grant.scopes = json.value(QStringLiteral("scope"))
                           .toString()
                           .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (grant.accessToken.isEmpty() || grant.refreshToken.isEmpty() || grant.expiresInSec <= 0) {
        finish({ApiError::Malformed,
                QStringLiteral("HubSpot's token answer had no access token, refresh token or "
                               "lifetime."),
                {}});
        return;
    }
    // The sandbox's clock may run faster; its seconds are converted to real time.
    grant.expiresAtUtc = QDateTime::currentDateTimeUtc().addMSecs(
        m_config.settings.realMs(grant.expiresInSec * 1000));
    finish({ApiError::None, {}, grant});
}

void HubSpotAuth::finish(HubSpotAuthResult result)
{
    if (!m_running)
        return;
    m_running = false;
    m_timer->stop();
    teardown();
    Q_EMIT finished(result);
}

void HubSpotAuth::teardown()
{
    if (m_tokenReply) {
        QNetworkReply *reply = m_tokenReply;
        m_tokenReply = nullptr;
        reply->abort();
    }
    if (m_handler) {
        // Closed at once; deleted later, because the page for the browser is still being sent
        // through sockets the handler owns.
        QOAuthHttpServerReplyHandler *handler = m_handler;
        handler->close();
        QTimer::singleShot(5000, handler, &QObject::deleteLater);
        m_handler = nullptr;
    }
    if (m_flow) {
        m_flow->disconnect(this);
        m_flow->deleteLater();
        m_flow = nullptr;
    }
    m_state.clear();
    m_verifier.clear();
}

} // namespace halospot::api
