// The base of the sandbox's fake services: a QAbstractHttpServer bound to 127.0.0.1 that turns each
// request into a plain value, lets a subclass answer it, and applies the fault plan (latency, 5xx,
// 429 storms, malformed bodies, stalls) on the way out. Qt's HTTP server API changed between 6.4
// and 6.8; every version difference is kept inside HttpService.cpp.
#pragma once

#include "Clock.h"
#include "FaultPlan.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <memory>
#include <vector>

class QTcpServer;
class QHttpServerResponder;

namespace halospot::sandbox {

struct Request
{
    QByteArray method; // "GET", "POST", …
    QString path;      // decoded path, e.g. "/crm/v3/objects/companies"
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    // The token of an "Authorization: Bearer …" header, or empty.
    QString bearerToken() const;
    // The body parsed as JSON; ok is false (and error set) when it is not valid JSON.
    QJsonDocument json(bool *ok, QString *error = nullptr) const;
    // The body parsed as application/x-www-form-urlencoded.
    QUrlQuery form() const;
    // All values of a query parameter, repeated keys and comma-separated lists both accepted.
    QStringList queryList(const QString &key) const;
};

struct Response
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &name) const;

    static Response json(int status, const QJsonObject &object);
    static Response json(int status, const QJsonArray &array);
    static Response json(int status, const QJsonValue &value);
    static Response text(int status, const QByteArray &text,
                         const QByteArray &contentType = "text/plain; charset=utf-8");
    static Response html(int status, const QString &html);
    static Response empty(int status);
    static Response redirect(const QUrl &location);
};

class HttpService : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpService)

public:
    HttpService(QString name, Clock *clock, QObject *parent = nullptr);
    ~HttpService() override;

    // Listens on 127.0.0.1 only; 0 picks a free port. Returns the port, or 0 with error() set.
    quint16 listen(quint16 port = 0);
    quint16 port() const { return m_port; }
    // The origin clients use: 127.0.0.1 and the public port (links in replies must point there).
    QUrl baseUrl() const;
    // With a FaultProxy in front, the proxy's port is the public one; 0 = the listening port.
    void setPublicPort(quint16 port) { m_publicPort = port; }
    QString error() const { return m_error; }
    QString name() const { return m_name; }

    Clock *clock() const { return m_clock; }
    FaultPlan &faults() { return m_faults; }

    // Requests handled, and replies sent by status code (faults included).
    qint64 requestCount() const { return m_requests; }
    qint64 countForStatus(int status) const { return m_statusCounts.value(status); }

    // The answer the service gives without faults; public so that tests can call it directly.
    Response dispatch(const Request &request);

protected:
    virtual Response handle(const Request &request) = 0;
    // Whether faults apply to this request (default: everything outside /_sandbox/).
    virtual bool faultsApplyTo(const Request &request) const;
    // The service's own body for an injected 429, 5xx; subclasses give them their real shapes.
    virtual Response rateLimitedResponse(const Request &request, bool withRetryAfter);
    virtual Response serverErrorResponse(const Request &request);
    // Headers every reply carries (e.g. a correlation ID).
    virtual void decorate(const Request &request, Response &response);

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request,
                        QHttpServerResponder &&responder) override;
#endif

private:
    void serve(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void send(QHttpServerResponder &responder, const Response &response);

    QString m_name;
    Clock *m_clock;
    FaultPlan m_faults;
    QTcpServer *m_tcp = nullptr;
    quint16 m_port = 0;
    quint16 m_publicPort = 0;
    QString m_error;
    qint64 m_requests = 0;
    QHash<int, qint64> m_statusCounts;
    // Stalled requests keep their responder alive (unanswered) until the service goes away.
    std::vector<std::shared_ptr<QHttpServerResponder>> m_stalled;
};

// Helpers for building replies from Qt's JSON types.
QByteArray toJsonBytes(const QJsonObject &object);

} // namespace halospot::sandbox
