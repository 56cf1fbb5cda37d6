// The sandbox's HTTP service base: request capture, fault application and reply writing.
#include "HttpService.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#endif

Q_LOGGING_CATEGORY(lcSandboxHttp, "halospot.sandbox.http", QtInfoMsg)

namespace halospot::sandbox {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    switch (method) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    case M::Connect:
        return "CONNECT";
    case M::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

Request capture(const QHttpServerRequest &in)
{
    Request r;
    r.method = methodName(in.method());
    r.path = in.url().path();
    r.query = QUrlQuery(in.url());
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    const QHttpHeaders headers = in.headers();
    for (qsizetype i = 0; i < headers.size(); ++i)
        r.headers.insert(headers.nameAt(i).toLatin1().toLower(), headers.valueAt(i).toByteArray());
#else
    const auto headers = in.headers();
    for (const auto &h : headers)
        r.headers.insert(h.first.toLower(), h.second);
#endif
    r.body = in.body();
    return r;
}

// Replies are written in several small pieces (status line, headers, body); with Nagle's algorithm
// on, the last piece waits for the client's delayed ACK, adding ~40 ms to many loopback replies.
// The real services answer in one go, so the sandbox turns Nagle off on every accepted socket.
class LowDelayTcpServer final : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

} // namespace

QString Request::bearerToken() const
{
    const QByteArray auth = header("authorization").trimmed();
    if (auth.size() > 7 && auth.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(auth.mid(7).trimmed());
    return QString();
}

QJsonDocument Request::json(bool *ok, QString *error) const
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const bool good = parseError.error == QJsonParseError::NoError;
    if (ok)
        *ok = good;
    if (!good && error) {
        *error = QStringLiteral("Invalid input JSON at offset %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
    }
    return doc;
}

QUrlQuery Request::form() const
{
    // '+' means space in form bodies; QUrlQuery leaves it alone.
    QByteArray b = body;
    b.replace('+', ' ');
    return QUrlQuery(QString::fromUtf8(b));
}

QStringList Request::queryList(const QString &key) const
{
    QStringList out;
    const QStringList values = query.allQueryItemValues(key, QUrl::FullyDecoded);
    for (const QString &v : values) {
        const QStringList parts = v.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &p : parts)
            out << p.trimmed();
    }
    return out;
}

void Response::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray Response::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

QByteArray toJsonBytes(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Response Response::json(int status, const QJsonObject &object)
{
    return text(status, toJsonBytes(object), "application/json;charset=utf-8");
}

Response Response::json(int status, const QJsonArray &array)
{
    return text(status, QJsonDocument(array).toJson(QJsonDocument::Compact),
                "application/json;charset=utf-8");
}

Response Response::json(int status, const QJsonValue &value)
{
    if (value.isObject())
        return json(status, value.toObject());
    if (value.isArray())
        return json(status, value.toArray());
    // A bare JSON scalar (Halo sometimes answers with a plain JSON string).
    QJsonArray wrap{value};
    QByteArray bytes = QJsonDocument(wrap).toJson(QJsonDocument::Compact);
    bytes = bytes.mid(1, bytes.size() - 2);
    return text(status, bytes, "application/json;charset=utf-8");
}

Response Response::text(int status, const QByteArray &text, const QByteArray &contentType)
{
    Response r;
    r.status = status;
    r.body = text;
    r.setHeader("Content-Type", contentType);
    return r;
}

Response Response::html(int status, const QString &html)
{
    return text(status, html.toUtf8(), "text/html; charset=utf-8");
}

Response Response::empty(int status)
{
    Response r;
    r.status = status;
    return r;
}

Response Response::redirect(const QUrl &location)
{
    Response r;
    r.status = 302;
    r.setHeader("Location", location.toEncoded());
    return r;
}

HttpService::HttpService(QString name, Clock *clock, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_name(std::move(name))
    , m_clock(clock)
{}

HttpService::~HttpService() = default;

quint16 HttpService::listen(quint16 port)
{
    auto *tcp = new LowDelayTcpServer(this);
    if (!tcp->listen(QHostAddress::LocalHost, port)) {
        m_error = tr("%1 could not listen on 127.0.0.1:%2: %3")
                      .arg(m_name)
                      .arg(port)
                      .arg(tcp->errorString());
        delete tcp;
        return 0;
    }
    bind(tcp);
    m_tcp = tcp;
    m_port = tcp->serverPort();
    return m_port;
}

QUrl HttpService::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_publicPort ? m_publicPort : m_port);
    return url;
}

