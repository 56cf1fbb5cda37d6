// A small TCP proxy in front of a sandbox service that injects connection-level faults: a reply cut
// off mid-body and the connection closed. Hand-written because Qt has no TCP proxy class
// (QNetworkProxy is the client side only), and the faults must happen below HTTP where QHttpServer
// cannot reach. The drop decision (FaultPlan::nextConnectionDrop) is taken once per request/reply
// exchange, so that keep-alive connections get their share of drops.
#pragma once

#include "FaultPlan.h"

#include <QObject>
#include <QSet>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace halospot::sandbox {

class FaultProxyConnection;

class FaultProxy final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultProxy)

public:
    // faults is not owned; the sandbox passes the plan of the service behind the proxy, so that a
    // Drop queued on that service's plan is taken by its proxy.
    explicit FaultProxy(FaultPlan *faults, QObject *parent = nullptr);
    ~FaultProxy() override;

    // Listens on 127.0.0.1:port (0 = any free port) and forwards every connection to
    // 127.0.0.1:targetPort. Returns the port, or 0 with error() set.
    quint16 listen(quint16 port, quint16 targetPort);
    void close();

    quint16 port() const { return m_port; }
    quint16 targetPort() const { return m_targetPort; }
    QString error() const { return m_error; }
    FaultPlan *faults() const { return m_faults; }

    // Connections currently open, accepted in total, and replies cut by a Drop fault.
    int openConnections() const { return int(m_connections.size()); }
    qint64 acceptedConnections() const { return m_accepted; }
    qint64 droppedReplies() const { return m_dropped; }

Q_SIGNALS:
    // A reply was cut off (for tests and logs).
    void replyDropped();

private:
    friend class FaultProxyConnection;
    void onNewConnection();
    void connectionDropped();
    void forget(FaultProxyConnection *connection);

    FaultPlan *m_faults;
    QTcpServer *m_server = nullptr;
    quint16 m_port = 0;
    quint16 m_targetPort = 0;
    QString m_error;
    qint64 m_accepted = 0;
    qint64 m_dropped = 0;
    QSet<FaultProxyConnection *> m_connections;
};

} // namespace halospot::sandbox
