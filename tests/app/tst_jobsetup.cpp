// Tests of engine::makeJobSpec: a complete profile and secrets give a JobSpec carrying exactly
// them; each missing piece (service address, client ID, static token, OAuth secret or refresh
// token, Halo secret, unreadable keychain) fails with a sentence that says how to fix it.
#include "JobSetup.h"

#include <QTest>

using namespace halospot;
using namespace halospot::engine;

namespace {

core::Profile profile(core::HubSpotAuthMode auth)
{
    core::Profile p;
    p.connection.hubspot.auth = auth;
    p.connection.hubspot.clientId = QStringLiteral("hs-app");
    p.connection.hubspot.apiBase = QUrl(QStringLiteral("http://127.0.0.1:4010"));
    p.connection.hubspot.apiVersion = QStringLiteral("2026-03");
    p.connection.halo.url = QUrl(QStringLiteral("http://127.0.0.1:4020"));
    p.connection.halo.clientId = QStringLiteral("halo-app");
    p.connection.halo.tenant = QStringLiteral("acme");
    p.companies.lifecycleStages = {QStringLiteral("customer"), QString()};
    p.companies.customerMappings = {{QStringLiteral("1001"), 42, 7}};
    p.linking.writeHubSpotIdToHalo = false;
    return p;
}

api::SecretSet secrets(std::initializer_list<std::pair<api::Secret, const char *>> values)
{
    api::SecretSet s;
    for (const auto &[secret, value] : values)
        s.values.insert(secret, QString::fromLatin1(value));
    return s;
}

JobSetupOptions options(bool dryRun = false)
{
    JobSetupOptions o;
    o.dryRun = dryRun;
    o.storePath = QStringLiteral("/tmp/halospot-test.db");
    return o;
}

} // namespace