bool HttpService::faultsApplyTo(const Request &request) const
{
    return !request.path.startsWith(QLatin1String("/_sandbox/"));
}

Response HttpService::rateLimitedResponse(const Request &, bool withRetryAfter)
{
    Response r = Response::json(
        429, QJsonObject{{QStringLiteral("message"), QStringLiteral("Too many requests")}});
    if (withRetryAfter)
        r.setHeader("Retry-After", "1");
    return r;
}

Response HttpService::serverErrorResponse(const Request &)
{
    return Response::json(
        500, QJsonObject{{QStringLiteral("message"), QStringLiteral("Internal server error")}});
}

void HttpService::decorate(const Request &, Response &) {}

Response HttpService::dispatch(const Request &request)
{
    Response response = handle(request);
    decorate(request, response);
    return response;
}

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
bool HttpService::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    serve(request, makeResponder(request, socket));
    return true;
}

void HttpService::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    serve(request, makeResponder(request, socket));
}
#else
bool HttpService::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    serve(request, std::move(responder));
    return true;
}

void HttpService::missingHandler(const QHttpServerRequest &request,
                                 QHttpServerResponder &&responder)
{
    serve(request, std::move(responder));
}
#endif

void HttpService::serve(const QHttpServerRequest &in, QHttpServerResponder &&responder)
{
    ++m_requests;
    const Request request = capture(in);
    const bool faulty = faultsApplyTo(request);
    const Fault fault = faulty ? m_faults.next() : Fault::None;

    Response response;
    switch (fault) {
    case Fault::Stall:
        qCDebug(lcSandboxHttp) << m_name << "stalls" << request.method << request.path;
        m_stalled.push_back(std::make_shared<QHttpServerResponder>(std::move(responder)));
        return;
    case Fault::ServerError:
        response = serverErrorResponse(request);
        decorate(request, response);
        break;
    case Fault::RateLimited:
    case Fault::RateLimitedNoRetry:
        response = rateLimitedResponse(request, fault == Fault::RateLimited);
        decorate(request, response);
        break;
    case Fault::Malformed:
        response = dispatch(request);
        response.status = 200;
        response.setHeader("Content-Type", "application/json;charset=utf-8");
        response.body = response.body.left(qMax<qsizetype>(1, response.body.size() / 2));
        if (response.body.isEmpty() || response.body == "{")
            response.body = "{\"results\":[{\"id\":";
        break;
    case Fault::None:
    case Fault::Drop:
        response = dispatch(request);
        break;
    }

    const int latency = faulty ? m_faults.nextLatencyMs() : 0;
    if (latency <= 0) {
        send(responder, response);
        return;
    }
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    // Qt 6.4's responder writes through a raw socket pointer, and the server deletes the socket
    // when the client leaves; a client that gave up during the delay must not crash the service.
    const QPointer<QTcpSocket> socket = held->socket();
    QTimer::singleShot(latency, this, [this, held, response, socket] {
        if (socket && socket->state() == QAbstractSocket::ConnectedState)
            send(*held, response);
    });
#else
    QTimer::singleShot(latency, this, [this, held, response] { send(*held, response); });
#endif
}

void HttpService::send(QHttpServerResponder &responder, const Response &response)
{
    ++m_statusCounts[response.status];
    const auto status = QHttpServerResponder::StatusCode(response.status);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders headers;
    for (const auto &h : response.headers)
        headers.append(h.first, h.second);
    responder.write(response.body, headers, status);
#else
    responder.writeStatusLine(status);
    for (const auto &h : response.headers)
        responder.writeHeader(h.first, h.second);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder.writeBody(response.body);
#endif
}

} // namespace halospot::sandbox
