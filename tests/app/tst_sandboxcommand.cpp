// Tests of `halospot sandbox`: the real binary started with QProcess (printed JSON, working
// credentials, clean exit on SIGTERM/SIGINT, exit codes for bad options and busy ports), and the
// option parser in-process.
#include "SandboxCommand.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUrlQuery>

#include <limits>
#include <memory>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/types.h>
#endif

using halospot::app::parseSandboxArguments;
using halospot::app::SandboxCommandOptions;

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

Reply call(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
           const QByteArray &authorization, const QByteArray &form = {})
{
    QNetworkRequest request(url);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (!form.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
    QNetworkReply *reply = nam.sendCustomRequest(request, method, form);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(20000);
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    reply->deleteLater();
    return r;
}

// A `halospot sandbox …` child process.
class SandboxProcess final
{
public:
    explicit SandboxProcess(const QStringList &arguments)
    {
        m_process.setProgram(QStringLiteral(HALOSPOT_BINARY));
        m_process.setArguments(QStringList{QStringLiteral("sandbox")} + arguments);
        m_process.start();
    }
    ~SandboxProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    SandboxProcess(const SandboxProcess &) = delete;
    SandboxProcess &operator=(const SandboxProcess &) = delete;

    QProcess &process() { return m_process; }

    // The first stdout line, waiting for it; empty when the process ended first.
    QByteArray firstLine(int waitMs = 30000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!m_process.canReadLine() && m_process.state() != QProcess::NotRunning &&
               timer.elapsed() < waitMs)
            m_process.waitForReadyRead(200);
        return m_process.canReadLine() ? m_process.readLine().trimmed() : QByteArray();
    }

    // Waits for the end; false when it did not end within waitMs.
    bool finish(int waitMs = 30000)
    {
        if (m_process.state() == QProcess::NotRunning)
            return true;
        return m_process.waitForFinished(waitMs);
    }

private:
    QProcess m_process;
};

quint16 busyPortHolder(QTcpServer &server)
{
    return server.listen(QHostAddress(QHostAddress::LocalHost), 0) ? server.serverPort() : 0;
}

} // namespace

class TestSandboxCommand final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void printsJsonAndServesUntilTerminated()
    {
        SandboxProcess sandbox(
            {QStringLiteral("--print-json"), QStringLiteral("--companies"), QStringLiteral("50"),
             QStringLiteral("--contacts"), QStringLiteral("100"), QStringLiteral("--hubspot-port"),
             QStringLiteral("0"), QStringLiteral("--halo-port"), QStringLiteral("0")});
        const QByteArray line = sandbox.firstLine();
        QVERIFY2(!line.isEmpty(), sandbox.process().readAllStandardError().constData());
        QJsonParseError error;
        const QJsonObject d = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        for (const char *k :
             {"hubspot_api_url", "hubspot_auth_url", "hubspot_token", "hubspot_client_id",
              "hubspot_client_secret", "halo_url", "halo_client_id", "halo_client_secret"})
            QVERIFY2(!d.value(key(k)).toString().isEmpty(), k);
        QCOMPARE(d.size(), 8);
        for (const char *k : {"hubspot_api_url", "halo_url"}) {
            const QUrl url(d.value(key(k)).toString());
            QCOMPARE(url.scheme(), QStringLiteral("http"));
            QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
            QVERIFY(url.port() > 0);
        }

        QNetworkAccessManager nam;
        // HubSpot: list companies with the printed private-app token.
        const Reply companies =
            call(nam, "GET",
                 QUrl(d.value(key("hubspot_api_url")).toString() +
                      QStringLiteral("/crm/v3/objects/companies?limit=10")),
                 "Bearer " + d.value(key("hubspot_token")).toString().toLatin1());
        QCOMPARE(companies.status, 200);
        QCOMPARE(companies.json().value(key("results")).toArray().size(), 10);

        // Halo: a client-credentials token, then the client list.
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
        form.addQueryItem(QStringLiteral("client_id"), d.value(key("halo_client_id")).toString());
        form.addQueryItem(QStringLiteral("client_secret"),
                          d.value(key("halo_client_secret")).toString());
        form.addQueryItem(QStringLiteral("scope"), QStringLiteral("all"));
        const QString halo = d.value(key("halo_url")).toString();
        const Reply token = call(nam, "POST", QUrl(halo + QStringLiteral("/auth/token")), {},
                                 form.toString(QUrl::FullyEncoded).toLatin1());
        QCOMPARE(token.status, 200);
        const QString access = token.json().value(key("access_token")).toString();
        QVERIFY(!access.isEmpty());
        const Reply clients = call(nam, "GET", QUrl(halo + QStringLiteral("/api/Client")),
                                   "Bearer " + access.toLatin1());
        QCOMPARE(clients.status, 200);
        QVERIFY(!QJsonDocument::fromJson(clients.body).isNull());

        sandbox.process().terminate(); // SIGTERM on Unix
        QVERIFY(sandbox.finish());
        QCOMPARE(sandbox.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.process().exitCode(), 0);
        // stdout carries the JSON line and nothing else.
        QVERIFY(sandbox.process().readAllStandardOutput().trimmed().isEmpty());
    }