class TestJobSetup final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void staticTokenProfile()
    {
        const core::Profile p = profile(core::HubSpotAuthMode::StaticToken);
        const auto spec = makeJobSpec(p,
                                      secrets({{api::Secret::HubSpotStaticToken, "pat-1"},
                                               {api::Secret::HaloClientSecret, "halo-secret"},
                                               {api::Secret::HubSpotRefreshToken, "ignored"}}),
                                      options(true));
        QVERIFY2(spec.ok(), qPrintable(spec.error()));
        const JobSpec &s = spec.value();
        QCOMPARE(s.kind, JobKind::ImportCompanies);
        QVERIFY(s.dryRun);
        QCOMPARE(s.storePath, QStringLiteral("/tmp/halospot-test.db"));
        QCOMPARE(s.hubspotCredentials.staticToken, QStringLiteral("pat-1"));
        QVERIFY(s.hubspotCredentials.refreshToken.isEmpty());
        QCOMPARE(s.hubspot.apiBase, p.connection.hubspot.apiBase);
        QCOMPARE(s.hubspot.apiVersion, QStringLiteral("2026-03"));
        QCOMPARE(s.halo.url, p.connection.halo.url);
        QCOMPARE(s.halo.clientId, QStringLiteral("halo-app"));
        QCOMPARE(s.halo.clientSecret, QStringLiteral("halo-secret"));
        QCOMPARE(s.halo.tenant, QStringLiteral("acme"));
        QCOMPARE(s.companies, p.companies);
        QVERIFY(!s.writeHubSpotIdToHalo);
    }

    void oauthProfile()
    {
        const auto spec = makeJobSpec(profile(core::HubSpotAuthMode::OAuth),
                                      secrets({{api::Secret::HubSpotClientSecret, "app-secret"},
                                               {api::Secret::HubSpotRefreshToken, "refresh-1"},
                                               {api::Secret::HaloClientSecret, "halo-secret"}}),
                                      options());
        QVERIFY2(spec.ok(), qPrintable(spec.error()));
        const HubSpotCredentials &c = spec.value().hubspotCredentials;
        QVERIFY(c.staticToken.isEmpty());
        QCOMPARE(c.clientId, QStringLiteral("hs-app"));
        QCOMPARE(c.clientSecret, QStringLiteral("app-secret"));
        QCOMPARE(c.refreshToken, QStringLiteral("refresh-1"));
        QVERIFY(!spec.value().dryRun);
    }

    void missingPiecesAreNamed_data()
    {
        QTest::addColumn<int>("auth");
        QTest::addColumn<QStringList>("drop"); // which secrets to leave out
        QTest::addColumn<QString>("blankSetting");
        QTest::addColumn<QStringList>("expected"); // fragments of the error

        const int stat = int(core::HubSpotAuthMode::StaticToken);
        const int oauth = int(core::HubSpotAuthMode::OAuth);
        QTest::newRow("no static token")
            << stat << QStringList{QStringLiteral("static")} << QString()
            << QStringList{QStringLiteral("HubSpot is not connected"),
                           QStringLiteral("halospot auth hubspot --token-stdin"),
                           QStringLiteral("HALOSPOT_HUBSPOT_TOKEN")};
        QTest::newRow("no refresh token")
            << oauth << QStringList{QStringLiteral("refresh")} << QString()
            << QStringList{QStringLiteral("HubSpot is not connected"),
                           QStringLiteral("a refresh token")};
        QTest::newRow("no oauth client secret")
            << oauth << QStringList{QStringLiteral("appsecret")} << QString()
            << QStringList{QStringLiteral("its client secret")};
        QTest::newRow("no hubspot client id")
            << oauth << QStringList() << QStringLiteral("hubspot.client_id")
            << QStringList{QStringLiteral("hubspot.client_id")};
        QTest::newRow("no halo secret")
            << stat << QStringList{QStringLiteral("halo")} << QString()
            << QStringList{QStringLiteral("Halo has no client secret"),
                           QStringLiteral("HALOSPOT_HALO_CLIENT_SECRET")};
        QTest::newRow("no halo url")
            << stat << QStringList() << QStringLiteral("halo.url")
            << QStringList{QStringLiteral("Halo is not set up"), QStringLiteral("halo.url"),
                           QStringLiteral("halospot auth halo")};
        QTest::newRow("no halo client id")
            << stat << QStringList() << QStringLiteral("halo.client_id")
            << QStringList{QStringLiteral("halo.client_id")};
        QTest::newRow("both services")
            << stat << QStringList{QStringLiteral("static"), QStringLiteral("halo")} << QString()
            << QStringList{QStringLiteral("HubSpot is not connected"),
                           QStringLiteral("Halo has no client secret")};
    }

    void missingPiecesAreNamed()
    {
        QFETCH(int, auth);
        QFETCH(QStringList, drop);
        QFETCH(QString, blankSetting);
        QFETCH(QStringList, expected);
        core::Profile p = profile(core::HubSpotAuthMode(auth));
        if (blankSetting == QLatin1String("hubspot.client_id"))
            p.connection.hubspot.clientId.clear();
        if (blankSetting == QLatin1String("halo.url"))
            p.connection.halo.url = QUrl();
        if (blankSetting == QLatin1String("halo.client_id"))
            p.connection.halo.clientId.clear();
        api::SecretSet s = secrets({{api::Secret::HubSpotStaticToken, "pat-1"},
                                    {api::Secret::HubSpotClientSecret, "app-secret"},
                                    {api::Secret::HubSpotRefreshToken, "refresh-1"},
                                    {api::Secret::HaloClientSecret, "halo-secret"}});
        if (drop.contains(QLatin1String("static")))
            s.values.remove(api::Secret::HubSpotStaticToken);
        if (drop.contains(QLatin1String("refresh")))
            s.values.remove(api::Secret::HubSpotRefreshToken);
        if (drop.contains(QLatin1String("appsecret")))
            s.values.remove(api::Secret::HubSpotClientSecret);
        if (drop.contains(QLatin1String("halo")))
            s.values.remove(api::Secret::HaloClientSecret);
        const auto spec = makeJobSpec(p, s, options());
        QVERIFY(!spec.ok());
        for (const QString &fragment : expected)
            QVERIFY2(spec.error().contains(fragment), qPrintable(spec.error()));
        // Secrets never appear in the sentences.
        for (const char *secret : {"pat-1", "app-secret", "refresh-1", "halo-secret"})
            QVERIFY(!spec.error().contains(QLatin1String(secret)));
    }

    void unreadableKeychainIsSaid()
    {
        api::SecretSet s;
        s.outcome = api::SecretOutcome::Denied;
        s.message = QStringLiteral("The keychain is locked.");
        const auto spec = makeJobSpec(profile(core::HubSpotAuthMode::StaticToken), s, options());
        QVERIFY(!spec.ok());
        QVERIFY2(spec.error().contains(QStringLiteral("The keychain is locked.")),
                 qPrintable(spec.error()));
    }

    void storePathIsRequired()
    {
        JobSetupOptions o = options();
        o.storePath.clear();
        const auto spec = makeJobSpec(profile(core::HubSpotAuthMode::StaticToken),
                                      secrets({{api::Secret::HubSpotStaticToken, "pat-1"},
                                               {api::Secret::HaloClientSecret, "halo-secret"}}),
                                      o);
        QVERIFY(!spec.ok());
        QVERIFY2(spec.error().contains(QStringLiteral("database")), qPrintable(spec.error()));
    }
};

QTEST_GUILESS_MAIN(TestJobSetup)
#include "tst_jobsetup.moc"
