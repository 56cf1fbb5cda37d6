// Tests of `halospot auth hubspot|halo`: the real binary against an in-process sandbox and the real
// keychain. A working secret ends up in the keychain under the data directory's profile and
// nowhere on disk; a refused one leaves nothing behind; exit codes follow SPEC §4.
#include "AppTestSupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace halospot;
using namespace halospot::app::test;
using api::Secret;
using api::SecretOutcome;

class TestAuthCommand final : public CommandTest
{
    Q_OBJECT

private Q_SLOTS:
    void hubspotTokenThatWorksIsKeptInTheKeychainOnly()
    {
        const QString token = m_sandbox.hubspotToken();
        const Run r =
            runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                         QStringLiteral("hubspot"), QStringLiteral("--token-stdin"),
                         QStringLiteral("--api-base"), m_sandbox.hubspotUrl()},
                        line(token));
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Portal ID: ")), qPrintable(r.out));
        QVERIFY(!r.out.contains(token) && !r.err.contains(token));

        DataDir data(m_dir->path());
        QVERIFY(data.store);
        const auto kept = readKeychain(data.profile(), Secret::HubSpotStaticToken);
        QCOMPARE(kept.result.outcome, SecretOutcome::Ok);
        QCOMPARE(kept.result.value, token);
        const core::ConnectionConfig config = data.config();
        QCOMPARE(config.hubspot.auth, core::HubSpotAuthMode::StaticToken);
        QCOMPARE(config.hubspot.apiBase, QUrl(m_sandbox.hubspotUrl()));
        const auto account = core::loadHubSpotAccount(*data.store);
        QVERIFY(account.ok());
        QVERIFY(account.value().portalId != 0);
        QVERIFY2(r.out.contains(QString::number(account.value().portalId)), qPrintable(r.out));
        QVERIFY(account.value().checkedAt.isValid());

        data.store.reset(); // every byte flushed before the scan
        const QStringList hits = api::test::filesContaining(m_dir->path(), token);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char(' '))));
    }

    void refusedHubSpotTokenLeavesNothing()
    {
        const QString wrong = api::test::randomSecret(36);
        const Run r =
            runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                         QStringLiteral("hubspot"), QStringLiteral("--token-stdin"),
                         QStringLiteral("--api-base"), m_sandbox.hubspotUrl()},
                        line(wrong));
        QVERIFY2(r.exitCode == 3, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("Nothing was saved")), qPrintable(r.err));
        QVERIFY(!r.out.contains(wrong) && !r.err.contains(wrong));

        DataDir data(m_dir->path());
        QCOMPARE(readKeychain(data.profile(), Secret::HubSpotStaticToken).result.outcome,
                 SecretOutcome::NotFound);
        const core::ConnectionConfig config = data.config();
        QCOMPARE(config.hubspot.auth, core::HubSpotAuthMode::OAuth);
        QCOMPARE(config.hubspot.apiBase, core::HubSpotConnectionConfig().apiBase);
        QVERIFY(core::loadHubSpotAccount(*data.store).value().isEmpty());
    }

    void hubspotUsageErrors()
    {
        const QStringList base{QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                               QStringLiteral("hubspot")};
        // Nothing on stdin.
        Run r =
            runHalospot(base + QStringList{QStringLiteral("--token-stdin"),
                                           QStringLiteral("--api-base"), m_sandbox.hubspotUrl()});
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("Standard input held no")), qPrintable(r.err));
        // The token belongs on stdin, not in the arguments.
        r = runHalospot(base, line(m_sandbox.hubspotToken()));
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("--token-stdin")), qPrintable(r.err));
        // Plain http to another machine is refused before anything is sent.
        r = runHalospot(base + QStringList{QStringLiteral("--token-stdin"),
                                           QStringLiteral("--api-base"),
                                           QStringLiteral("http://api.example.com")},
                        line(m_sandbox.hubspotToken()));
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("plain http://")), qPrintable(r.err));
        r = runHalospot(base + QStringList{QStringLiteral("--token-stdin"),
                                           QStringLiteral("--api-version"),
                                           QStringLiteral("latest")},
                        line(m_sandbox.hubspotToken()));
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        // Each level has its help.
        for (const QStringList &help :
             {QStringList{QStringLiteral("auth"), QStringLiteral("--help")},
              QStringList{QStringLiteral("auth"), QStringLiteral("hubspot"),
                          QStringLiteral("--help")},
              QStringList{QStringLiteral("auth"), QStringLiteral("halo"), QStringLiteral("-h")},
              QStringList{QStringLiteral("status"), QStringLiteral("--help")}}) {
            r = runHalospot(help);
            QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
            QVERIFY2(r.out.contains(QStringLiteral("Usage: halospot ")), qPrintable(r.out));
        }
        QVERIFY(r.out.contains(QStringLiteral("--json")));
        // An unknown service names the known ones.
        r = runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                         QStringLiteral("salesforce")});
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("hubspot")), qPrintable(r.err));
        QCOMPARE(readKeychain(DataDir(m_dir->path()).profile(), Secret::HubSpotStaticToken)
                     .result.outcome,
                 SecretOutcome::NotFound);
    }

    void haloSecretThatWorksIsKept()
    {
        const QString secret = m_sandbox.haloSecret();
        const Run r = runHalospot(
            {QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
             QStringLiteral("halo"), QStringLiteral("--secret-stdin"), QStringLiteral("--url"),
             m_sandbox.haloUrl(), QStringLiteral("--client-id"), m_sandbox.haloClientId()},
            line(secret));
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
        // Each step of the connection test is reported.
        QVERIFY2(r.out.count(QStringLiteral("[ok]")) >= 3, qPrintable(r.out));
        QVERIFY(!r.out.contains(secret) && !r.err.contains(secret));

        DataDir data(m_dir->path());
        const auto kept = readKeychain(data.profile(), Secret::HaloClientSecret);
        QCOMPARE(kept.result.outcome, SecretOutcome::Ok);
        QCOMPARE(kept.result.value, secret);
        const core::ConnectionConfig config = data.config();
        QCOMPARE(config.halo.url, QUrl(m_sandbox.haloUrl()));
        QCOMPARE(config.halo.clientId, m_sandbox.haloClientId());
        data.store.reset();
        QVERIFY(api::test::filesContaining(m_dir->path(), secret).isEmpty());
    }

    void wrongHaloSecretIsNotKept()
    {
        const QString wrong = api::test::randomSecret(30);
        const Run r = runHalospot(
            {QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
             QStringLiteral("halo"), QStringLiteral("--secret-stdin"), QStringLiteral("--url"),
             m_sandbox.haloUrl(), QStringLiteral("--client-id"), m_sandbox.haloClientId()},
            line(wrong));
        QVERIFY2(r.exitCode == 3, qPrintable(describeRun(r)));
        QVERIFY2(r.out.contains(QStringLiteral("[failed]")), qPrintable(r.out));
        QVERIFY2(r.err.contains(QStringLiteral("not saved")), qPrintable(r.err));
        QVERIFY(!r.out.contains(wrong) && !r.err.contains(wrong));
        DataDir data(m_dir->path());
        QCOMPARE(readKeychain(data.profile(), Secret::HaloClientSecret).result.outcome,
                 SecretOutcome::NotFound);
        // The settings given are kept, so that only the secret needs to be given again.
        QCOMPARE(data.config().halo.url, QUrl(m_sandbox.haloUrl()));
    }

    void haloUsageErrors()
    {
        const QStringList base{QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                               QStringLiteral("halo"), QStringLiteral("--secret-stdin")};
        Run r =
            runHalospot(base + QStringList{QStringLiteral("--client-id"), m_sandbox.haloClientId()},
                        line(m_sandbox.haloSecret()));
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("The Halo URL")), qPrintable(r.err));
        r = runHalospot(base + QStringList{QStringLiteral("--url"), m_sandbox.haloUrl()},
                        line(m_sandbox.haloSecret()));
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("--client-id")), qPrintable(r.err));
        r = runHalospot(base + QStringList{QStringLiteral("--url"),
                                           QStringLiteral("http://acme.halopsa.com"),
                                           QStringLiteral("--client-id"), QStringLiteral("x")},
                        line(m_sandbox.haloSecret()));
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("plain http://")), qPrintable(r.err));
    }

    void unreachableServicesExitFour()
    {
        const QString nowhere = closedPortUrl();
        QVERIFY(!nowhere.isEmpty());
        Run r = runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                             QStringLiteral("halo"), QStringLiteral("--secret-stdin"),
                             QStringLiteral("--url"), nowhere, QStringLiteral("--client-id"),
                             m_sandbox.haloClientId()},
                            line(m_sandbox.haloSecret()));
        QVERIFY2(r.exitCode == 4, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QStringLiteral("could not be reached")), qPrintable(r.err));
        r = runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                         QStringLiteral("hubspot"), QStringLiteral("--token-stdin"),
                         QStringLiteral("--api-base"), nowhere},
                        line(m_sandbox.hubspotToken()));
        QVERIFY2(r.exitCode == 4, qPrintable(describeRun(r)));
        DataDir data(m_dir->path());
        QCOMPARE(readKeychain(data.profile(), Secret::HaloClientSecret).result.outcome,
                 SecretOutcome::NotFound);
        QCOMPARE(readKeychain(data.profile(), Secret::HubSpotStaticToken).result.outcome,
                 SecretOutcome::NotFound);
    }

    void noKeychainIsBadConfigurationAndSavesNothing()
    {
        // A process cut off from any session bus, with every per-user folder in a temporary
        // home: there is no keychain, and a command cannot offer "this session only".
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment env = childEnvironment();
        for (const char *dir : {"config", "data", "cache", "state", "runtime"})
            QVERIFY(QDir(home.path()).mkpath(QString::fromLatin1(dir)));
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path() + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.path() + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home.path() + QStringLiteral("/cache"));
        env.insert(QStringLiteral("XDG_STATE_HOME"), home.path() + QStringLiteral("/state"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path() + QStringLiteral("/runtime"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=") + home.path() + QStringLiteral("/no-such-bus"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));

        const QString token = m_sandbox.hubspotToken();
        Run r = runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                             QStringLiteral("hubspot"), QStringLiteral("--token-stdin"),
                             QStringLiteral("--api-base"), m_sandbox.hubspotUrl()},
                            line(token), env);
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QString::fromLatin1(api::kEnvHubSpotToken)), qPrintable(r.err));
        QVERIFY(!r.out.contains(token) && !r.err.contains(token));
        QCOMPARE(DataDir(m_dir->path()).config().hubspot.auth, core::HubSpotAuthMode::OAuth);
        for (const QString &root : {home.path(), m_dir->path()})
            QVERIFY(api::test::filesContaining(root, token).isEmpty());

        // The way for such a machine: the secrets in the environment.
        {
            DataDir data(m_dir->path());
            core::ConnectionConfig config = data.config();
            config.hubspot.apiBase = QUrl(m_sandbox.hubspotUrl());
            config.halo.url = QUrl(m_sandbox.haloUrl());
            config.halo.clientId = m_sandbox.haloClientId();
            QVERIFY(config.save(*data.store).ok());
        }
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), token);
        env.insert(QString::fromLatin1(api::kEnvHaloSecret), m_sandbox.haloSecret());
        r = runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("status")}, {},
                        env);
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
    }
};

QTEST_GUILESS_MAIN(TestAuthCommand)
#include "tst_authcommand.moc"
