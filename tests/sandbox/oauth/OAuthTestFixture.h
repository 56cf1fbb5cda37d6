// Shared by the OAuth test sources: a minimal HTTP front for HubSpotOAuth, an HTTP helper and the
// test class (its authorize-side tests live in tst_hubspotoauth.cpp, token-side ones in
// tst_hubspotoauth_tokens.cpp).
#pragma once

#include "HttpService.h"
#include "HubSpotOAuth.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace halospot::sandbox;

namespace halospot::sandbox::oauthtest {

// The smallest HTTP front for the component: everything goes to HubSpotOAuth::handle.
class OAuthService final : public HttpService
{
    Q_DISABLE_COPY_MOVE(OAuthService)

public:
    OAuthService(Clock *clock, HubSpotAppConfig app)
        : HttpService(QStringLiteral("oauth-test"), clock)
        , m_oauth(std::move(app), clock, &faults())
    {}
    HubSpotOAuth &oauth() { return m_oauth; }

protected:
    Response handle(const Request &request) override
    {
        if (std::optional<Response> r = m_oauth.handle(request, baseUrl()))
            return *r;
        return Response::json(
            404, QJsonObject{{QStringLiteral("message"), QStringLiteral("not an OAuth path")}});
    }

private:
    HubSpotOAuth m_oauth;
};

struct Reply
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QUrl location() const { return QUrl::fromEncoded(headers.value("location")); }
    QString locationItem(const QString &key) const
    {
        return QUrlQuery(location()).queryItemValue(key, QUrl::FullyDecoded);
    }
};

using Params = QList<QPair<QString, QString>>;

inline QByteArray encode(const Params &params)
{
    QByteArray out;
    for (const auto &p : params) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(p.first) + '=' + QUrl::toPercentEncoding(p.second);
    }
    return out;
}

inline const QString kRedirect = QStringLiteral("http://localhost:5555/callback");
inline const QString kScopes =
    QStringLiteral("oauth crm.objects.companies.read crm.objects.contacts.read");

inline QString challengeFor(const QString &verifier)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace halospot::sandbox::oauthtest

using namespace halospot::sandbox::oauthtest;

class TestHubSpotOAuth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void consentPageShowsButtons();
    void grantRedirectsWithCodeAndState();
    void denyRedirectsWithAccessDenied();
    void autoApproveAndPortalPath();
    void redirectUriRules_data();
    void redirectUriRules();
    void unknownClientGetsErrorPage();
    void scopeErrorsRedirect();
    void codeExchange_data();
    void codeExchange();
    void exchangeErrors();
    void expiredCode();
    void pkce_data();
    void pkce();
    void refreshGivesNewTokens();
    void rotatingRefreshTokens();
    void badRefreshTokenBody();
    void revokeThenRefreshFails();
    void tokenInfoAndIntrospect();
    void checkStates();
    void lifetimeOverrides();
    void staticTokens();
    void otherPaths();

private:
    Reply send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
               const QByteArray &contentType = "application/x-www-form-urlencoded");
    Reply post(const QString &path, const Params &form) { return send("POST", path, encode(form)); }
    QString authorizePath(Params extra = {}, const QString &redirect = kRedirect) const;
    QString code(Params extra = {});
    Params exchangeForm(const QString &code) const;
    QJsonObject tokens(Params extra = {});
    void advance(qint64 scaledMs);
    HubSpotOAuth &oauth() { return m_service->oauth(); }

    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<OAuthService> m_service;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};
