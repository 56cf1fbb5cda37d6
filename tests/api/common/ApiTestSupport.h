// Helpers for the api tests: a scripted loopback service (a tiny HttpService subclass that records
// what arrives and answers through a lambda) and a worker thread to run clients on.
#pragma once

#include "HttpService.h"
#include "RollingWindow.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QMetaObject>
#include <QMutex>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>

namespace halospot::apitest {

class ScriptedService final : public sandbox::HttpService
{
public:
    using Handler = std::function<sandbox::Response(const sandbox::Request &)>;

    explicit ScriptedService(sandbox::Clock *clock)
        : sandbox::HttpService(QStringLiteral("Test"), clock)
    {
        m_sinceStart.start();
    }

    Handler handler;
    // When set, requests beyond the window are refused with 429 like a real service would.
    std::optional<sandbox::RollingWindow> window;
    QList<sandbox::Request> seen; // answered requests (stalled ones never reach handle())
    QList<qint64> arrivalsMs;     // real ms since construction, per answered request
    int refused = 0;

    int seenWithMethod(const QByteArray &method) const
    {
        int n = 0;
        for (const auto &r : seen)
            n += r.method == method ? 1 : 0;
        return n;
    }

protected:
    sandbox::Response handle(const sandbox::Request &request) override
    {
        const qint64 now = m_sinceStart.elapsed();
        if (window && !window->tryAcquire(now)) {
            ++refused;
            return sandbox::Response::json(
                429, QJsonObject{{QStringLiteral("message"), QStringLiteral("window")}});
        }
        seen.append(request);
        arrivalsMs.append(now);
        if (handler)
            return handler(request);
        return sandbox::Response::json(200, QJsonObject{{QStringLiteral("ok"), true}});
    }

private:
    QElapsedTimer m_sinceStart;
};

// A started QThread with a context object living in it; run() executes a function there.
class Worker final
{
public:
    Worker()
    {
        m_thread.setObjectName(QStringLiteral("api-test-worker"));
        m_thread.start();
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    }
    ~Worker()
    {
        m_thread.quit();
        m_thread.wait();
    }
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    QThread *thread() { return &m_thread; }
    QObject *context() const { return m_context; }
    void run(std::function<void()> f)
    {
        QMetaObject::invokeMethod(m_context, std::move(f), Qt::QueuedConnection);
    }
    void runBlocking(std::function<void()> f)
    {
        QMetaObject::invokeMethod(m_context, std::move(f), Qt::BlockingQueuedConnection);
    }

private:
    QThread m_thread;
    QObject *m_context = nullptr;
};

// A port nothing listens on (bound, then released).
inline quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// The rows of an "unreachable service" data function: a refused port, a name that does not
// resolve (`invalidHost`) and https to a plain-HTTP port ("PLAIN" in the address stands for it).
inline void addUnreachableRows(const char *addressColumn, const QString &invalidHost)
{
    QTest::addColumn<QString>(addressColumn);
    QTest::addColumn<QString>("expected");
    QTest::newRow("refused") << QStringLiteral("http://127.0.0.1:%1").arg(closedPort())
                             << QStringLiteral("connection was refused");
    QTest::newRow("unresolvable") << QStringLiteral("https://") + invalidHost
                                  << QStringLiteral("does not resolve");
    QTest::newRow("tls") << QStringLiteral("https://127.0.0.1:PLAIN")
                         << QStringLiteral("secure (TLS) connection");
}

} // namespace halospot::apitest
