// Tests of `halospot import companies`: the real binary against an in-process sandbox with secrets
// from the environment. Exit codes 0 (clean import; a rerun writes nothing), 1 (a record whose
// value cannot be converted, also in a dry run), 2 (no profile, bad usage, unknown kind), 3
// (refused token), 4 (Halo unreachable), 5 (SIGTERM mid-run, lock held); the report file's shape; a
// dry run writes nothing; the rotated OAuth refresh token ends up in the keychain.
#include "AppTestSupport.h"
#include "Generator.h"
#include "ProfileStore.h"
#include "RunLock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSet>

using namespace halospot;
using namespace halospot::app::test;

namespace {

constexpr qint64 kCompanies = 150;

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestImportCommand final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        sandbox::SandboxOptions options;
        options.data.companies = kCompanies;
        options.data.contacts = 10;
        options.data.seed = 7;
        options.haloWindowMax = 5000; // many runs in a few minutes
        m_box = std::make_unique<sandbox::Sandbox>(options);
        QVERIFY(m_box->start().ok());
        m_info = m_box->describe();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_box->setFaultRates({});
    }
    void cleanup()
    {
        // Only rotatedRefreshTokenIsKept writes to the keychain (and removes its entries).
        m_dir.reset();
    }

    void cleanImportThenRerunWritesNothing()
    {
        saveProfile(profile());
        const qint64 before = m_box->halo().clientCount();
        const QString reportPath = m_dir->filePath(QStringLiteral("report.json"));
        const Run first = import({QStringLiteral("--report"), reportPath});
        QVERIFY2(first.exitCode == 0, qPrintable(describeRun(first)));
        QVERIFY2(first.out.contains(QStringLiteral("Company import: completed.")),
                 qPrintable(first.out));
        QVERIFY2(first.err.contains(QStringLiteral("Importing companies")), qPrintable(first.err));
        const QJsonObject report = readJson(reportPath);
        checkReportShape(report, QStringLiteral("completed"), false);
        const QJsonObject counts = report.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("read")).toInteger(), kCompanies);
        const qint64 created = counts.value(QStringLiteral("created")).toInteger();
        QVERIFY(created > 0);
        QCOMPARE(m_box->halo().clientCount() - before, created);
        // Every company appears once.
        QSet<QString> ids;
        for (const QJsonValue &v : report.value(QStringLiteral("items")).toArray())
            ids.insert(v.toObject().value(QStringLiteral("hubspot_id")).toString());
        QCOMPARE(qint64(ids.size()), kCompanies);
        // The ambiguous records are listed with their reasons.
        if (counts.value(QStringLiteral("ambiguous")).toInteger() > 0)
            QVERIFY2(first.out.contains(QStringLiteral("Ambiguous")), qPrintable(first.out));
        for (const QString &secret :
             {m_info.value(QStringLiteral("hubspot_token")).toString(),
              m_info.value(QStringLiteral("halo_client_secret")).toString()})
            QVERIFY(!first.out.contains(secret) && !first.err.contains(secret));

        const qint64 lastWrite = lastHaloWrite();
        const Run again = import({QStringLiteral("--report"), reportPath});
        QVERIFY2(again.exitCode == 0, qPrintable(describeRun(again)));
        const QJsonObject second = readJson(reportPath);
        checkReportShape(second, QStringLiteral("completed"), false);
        const QJsonObject c2 = second.value(QStringLiteral("counts")).toObject();
        QCOMPARE(c2.value(QStringLiteral("created")).toInteger(), 0);
        QCOMPARE(c2.value(QStringLiteral("updated")).toInteger(), 0);
        QVERIFY(c2.value(QStringLiteral("unchanged")).toInteger() >= created);
        QCOMPARE(m_box->halo().clientCount() - before, created);
        QCOMPARE(lastHaloWrite(), lastWrite);
        QVERIFY2(again.out.contains(QStringLiteral("0 created, 0 updated")), qPrintable(again.out));
    }

    void dryRunWritesNothing()
    {
        saveProfile(profile());
        const qint64 before = m_box->halo().clientCount();
        const qint64 lastWrite = lastHaloWrite();
        const QString reportPath = m_dir->filePath(QStringLiteral("dry.json"));
        const Run r = import({QStringLiteral("--dry-run"), QStringLiteral("--report"), reportPath});
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Dry run")), qPrintable(r.out));
        const QJsonObject report = readJson(reportPath);
        checkReportShape(report, QStringLiteral("completed"), true);
        QCOMPARE(m_box->halo().clientCount(), before);
        QCOMPARE(lastHaloWrite(), lastWrite);
    }

    void failingRecordExitsOne()
    {
        // HubSpot industries with no Halo option of the same name fail their record only.
        core::Profile p = profile();
        core::FieldMapping industry;
        industry.hubspotProperty = QStringLiteral("industry");
        industry.haloFieldName = QStringLiteral("CFindustry");
        p.companies.fieldMappings = {industry};
        saveProfile(p);

        const qint64 before = m_box->halo().clientCount();
        const QString reportPath = m_dir->filePath(QStringLiteral("dry.json"));
        const Run dry =
            import({QStringLiteral("--dry-run"), QStringLiteral("--report"), reportPath});
        QVERIFY2(dry.exitCode == 1, qPrintable(describeRun(dry)));
        QVERIFY2(dry.out.contains(QStringLiteral("Would fail:")), qPrintable(dry.out));
        QCOMPARE(m_box->halo().clientCount(), before);
        const QJsonObject dryReport = readJson(reportPath);
        checkReportShape(dryReport, QStringLiteral("completed_with_errors"), true);
        const qint64 wouldFail = dryReport.value(QStringLiteral("counts"))
                                     .toObject()
                                     .value(QStringLiteral("failed"))
                                     .toInteger();
        QVERIFY(wouldFail > 0);

        const Run real = import({QStringLiteral("--report"), reportPath});
        QVERIFY2(real.exitCode == 1, qPrintable(describeRun(real)));
        QVERIFY2(real.out.contains(QStringLiteral("Failed:")), qPrintable(real.out));
        const QJsonObject report = readJson(reportPath);
        checkReportShape(report, QStringLiteral("completed_with_errors"), false);
        int failedItems = 0;
        for (const QJsonValue &v : report.value(QStringLiteral("items")).toArray()) {
            const QJsonObject item = v.toObject();
            if (item.value(QStringLiteral("action")).toString() != QLatin1String("failed"))
                continue;
            ++failedItems;
            QVERIFY(!item.value(QStringLiteral("reason")).toString().isEmpty());
            // Listed on stdout with its reason.
            QVERIFY(real.out.contains(item.value(QStringLiteral("hubspot_id")).toString()));
        }
        QCOMPARE(failedItems, report.value(QStringLiteral("counts"))
                                  .toObject()
                                  .value(QStringLiteral("failed"))
                                  .toInt());
        QVERIFY(failedItems > 0);
    }

    void configurationAndUsageExitTwo()
    {
        // A fresh data directory: no Halo set up.
        QProcessEnvironment env = secretsEnvironment();
        Run r = import({}, env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("Halo is not set up")), qPrintable(r.err));

        saveProfile(profile());
        // An unknown kind of import; the message names both known ones.
        r = runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("import"),
                         QStringLiteral("deals")},
                        {}, env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("deals")) &&
                     r.err.contains(QStringLiteral("contacts")),
                 qPrintable(r.err));
        r = runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("import")}, {},
                        env);
        QCOMPARE(r.exitCode, 2);
        r = import({QStringLiteral("--report"), m_dir->filePath(QStringLiteral("no/such/x.json"))},
                   env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        r = import({QStringLiteral("--bogus")}, env);
        QCOMPARE(r.exitCode, 2);
        const Run help = import({QStringLiteral("--help")}, env);
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("--dry-run")));
        QVERIFY2(help.out.contains(QStringLiteral("companies|contacts")), qPrintable(help.out));

        // No secrets anywhere: a sign-in matter.
        r = import({}, childEnvironment());
        QVERIFY2(r.exitCode == 3 || r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("HALOSPOT_HUBSPOT_TOKEN")), qPrintable(r.err));
    }

    void refusedTokenExitsThree()
    {
        saveProfile(profile());
        QProcessEnvironment env = secretsEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), api::test::randomSecret(36));
        const Run r = import({}, env);
        QVERIFY2(r.exitCode == 3, qPrintable(describeRun(r)));
        QVERIFY2(r.out.contains(QStringLiteral("failed")), qPrintable(r.out));

        env = secretsEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHaloSecret), api::test::randomSecret(36));
        const Run halo = import({}, env);
        QVERIFY2(halo.exitCode == 3, qPrintable(describeRun(halo)));
    }

    void unreachableHaloExitsFour()
    {
        core::Profile p = profile();
        p.connection.halo.url = QUrl(closedPortUrl());
        saveProfile(p);
        const Run r = import();
        QVERIFY2(r.exitCode == 4, qPrintable(describeRun(r)));
    }

    void sigtermCancelsWithFive()
    {
        saveProfile(profile());
        // Slow replies, so that the run is surely still going when the signal comes.
        sandbox::FaultRates slow;
        slow.latencyMs = 150;
        m_box->setFaultRates(slow);
        QProcess process;
        process.setProcessEnvironment(secretsEnvironment());
        QSignalSpy finished(&process, &QProcess::finished);
        const QString reportPath = m_dir->filePath(QStringLiteral("cancelled.json"));
        process.start(QStringLiteral(HALOSPOT_BINARY),
                      {QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("import"),
                       QStringLiteral("companies"), QStringLiteral("--report"), reportPath});
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += process.readAllStandardError();
                return err.contains("Reading Halo customers") || err.contains("Importing");
            },
            20000));
        QTest::qWait(300);
        QVERIFY2(finished.isEmpty(), err.constData());
        process.terminate(); // SIGTERM
        QVERIFY(finished.wait(60000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        err += process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 5, qPrintable(QStringLiteral("exit %1\n%2\n%3")
                                                         .arg(process.exitCode())
                                                         .arg(out, QString::fromUtf8(err))));
        QVERIFY2(out.contains(QStringLiteral("cancelled")), qPrintable(out));
        m_box->setFaultRates({});
        // The report of the stopped run still has one item per record it counts.
        checkReportShape(readJson(reportPath), QStringLiteral("cancelled"), false);
    }

    void heldLockExitsFive()
    {
        saveProfile(profile());
        QLockFile lock(core::RunLock::path(m_dir->path()));
        QVERIFY(lock.tryLock(0));
        const qint64 before = m_box->halo().clientCount();
        const Run r = import();
        QVERIFY2(r.exitCode == 5, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("run.lock")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QString::number(QCoreApplication::applicationPid())),
                 qPrintable(r.err));
        QCOMPARE(m_box->halo().clientCount(), before);
        lock.unlock();
        const Run after = import({QStringLiteral("--dry-run")});
        QVERIFY2(after.exitCode == 0, qPrintable(describeRun(after)));
    }

    void rotatedRefreshTokenIsKept()
    {
        // OAuth with the keychain: the sandbox rotates refresh tokens, so the run must leave the
        // new one behind or the next run would be signed out.
        m_box->hubspot().oauth().config().autoApprove = true;
        m_box->hubspot().oauth().config().rotateRefreshTokens = true;
        SandboxFixture fixture;
        fixture.info = m_info;
        fixture.box.reset(m_box.release());
        const QString refresh = sandboxRefreshToken(fixture);
        m_box.reset(fixture.box.release());
        QVERIFY(!refresh.isEmpty());
        core::Profile p = profile();
        p.connection.hubspot.auth = core::HubSpotAuthMode::OAuth;
        p.connection.hubspot.clientId =
            m_info.value(QStringLiteral("hubspot_client_id")).toString();
        saveProfile(p);
        const QString profileId = DataDir(m_dir->path()).profile();
        // This data directory's keychain entries go when the test ends, however it ends.
        const std::unique_ptr<void, std::function<void(void *)>> forget(
            this, [profileId](void *) { removeFromKeychain(profileId); });
        if (!writeToKeychain(profileId, api::Secret::HubSpotRefreshToken, refresh))
            QSKIP("No keychain here (run inside dbus-run-session with gnome-keyring).");
        QVERIFY(writeToKeychain(profileId, api::Secret::HubSpotClientSecret,
                                m_info.value(QStringLiteral("hubspot_client_secret")).toString()));
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHaloSecret),
                   m_info.value(QStringLiteral("halo_client_secret")).toString());
        const Run first = import({QStringLiteral("--dry-run")}, env);
        QVERIFY2(first.exitCode == 0, qPrintable(describeRun(first)));
        const auto kept = readKeychain(profileId, api::Secret::HubSpotRefreshToken);
        QCOMPARE(kept.result.outcome, api::SecretOutcome::Ok);
        QVERIFY(kept.result.value != refresh);
        QVERIFY(!first.out.contains(kept.result.value) && !first.err.contains(kept.result.value));
        // The kept one works.
        const Run second = import({QStringLiteral("--dry-run")}, env);
        QVERIFY2(second.exitCode == 0, qPrintable(describeRun(second)));
        m_box->hubspot().oauth().config().rotateRefreshTokens = false;
    }

