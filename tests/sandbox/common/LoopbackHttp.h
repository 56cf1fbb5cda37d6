// Test helpers: plain HTTP calls over loopback with QNetworkAccessManager, waited on with
// QSignalSpy, and a tiny HttpService that echoes what it captured.
#pragma once

#include "HttpService.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrl>

#include <chrono>

namespace halospot::sandbox::test {

struct HttpResult
{
    bool finished = false; // false: no answer within the wait
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    qint64 elapsedMs = 0;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    bool isValidJson() const
    {
        QJsonParseError e;
        QJsonDocument::fromJson(body, &e);
        return e.error == QJsonParseError::NoError;
    }
};

// Sends one request and waits for it to finish (waitMs bounds the wait; it is not a speed check).
inline HttpResult send(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
                       const QByteArray &body = {},
                       const QList<QPair<QByteArray, QByteArray>> &headers = {},
                       int transferTimeoutMs = 0, int waitMs = 20000)
{
    QNetworkRequest request(url);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    if (!body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    // Redirects are answers to check (OAuth), not to follow.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    if (transferTimeoutMs > 0) {
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
        request.setTransferTimeout(std::chrono::milliseconds(transferTimeoutMs));
#else
        request.setTransferTimeout(transferTimeoutMs);
#endif
    }
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QSignalSpy spy(reply, &QNetworkReply::finished);
    HttpResult result;
    result.finished = reply->isFinished() || spy.wait(waitMs);
    result.elapsedMs = timer.elapsed();
    result.error = reply->error();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        result.body = reply->readAll();
    const auto pairs = reply->rawHeaderPairs();
    for (const auto &p : pairs)
        result.headers.insert(p.first.toLower(), p.second);
    if (!result.finished)
        reply->abort();
    reply->deleteLater();
    return result;
}

inline QUrl urlFor(quint16 port, const QString &pathAndQuery)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(pathAndQuery));
}

// Echoes the captured request as JSON; /big?n=N answers N bytes of JSON (an array of one string).
class EchoService final : public HttpService
{
public:
    explicit EchoService(Clock *clock, QObject *parent = nullptr)
        : HttpService(QStringLiteral("Echo"), clock, parent)
    {}

    qint64 handled = 0;

protected:
    Response handle(const Request &request) override
    {
        ++handled;
        if (request.path == QLatin1String("/big")) {
            const int n = request.query.queryItemValue(QStringLiteral("n")).toInt();
            // ["xx…"]: an array, since Qt 6.4's QJsonDocument does not parse a bare string.
            QByteArray body = "[\"" + QByteArray(qMax(0, n - 4), 'x') + "\"]";
            return Response::text(200, body, "application/json");
        }
        QJsonObject headers;
        for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it)
            headers.insert(QString::fromLatin1(it.key()), QString::fromLatin1(it.value()));
        QJsonObject query;
        const auto items = request.query.queryItems(QUrl::FullyDecoded);
        for (const auto &item : items)
            query.insert(item.first, item.second);
        return Response::json(
            200, QJsonObject{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                             {QStringLiteral("path"), request.path},
                             {QStringLiteral("query"), query},
                             {QStringLiteral("headers"), headers},
                             {QStringLiteral("body"), QString::fromUtf8(request.body)}});
    }
};

} // namespace halospot::sandbox::test
