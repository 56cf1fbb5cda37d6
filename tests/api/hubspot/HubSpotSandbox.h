// Test fixture: a fake HubSpot started in-process on a loopback port, with a fast clock, plus
// helpers to obtain an OAuth grant from it and to wait for the client's callbacks.
#pragma once

#include "Clock.h"
#include "FakeHubSpot.h"
#include "Generator.h"
#include "HubSpotClient.h"
#include "HubSpotTokens.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace halospot::test {

using namespace halospot::sandbox;
using namespace halospot::api;

struct OAuthGrant
{
    QString clientId;
    QString clientSecret;
    QString accessToken;
    QString refreshToken;
};

// An OAuth grant with exactly these scopes, obtained in-process (authorize with auto-approve, then
// the code exchange), so that tests start with a refresh token as a stored connection would.
inline OAuthGrant oauthGrant(FakeHubSpot &hubspot, const QStringList &scopes)
{
    OAuthGrant g;
    g.clientId = hubspot.oauth().config().clientId;
    g.clientSecret = hubspot.oauth().config().clientSecret;
    const QString redirect = QStringLiteral("http://localhost:7777/callback");
    Request authorize;
    authorize.method = "GET";
    authorize.path = QStringLiteral("/oauth/authorize");
    authorize.query.addQueryItem(QStringLiteral("client_id"), g.clientId);
    authorize.query.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    authorize.query.addQueryItem(QStringLiteral("scope"), scopes.join(QLatin1Char(' ')));
    const Response redirected = hubspot.dispatch(authorize);
    const QString code = QUrlQuery(QUrl::fromEncoded(redirected.header("Location")))
                             .queryItemValue(QStringLiteral("code"));
    if (code.isEmpty())
        return g;
    Request token;
    token.method = "POST";
    token.path = QStringLiteral("/oauth/v3/token");
    token.headers.insert("content-type", "application/x-www-form-urlencoded");
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("client_id"), g.clientId);
    form.addQueryItem(QStringLiteral("client_secret"), g.clientSecret);
    form.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    form.addQueryItem(QStringLiteral("code"), code);
    token.body = form.toString(QUrl::FullyEncoded).toUtf8();
    const QJsonObject reply = QJsonDocument::fromJson(hubspot.dispatch(token).body).object();
    g.accessToken = reply.value(QStringLiteral("access_token")).toString();
    g.refreshToken = reply.value(QStringLiteral("refresh_token")).toString();
    return g;
}

class HubSpotSandbox final
{
public:
    // Time runs `scale` times faster in the sandbox; the client windows are scaled to match.
    explicit HubSpotSandbox(qint64 companies, qint64 contacts = 200, double scale = 50,
                            HubSpotConfig config = {})
        : m_generator(GeneratorConfig{7, companies, contacts})
        , m_clock(scale)
    {
        HubSpotAppConfig app;
        app.autoApprove = true;
        m_hubspot = std::make_unique<FakeHubSpot>(&m_generator, config, app, &m_clock);
        m_port = m_hubspot->listen(0);
    }

    FakeHubSpot &hubspot() { return *m_hubspot; }
    Clock &clock() { return m_clock; }
    quint16 port() const { return m_port; }

    HubSpotSettings settings(const QString &version = QStringLiteral("v3")) const
    {
        HubSpotSettings s;
        s.apiBase = m_hubspot->baseUrl();
        s.apiVersion = version;
        s.timeScale = m_clock.scale();
        return s;
    }

    // A fresh OAuth grant for every scope the app may grant, as a stored connection would have.
    OAuthGrant grant() { return oauthGrant(*m_hubspot, m_hubspot->oauth().config().grantedScopes); }

private:
    Generator m_generator;
    Clock m_clock;
    std::unique_ptr<FakeHubSpot> m_hubspot;
    quint16 m_port = 0;
};

// Holds the reply of one asynchronous call until the test has waited for it.
template<typename T>
struct Awaited
{
    std::optional<HubSpotReply<T>> reply;
    std::function<void(const HubSpotReply<T> &)> callback()
    {
        return [this](const HubSpotReply<T> &r) { reply = r; };
    }
    bool done() const { return reply.has_value(); }
};

} // namespace halospot::test
