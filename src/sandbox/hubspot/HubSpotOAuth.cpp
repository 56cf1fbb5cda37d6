// The fake HubSpot's OAuth 2.0 server: request routing and the authorize/consent flow, following
// reference/hubspot-api.md §1-2 (token endpoints are in HubSpotOAuthTokens.cpp). Tokens and secrets
// are never logged.
#include "HubSpotOAuth.h"

#include "HubSpotOAuthPages.h"
#include "HubSpotOAuthUtil.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace halospot::sandbox {

using namespace oauth_detail;

HubSpotOAuth::HubSpotOAuth(HubSpotAppConfig config, Clock *clock, FaultPlan *faults)
    : m_config(std::move(config))
    , m_clock(clock)
    , m_faults(faults)
{
    if (m_config.clientId.isEmpty())
        m_config.clientId = randomUuid();
    if (m_config.clientSecret.isEmpty())
        m_config.clientSecret = randomUuid();
    if (m_config.grantedScopes.isEmpty())
        m_config.grantedScopes = defaultScopes();
}

QStringList HubSpotOAuth::defaultScopes()
{
    return {QStringLiteral("oauth"), QStringLiteral("crm.objects.companies.read"),
            QStringLiteral("crm.objects.companies.write"),
            QStringLiteral("crm.objects.contacts.read"),
            QStringLiteral("crm.objects.contacts.write")};
}

qint64 HubSpotOAuth::now() const
{
    return m_clock ? m_clock->nowMs() : 0;
}

std::optional<Response> HubSpotOAuth::handle(const Request &request, const QUrl &baseUrl)
{
    const QLatin1String prefix("/oauth/");
    if (!request.path.startsWith(prefix))
        return std::nullopt;
    QStringList seg = request.path.mid(prefix.size()).split(QLatin1Char('/'));
    if (seg.size() > 1 && seg.last().isEmpty())
        seg.removeLast();
    const QByteArray &method = request.method;
    const auto is = [&seg](std::initializer_list<const char *> parts) {
        if (seg.size() != qsizetype(parts.size()))
            return false;
        qsizetype i = 0;
        for (const char *p : parts) {
            if (p && seg.at(i) != QLatin1String(p))
                return false;
            ++i;
        }
        return true;
    };
    const bool dated = !seg.isEmpty() && (seg.first() == QLatin1String("v3") ||
                                          seg.first() == QLatin1String("2026-03"));

    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    if (is({"authorize"}) || (is({nullptr, "authorize"}) && digits.match(seg.first()).hasMatch())) {
        if (method != "GET")
            return methodNotAllowed("GET");
        return authorize(request, seg.size() == 2 ? seg.first() : QString(), baseUrl);
    }
    if (is({"authorize", "decision"})) {
        if (method != "POST" && method != "GET")
            return methodNotAllowed("GET, POST");
        return decide(request);
    }
    if (is({nullptr, "token"}) && (dated || seg.first() == QLatin1String("v1"))) {
        if (method != "POST")
            return methodNotAllowed("POST");
        return token(request, seg.first());
    }
    if (dated && (is({nullptr, "token", "introspect"}) || is({nullptr, "token", "revoke"}))) {
        if (method != "POST")
            return methodNotAllowed("POST");
        return seg.last() == QLatin1String("revoke") ? revoke(request) : introspect(request);
    }
    if (is({"v1", "access-tokens", nullptr})) {
        if (method != "GET")
            return methodNotAllowed("GET");
        return accessTokenInfo(seg.last());
    }
    if (is({"v1", "refresh-tokens", nullptr})) {
        if (method == "GET")
            return refreshTokenInfo(seg.last());
        if (method == "DELETE")
            return deleteRefreshToken(seg.last());
        return methodNotAllowed("GET, DELETE");
    }
    // The path may carry a token, so it is not echoed back.
    return notFound(QStringLiteral("There is no OAuth endpoint at this path."));
}

// ---- authorize and consent ----

