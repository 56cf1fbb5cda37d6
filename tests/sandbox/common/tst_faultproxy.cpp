// Tests of FaultProxy over loopback: clean forwarding with keep-alive and large bodies, replies cut
// mid-body as queued or by rate, and connections closed on both sides.
#include "FaultProxy.h"
#include "LoopbackHttp.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

namespace {

// The service and its proxy, started on free ports.
struct Rig
{
    Clock clock;
    EchoService service{&clock};
    FaultProxy proxy{&service.faults()};

    bool start() { return service.listen(0) && proxy.listen(0, service.port()); }
    QUrl url(const QString &pathAndQuery) const { return urlFor(proxy.port(), pathAndQuery); }
};

} // namespace

class TestFaultProxy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forwardsRequestsOverKeepAlive()
    {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.proxy.port() != rig.service.port());
        QCOMPARE(rig.proxy.targetPort(), rig.service.port());
        QNetworkAccessManager nam;
        const int count = 20;
        for (int i = 0; i < count; ++i) {
            const HttpResult r = send(nam, "POST", rig.url(QStringLiteral("/echo?i=%1").arg(i)),
                                      QByteArray("{\"n\":") + QByteArray::number(i) + "}");
            QCOMPARE(r.error, QNetworkReply::NoError);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.json().value(QStringLiteral("body")).toString(),
                     QStringLiteral("{\"n\":%1}").arg(i));
        }
        QCOMPARE(rig.service.handled, count);
        // Sequential requests reuse one kept-alive connection instead of one each.
        QVERIFY2(rig.proxy.acceptedConnections() < count,
                 qPrintable(QString::number(rig.proxy.acceptedConnections())));
        QCOMPARE(rig.proxy.droppedReplies(), 0);
    }

    void largeBodiesPassIntactBothWays()
    {
        Rig rig;
        QVERIFY(rig.start());
        QNetworkAccessManager nam;
        const int size = 3 * 1024 * 1024;
        const HttpResult big = send(nam, "GET", rig.url(QStringLiteral("/big?n=%1").arg(size)));
        QCOMPARE(big.status, 200);
        QCOMPARE(big.body.size(), size);
        QVERIFY(big.isValidJson());

        const QByteArray upload = "[\"" + QByteArray(1024 * 1024, 'u') + "\"]";
        const HttpResult echoed = send(nam, "PUT", rig.url(QStringLiteral("/up")), upload);
        QCOMPARE(echoed.status, 200);
        QCOMPARE(echoed.json().value(QStringLiteral("body")).toString().size(), upload.size());
    }

    void queuedDropCutsTheNextReplyMidBody()
    {
        Rig rig;
        QVERIFY(rig.start());
        QNetworkAccessManager nam;
        // A warm keep-alive connection first: the drop must hit a reused connection too.
        QCOMPARE(send(nam, "GET", rig.url(QStringLiteral("/warm"))).status, 200);

        QSignalSpy dropped(&rig.proxy, &FaultProxy::replyDropped);
        rig.service.faults().injectNext(Fault::Drop);
        const HttpResult cut = send(nam, "GET", rig.url(QStringLiteral("/big?n=20000")));
        QVERIFY(cut.finished);
        QVERIFY2(cut.error == QNetworkReply::RemoteHostClosedError ||
                     cut.error == QNetworkReply::ProtocolFailure,
                 qPrintable(QString::number(int(cut.error))));
        QVERIFY(cut.body.size() < 20000);
        QCOMPARE(dropped.size(), 1);
        QCOMPARE(rig.proxy.droppedReplies(), 1);
        QCOMPARE(rig.service.faults().fired(Fault::Drop), 1);
        // The service did answer; only the proxy cut it.
        QCOMPARE(rig.service.countForStatus(200), 2);

        // Following requests succeed.
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = send(nam, "GET", rig.url(QStringLiteral("/big?n=20000")));
            QCOMPARE(r.error, QNetworkReply::NoError);
            QCOMPARE(r.body.size(), 20000);
        }
        QCOMPARE(rig.proxy.droppedReplies(), 1);
    }

    void cutFallsInsideTheBody()
    {
        Rig rig;
        QVERIFY(rig.start());
        rig.service.faults().injectNext(Fault::Drop);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), rig.proxy.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /big?n=1000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray received;
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                         [&] { received += socket.readAll(); });
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
        received += socket.readAll();
        const qsizetype headerEnd = received.indexOf("\r\n\r\n");
        QVERIFY2(headerEnd > 0, received.constData());
        QVERIFY(received.startsWith("HTTP/1.1 200"));
        const qsizetype bodyBytes = received.size() - headerEnd - 4;
        QVERIFY2(bodyBytes > 0 && bodyBytes < 1000, qPrintable(QString::number(bodyBytes)));
    }

    void dropRateOneCutsEveryReplyAndZeroNone()
    {
        Rig rig;
        QVERIFY(rig.start());
        FaultRates rates;
        rates.drop = 1.0;
        rig.service.faults().setRates(rates);
        QNetworkAccessManager nam;
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = send(nam, "GET", rig.url(QStringLiteral("/big?n=5000")));
            QVERIFY(r.finished);
            QVERIFY(r.error != QNetworkReply::NoError);
        }
        QCOMPARE(rig.proxy.droppedReplies(), 3);
        rates.drop = 0;
        rig.service.faults().setRates(rates);
        const HttpResult ok = send(nam, "GET", rig.url(QStringLiteral("/big?n=5000")));
        QCOMPARE(ok.error, QNetworkReply::NoError);
        QCOMPARE(ok.body.size(), 5000);
    }

    void connectionsCloseOnBothSides()
    {
        Rig rig;
        QVERIFY(rig.start());
        {
            QNetworkAccessManager nam;
            QCOMPARE(send(nam, "GET", rig.url(QStringLiteral("/a"))).status, 200);
            QCOMPARE(rig.proxy.openConnections(), 1);
            nam.clearConnectionCache();
        }
        // The client went away: the proxy closes its side to the service and forgets the pair.
        QTRY_COMPARE_WITH_TIMEOUT(rig.proxy.openConnections(), 0, 10000);
    }

    void serviceClosingClosesTheClient()
    {
        // A bare target that answers once and closes, as an HTTP/1.0 server would.
        QTcpServer target;
        QVERIFY(target.listen(QHostAddress(QHostAddress::LocalHost), 0));
        QObject::connect(&target, &QTcpServer::newConnection, &target, [&target] {
            QTcpSocket *peer = target.nextPendingConnection();
            QObject::connect(peer, &QTcpSocket::readyRead, peer, [peer] {
                peer->readAll();
                peer->write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
                peer->disconnectFromHost();
            });
        });
        FaultPlan plan;
        FaultProxy proxy(&plan);
        QVERIFY(proxy.listen(0, target.serverPort()));

        QTcpSocket socket;
        QByteArray received;
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                         [&] { received += socket.readAll(); });
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), proxy.port());
        QVERIFY(socket.waitForConnected(5000));
        QTRY_COMPARE_WITH_TIMEOUT(proxy.openConnections(), 1, 10000);
        socket.write("GET / HTTP/1.0\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
        received += socket.readAll();
        // Everything the target wrote before closing arrived.
        QVERIFY2(received.endsWith("\r\n\r\nok"), received.constData());
        QTRY_COMPARE_WITH_TIMEOUT(proxy.openConnections(), 0, 10000);
    }

    void unreachableTargetClosesTheClient()
    {
        // Find a free port, then free it again so that nothing listens there.
        quint16 deadPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress(QHostAddress::LocalHost), 0));
            deadPort = probe.serverPort();
        }
        FaultPlan plan;
        FaultProxy proxy(&plan);
        QVERIFY(proxy.listen(0, deadPort));
        QNetworkAccessManager nam;
        const HttpResult r = send(nam, "GET", urlFor(proxy.port(), QStringLiteral("/x")));
        QVERIFY(r.finished);
        QVERIFY(r.error != QNetworkReply::NoError);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.openConnections(), 0, 10000);
    }

    void portInUseIsAnError()
    {
        FaultPlan plan;
        FaultProxy first(&plan);
        const quint16 port = first.listen(0, 1);
        QVERIFY(port != 0);
        FaultProxy second(&plan);
        QCOMPARE(second.listen(port, 1), quint16(0));
        QVERIFY(second.error().contains(QString::number(port)));
    }

    void destroyingTheProxyWithOpenConnectionsIsClean()
    {
        auto rig = std::make_unique<Rig>();
        QVERIFY(rig->start());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), rig->proxy.port());
        QVERIFY(socket.waitForConnected(5000));
        QTRY_COMPARE_WITH_TIMEOUT(rig->proxy.openConnections(), 1, 10000);
        rig.reset();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    }
};

QTEST_GUILESS_MAIN(TestFaultProxy)
#include "tst_faultproxy.moc"
