// The reachability probe of the connection checks and its sentences.
#include "ConnectionProbe.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#if QT_CONFIG(ssl)
#include <QSslError>
#include <QSslSocket>
#endif

#include <memory>

namespace halospot::api {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("halospot::api::ConnectionProbe", text);
}

QString hostPort(const QUrl &url)
{
    const bool https = url.scheme() == QLatin1String("https");
    return QStringLiteral("%1:%2").arg(url.host()).arg(url.port(https ? 443 : 80));
}

} // namespace

void probeReachability(const QUrl &url, QObject *context, int timeoutMs,
                       std::function<void(const Reachability &)> done)
{
    // A bare socket, no HTTP: nothing is sent but a TLS hello, and a connection that opens but
    // whose handshake breaks (a plain-HTTP server behind an https address) is told apart from one
    // that never opens.
    const bool https = url.scheme() == QLatin1String("https");
    const quint16 port = quint16(url.port(https ? 443 : 80));
#if QT_CONFIG(ssl)
    auto *socket = new QSslSocket(context);
#else
    auto *socket = new QTcpSocket(context);
#endif
    struct State
    {
        bool connected = false;
        bool reported = false;
        QStringList sslProblems;
    };
    auto state = std::make_shared<State>();
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    QPointer<QObject> guard(context);
    auto report = [socket, state, guard, done = std::move(done)](const Reachability &r) {
        if (state->reported)
            return;
        state->reported = true;
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
        if (guard)
            done(r);
    };
    QObject::connect(socket, &QAbstractSocket::connected, socket, [state, https, report] {
        state->connected = true;
        if (!https)
            report({ReachProblem::None, {}});
    });
#if QT_CONFIG(ssl)
    QObject::connect(socket, &QSslSocket::encrypted, socket, [report] {
        report({ReachProblem::None, {}});
    });
    QObject::connect(socket, &QSslSocket::sslErrors, socket,
                     [state](const QList<QSslError> &errors) {
                         for (const QSslError &e : errors)
                             state->sslProblems << e.errorString();
                     });
#endif
    QObject::connect(socket, &QAbstractSocket::errorOccurred, socket,
                     [socket, state, https, report](QAbstractSocket::SocketError error) {
                         Reachability r;
                         r.detail = socket->errorString();
                         if (!state->sslProblems.isEmpty()) {
                             r.problem = ReachProblem::Tls;
                             r.detail = state->sslProblems.join(QStringLiteral("; "));
                         } else if (https && state->connected) {
                             r.problem = ReachProblem::Tls;
                             r.detail = tr("the server ended the handshake (%1)").arg(r.detail);
                         } else if (error == QAbstractSocket::HostNotFoundError) {
                             r.problem = ReachProblem::HostNotFound;
                         } else if (error == QAbstractSocket::ConnectionRefusedError) {
                             r.problem = ReachProblem::Refused;
                         } else if (error == QAbstractSocket::SocketTimeoutError) {
                             r.problem = ReachProblem::Timeout;
                         } else {
                             r.problem = ReachProblem::Other;
                         }
                         report(r);
                     });
    QObject::connect(timer, &QTimer::timeout, socket, [state, https, report] {
        Reachability r;
        // Connected but no handshake in time is a TLS problem too (a server waiting for HTTP).
        r.problem = https && state->connected ? ReachProblem::Tls : ReachProblem::Timeout;
        if (r.problem == ReachProblem::Tls)
            r.detail = tr("the server never answered the handshake");
        report(r);
    });
    timer->start(qMax(1000, timeoutMs));
#if QT_CONFIG(ssl)
    if (https) {
        socket->connectToHostEncrypted(url.host(), port);
        return;
    }
#endif
    socket->connectToHost(url.host(), port);
}

QString reachabilitySentence(const QString &service, const QUrl &url, const Reachability &reach,
                             int timeoutMs, const QString &fallback)
{
    switch (reach.problem) {
    case ReachProblem::HostNotFound:
        return tr("HaloSpot could not find the %1 server “%2”: the name does not resolve. Check "
                  "the address for typos, and that this computer is online.")
            .arg(service, url.host());
    case ReachProblem::Refused:
        return tr("Nothing accepts connections at %1 (the connection was refused). Check the %2 "
                  "address and port, and that the server is running.")
            .arg(hostPort(url), service);
    case ReachProblem::Tls:
        return tr("HaloSpot could not open a secure (TLS) connection to %1: %2. Either the "
                  "address does not serve https, or its certificate is not trusted on this "
                  "computer (expired, self-signed or for another name). Check the %3 address; "
                  "if your server uses its own certificate authority, install that certificate "
                  "on this computer.")
            .arg(hostPort(url), reach.detail, service);
    case ReachProblem::Timeout:
        return tr("%1 at %2 did not answer within %3 seconds. Check this computer's internet "
                  "connection, proxy and firewall.")
            .arg(service, url.host())
            .arg(qMax(1, timeoutMs / 1000));
    case ReachProblem::Other:
        return fallback.isEmpty() ? tr("HaloSpot could not reach %1 at %2: %3.")
                                        .arg(service, url.host(), reach.detail)
                                  : fallback;
    case ReachProblem::None:
        break;
    }
    return fallback;
}

QString scrubSecrets(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        if (!secret.isEmpty())
            text.replace(secret, QStringLiteral("…"));
    }
    return text;
}

} // namespace halospot::api
