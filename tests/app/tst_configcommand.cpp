// Tests of `halospot config export|import`: the real binary on a temporary data directory; the
// defaults, a byte-identical round trip, invalid files that change nothing, refused secret keys,
// no secrets in an export, and "-" for standard input and output.
#include "AppTestSupport.h"
#include "Profile.h"
#include "ProfileTestSupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace halospot;
using namespace halospot::app::test;

class TestConfigCommand final : public CommandTest
{
    Q_OBJECT

private Q_SLOTS:
    void freshDataDirExportsDefaults()
    {
        const Run r = config({QStringLiteral("export"), QStringLiteral("-")});
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
        const QByteArray exported = r.out.toUtf8();
        const Result<core::Profile> parsed = core::parseProfile(exported);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        QCOMPARE(exported, core::serializeProfile(core::Profile{}));

        // The same bytes into a file.
        const QString file = m_dir->filePath(QStringLiteral("out.json"));
        QVERIFY2(config({QStringLiteral("export"), file}).exitCode == 0, "export to a file");
        QCOMPARE(readFile(file), exported);
    }

    void importThenExportIsByteIdentical()
    {
        const QByteArray full = core::serializeProfile(core::testing::fullProfile());
        const QString file = m_dir->filePath(QStringLiteral("in.json"));
        writeFile(file, full);
        const Run imported = config({QStringLiteral("import"), file});
        QVERIFY2(imported.exitCode == 0, qPrintable(describeRun(imported)));
        QVERIFY2(imported.out.contains(QLatin1String("2 customer mapping")),
                 qPrintable(imported.out));
        QCOMPARE(imported.out.count(QLatin1Char('\n')), 1);
        QCOMPARE(exported(), full);

        // Through stdin: back to the defaults, then the full profile again.
        const Run defaults = config({QStringLiteral("import"), QStringLiteral("-")},
                                    core::serializeProfile(core::Profile{}));
        QVERIFY2(defaults.exitCode == 0, qPrintable(describeRun(defaults)));
        QCOMPARE(exported(), core::serializeProfile(core::Profile{}));
        const Run again = config({QStringLiteral("import"), QStringLiteral("-")}, full);
        QVERIFY2(again.exitCode == 0, qPrintable(describeRun(again)));
        QCOMPARE(exported(), full);

        // What the other commands read is the imported connection.
        QCOMPARE(DataDir(m_dir->path()).config().halo.url,
                 QUrl(QStringLiteral("https://acme.halopsa.com")));
    }

    void invalidImportChangesNothing()
    {
        QVERIFY(config({QStringLiteral("import"), QStringLiteral("-")},
                       core::serializeProfile(core::testing::fullProfile()))
                    .exitCode == 0);
        const QByteArray before = exported();

        QJsonObject root =
            QJsonDocument::fromJson(core::serializeProfile(core::Profile{})).object();
        QJsonObject sync = root.value(QStringLiteral("sync")).toObject();
        sync.insert(QStringLiteral("conflict"), QStringLiteral("whoever"));      // bad enum
        sync.insert(QStringLiteral("max_archive_percent"), QStringLiteral("x")); // wrong type
        root.insert(QStringLiteral("sync"), sync);
        QJsonObject schedule = root.value(QStringLiteral("schedule")).toObject();
        schedule.insert(QStringLiteral("evry_minutes"), 30); // unknown key
        root.insert(QStringLiteral("schedule"), schedule);
        const QString file = m_dir->filePath(QStringLiteral("bad.json"));
        writeFile(file, QJsonDocument(root).toJson());

        const Run r = config({QStringLiteral("import"), file});
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        for (const char *path :
             {"sync.conflict: ", "sync.max_archive_percent: ", "schedule.evry_minutes: "}) {
            QVERIFY2(r.err.contains(QLatin1String("\n") + QString::fromLatin1(path)),
                     qPrintable(r.err));
        }
        QVERIFY(r.out.isEmpty());
        QCOMPARE(exported(), before);

        // Not JSON at all, and a file that is not there: also exit 2, nothing changed.
        QCOMPARE(config({QStringLiteral("import"), QStringLiteral("-")}, "{ nope").exitCode, 2);
        QCOMPARE(config({QStringLiteral("import"), m_dir->filePath(QStringLiteral("none.json"))})
                     .exitCode,
                 2);
        QCOMPARE(exported(), before);
    }

