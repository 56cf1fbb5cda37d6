// Benchmark: the sandbox at product scale (default 100 000 companies, 500 000 contacts). Prints
// the sandbox's resident memory after start and while every company and every contact (with its
// company associations) is paged through over loopback, the paging rate, and whether each record
// came back exactly once. A program, not a test: it prints figures and exits 0 when every record
// was seen once.
#include "Sandbox.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QUrlQuery>

#include <cstdio>
#include <vector>

using namespace halospot::sandbox;

namespace {

// Resident set size of this process in MiB (Linux /proc), or -1 where unavailable.
double rssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

struct PageResult
{
    QJsonObject json;
    int status = 0;
};

// One GET, waited for with a local event loop (this is a benchmark driver, not product code).
PageResult get(QNetworkAccessManager &nam, const QUrl &url, const QByteArray &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    PageResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.json = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return r;
}

struct WalkResult
{
    qint64 records = 0;
    qint64 duplicates = 0;
    qint64 requests = 0;
    qint64 associations = 0;
    double seconds = 0;
    bool failed = false;
};

WalkResult walk(QNetworkAccessManager &nam, const QUrl &base, const QByteArray &token,
                const QString &type, qint64 firstId, qint64 expected,
                const QList<qint64> &checkpoints)
{
    WalkResult out;
    std::vector<bool> seen(size_t(expected), false);
    QElapsedTimer timer;
    timer.start();
    QString after;
    int nextCheckpoint = 0;
    for (;;) {
        QUrl url = base;
        url.setPath(QStringLiteral("/crm/v3/objects/") + type);
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
        q.addQueryItem(QStringLiteral("properties"), QStringLiteral("name,email,lifecyclestage"));
        if (type == QLatin1String("contacts"))
            q.addQueryItem(QStringLiteral("associations"), QStringLiteral("companies"));
        if (!after.isEmpty())
            q.addQueryItem(QStringLiteral("after"), after);
        url.setQuery(q);
        const PageResult page = get(nam, url, token);
        ++out.requests;
        if (page.status != 200) {
            std::fprintf(stderr, "HTTP %d while paging %s\n", page.status, qPrintable(type));
            out.failed = true;
            break;
        }
        const QJsonArray results = page.json.value(QStringLiteral("results")).toArray();
        for (const QJsonValue &v : results) {
            const qint64 index =
                v.toObject().value(QStringLiteral("id")).toString().toLongLong() - firstId;
            if (index < 0 || index >= expected || seen[size_t(index)])
                ++out.duplicates;
            else
                seen[size_t(index)] = true;
            ++out.records;
            out.associations += v.toObject()
                                    .value(QStringLiteral("associations"))
                                    .toObject()
                                    .value(QStringLiteral("companies"))
                                    .toObject()
                                    .value(QStringLiteral("results"))
                                    .toArray()
                                    .size();
        }
        while (nextCheckpoint < checkpoints.size() && out.records >= checkpoints[nextCheckpoint]) {
            std::printf("  %-9s %8lld read   RSS %7.1f MiB\n", qPrintable(type),
                        static_cast<long long>(out.records), rssMiB());
            ++nextCheckpoint;
        }
        after = page.json.value(QStringLiteral("paging"))
                    .toObject()
                    .value(QStringLiteral("next"))
                    .toObject()
                    .value(QStringLiteral("after"))
                    .toString();
        if (after.isEmpty())
            break;
    }
    out.seconds = double(timer.elapsed()) / 1000.0;
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sandbox scale benchmark"));
    parser.addHelpOption();
    const QCommandLineOption companiesOption(QStringLiteral("companies"),
                                             QStringLiteral("Companies (default 100000)."),
                                             QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption contactsOption(QStringLiteral("contacts"),
                                            QStringLiteral("Contacts (default 500000)."),
                                            QStringLiteral("n"), QStringLiteral("500000"));
    parser.addOption(companiesOption);
    parser.addOption(contactsOption);
    parser.process(app);

    const double rssBefore = rssMiB();
    SandboxOptions options;
    options.data.companies = parser.value(companiesOption).toLongLong();
    options.data.contacts = parser.value(contactsOption).toLongLong();
    options.hubspot.burstMax = 0; // no rate limit: this measures the sandbox, not the window
    options.proxy = false;

    // The services run on their own thread, as in `halospot sandbox`, so that the client's
    // waiting does not stall them.
    QThread serviceThread;
    serviceThread.setObjectName(QStringLiteral("sandbox"));
    auto *sandbox = new Sandbox(options);
    sandbox->moveToThread(&serviceThread);
    serviceThread.start();
    QUrl hubspotUrl;
    QByteArray token;
    QString startError;
    QElapsedTimer startTimer;
    startTimer.start();
    QMetaObject::invokeMethod(
        sandbox,
        [&] {
            const auto started = sandbox->start();
            if (!started.ok())
                startError = started.error();
            hubspotUrl = sandbox->hubspotUrl();
            token =
                sandbox->describe().value(QStringLiteral("hubspot_token")).toString().toLatin1();
        },
        Qt::BlockingQueuedConnection);
    if (!startError.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(startError));
        return 2;
    }
    std::printf("sandbox: %lld companies, %lld contacts; started in %.2f s\n",
                static_cast<long long>(options.data.companies),
                static_cast<long long>(options.data.contacts),
                double(startTimer.elapsed()) / 1000.0);
    std::printf("RSS before start %.1f MiB, after start %.1f MiB\n", rssBefore, rssMiB());

    QNetworkAccessManager nam;
    const WalkResult companies =
        walk(nam, hubspotUrl, token, QStringLiteral("companies"), 10000000001LL,
             options.data.companies, {options.data.companies / 2, options.data.companies});
    const WalkResult contacts =
        walk(nam, hubspotUrl, token, QStringLiteral("contacts"), 20000000001LL,
             options.data.contacts, {100000, 250000, options.data.contacts});

    for (const auto &[name, r, expected] :
         {std::tuple{"companies", companies, options.data.companies},
          std::tuple{"contacts", contacts, options.data.contacts}}) {
        std::printf("%-9s read %lld of %lld (duplicates %lld) in %lld requests, %.1f s, "
                    "%.0f records/s, %lld associations\n",
                    name, static_cast<long long>(r.records), static_cast<long long>(expected),
                    static_cast<long long>(r.duplicates), static_cast<long long>(r.requests),
                    r.seconds, r.seconds > 0 ? double(r.records) / r.seconds : 0.0,
                    static_cast<long long>(r.associations));
    }
    const double rssEnd = rssMiB();
    std::printf("RSS at end %.1f MiB (client and sandbox in one process)\n", rssEnd);

    QMetaObject::invokeMethod(
        sandbox, [sandbox] { delete sandbox; }, Qt::BlockingQueuedConnection);
    serviceThread.quit();
    serviceThread.wait();

    const bool exact = !companies.failed && !contacts.failed && companies.duplicates == 0 &&
                       contacts.duplicates == 0 && companies.records == options.data.companies &&
                       contacts.records == options.data.contacts;
    std::printf("every record exactly once: %s\n", exact ? "yes" : "NO");
    return exact ? 0 : 1;
}