#ifdef Q_OS_UNIX
    void sigintAlsoExitsCleanly()
    {
        SandboxProcess sandbox({QStringLiteral("--print-json"), QStringLiteral("--companies"),
                                QStringLiteral("5"), QStringLiteral("--contacts"),
                                QStringLiteral("5")});
        QVERIFY(!sandbox.firstLine().isEmpty());
        QCOMPARE(::kill(pid_t(sandbox.process().processId()), SIGINT), 0);
        QVERIFY(sandbox.finish());
        QCOMPARE(sandbox.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.process().exitCode(), 0);
    }
#endif

    void humanReadableOutputWithoutPrintJson()
    {
        SandboxProcess sandbox({QStringLiteral("--companies"), QStringLiteral("5"),
                                QStringLiteral("--contacts"), QStringLiteral("5")});
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains("Client secret") && timer.elapsed() < 30000 &&
               sandbox.process().state() != QProcess::NotRunning) {
            sandbox.process().waitForReadyRead(200);
            out += sandbox.process().readAllStandardOutput();
        }
        QVERIFY2(out.contains("http://127.0.0.1:"), out.constData());
        QVERIFY(out.contains("pat-"));
        QVERIFY(!out.trimmed().startsWith('{'));
        sandbox.process().terminate();
        QVERIFY(sandbox.finish());
        QCOMPARE(sandbox.process().exitCode(), 0);
    }

    void badOptionsExitWithUsageError_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentioned");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--bogus")} << QStringLiteral("bogus");
        QTest::newRow("not a number")
            << QStringList{QStringLiteral("--companies"), QStringLiteral("many")}
            << QStringLiteral("--companies");
        QTest::newRow("negative") << QStringList{QStringLiteral("--contacts"), QStringLiteral("-1")}
                                  << QStringLiteral("--contacts");
        QTest::newRow("port too big")
            << QStringList{QStringLiteral("--halo-port"), QStringLiteral("70000")}
            << QStringLiteral("--halo-port");
        QTest::newRow("rate above one")
            << QStringList{QStringLiteral("--drop-rate"), QStringLiteral("1.5")}
            << QStringLiteral("--drop-rate");
        QTest::newRow("zero time scale")
            << QStringList{QStringLiteral("--time-scale"), QStringLiteral("0")}
            << QStringLiteral("--time-scale");
        QTest::newRow("missing value")
            << QStringList{QStringLiteral("--seed")} << QStringLiteral("seed");
        QTest::newRow("stray argument")
            << QStringList{QStringLiteral("extra")} << QStringLiteral("extra");
    }

    void badOptionsExitWithUsageError()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentioned);
        SandboxProcess sandbox(arguments);
        QVERIFY(sandbox.finish());
        QCOMPARE(sandbox.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.process().exitCode(), 2);
        const QString err = QString::fromLocal8Bit(sandbox.process().readAllStandardError());
        QVERIFY2(err.contains(mentioned), qPrintable(err));
        QVERIFY(sandbox.process().readAllStandardOutput().isEmpty());
    }

    void helpExitsZero()
    {
        SandboxProcess sandbox({QStringLiteral("--help")});
        QVERIFY(sandbox.finish());
        QCOMPARE(sandbox.process().exitCode(), 0);
        const QByteArray out = sandbox.process().readAllStandardOutput();
        for (const char *option :
             {"--hubspot-port", "--halo-port", "--companies", "--contacts", "--seed",
              "--time-scale", "--latency-ms", "--drop-rate", "--print-json"})
            QVERIFY2(out.contains(option), option);
    }

    void busyPortFailsWithAClearMessage()
    {
        QTcpServer holder;
        const quint16 port = busyPortHolder(holder);
        QVERIFY(port != 0);
        SandboxProcess sandbox({QStringLiteral("--print-json"), QStringLiteral("--companies"),
                                QStringLiteral("5"), QStringLiteral("--contacts"),
                                QStringLiteral("5"), QStringLiteral("--hubspot-port"),
                                QString::number(port)});
        QVERIFY(sandbox.finish());
        QCOMPARE(sandbox.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.process().exitCode(), 4);
        const QString err = QString::fromLocal8Bit(sandbox.process().readAllStandardError());
        QVERIFY2(err.contains(QString::number(port)), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("could not start")), qPrintable(err));
        QVERIFY(sandbox.process().readAllStandardOutput().isEmpty());
    }

    // In-process: every option lands in the right field.
    void parsesEveryOption()
    {
        const auto parsed = parseSandboxArguments({QStringLiteral("halospot sandbox"),
                                                   QStringLiteral("--hubspot-port"),
                                                   QStringLiteral("8101"),
                                                   QStringLiteral("--halo-port=8102"),
                                                   QStringLiteral("--companies"),
                                                   QStringLiteral("7"),
                                                   QStringLiteral("--contacts"),
                                                   QStringLiteral("9"),
                                                   QStringLiteral("--seed"),
                                                   QStringLiteral("18446744073709551615"),
                                                   QStringLiteral("--time-scale"),
                                                   QStringLiteral("12.5"),
                                                   QStringLiteral("--latency-ms"),
                                                   QStringLiteral("30"),
                                                   QStringLiteral("--jitter-ms"),
                                                   QStringLiteral("20"),
                                                   QStringLiteral("--error-rate"),
                                                   QStringLiteral("0.1"),
                                                   QStringLiteral("--rate-limit-rate"),
                                                   QStringLiteral("0.2"),
                                                   QStringLiteral("--no-retry-after"),
                                                   QStringLiteral("--malformed-rate"),
                                                   QStringLiteral("0.3"),
                                                   QStringLiteral("--stall-rate"),
                                                   QStringLiteral("0.04"),
                                                   QStringLiteral("--drop-rate"),
                                                   QStringLiteral("0.05"),
                                                   QStringLiteral("--token-lifetime"),
                                                   QStringLiteral("60"),
                                                   QStringLiteral("--hubspot-burst"),
                                                   QStringLiteral("50"),
                                                   QStringLiteral("--halo-window"),
                                                   QStringLiteral("70"),
                                                   QStringLiteral("--print-json")});
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        const SandboxCommandOptions &o = parsed.value();
        QVERIFY(o.printJson);
        QVERIFY(!o.help);
        QCOMPARE(o.sandbox.hubspotPort, quint16(8101));
        QCOMPARE(o.sandbox.haloPort, quint16(8102));
        QCOMPARE(o.sandbox.data.companies, 7);
        QCOMPARE(o.sandbox.data.contacts, 9);
        QCOMPARE(o.sandbox.data.seed, std::numeric_limits<quint64>::max());
        QCOMPARE(o.sandbox.timeScale, 12.5);
        QCOMPARE(o.sandbox.faults.latencyMs, 30);
        QCOMPARE(o.sandbox.faults.jitterMs, 20);
        QCOMPARE(o.sandbox.faults.serverError, 0.1);
        QCOMPARE(o.sandbox.faults.rateLimited, 0.2);
        QVERIFY(!o.sandbox.faults.retryAfter);
        QCOMPARE(o.sandbox.faults.malformed, 0.3);
        QCOMPARE(o.sandbox.faults.stall, 0.04);
        QCOMPARE(o.sandbox.faults.drop, 0.05);
        QCOMPARE(o.sandbox.faults.tokenLifetimeSec, 60);
        QCOMPARE(o.sandbox.hubspot.burstMax, 50);
        QCOMPARE(o.sandbox.haloWindowMax, 70);
        QVERIFY(o.sandbox.proxy);
    }

    void defaultsMatchTheSpec()
    {
        const auto parsed = parseSandboxArguments({QStringLiteral("halospot sandbox")});
        QVERIFY(parsed.ok());
        const SandboxCommandOptions &o = parsed.value();
        QVERIFY(!o.printJson);
        QCOMPARE(o.sandbox.hubspotPort, quint16(0));
        QCOMPARE(o.sandbox.haloPort, quint16(0));
        QCOMPARE(o.sandbox.data.companies, 200);
        QCOMPARE(o.sandbox.data.contacts, 1000);
        QCOMPARE(o.sandbox.timeScale, 1.0);
        QCOMPARE(o.sandbox.faults.serverError, 0.0);
        QCOMPARE(o.sandbox.faults.drop, 0.0);
        QVERIFY(o.sandbox.faults.retryAfter);
        QCOMPARE(o.sandbox.faults.tokenLifetimeSec, -1);
        QCOMPARE(o.sandbox.hubspot.burstMax, 110);
        QCOMPARE(o.sandbox.haloWindowMax, 500);
    }

    void samePortForBothIsRefused()
    {
        const auto parsed = parseSandboxArguments(
            {QStringLiteral("halospot sandbox"), QStringLiteral("--hubspot-port"),
             QStringLiteral("9000"), QStringLiteral("--halo-port"), QStringLiteral("9000")});
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.error().contains(QStringLiteral("--halo-port")));
    }
};

QTEST_GUILESS_MAIN(TestSandboxCommand)
#include "tst_sandboxcommand.moc"