Response HubSpotOAuth::authorize(const Request &request, const QString &portalInPath,
                                 const QUrl &baseUrl)
{
    const QUrlQuery &q = request.query;
    if (!portalInPath.isEmpty() && portalInPath != QString::number(m_config.portalId)) {
        return errorPage(403, QStringLiteral("Account not available"),
                         QStringLiteral("You don't have access to account %1. This sandbox has "
                                        "only account %2.")
                             .arg(portalInPath)
                             .arg(m_config.portalId));
    }
    const QString clientId = value(q, QStringLiteral("client_id"));
    if (clientId.isEmpty() || !constantTimeEquals(clientId, m_config.clientId)) {
        return errorPage(400, QStringLiteral("Unknown app"),
                         clientId.isEmpty()
                             ? QStringLiteral("The authorization request has no client_id.")
                             : QStringLiteral("No app has the client_id given in the request."));
    }

    // Errors about the redirect URL itself are shown here: redirecting to it would be unsafe.
    const QString redirectUri = value(q, QStringLiteral("redirect_uri"));
    const QUrl url(redirectUri, QUrl::StrictMode);
    QString problem;
    QHostAddress address;
    if (redirectUri.isEmpty())
        problem = QStringLiteral("The authorization request has no redirect_uri.");
    else if (!url.isValid() || url.isRelative() || url.host().isEmpty() || url.hasFragment())
        problem = QStringLiteral("The redirect URL '%1' is not a valid absolute URL.");
    else if (address.setAddress(url.host()))
        problem = QStringLiteral("The redirect URL '%1' uses an IP address. HubSpot does not "
                                 "accept IP addresses; use http://localhost:<port>/… instead.");
    else if (url.scheme() != QLatin1String("https") &&
             !(url.scheme() == QLatin1String("http") &&
               url.host().compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0))
        problem = QStringLiteral("The redirect URL '%1' must use https (http is allowed only "
                                 "for localhost).");
    else if (!m_config.redirectUris.isEmpty() && !m_config.redirectUris.contains(redirectUri))
        problem = QStringLiteral("Authorization failed as the redirect URL '%1' doesn't match "
                                 "the app's registered redirect URL.");
    if (!problem.isEmpty()) {
        return errorPage(400, QStringLiteral("Invalid redirect URL"),
                         problem.contains(QLatin1String("%1")) ? problem.arg(redirectUri)
                                                               : problem);
    }

    PendingAuthorization pending;
    pending.redirectUri = redirectUri;
    pending.hasState = q.hasQueryItem(QStringLiteral("state"));
    pending.state = value(q, QStringLiteral("state"));
    pending.createdMs = now();

    const QString responseType = value(q, QStringLiteral("response_type"));
    if (!responseType.isEmpty() && responseType != QLatin1String("code")) {
        return redirectError(pending, QStringLiteral("unsupported_response_type"),
                             QStringLiteral("Only response_type=code is supported."));
    }
    const QStringList requested = splitScopes(value(q, QStringLiteral("scope")));
    if (requested.isEmpty()) {
        return redirectError(pending, QStringLiteral("invalid_scope"),
                             QStringLiteral("The scope parameter is required."));
    }
    QStringList refused;
    for (const QString &s : requested) {
        if (!m_config.grantedScopes.contains(s))
            refused << s;
    }
    if (!refused.isEmpty()) {
        return redirectError(pending, QStringLiteral("invalid_scope"),
                             QStringLiteral("The app may not request these scopes: %1")
                                 .arg(refused.join(QLatin1Char(' '))));
    }
    pending.scopes = requested;
    // Optional scopes the account can't grant are dropped silently, as HubSpot does.
    const QStringList optional = splitScopes(value(q, QStringLiteral("optional_scope")));
    for (const QString &s : optional) {
        if (m_config.grantedScopes.contains(s) && !pending.scopes.contains(s))
            pending.scopes << s;
    }

    // PKCE: only S256 is accepted; plain would defeat the point for a loopback redirect.
    const QString challenge = value(q, QStringLiteral("code_challenge"));
    const QString challengeMethod = value(q, QStringLiteral("code_challenge_method"));
    static const QRegularExpression challengeShape(QStringLiteral("^[A-Za-z0-9_-]{43}$"));
    if (!challenge.isEmpty() || !challengeMethod.isEmpty()) {
        if (challengeMethod != QLatin1String("S256")) {
            return redirectError(pending, QStringLiteral("invalid_request"),
                                 QStringLiteral("code_challenge_method must be S256."));
        }
        if (!challengeShape.match(challenge).hasMatch()) {
            return redirectError(pending, QStringLiteral("invalid_request"),
                                 QStringLiteral("code_challenge must be a base64url SHA-256 "
                                                "digest (43 characters)."));
        }
        pending.codeChallenge = challenge;
    }

    if (m_config.autoDeny) {
        return redirectError(pending, QStringLiteral("access_denied"),
                             QStringLiteral("The user denied the authorization request."));
    }
    if (m_config.autoApprove)
        return codeRedirect(pending);

    prune();
    const QString requestId = QString::fromLatin1(randomBytes(16).toHex());
    m_pending.insert(requestId, pending);
    Response r =
        Response::html(200, oauthpages::consent({requestId, m_config.appName, m_config.portalId,
                                                 m_config.hubDomain, m_config.userEmail,
                                                 pending.scopes, pending.redirectUri, baseUrl}));
    noStore(r);
    r.setHeader("X-Frame-Options", "DENY");
    r.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    return r;
}

