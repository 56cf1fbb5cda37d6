// The sandbox's TCP proxy: byte forwarding with backpressure, and replies cut mid-body on demand.
#include "FaultProxy.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSandboxProxy, "halospot.sandbox.proxy", QtInfoMsg)

namespace halospot::sandbox {

namespace {

// Neither side may run more than this far ahead of the other: reading stops until the writer has
// drained, and the socket's read buffer is capped so that the kernel pushes back on the sender.
constexpr qint64 kHighWater = 256 * 1024;
constexpr qint64 kChunk = 64 * 1024;
// How long a dropped reply waits for body bytes before it is cut inside the headers instead.
constexpr int kBodyWaitMs = 50;

} // namespace

// One proxied connection: the accepted client socket and the socket to the service. It deletes
// itself once both are closed.
//
// Keep-alive clients (QNetworkAccessManager) send many requests over one connection, so the drop
// decision is taken once per request/reply exchange rather than once per TCP connection: an
// exchange starts with the first client bytes after the service last spoke. That way a queued Drop
// hits the very next request, and a drop rate means a share of requests, as the fault plan intends.
class FaultProxyConnection final : public QObject
{
public:
    FaultProxyConnection(FaultProxy *proxy, QTcpSocket *client, quint16 targetPort)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
        , m_upstream(new QTcpSocket(this))
    {
        m_client->setParent(this);
        // Forward each piece at once: Nagle plus delayed ACKs would add ~40 ms per exchange.
        m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_client->setReadBufferSize(kHighWater);
        m_upstream->setReadBufferSize(kHighWater);
        m_bodyTimer.setSingleShot(true);
        m_bodyTimer.setInterval(kBodyWaitMs);

        connect(m_upstream, &QTcpSocket::connected, this,
                [this] { m_upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
        connect(m_client, &QTcpSocket::readyRead, this, [this] { toUpstream(false); });
        connect(m_upstream, &QTcpSocket::connected, this, [this] { toUpstream(false); });
        connect(m_upstream, &QTcpSocket::bytesWritten, this, [this] { toUpstream(false); });
        connect(m_upstream, &QTcpSocket::readyRead, this, [this] { toClient(false); });
        connect(m_client, &QTcpSocket::bytesWritten, this, [this] { toClient(false); });
        connect(m_client, &QTcpSocket::stateChanged, this, [this](QAbstractSocket::SocketState s) {
            if (s == QAbstractSocket::UnconnectedState)
                clientClosed();
        });
        connect(m_upstream, &QTcpSocket::stateChanged, this,
                [this](QAbstractSocket::SocketState s) {
                    if (s == QAbstractSocket::UnconnectedState)
                        upstreamClosed();
                });
        connect(&m_bodyTimer, &QTimer::timeout, this, [this] { cut(true); });

        m_upstream->connectToHost(QHostAddress(QHostAddress::LocalHost), targetPort);
    }

    ~FaultProxyConnection() override
    {
        // Closing the sockets below must not call back into a half-destroyed connection.
        m_client->disconnect(this);
        m_upstream->disconnect(this);
        m_client->abort();
        m_upstream->abort();
        m_proxy->forget(this);
    }

private:
    void toUpstream(bool force)
    {
        if (m_cutting || m_upstream->state() != QAbstractSocket::ConnectedState)
            return;
        while (m_client->bytesAvailable() > 0 &&
               (force || m_upstream->bytesToWrite() < kHighWater)) {
            const QByteArray chunk = m_client->read(kChunk);
            if (chunk.isEmpty())
                break;
            if (!m_inExchange) {
                m_inExchange = true;
                m_dropThis = m_proxy->m_faults && m_proxy->m_faults->nextConnectionDrop();
            }
            m_upstream->write(chunk);
        }
    }

    void toClient(bool force)
    {
        if (m_cutting)
            return;
        while (m_upstream->bytesAvailable() > 0 &&
               (force || m_client->bytesToWrite() < kHighWater)) {
            const QByteArray chunk = m_upstream->read(kChunk);
            if (chunk.isEmpty())
                break;
            if (m_dropThis) {
                m_held += chunk;
                cut(false);
                return;
            }
            m_inExchange = false;
            m_client->write(chunk);
        }
    }

    // Forwards part of the held reply and closes both sides. Preferably the cut falls inside the
    // body (so the client sees a short body, not a garbled header); without body bytes after a
    // short wait, or when the service closed first, it falls in the middle of what arrived.
    void cut(bool giveUp)
    {
        if (m_cutting)
            return;
        qsizetype keep = -1;
        const qsizetype headerEnd = m_held.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
            const qsizetype bodyStart = headerEnd + 4;
            const qsizetype bodyHave = m_held.size() - bodyStart;
            if (bodyHave > 0)
                keep = bodyStart + bodyHave / 2;
        }
        if (keep < 0) {
            if (!giveUp) {
                if (!m_bodyTimer.isActive())
                    m_bodyTimer.start();
                return;
            }
            keep = m_held.size() / 2;
        }
        m_bodyTimer.stop();
        m_cutting = true;
        qCDebug(lcSandboxProxy) << "dropping a reply after" << keep << "of" << m_held.size()
                                << "bytes";
        m_client->write(m_held.left(keep));
        m_held.clear();
        m_proxy->connectionDropped();
        m_upstream->abort();
        // Graceful close so that the partial reply reaches the client before the FIN.
        m_client->disconnectFromHost();
    }

    void clientClosed()
    {
        if (!m_cutting)
            toUpstream(true);
        if (m_upstream->state() == QAbstractSocket::ConnectedState)
            m_upstream->disconnectFromHost();
        else if (m_upstream->state() != QAbstractSocket::UnconnectedState)
            m_upstream->abort();
        finishIfClosed();
    }

    void upstreamClosed()
    {
        if (m_dropThis && !m_cutting) {
            // The service closed before the cut point arrived: cut what there is.
            m_held += m_upstream->readAll();
            cut(true);
        } else if (!m_cutting) {
            toClient(true);
        }
        if (m_client->state() == QAbstractSocket::ConnectedState)
            m_client->disconnectFromHost();
        finishIfClosed();
    }

    void finishIfClosed()
    {
        if (m_finished || m_client->state() != QAbstractSocket::UnconnectedState ||
            m_upstream->state() != QAbstractSocket::UnconnectedState)
            return;
        m_finished = true;
        deleteLater();
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    QTimer m_bodyTimer;
    QByteArray m_held;         // reply bytes held back while a drop waits for its cut point
    bool m_inExchange = false; // client bytes went up since the service last answered
    bool m_dropThis = false;   // the current exchange's reply gets cut
    bool m_cutting = false;
    bool m_finished = false;
};

FaultProxy::FaultProxy(FaultPlan *faults, QObject *parent)
    : QObject(parent)
    , m_faults(faults)
{}

FaultProxy::~FaultProxy()
{
    close();
}

quint16 FaultProxy::listen(quint16 port, quint16 targetPort)
{
    close();
    auto *server = new QTcpServer(this);
    if (!server->listen(QHostAddress(QHostAddress::LocalHost), port)) {
        m_error = tr("Could not listen on 127.0.0.1:%1: %2").arg(port).arg(server->errorString());
        delete server;
        return 0;
    }
    connect(server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
    m_server = server;
    m_port = server->serverPort();
    m_targetPort = targetPort;
    m_error.clear();
    return m_port;
}

void FaultProxy::close()
{
    delete m_server;
    m_server = nullptr;
    m_port = 0;
    // A copy: each connection removes itself from the set as it goes.
    const QSet<FaultProxyConnection *> open = m_connections;
    for (FaultProxyConnection *connection : open)
        delete connection;
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server->nextPendingConnection()) {
        ++m_accepted;
        m_connections.insert(new FaultProxyConnection(this, client, m_targetPort));
    }
}

void FaultProxy::connectionDropped()
{
    ++m_dropped;
    Q_EMIT replyDropped();
}

void FaultProxy::forget(FaultProxyConnection *connection)
{
    m_connections.remove(connection);
}

} // namespace halospot::sandbox