private:
    core::Profile profile() const
    {
        core::Profile p;
        p.connection.hubspot.auth = core::HubSpotAuthMode::StaticToken;
        p.connection.hubspot.apiBase =
            QUrl(m_info.value(QStringLiteral("hubspot_api_url")).toString());
        p.connection.halo.url = QUrl(m_info.value(QStringLiteral("halo_url")).toString());
        p.connection.halo.clientId = m_info.value(QStringLiteral("halo_client_id")).toString();
        p.companies.lifecycleStages = sandbox::Generator::lifecycleStages();
        p.companies.lifecycleStages << QString();
        return p;
    }
    void saveProfile(const core::Profile &p)
    {
        DataDir data(m_dir->path());
        QVERIFY(data.store);
        const Status saved = core::saveProfile(*data.store, p);
        QVERIFY2(saved.ok(), qPrintable(saved.error()));
    }
    QProcessEnvironment secretsEnvironment() const
    {
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken),
                   m_info.value(QStringLiteral("hubspot_token")).toString());
        env.insert(QString::fromLatin1(api::kEnvHaloSecret),
                   m_info.value(QStringLiteral("halo_client_secret")).toString());
        return env;
    }
    Run import(const QStringList &extra = {}, const QProcessEnvironment &env = {})
    {
        return runHalospot(QStringList{QStringLiteral("--data-dir"), m_dir->path(),
                                       QStringLiteral("import"), QStringLiteral("companies")} +
                               extra,
                           {}, env.isEmpty() ? secretsEnvironment() : env, 120000);
    }
    qint64 lastHaloWrite() const
    {
        qint64 last = 0;
        for (const sandbox::HaloClientRec &c : m_box->halo().store().clientSlots())
            last = qMax(last, c.updatedMs);
        return last;
    }
    static void checkReportShape(const QJsonObject &report, const QString &status, bool dryRun)
    {
        QCOMPARE(report.value(QStringLiteral("kind")).toString(), QStringLiteral("companies"));
        QCOMPARE(report.value(QStringLiteral("dry_run")).toBool(), dryRun);
        QCOMPARE(report.value(QStringLiteral("status")).toString(), status);
        for (const char *key : {"started_at", "finished_at"})
            QVERIFY(QDateTime::fromString(report.value(QLatin1String(key)).toString(),
                                          Qt::ISODateWithMs)
                        .isValid());
        const QJsonObject counts = report.value(QStringLiteral("counts")).toObject();
        const QJsonArray items = report.value(QStringLiteral("items")).toArray();
        QCOMPARE(counts.value(QStringLiteral("read")).toInteger(), qint64(items.size()));
        qint64 settled = 0;
        for (const char *key :
             {"filtered_out", "created", "updated", "unchanged", "skipped", "ambiguous", "failed"})
            settled += counts.value(QLatin1String(key)).toInteger();
        QCOMPARE(settled, qint64(items.size()));
        const QSet<QString> actions{QStringLiteral("created"),     QStringLiteral("updated"),
                                    QStringLiteral("unchanged"),   QStringLiteral("skipped"),
                                    QStringLiteral("ambiguous"),   QStringLiteral("failed"),
                                    QStringLiteral("filtered_out")};
        for (const QJsonValue &v : items) {
            const QJsonObject item = v.toObject();
            QVERIFY(!item.value(QStringLiteral("hubspot_id")).toString().isEmpty());
            QVERIFY(item.contains(QStringLiteral("halo_id")));
            QVERIFY(actions.contains(item.value(QStringLiteral("action")).toString()));
            QVERIFY(item.contains(QStringLiteral("reason")));
        }
    }

    std::unique_ptr<sandbox::Sandbox> m_box;
    QJsonObject m_info;
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestImportCommand)
#include "tst_importcommand.moc"