Response HubSpotOAuth::decide(const Request &request)
{
    const QUrlQuery params = request.method == "POST" ? request.form() : request.query;
    const QString decision = value(params, QStringLiteral("decision"));
    const QString requestId = value(params, QStringLiteral("request"));
    if (decision != QLatin1String("grant") && decision != QLatin1String("deny"))
        return errorPage(400, QStringLiteral("Invalid decision"),
                         QStringLiteral("The decision must be grant or deny."));
    const auto it = m_pending.constFind(requestId);
    const qint64 maxAgeMs = 3600 * 1000;
    if (requestId.isEmpty() || it == m_pending.cend() || now() - it->createdMs > maxAgeMs) {
        return errorPage(400, QStringLiteral("Request expired"),
                         QStringLiteral("This authorization request has expired or was already "
                                        "answered. Start the connection again from the app."));
    }
    const PendingAuthorization pending = *it;
    m_pending.erase(it);
    if (decision == QLatin1String("deny")) {
        // HubSpot's docs say a refusal may not call the redirect URI at all; the sandbox does call
        // it (RFC 6749 §4.1.2.1) so that clients can be tested on both the refusal and a timeout.
        return redirectError(pending, QStringLiteral("access_denied"),
                             QStringLiteral("The user denied the authorization request."));
    }
    return codeRedirect(pending);
}

Response HubSpotOAuth::codeRedirect(const PendingAuthorization &pending)
{
    const QString code = QStringLiteral("na1-") + randomUuid();
    m_codes.insert(code, AuthCode{m_config.clientId, pending.redirectUri, pending.scopes,
                                  pending.codeChallenge, now() + m_config.codeLifetimeSec * 1000});
    QList<QPair<QString, QString>> items{{QStringLiteral("code"), code}};
    if (pending.hasState)
        items.append({QStringLiteral("state"), pending.state});
    Response r = Response::redirect(redirectWith(pending.redirectUri, items));
    noStore(r);
    return r;
}

Response HubSpotOAuth::redirectError(const PendingAuthorization &pending, const QString &error,
                                     const QString &description) const
{
    QList<QPair<QString, QString>> items{{QStringLiteral("error"), error},
                                         {QStringLiteral("error_description"), description}};
    if (pending.hasState)
        items.append({QStringLiteral("state"), pending.state});
    Response r = Response::redirect(redirectWith(pending.redirectUri, items));
    noStore(r);
    return r;
}

QUrl HubSpotOAuth::redirectWith(const QString &redirectUri,
                                const QList<QPair<QString, QString>> &items)
{
    // Values are fully percent-encoded by hand: QUrlQuery would leave '+' alone, which a callback
    // that decodes form-style would read as a space.
    QUrl url(redirectUri);
    QString query = url.query(QUrl::FullyEncoded);
    for (const auto &item : items) {
        if (!query.isEmpty())
            query += QLatin1Char('&');
        query += item.first + QLatin1Char('=') +
                 QString::fromLatin1(QUrl::toPercentEncoding(item.second));
    }
    url.setQuery(query);
    return url;
}

// ---- token endpoints ----

} // namespace halospot::sandbox
