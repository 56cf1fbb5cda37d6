// Tests of `halospot status`: the real binary against an in-process sandbox, with secrets from the
// real keychain (stored by `halospot auth`) or from the environment; exit codes, the JSON output,
// link counts and the last runs.
#include "AppTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace halospot;
using namespace halospot::app::test;

namespace {

QJsonObject jsonOf(const Run &r)
{
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

QString stateOf(const QJsonObject &status, const char *service)
{
    return status.value(QString::fromLatin1(service))
        .toObject()
        .value(QStringLiteral("state"))
        .toString();
}

} // namespace

class TestStatusCommand final : public CommandTest
{
    Q_OBJECT

private Q_SLOTS:
    void bothConnectionsWork()
    {
        authHubSpot();
        authHalo();
        if (QTest::currentTestFailed())
            return;
        {
            // Some history for the report.
            DataDir data(m_dir->path());
            QVERIFY(data.store);
            for (const char *id : {"1", "2"}) {
                core::Link link;
                link.entity = core::Entity::Company;
                link.hubspotId = QString::fromLatin1(id);
                link.haloId = 7;
                QVERIFY(data.store->upsertLink(link).ok());
            }
            const qint64 run = data.store->beginRun(QStringLiteral("companies")).value();
            QVERIFY(data.store
                        ->finishRun(run, QStringLiteral("completed"),
                                    QJsonObject{{QStringLiteral("created"), 2}})
                        .ok());
        }

        const Run text = status();
        QVERIFY2(text.exitCode == 0, qPrintable(describeRun(text)));
        QVERIFY2(text.out.contains(QStringLiteral("HubSpot: working")), qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("Halo: working")), qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("2 companies, 0 contacts")),
                 qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("companies, completed")), qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("created 2")), qPrintable(text.out));
        for (const QString &secret : {m_sandbox.hubspotToken(), m_sandbox.haloSecret()})
            QVERIFY(!text.out.contains(secret) && !text.err.contains(secret));

        const Run json = status({QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, qPrintable(describeRun(json)));
        const QJsonObject o = jsonOf(json);
        QCOMPARE(stateOf(o, "hubspot"), QStringLiteral("ok"));
        QCOMPARE(stateOf(o, "halo"), QStringLiteral("ok"));
        const QJsonObject hubspot = o.value(QStringLiteral("hubspot")).toObject();
        QCOMPARE(hubspot.value(QStringLiteral("auth")).toString(), QStringLiteral("static-token"));
        QCOMPARE(hubspot.value(QStringLiteral("secret_source")).toString(),
                 QStringLiteral("keychain"));
        QVERIFY(hubspot.value(QStringLiteral("account"))
                    .toObject()
                    .value(QStringLiteral("portal_id"))
                    .toInteger() != 0);
        const QJsonArray steps =
            o.value(QStringLiteral("halo")).toObject().value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.size(), 4);
        QCOMPARE(steps.at(0).toObject().value(QStringLiteral("step")).toString(),
                 QStringLiteral("token"));
        QCOMPARE(o.value(QStringLiteral("links"))
                     .toObject()
                     .value(QStringLiteral("companies"))
                     .toInteger(),
                 2);
        const QJsonArray runs = o.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.at(0).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        QCOMPARE(o.value(QStringLiteral("exit_code")).toInt(), 0);
    }

    void unconfiguredHaloExitsThree()
    {
        authHubSpot();
        if (QTest::currentTestFailed())
            return;
        const Run r = status({QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 3, qPrintable(describeRun(r)));
        const QJsonObject o = jsonOf(r);
        QCOMPARE(stateOf(o, "hubspot"), QStringLiteral("ok"));
        QCOMPARE(stateOf(o, "halo"), QStringLiteral("not_configured"));
        QVERIFY(o.value(QStringLiteral("halo"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("halospot auth halo")));
    }

    void nothingConfiguredExitsThree()
    {
        const Run r = status();
        QVERIFY2(r.exitCode == 3, qPrintable(describeRun(r)));
        QVERIFY2(r.out.contains(QStringLiteral("HubSpot: not set up")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Halo: not set up")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("(none)")), qPrintable(r.out));
    }

    void secretsFromTheEnvironment()
    {
        // Nothing in the keychain for this data directory: the settings only, secrets from the
        // environment as a headless run on a server would have them.
        {
            DataDir data(m_dir->path());
            QVERIFY(data.store);
            core::ConnectionConfig config;
            config.hubspot.apiBase = QUrl(m_sandbox.hubspotUrl());
            config.halo.url = QUrl(m_sandbox.haloUrl());
            config.halo.clientId = m_sandbox.haloClientId();
            QVERIFY(config.save(*data.store).ok());
        }
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), m_sandbox.hubspotToken());
        env.insert(QString::fromLatin1(api::kEnvHaloSecret), m_sandbox.haloSecret());
        const Run r = status({QStringLiteral("--json")}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
        const QJsonObject o = jsonOf(r);
        const QJsonObject hubspot = o.value(QStringLiteral("hubspot")).toObject();
        QCOMPARE(hubspot.value(QStringLiteral("secret_source")).toString(),
                 QString::fromLatin1(api::kEnvHubSpotToken));
        QCOMPARE(hubspot.value(QStringLiteral("auth")).toString(), QStringLiteral("static-token"));
        QCOMPARE(o.value(QStringLiteral("halo"))
                     .toObject()
                     .value(QStringLiteral("secret_source"))
                     .toString(),
                 QString::fromLatin1(api::kEnvHaloSecret));
        // The keychain was not written to.
        const QString profile = DataDir(m_dir->path()).profile();
        QCOMPARE(readKeychain(profile, api::Secret::HubSpotStaticToken).result.outcome,
                 api::SecretOutcome::NotFound);

        // A wrong token in the environment is refused: 3.
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), api::test::randomSecret(36));
        const Run refused = status({QStringLiteral("--json")}, env);
        QVERIFY2(refused.exitCode == 3, qPrintable(describeRun(refused)));
        QCOMPARE(stateOf(jsonOf(refused), "hubspot"), QStringLiteral("failed"));
        QCOMPARE(stateOf(jsonOf(refused), "halo"), QStringLiteral("ok"));
    }

    void environmentWinsOverTheKeychain()
    {
        authHubSpot();
        if (QTest::currentTestFailed())
            return;
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), api::test::randomSecret(36));
        const Run r = status({QStringLiteral("--json")}, env);
        QVERIFY2(r.exitCode == 3, qPrintable(describeRun(r))); // the keychain's good token unused
        QCOMPARE(stateOf(jsonOf(r), "hubspot"), QStringLiteral("failed"));
    }

    void oauthRefreshTokenIsRotatedAndKept()
    {
        // The sandbox invalidates a refresh token once it is used: status must keep the new one,
        // or the next run would find itself signed out.
        m_sandbox.box->hubspot().oauth().config().rotateRefreshTokens = true;
        const QString refresh = sandboxRefreshToken(m_sandbox);
        QVERIFY(!refresh.isEmpty());
        QString profile;
        {
            DataDir data(m_dir->path());
            QVERIFY(data.store);
            core::ConnectionConfig config;
            config.hubspot.auth = core::HubSpotAuthMode::OAuth;
            config.hubspot.clientId = m_sandbox.value("hubspot_client_id");
            config.hubspot.apiBase = QUrl(m_sandbox.hubspotUrl());
            config.halo.url = QUrl(m_sandbox.haloUrl());
            config.halo.clientId = m_sandbox.haloClientId();
            QVERIFY(config.save(*data.store).ok());
            profile = data.profile();
        }
        QVERIFY(writeToKeychain(profile, api::Secret::HubSpotClientSecret,
                                m_sandbox.value("hubspot_client_secret")));
        QVERIFY(writeToKeychain(profile, api::Secret::HubSpotRefreshToken, refresh));
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHaloSecret), m_sandbox.haloSecret());

        const Run first = status({QStringLiteral("--json")}, env);
        QVERIFY2(first.exitCode == 0, qPrintable(describeRun(first)));
        const QJsonObject hubspot = jsonOf(first).value(QStringLiteral("hubspot")).toObject();
        QCOMPARE(hubspot.value(QStringLiteral("auth")).toString(), QStringLiteral("oauth"));
        QVERIFY(!hubspot.value(QStringLiteral("account"))
                     .toObject()
                     .value(QStringLiteral("user"))
                     .toString()
                     .isEmpty());
        const auto kept = readKeychain(profile, api::Secret::HubSpotRefreshToken);
        QCOMPARE(kept.result.outcome, api::SecretOutcome::Ok);
        QVERIFY(!kept.result.value.isEmpty());
        QVERIFY(kept.result.value != refresh);
        QVERIFY(!first.out.contains(kept.result.value) && !first.err.contains(kept.result.value));

        // The old token no longer works; the kept one does.
        const Run second = status({QStringLiteral("--json")}, env);
        QVERIFY2(second.exitCode == 0, qPrintable(describeRun(second)));
        m_sandbox.box->hubspot().oauth().config().rotateRefreshTokens = false;
    }

    void unreachableHaloExitsFour()
    {
        {
            DataDir data(m_dir->path());
            QVERIFY(data.store);
            core::ConnectionConfig config;
            config.halo.url = QUrl(closedPortUrl());
            config.halo.clientId = m_sandbox.haloClientId();
            QVERIFY(config.save(*data.store).ok());
        }
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHaloSecret), m_sandbox.haloSecret());
        // HubSpot not set up (3) and Halo unreachable (4): what needs a person wins.
        Run r = status({QStringLiteral("--json")}, env);
        QVERIFY2(r.exitCode == 3, qPrintable(describeRun(r)));
        QCOMPARE(jsonOf(r)
                     .value(QStringLiteral("halo"))
                     .toObject()
                     .value(QStringLiteral("exit_code"))
                     .toInt(),
                 4);
        // With HubSpot working, the unreachable Halo decides.
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), m_sandbox.hubspotToken());
        {
            DataDir data(m_dir->path());
            core::ConnectionConfig config = data.config();
            config.hubspot.apiBase = QUrl(m_sandbox.hubspotUrl());
            QVERIFY(config.save(*data.store).ok());
        }
        r = status({}, env);
        QVERIFY2(r.exitCode == 4, qPrintable(describeRun(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Halo: not working")), qPrintable(r.out));
    }

private:
    void authHubSpot()
    {
        const Run r =
            runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                         QStringLiteral("hubspot"), QStringLiteral("--token-stdin"),
                         QStringLiteral("--api-base"), m_sandbox.hubspotUrl()},
                        line(m_sandbox.hubspotToken()));
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
    }
    void authHalo()
    {
        const Run r = runHalospot(
            {QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
             QStringLiteral("halo"), QStringLiteral("--secret-stdin"), QStringLiteral("--url"),
             m_sandbox.haloUrl(), QStringLiteral("--client-id"), m_sandbox.haloClientId()},
            line(m_sandbox.haloSecret()));
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
    }
    Run status(const QStringList &extra = {},
               const QProcessEnvironment &environment = childEnvironment())
    {
        return runHalospot(
            QStringList{QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("status")} +
                extra,
            {}, environment);
    }
};

QTEST_GUILESS_MAIN(TestStatusCommand)
#include "tst_statuscommand.moc"
