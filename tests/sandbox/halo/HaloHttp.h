// Test helper: plain HTTP calls to an in-process FakeHalo over loopback with QNetworkAccessManager.
#pragma once

#include "FakeHalo.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrlQuery>

namespace halospot::sandbox::test {

struct HttpReply
{
    int status = 0; // 0 = no reply in time
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QJsonObject object() const { return json().object(); }
    QJsonArray array() const { return json().array(); }
    // A body that is a bare JSON string (QJsonDocument only parses arrays and objects).
    QString string() const
    {
        const QJsonArray wrapped = QJsonDocument::fromJson("[" + body + "]").array();
        return wrapped.size() == 1 && wrapped.at(0).isString() ? wrapped.at(0).toString()
                                                               : QString();
    }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return QByteArray();
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

class HaloHttp final
{
public:
    explicit HaloHttp(const FakeHalo &halo)
        : m_base(halo.baseUrl())
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
    }

    QString token;

    HttpReply get(const QString &path, const QUrlQuery &query = {})
    {
        return send("GET", path, query, {}, {});
    }
    HttpReply del(const QString &path) { return send("DELETE", path, {}, {}, {}); }
    HttpReply post(const QString &path, const QJsonDocument &body)
    {
        return send("POST", path, {}, body.toJson(QJsonDocument::Compact), "application/json");
    }
    HttpReply postRaw(const QString &path, const QByteArray &body, const QByteArray &contentType,
                      const QUrlQuery &query = {})
    {
        return send("POST", path, query, body, contentType);
    }
    HttpReply send(const QByteArray &method, const QString &path, const QUrlQuery &query,
                   const QByteArray &body, const QByteArray &contentType)
    {
        QUrl url = m_base;
        url.setPath(path);
        url.setQuery(query);
        QNetworkRequest request(url);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        if (!contentType.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        HttpReply out;
        if (reply->isFinished() || finished.wait(20000)) {
            out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            out.body = reply->readAll();
            out.headers = reply->rawHeaderPairs();
        }
        reply->deleteLater();
        return out;
    }

    // A client-credentials token request; the form is built like a real client would.
    HttpReply requestToken(const QString &clientId, const QString &secret,
                           const QString &tenant = {},
                           const QString &grant = QStringLiteral("client_credentials"))
    {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), grant);
        form.addQueryItem(QStringLiteral("client_id"), clientId);
        form.addQueryItem(QStringLiteral("client_secret"), secret);
        form.addQueryItem(QStringLiteral("scope"), QStringLiteral("all"));
        QUrlQuery query;
        if (!tenant.isEmpty())
            query.addQueryItem(QStringLiteral("tenant"), tenant);
        const QByteArray body = form.toString(QUrl::FullyEncoded).toLatin1();
        const QString saved = token;
        token.clear();
        HttpReply r = postRaw(QStringLiteral("/auth/token"), body,
                              "application/x-www-form-urlencoded", query);
        token = saved;
        return r;
    }

    // Logs in with the service's own credentials; true when a token was obtained.
    bool login(FakeHalo &halo)
    {
        const HttpReply r =
            requestToken(halo.config().clientId, halo.config().clientSecret, halo.config().tenant);
        token = r.object().value(QStringLiteral("access_token")).toString();
        return r.status == 200 && !token.isEmpty();
    }

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
};

} // namespace halospot::sandbox::test