    void secretKeyIsRefused()
    {
        QJsonObject root =
            QJsonDocument::fromJson(core::serializeProfile(core::Profile{})).object();
        QJsonObject halo = root.value(QStringLiteral("halo")).toObject();
        halo.insert(QStringLiteral("client_secret"), QStringLiteral("s3cr3t-value"));
        root.insert(QStringLiteral("halo"), halo);
        const QByteArray before = exported();
        const Run r =
            config({QStringLiteral("import"), QStringLiteral("-")}, QJsonDocument(root).toJson());
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QLatin1String("halo.client_secret")), qPrintable(r.err));
        QVERIFY(!r.err.contains(QLatin1String("s3cr3t-value")));
        QCOMPARE(exported(), before);
    }

    void exportHasNoSecrets()
    {
        // A static token kept in the keychain by `auth`, another secret written there directly,
        // and both overrides in the environment.
        const Run auth =
            runHalospot({QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("auth"),
                         QStringLiteral("hubspot"), QStringLiteral("--token-stdin"),
                         QStringLiteral("--api-base"), m_sandbox.hubspotUrl()},
                        line(m_sandbox.hubspotToken()));
        QVERIFY2(auth.exitCode == 0, qPrintable(describeRun(auth)));
        const QString haloSecret =
            QStringLiteral("halo-secret-%1").arg(QRandomGenerator::global()->generate64());
        QVERIFY(writeToKeychain(DataDir(m_dir->path()).profile(), api::Secret::HaloClientSecret,
                                haloSecret));
        const QString envToken =
            QStringLiteral("env-token-%1").arg(QRandomGenerator::global()->generate64());
        const QString envSecret =
            QStringLiteral("env-secret-%1").arg(QRandomGenerator::global()->generate64());
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), envToken);
        env.insert(QString::fromLatin1(api::kEnvHaloSecret), envSecret);

        const Run r = config({QStringLiteral("export"), QStringLiteral("-")}, {}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
        QVERIFY(core::parseProfile(r.out.toUtf8()).ok());
        QVERIFY2(r.out.contains(QLatin1String("static-token")), qPrintable(r.out));
        for (const QString &secret : {m_sandbox.hubspotToken(), haloSecret, envToken, envSecret})
            QVERIFY2(!r.out.contains(secret), qPrintable(r.out));
    }

    void unknownReferencesAreRefusedWithTheirPaths()
    {
        const QByteArray before = exported();
        core::Profile p = sandboxProfile();
        p.companies.lifecycleStages = {QStringLiteral("customer"), QString(),
                                       QStringLiteral("no-such-stage")};
        const int client = firstClient(0);
        const int other = firstClient(1);
        const int site = mainSite(client);
        const int otherSite = mainSite(other);
        QVERIFY(client > 0 && other > 0 && site > 0 && otherSite > 0);
        p.companies.customerMappings = {{QStringLiteral("1"), client, site},
                                        {QStringLiteral("2"), 987654, std::nullopt},
                                        {QStringLiteral("3"), client, otherSite},
                                        {QStringLiteral("4"), client, 876543}};
        p.companies.fieldMappings = {
            mapping("industry", "CFindustry"),                         // fine
            mapping("no_such_property", "CFdescription"),              // [1].hubspot_property
            mapping("annualrevenue", "CFnosuchfield"),                 // [2].halo_field_name
            mapping("type", "CFisvip"),                                // [3]: cannot map
            mapping("hs_company_score", "CFnumberofemployees", true)}; // [4].sync_back
        core::FieldMapping byId = mapping("description", "");
        byId.haloFieldId = 765432;
        p.companies.fieldMappings << byId; // [5].halo_field_id
        p.contacts.lifecycleStages = {QStringLiteral("lead"), QStringLiteral("bogus")};
        p.contacts.fieldMappings = {mapping("no_such_contact_property", "CFnosuchuserfield")};
        p.contacts.defaultSiteId = 998877;

        const Run r = config({QStringLiteral("import"), QStringLiteral("-")},
                             core::serializeProfile(p), secretsEnvironment());
        QVERIFY2(r.exitCode == 2, qPrintable(describeRun(r)));
        QVERIFY2(r.err.contains(QLatin1String("nothing was changed")), qPrintable(r.err));
        const QStringList expected{
            QStringLiteral("companies.lifecycle_stages[2]: "),
            QStringLiteral("companies.field_mappings[1].hubspot_property: "),
            QStringLiteral("companies.field_mappings[2].halo_field_name: "),
            QStringLiteral("companies.field_mappings[3]: "),
            QStringLiteral("companies.field_mappings[4].sync_back: "),
            QStringLiteral("companies.field_mappings[5].halo_field_id: "),
            QStringLiteral("companies.customer_mappings[1].halo_client_id: "),
            QStringLiteral("companies.customer_mappings[2].halo_site_id: "),
            QStringLiteral("companies.customer_mappings[3].halo_site_id: "),
            QStringLiteral("contacts.lifecycle_stages[1]: "),
            QStringLiteral("contacts.field_mappings[0].hubspot_property: "),
            QStringLiteral("contacts.field_mappings[0].halo_field_name: "),
            QStringLiteral("contacts.default_site_id: ")};
        const QStringList lines = r.err.split(QLatin1Char('\n'));
        for (const QString &prefix : expected) {
            bool found = false;
            for (const QString &l : lines)
                found = found || l.startsWith(prefix);
            QVERIFY2(found, qPrintable(prefix + QStringLiteral("\n") + r.err));
        }
        // The good references are not reported.
        for (const char *fine : {"companies.lifecycle_stages[0]", "companies.lifecycle_stages[1]",
                                 "companies.field_mappings[0]", "companies.customer_mappings[0]",
                                 "contacts.lifecycle_stages[0]"})
            QVERIFY2(!r.err.contains(QLatin1String(fine)), qPrintable(r.err));
        QCOMPARE(exported(), before);

        // Without the live checks it goes in.
        const Run unchecked =
            config({QStringLiteral("import"), QStringLiteral("--no-check"), QStringLiteral("-")},
                   core::serializeProfile(p), secretsEnvironment());
        QVERIFY2(unchecked.exitCode == 0, qPrintable(describeRun(unchecked)));
        QCOMPARE(exported(), core::serializeProfile(p));
    }

    void validReferencesAreImported()
    {
        core::Profile p = sandboxProfile();
        p.companies.lifecycleStages = {QStringLiteral("customer"), QString()};
        const int client = firstClient(0);
        p.companies.customerMappings = {{QStringLiteral("1"), client, mainSite(client)}};
        p.companies.fieldMappings = {mapping("industry", "CFindustry", true)};
        p.contacts.defaultSiteId = mainSite(client);
        const Run r = config({QStringLiteral("import"), QStringLiteral("-")},
                             core::serializeProfile(p), secretsEnvironment());
        QVERIFY2(r.exitCode == 0, qPrintable(describeRun(r)));
        QVERIFY2(!r.err.contains(QLatin1String("not checked")), qPrintable(r.err));
        QCOMPARE(exported(), core::serializeProfile(p));
    }

    void uncheckableReferencesImportWithAWarning()
    {
        core::Profile p = sandboxProfile();
        p.companies.lifecycleStages = {QStringLiteral("no-such-stage")};
        // No secrets at all: imported, with a warning that says why nothing was checked.
        const Run noSecrets = config({QStringLiteral("import"), QStringLiteral("-")},
                                     core::serializeProfile(p), childEnvironment());
        QVERIFY2(noSecrets.exitCode == 0, qPrintable(describeRun(noSecrets)));
        QVERIFY2(noSecrets.err.contains(QLatin1String("were not checked")),
                 qPrintable(noSecrets.err));
        QVERIFY2(noSecrets.err.contains(QLatin1String("HALOSPOT_HUBSPOT_TOKEN")),
                 qPrintable(noSecrets.err));
        QCOMPARE(exported(), core::serializeProfile(p));

        // HubSpot unreachable: the same.
        p.connection.hubspot.apiBase = QUrl(closedPortUrl());
        p.companies.lifecycleStages = {QStringLiteral("customer")};
        const Run unreachable = config({QStringLiteral("import"), QStringLiteral("-")},
                                       core::serializeProfile(p), secretsEnvironment());
        QVERIFY2(unreachable.exitCode == 0, qPrintable(describeRun(unreachable)));
        QVERIFY2(unreachable.err.contains(QLatin1String("were not checked")),
                 qPrintable(unreachable.err));
        QCOMPARE(exported(), core::serializeProfile(p));
    }

    void usageErrors()
    {
        QCOMPARE(config({}).exitCode, 2);
        QCOMPARE(config({QStringLiteral("export")}).exitCode, 2);
        QCOMPARE(config({QStringLiteral("merge"), QStringLiteral("-")}).exitCode, 2);
        const Run help = config({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(QLatin1String("export|import FILE")), qPrintable(help.out));
    }

private:
    core::Profile sandboxProfile() const
    {
        core::Profile p;
        p.connection.hubspot.auth = core::HubSpotAuthMode::StaticToken;
        p.connection.hubspot.apiBase = QUrl(m_sandbox.hubspotUrl());
        p.connection.halo.url = QUrl(m_sandbox.haloUrl());
        p.connection.halo.clientId = m_sandbox.haloClientId();
        return p;
    }
    QProcessEnvironment secretsEnvironment() const
    {
        QProcessEnvironment env = childEnvironment();
        env.insert(QString::fromLatin1(api::kEnvHubSpotToken), m_sandbox.hubspotToken());
        env.insert(QString::fromLatin1(api::kEnvHaloSecret), m_sandbox.haloSecret());
        return env;
    }
    static core::FieldMapping mapping(const char *property, const char *field,
                                      bool syncBack = false)
    {
        core::FieldMapping m;
        m.hubspotProperty = QLatin1String(property);
        m.haloFieldName = QLatin1String(field);
        m.syncBack = syncBack;
        return m;
    }
    // The n-th live customer of the sandbox's Halo, and its main site.
    int firstClient(int n) const
    {
        for (const sandbox::HaloClientRec &c : m_sandbox.box->halo().store().clientSlots()) {
            if (c.id != 0 && c.mainSiteId != 0 && n-- == 0)
                return c.id;
        }
        return 0;
    }
    int mainSite(int client) const
    {
        const sandbox::HaloClientRec *c = m_sandbox.box->halo().store().client(client);
        return c ? c->mainSiteId : 0;
    }
    Run config(const QStringList &arguments, const QByteArray &input = {},
               const QProcessEnvironment &environment = childEnvironment())
    {
        return runHalospot(
            QStringList{QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("config")} +
                arguments,
            input, environment);
    }
    QByteArray exported()
    {
        const Run r = config({QStringLiteral("export"), QStringLiteral("-")});
        if (r.exitCode != 0)
            qWarning().noquote() << describeRun(r);
        return r.out.toUtf8();
    }
    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(bytes), bytes.size());
    }
};

QTEST_GUILESS_MAIN(TestConfigCommand)
#include "tst_configcommand.moc"
