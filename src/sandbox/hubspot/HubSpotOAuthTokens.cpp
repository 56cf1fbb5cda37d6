// The fake HubSpot's OAuth 2.0 token side: code exchange, refresh, token info, introspect and
// revoke, following reference/hubspot-api.md §1.4-1.8. Tokens and secrets are never logged.
#include "HubSpotOAuth.h"

#include "HubSpotOAuthUtil.h"

namespace halospot::sandbox {

using namespace oauth_detail;

std::optional<Response> HubSpotOAuth::checkFormBody(const Request &request) const
{
    const QByteArray type = request.header("content-type").trimmed().toLower();
    const QByteArray body = request.body.trimmed();
    const bool looksJson = body.startsWith('{') || body.startsWith('[');
    if (looksJson || (!type.isEmpty() && !type.startsWith("application/x-www-form-urlencoded"))) {
        return oauthError(QStringLiteral("invalid_request"),
                          QStringLiteral("The request body must be "
                                         "application/x-www-form-urlencoded."),
                          QStringLiteral("BAD_REQUEST"),
                          QStringLiteral("request body must be form-encoded"));
    }
    // v3 and the dated versions removed query-string credentials to keep secrets out of logs.
    if (!request.path.startsWith(QLatin1String("/oauth/v1/"))) {
        for (const char *key : {"client_secret", "refresh_token", "code", "code_verifier"}) {
            if (request.query.hasQueryItem(QLatin1String(key))) {
                return oauthError(QStringLiteral("invalid_request"),
                                  QStringLiteral("%1 must be sent in the request body, not in "
                                                 "the query string.")
                                      .arg(QLatin1String(key)),
                                  QStringLiteral("BAD_REQUEST"),
                                  QStringLiteral("credentials are not accepted in the query "
                                                 "string"));
            }
        }
    }
    return std::nullopt;
}

std::optional<Response> HubSpotOAuth::checkClient(const QUrlQuery &form) const
{
    const QString clientId = value(form, QStringLiteral("client_id"));
    if (clientId.isEmpty() || clientId != m_config.clientId) {
        return oauthError(
            QStringLiteral("invalid_client"), QStringLiteral("client_id is missing or unknown."),
            QStringLiteral("BAD_CLIENT_ID"), QStringLiteral("missing or unknown client id"));
    }
    if (!constantTimeEquals(value(form, QStringLiteral("client_secret")), m_config.clientSecret)) {
        return oauthError(QStringLiteral("invalid_client"),
                          QStringLiteral("client_secret is missing or does not match the app."),
                          QStringLiteral("BAD_CLIENT_SECRET"),
                          QStringLiteral("missing or invalid client secret"));
    }
    return std::nullopt;
}

Response HubSpotOAuth::token(const Request &request, const QString &version)
{
    if (auto bad = checkFormBody(request))
        return *bad;
    QUrlQuery form = request.form();
    if (version == QLatin1String("v1")) {
        // The v1 endpoint still takes these two from the query string (SPEC v1/oauth.json).
        for (const QString &key :
             {QStringLiteral("client_secret"), QStringLiteral("refresh_token")}) {
            if (!form.hasQueryItem(key) && request.query.hasQueryItem(key))
                form.addQueryItem(key, request.query.queryItemValue(key, QUrl::FullyEncoded));
        }
    }
    const QString grantType = value(form, QStringLiteral("grant_type"));
    if (grantType != QLatin1String("authorization_code") &&
        grantType != QLatin1String("refresh_token")) {
        return oauthError(grantType.isEmpty() ? QStringLiteral("invalid_request")
                                              : QStringLiteral("unsupported_grant_type"),
                          QStringLiteral("grant_type must be authorization_code or refresh_token."),
                          QStringLiteral("BAD_GRANT_TYPE"),
                          QStringLiteral("missing or invalid grant type"));
    }
    if (auto bad = checkClient(form))
        return *bad;
    return grantType == QLatin1String("authorization_code") ? exchangeCode(form) : refresh(form);
}

Response HubSpotOAuth::exchangeCode(const QUrlQuery &form)
{
    const auto it = m_codes.find(value(form, QStringLiteral("code")));
    if (it == m_codes.end() || it->clientId != value(form, QStringLiteral("client_id")))
        return badAuthCode(QStringLiteral("The authorization code is missing, unknown or used."));
    if (now() >= it->expiresAtMs) {
        m_codes.erase(it);
        return badAuthCode(QStringLiteral("The authorization code has expired."));
    }
    if (value(form, QStringLiteral("redirect_uri")) != it->redirectUri) {
        return oauthError(QStringLiteral("invalid_grant"),
                          QStringLiteral("redirect_uri does not match the one used to authorize."),
                          QStringLiteral("BAD_REDIRECT_URI"),
                          QStringLiteral("redirect_uri does not match"));
    }
    // Strict both ways: a verifier without a challenge means the client lost its challenge
    // somewhere (a PKCE downgrade), which the sandbox reports rather than ignores.
    const QString verifier = value(form, QStringLiteral("code_verifier"));
    if (!it->codeChallenge.isEmpty() || !verifier.isEmpty()) {
        if (it->codeChallenge.isEmpty() || verifier.isEmpty() ||
            !constantTimeEquals(s256(verifier), it->codeChallenge)) {
            return oauthError(QStringLiteral("invalid_grant"),
                              it->codeChallenge.isEmpty()
                                  ? QStringLiteral("code_verifier was sent but the authorize "
                                                   "request had no code_challenge.")
                                  : QStringLiteral("code_verifier is missing or does not match "
                                                   "the code_challenge."),
                              QStringLiteral("BAD_CODE_VERIFIER"),
                              QStringLiteral("missing or invalid code verifier"));
        }
    }
    // Codes are consumed only by a successful exchange, so a client that mistyped the secret may
    // retry within the code's lifetime.
    const AuthCode code = *it;
    m_codes.erase(it);
    const qint64 grantId = m_nextGrant++;
    m_grants.insert(grantId, Grant{code.clientId, code.scopes, false});
    return issueTokens(grantId, code.scopes);
}

Response HubSpotOAuth::refresh(const QUrlQuery &form)
{
    const QString refreshToken = value(form, QStringLiteral("refresh_token"));
    const std::optional<qint64> grantId = activeGrant(refreshToken);
    if (!grantId || m_grants.value(*grantId).clientId != value(form, QStringLiteral("client_id")))
        return badRefreshToken();
    const Grant grant = m_grants.value(*grantId);
    QStringList scopes = grant.scopes;
    if (form.hasQueryItem(QStringLiteral("scope"))) {
        scopes = splitScopes(value(form, QStringLiteral("scope")));
        for (const QString &s : std::as_const(scopes)) {
            if (!grant.scopes.contains(s)) {
                return oauthError(QStringLiteral("invalid_scope"),
                                  QStringLiteral("Scope %1 was not granted.").arg(s),
                                  QStringLiteral("BAD_SCOPE"),
                                  QStringLiteral("requested scope was not granted"));
            }
        }
    }
    // Whether HubSpot invalidates the refresh token a refresh used is unconfirmed
    // (hubspot-api-md §1.6). Default: it keeps working until revoked, so a retried refresh after a
    // lost reply still succeeds; rotateRefreshTokens switches to one-time refresh tokens.
    if (m_config.rotateRefreshTokens)
        m_refresh[refreshToken].revoked = true;
    return issueTokens(*grantId, scopes);
}

Response HubSpotOAuth::issueTokens(qint64 grantId, const QStringList &scopes)
{
    const qint64 lifetime = lifetimeSec();
    const QString access = newAccessToken(grantId, scopes, lifetime);
    const QString refreshToken = QStringLiteral("na1-") + randomUuid();
    m_refresh.insert(refreshToken, RefreshToken{grantId, false});
    Response r =
        Response::json(200, QJsonObject{
                                {QStringLiteral("access_token"), access},
                                {QStringLiteral("refresh_token"), refreshToken},
                                {QStringLiteral("expires_in"), lifetime},
                                {QStringLiteral("token_type"), QStringLiteral("bearer")},
                                {QStringLiteral("token_use"), QStringLiteral("access_token")},
                                {QStringLiteral("hub_id"), m_config.portalId},
                                {QStringLiteral("user_id"), m_config.userId},
                                {QStringLiteral("scopes"), toArray(scopes)},
                            });
    noStore(r);
    return r;
}

qint64 HubSpotOAuth::lifetimeSec() const
{
    if (m_faults && m_faults->rates().tokenLifetimeSec >= 0)
        return m_faults->rates().tokenLifetimeSec;
    return m_config.accessTokenLifetimeSec;
}

QString HubSpotOAuth::newAccessToken(qint64 grantId, const QStringList &scopes, qint64 lifetime)
{
    prune();
    // Opaque, URL-safe and ~190 characters: within HubSpot's "up to 300" so clients size for it.
    const QString token = QStringLiteral("C") + base64Url(randomBytes(144));
    m_access.insert(token, AccessToken{grantId, scopes, now() + lifetime * 1000, false});
    ++m_issued;
    return token;
}

std::optional<qint64> HubSpotOAuth::activeGrant(const QString &refreshToken) const
{
    const auto it = m_refresh.constFind(refreshToken);
    if (refreshToken.isEmpty() || it == m_refresh.cend() || it->revoked)
        return std::nullopt;
    const auto grant = m_grants.constFind(it->grantId);
    if (grant == m_grants.cend() || grant->revoked)
        return std::nullopt;
    return it->grantId;
}

// Revoking a refresh token ends the whole installation (every refresh token minted from the same
// authorization). Access tokens already issued keep working until they expire (§1.8).
void HubSpotOAuth::revokeRefreshToken(const QString &token)
{
    const auto it = m_refresh.find(token);
    if (it == m_refresh.end())
        return;
    it->revoked = true;
    const auto grant = m_grants.find(it->grantId);
    if (grant != m_grants.end())
        grant->revoked = true;
}

void HubSpotOAuth::prune()
{
    const qint64 t = now();
    if (m_access.size() > 20000) {
        const qint64 dayMs = 24LL * 3600 * 1000;
        for (auto it = m_access.begin(); it != m_access.end();) {
            if (!it->isStatic && t - it->expiresAtMs > dayMs)
                it = m_access.erase(it);
            else
                ++it;
        }
    }
    // Expired codes linger for an hour so that late exchanges hear "expired", not "unknown".
    for (auto it = m_codes.begin(); it != m_codes.end();)
        it = t - it->expiresAtMs > 3600 * 1000 ? m_codes.erase(it) : std::next(it);
    for (auto it = m_pending.begin(); it != m_pending.end();)
        it = t - it->createdMs > 3600 * 1000 ? m_pending.erase(it) : std::next(it);
}

// ---- token info, introspection, revocation ----

Response HubSpotOAuth::accessTokenInfo(const QString &token) const
{
    // Only OAuth tokens are known here; private-app tokens are identified through account-info.
    const auto it = m_access.constFind(token);
    if (it == m_access.cend() || it->isStatic || now() >= it->expiresAtMs)
        return notFound(QStringLiteral("The access token is missing, invalid or expired."));
    Response r = Response::json(
        200, QJsonObject{{QStringLiteral("token"), token},
                         {QStringLiteral("user"), m_config.userEmail},
                         {QStringLiteral("hub_domain"), m_config.hubDomain},
                         {QStringLiteral("scopes"), toArray(it->scopes)},
                         {QStringLiteral("hub_id"), m_config.portalId},
                         {QStringLiteral("app_id"), m_config.appId},
                         {QStringLiteral("expires_in"), (it->expiresAtMs - now()) / 1000},
                         {QStringLiteral("user_id"), m_config.userId},
                         {QStringLiteral("token_type"), QStringLiteral("access")},
                         {QStringLiteral("is_private_distribution"), false}});
    noStore(r);
    return r;
}

Response HubSpotOAuth::refreshTokenInfo(const QString &token) const
{
    const std::optional<qint64> grantId = activeGrant(token);
    if (!grantId)
        return notFound(QStringLiteral("The refresh token is missing, invalid or revoked."));
    const Grant grant = m_grants.value(*grantId);
    Response r =
        Response::json(200, QJsonObject{{QStringLiteral("token"), token},
                                        {QStringLiteral("user"), m_config.userEmail},
                                        {QStringLiteral("hub_domain"), m_config.hubDomain},
                                        {QStringLiteral("scopes"), toArray(grant.scopes)},
                                        {QStringLiteral("hub_id"), m_config.portalId},
                                        {QStringLiteral("client_id"), grant.clientId},
                                        {QStringLiteral("user_id"), m_config.userId},
                                        {QStringLiteral("token_type"), QStringLiteral("refresh")}});
    noStore(r);
    return r;
}

Response HubSpotOAuth::deleteRefreshToken(const QString &token)
{
    if (!m_refresh.contains(token))
        return notFound(QStringLiteral("The refresh token is unknown."));
    revokeRefreshToken(token); // repeating it is harmless
    return Response::empty(204);
}

Response HubSpotOAuth::introspect(const Request &request)
{
    if (auto bad = checkFormBody(request))
        return *bad;
    const QUrlQuery form = request.form();
    if (auto bad = checkClient(form))
        return *bad;
    const QString token = value(form, QStringLiteral("token"));
    if (token.isEmpty()) {
        return oauthError(QStringLiteral("invalid_request"), QStringLiteral("token is required."),
                          QStringLiteral("BAD_REQUEST"), QStringLiteral("missing token"));
    }
    QJsonObject info{{QStringLiteral("active"), true},
                     {QStringLiteral("app_id"), m_config.appId},
                     {QStringLiteral("client_id"), m_config.clientId},
                     {QStringLiteral("hub_id"), m_config.portalId},
                     {QStringLiteral("hub_domain"), m_config.hubDomain},
                     {QStringLiteral("user"), m_config.userEmail},
                     {QStringLiteral("user_id"), m_config.userId},
                     {QStringLiteral("token"), token}};
    // The hint only orders the look-up (RFC 7662); the two token sets never overlap anyway.
    const auto access = m_access.constFind(token);
    if (access != m_access.cend() && !access->isStatic && now() < access->expiresAtMs) {
        info.insert(QStringLiteral("expires_in"), (access->expiresAtMs - now()) / 1000);
        info.insert(QStringLiteral("is_private_distribution"), false);
        info.insert(QStringLiteral("scopes"), toArray(access->scopes));
        info.insert(QStringLiteral("token_type"), QStringLiteral("bearer"));
        info.insert(QStringLiteral("token_use"), QStringLiteral("access_token"));
    } else if (const std::optional<qint64> grantId = activeGrant(token)) {
        info.insert(QStringLiteral("scopes"), toArray(m_grants.value(*grantId).scopes));
        info.insert(QStringLiteral("token_type"), QStringLiteral("refresh"));
        info.insert(QStringLiteral("token_use"), QStringLiteral("refresh_token"));
    } else {
        info = QJsonObject{{QStringLiteral("active"), false}};
    }
    Response r = Response::json(200, info);
    noStore(r);
    return r;
}

Response HubSpotOAuth::revoke(const Request &request)
{
    if (auto bad = checkFormBody(request))
        return *bad;
    const QUrlQuery form = request.form();
    if (auto bad = checkClient(form))
        return *bad;
    const QString token = value(form, QStringLiteral("token"));
    if (token.isEmpty()) {
        return oauthError(QStringLiteral("invalid_request"), QStringLiteral("token is required."),
                          QStringLiteral("BAD_REQUEST"), QStringLiteral("missing token"));
    }
    // RFC 7009: unknown tokens are not an error. A revoked access token is forgotten at once.
    revokeRefreshToken(token);
    const auto access = m_access.find(token);
    if (access != m_access.end() && !access->isStatic)
        m_access.erase(access);
    return Response::empty(200);
}

// ---- the API side ----

TokenCheck HubSpotOAuth::check(const QString &bearerToken) const
{
    TokenCheck result;
    const auto it = m_access.constFind(bearerToken);
    if (bearerToken.isEmpty() || it == m_access.cend())
        return result;
    result.scopes = it->scopes;
    const qint64 t = now();
    if (it->isStatic || t < it->expiresAtMs) {
        result.state = TokenState::Valid;
    } else {
        result.state = TokenState::Expired;
        result.expiredSecondsAgo = (t - it->expiresAtMs) / 1000;
    }
    return result;
}

QString HubSpotOAuth::addStaticToken(const QStringList &scopes)
{
    const QString token = QStringLiteral("pat-na1-") + randomUuid();
    m_access.insert(token,
                    AccessToken{-1, scopes.isEmpty() ? m_config.grantedScopes : scopes, 0, true});
    return token;
}

void HubSpotOAuth::expireAllAccessTokens()
{
    const qint64 t = now();
    for (auto &token : m_access) {
        if (!token.isStatic && token.expiresAtMs > t)
            token.expiresAtMs = t;
    }
}

} // namespace halospot::sandbox
