// Tests for the profile document: exact round trips and strict validation with JSON paths.
#include "Profile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace halospot;
using namespace halospot::core;

namespace {

// A profile document with the required header and the given members.
QByteArray doc(const char *members)
{
    QByteArray out = R"({"format": "halospot-profile", "version": 1)";
    if (*members)
        out += ", " + QByteArray(members);
    return out + "}";
}

Profile fullProfile()
{
    Profile p;
    HubSpotConnectionConfig &hs = p.connection.hubspot;
    hs.auth = HubSpotAuthMode::StaticToken;
    hs.clientId = QStringLiteral("c0ffee-1234");
    hs.redirectPort = 9123;
    hs.apiBase = QUrl(QStringLiteral("http://127.0.0.1:4010"));
    hs.authBase = QUrl(QStringLiteral("http://localhost:4011/auth"));
    hs.apiVersion = QStringLiteral("2026-03");
    HaloConnectionConfig &halo = p.connection.halo;
    halo.url = QUrl(QStringLiteral("https://acme.halopsa.com"));
    halo.authUrl = QUrl(QStringLiteral("https://auth.halopsa.com/auth"));
    halo.tenant = QStringLiteral("acme");
    halo.clientId = QStringLiteral("halo-client");
    halo.scope = QStringLiteral("read:customers edit:customers");
    p.companies.lifecycleStages = {QStringLiteral("customer"), QStringLiteral("opportunity"),
                                   QString()};
    p.companies.customerMappings = {
        {QStringLiteral("123"), 45, std::nullopt},
        {QStringLiteral("57156923994"), 46, 7},
    };
    p.companies.fieldMappings = {
        {QStringLiteral("industry"), 17, QString(), false},
        {QStringLiteral("annualrevenue"), std::nullopt, QStringLiteral("CFannualrevenue"), true},
    };
    p.contacts.include = ContactInclude::CompanyContactsAndStages;
    p.contacts.lifecycleStages = {QStringLiteral("lead")};
    p.contacts.fieldMappings = {{QStringLiteral("jobtitle"), 120, QString(), true}};
    p.contacts.defaultSiteId = 12;
    p.contacts.followCompanyChanges = true;
    p.linking.writeHubSpotIdToHalo = false;
    p.sync.customers = SyncTrigger::CreateAndUpdate;
    p.sync.contacts = SyncTrigger::Update;
    p.sync.deleteInactiveCustomers = true;
    p.sync.deleteInactiveContacts = true;
    p.sync.notifyEachSuccess = false;
    p.sync.conflict = ConflictPolicy::Newest;
    p.sync.maxArchivePercent = 0;
    p.schedule = {true, false, true, true, 15};
    return p;
}

void compareProfiles(const Profile &a, const Profile &b)
{
    QCOMPARE(a.connection.hubspot.auth, b.connection.hubspot.auth);
    QCOMPARE(a.connection.hubspot.clientId, b.connection.hubspot.clientId);
    QCOMPARE(a.connection.hubspot.redirectPort, b.connection.hubspot.redirectPort);
    QCOMPARE(a.connection.hubspot.apiBase, b.connection.hubspot.apiBase);
    QCOMPARE(a.connection.hubspot.authBase, b.connection.hubspot.authBase);
    QCOMPARE(a.connection.hubspot.apiVersion, b.connection.hubspot.apiVersion);
    QCOMPARE(a.connection.halo.url, b.connection.halo.url);
    QCOMPARE(a.connection.halo.authUrl, b.connection.halo.authUrl);
    QCOMPARE(a.connection.halo.tenant, b.connection.halo.tenant);
    QCOMPARE(a.connection.halo.clientId, b.connection.halo.clientId);
    QCOMPARE(a.connection.halo.scope, b.connection.halo.scope);
    QVERIFY(a.companies == b.companies);
    QVERIFY(a.contacts == b.contacts);
    QVERIFY(a.linking == b.linking);
    QVERIFY(a.sync == b.sync);
    QVERIFY(a.schedule == b.schedule);
}

} // namespace

class TestProfile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsRoundTrip();
    void fullRoundTrip();
    void specExampleParses();
    void missingSectionsKeepDefaults();
    void nullsAndIds();
    void errors_data();
    void errors();
    void invalidJsonNamesLineAndOffset();
    void allErrorsCollected();
    void secretsAreRefusedWherever_data();
    void secretsAreRefusedWherever();
    void neverContainsSecrets();
};

void TestProfile::defaultsRoundTrip()
{
    const QByteArray bytes = serializeProfile(Profile{});
    QStringList errors;
    const Result<Profile> r = parseProfile(bytes, &errors);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QVERIFY(errors.isEmpty());
    compareProfiles(r.value(), Profile{});
    QCOMPARE(serializeProfile(r.value()), bytes);

    // Every key is written, so an export documents every setting.
    const QJsonObject root = QJsonDocument::fromJson(bytes).object();
    QCOMPARE(root.value(QLatin1String("format")).toString(), QStringLiteral("halospot-profile"));
    QCOMPARE(root.value(QLatin1String("version")).toInt(), 1);
    QCOMPARE(root.keys().size(), 9);
    QVERIFY(root.value(QLatin1String("halo")).toObject().value(QLatin1String("auth_url")).isNull());
    QCOMPARE(root.value(QLatin1String("contacts")).toObject().value(QLatin1String("include")),
             QJsonValue(QStringLiteral("company_contacts")));
    QCOMPARE(root.value(QLatin1String("sync")).toObject().value(QLatin1String("conflict")),
             QJsonValue(QStringLiteral("hubspot")));
    QVERIFY(bytes.contains("\n    \"companies\": {")); // indented for people to read
}

void TestProfile::fullRoundTrip()
{
    const Profile p = fullProfile();
    const QByteArray bytes = serializeProfile(p);
    const Result<Profile> r = parseProfile(bytes);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    compareProfiles(r.value(), p);
    QCOMPARE(serializeProfile(r.value()), bytes);
    // IDs beyond 32 bits survive (HubSpot IDs are strings; Halo IDs are integers).
    QCOMPARE(r->companies.customerMappings.at(1).hubspotCompanyId, QStringLiteral("57156923994"));
    QCOMPARE(r->companies.customerMappings.at(1).haloSiteId, std::optional<qint64>(7));
    QVERIFY(!r->companies.customerMappings.at(0).haloSiteId);
    QCOMPARE(r->companies.lifecycleStages.last(), QString()); // "" = (no stage)
}

void TestProfile::specExampleParses()
{
    // SPEC §5's example with its comments and ellipses filled in.
    const QByteArray json = R"({ "format": "halospot-profile", "version": 1,
  "hubspot": { "auth": "oauth", "client_id": "", "redirect_port": 8765,
               "api_base": "https://api.hubapi.com", "auth_base": "https://app.hubspot.com",
               "api_version": "v3" },
  "halo": { "url": "https://example.halopsa.com", "auth_url": null, "tenant": null,
            "client_id": "", "scope": "all" },
  "companies": {
    "lifecycle_stages": ["customer"],
    "customer_mappings": [ { "hubspot_company_id": "123", "halo_client_id": 45, "halo_site_id": null } ],
    "field_mappings": [ { "hubspot_property": "industry", "halo_field_id": 17, "sync_back": false } ] },
  "contacts": { "include": "company_contacts",
                "lifecycle_stages": [], "field_mappings": [
                  { "hubspot_property": "jobtitle", "halo_field_name": "CFjobtitle", "sync_back": true } ],
                "default_site_id": 12 },
  "linking": { "write_hubspot_id_to_halo": true },
  "sync": { "customers": "disabled", "contacts": "create_and_update",
            "delete_inactive_customers": false, "delete_inactive_contacts": false,
            "notify_each_success": true, "conflict": "hubspot", "max_archive_percent": 10 },
  "schedule": { "enabled": false, "companies": true, "contacts": true, "sync": false, "every_minutes": 60 } })";
    const Result<Profile> r = parseProfile(json);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Profile &p = r.value();
    QCOMPARE(p.connection.halo.url, QUrl(QStringLiteral("https://example.halopsa.com")));
    QVERIFY(p.connection.halo.authUrl.isEmpty());
    QCOMPARE(p.companies.customerMappings.size(), 1);
    QCOMPARE(p.companies.customerMappings.at(0).haloClientId, 45);
    QCOMPARE(p.companies.fieldMappings.at(0).haloFieldId, std::optional<int>(17));
    QCOMPARE(p.contacts.fieldMappings.at(0).haloFieldName, QStringLiteral("CFjobtitle"));
    QVERIFY(!p.contacts.fieldMappings.at(0).haloFieldId);
    QVERIFY(p.contacts.fieldMappings.at(0).syncBack);
    QCOMPARE(p.contacts.defaultSiteId, std::optional<qint64>(12));
    QVERIFY(!p.contacts.followCompanyChanges); // absent: users are never moved by default
    QCOMPARE(p.sync.contacts, SyncTrigger::CreateAndUpdate);
    QCOMPARE(p.schedule.everyMinutes, 60);
}

void TestProfile::missingSectionsKeepDefaults()
{
    const Result<Profile> r = parseProfile(doc(R"("sync": {"conflict": "halo"})"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->sync.conflict, ConflictPolicy::Halo);
    QCOMPARE(r->sync.maxArchivePercent, 10);
    QCOMPARE(r->connection.hubspot.apiBase, QUrl(QStringLiteral("https://api.hubapi.com")));
    QVERIFY(r->schedule == ScheduleSettings{});
    QVERIFY(r->companies == CompanySettings{});
}

void TestProfile::nullsAndIds()
{
    const Result<Profile> r = parseProfile(doc(R"(
        "halo": {"url": "", "auth_url": "https://auth.example.com", "tenant": "t1"},
        "contacts": {"default_site_id": null})"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QVERIFY(r->connection.halo.url.isEmpty()); // not connected yet
    QCOMPARE(r->connection.halo.authUrl, QUrl(QStringLiteral("https://auth.example.com")));
    QCOMPARE(r->connection.halo.tenant, QStringLiteral("t1"));
    QVERIFY(!r->contacts.defaultSiteId);
}

void TestProfile::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("expected"); // every error, exactly
    const auto row = [](const char *name, const QByteArray &json, const QStringList &expected) {
        QTest::newRow(name) << json << expected;
    };
    const auto s = [](const char *text) { return QString::fromUtf8(text); };

    row("not an object", "[1, 2]", {s("The profile must be a JSON object ({ ... }).")});
    row("format missing", R"({"version": 1})",
        {s("format: is missing; a HaloSpot profile has \"format\": \"halospot-profile\".")});
    row("format wrong", R"({"format": "other", "version": 1})",
        {s("format: this is not a HaloSpot profile (expected \"halospot-profile\").")});
    row("version missing", R"({"format": "halospot-profile"})",
        {s("version: is missing (expected 1).")});
    row("version newer", R"({"format": "halospot-profile", "version": 2})",
        {s("version: version 2 is not supported; this HaloSpot reads version 1.")});
    row("version string", R"({"format": "halospot-profile", "version": "1"})",
        {s("version: expected an integer, found a string.")});
    row("unknown top-level key", doc(R"("extra": 1)"),
        {s("extra: unknown key (allowed here: format, version, hubspot, halo, companies, "
           "contacts, linking, sync, schedule).")});
    row("unknown nested key", doc(R"("companies": {"field_mappings": [
              {"hubspot_property": "a", "halo_field_id": 1},
              {"hubspot_property": "b", "halo_field_id": 2},
              {"hubspot_property": "c", "halo_feld_id": 3}]})"),
        {s("companies.field_mappings[2].halo_feld_id: unknown key (allowed here: "
           "hubspot_property, halo_field_id, halo_field_name, sync_back)."),
         s("companies.field_mappings[2]: halo_field_id or halo_field_name is missing.")});
    row("section wrong type", doc(R"("sync": [])"),
        {s("sync: expected an object, found an array.")});
    row("port as string", doc(R"("hubspot": {"redirect_port": "8765"})"),
        {s("hubspot.redirect_port: expected an integer, found a string.")});
    row("port out of range", doc(R"("hubspot": {"redirect_port": 70000})"),
        {s("hubspot.redirect_port: 70000 is out of range (1 to 65535).")});
    row("port fraction", doc(R"("hubspot": {"redirect_port": 80.5})"),
        {s("hubspot.redirect_port: expected an integer, found 80.5.")});
    row("bool as string", doc(R"("linking": {"write_hubspot_id_to_halo": "yes"})"),
        {s("linking.write_hubspot_id_to_halo: expected true or false, found a string.")});
    row("percent over 100", doc(R"("sync": {"max_archive_percent": 101})"),
        {s("sync.max_archive_percent: 101 is out of range (0 to 100).")});
    row("percent negative", doc(R"("sync": {"max_archive_percent": -1})"),
        {s("sync.max_archive_percent: -1 is out of range (0 to 100).")});
    row("schedule too often", doc(R"("schedule": {"every_minutes": 1})"),
        {s("schedule.every_minutes: 1 is out of range (5 to 10080).")});
    row("bad enum", doc(R"("sync": {"conflict": "both"})"),
        {s("sync.conflict: 'both' is not one of hubspot, halo, newest.")});
    row("bad enum trigger", doc(R"("sync": {"customers": "always"})"),
        {s("sync.customers: 'always' is not one of disabled, create, update, "
           "create_and_update.")});
    row("bad include", doc(R"("contacts": {"include": "everyone"})"),
        {s("contacts.include: 'everyone' is not one of company_contacts, "
           "company_contacts_and_stages, all.")});
    row("bad auth", doc(R"("hubspot": {"auth": "password"})"),
        {s("hubspot.auth: 'password' is not one of oauth, static-token.")});
    row("enum as number", doc(R"("sync": {"conflict": 1})"),
        {s("sync.conflict: expected a string, found a number.")});
    row("api version", doc(R"("hubspot": {"api_version": "latest"})"),
        {s("hubspot.api_version: 'latest' is not an API version (\"v3\" or a date like "
           "\"2026-03\").")});
    row("plain http url", doc(R"("halo": {"url": "http://acme.halopsa.com"})"),
        {s("halo.url: The address uses plain http://. HaloSpot only sends credentials over TLS: "
           "use https:// (http:// is allowed only for this computer, localhost or 127.0.0.1).")});
    row("ftp url", doc(R"("hubspot": {"api_base": "ftp://api.hubapi.com"})"),
        {s("hubspot.api_base: The address must start with https://.")});
    row("not a url", doc(R"("halo": {"auth_url": "https://"})"),
        {s("halo.auth_url: The address is not a valid address; it should look like "
           "https://example.halopsa.com.")});
    row("empty required url", doc(R"("hubspot": {"auth_base": ""})"),
        {s("hubspot.auth_base: The address is empty.")});
    row("url null where required", doc(R"("hubspot": {"api_base": null})"),
        {s("hubspot.api_base: expected a string, found null.")});
    row("tenant number", doc(R"("halo": {"tenant": 5})"),
        {s("halo.tenant: expected a string or null, found a number.")});
    row("empty scope", doc(R"("halo": {"scope": " "})"),
        {s("halo.scope: is empty; \"all\" is the usual scope.")});
    row("stage not a string", doc(R"("companies": {"lifecycle_stages": ["customer", 3]})"),
        {s("companies.lifecycle_stages[1]: expected a string, found a number.")});
    row("stage twice", doc(R"("contacts": {"lifecycle_stages": ["lead", "lead"]})"),
        {s("contacts.lifecycle_stages[1]: 'lead' is listed twice.")});
    row("stages not array", doc(R"("companies": {"lifecycle_stages": "customer"})"),
        {s("companies.lifecycle_stages: expected an array, found a string.")});
    row("duplicate customer mapping", doc(R"("companies": {"customer_mappings": [
              {"hubspot_company_id": "123", "halo_client_id": 1},
              {"hubspot_company_id": "456", "halo_client_id": 2},
              {"hubspot_company_id": "123", "halo_client_id": 3, "halo_site_id": 9}]})"),
        {s("companies.customer_mappings[2].hubspot_company_id: HubSpot company 123 is already "
           "mapped in companies.customer_mappings[0]; a company can go to one Halo customer "
           "only.")});
    row("company id as number",
        doc(R"("companies": {"customer_mappings": [{"hubspot_company_id": 123, "halo_client_id": 1}]})"),
        {s("companies.customer_mappings[0].hubspot_company_id: expected a string, found a "
           "number.")});
    row("company id not digits",
        doc(R"("companies": {"customer_mappings": [{"hubspot_company_id": "acme", "halo_client_id": 1}]})"),
        {s("companies.customer_mappings[0].hubspot_company_id: 'acme' is not a HubSpot record ID "
           "(digits only).")});
    row("mapping keys missing", doc(R"("companies": {"customer_mappings": [{}]})"),
        {s("companies.customer_mappings[0]: hubspot_company_id is missing."),
         s("companies.customer_mappings[0]: halo_client_id is missing.")});
    row("mapping not object", doc(R"("companies": {"customer_mappings": ["123"]})"),
        {s("companies.customer_mappings[0]: expected an object, found a string.")});
    row("site id zero",
        doc(R"("companies": {"customer_mappings": [{"hubspot_company_id": "1", "halo_client_id": 1, "halo_site_id": 0}]})"),
        {s("companies.customer_mappings[0].halo_site_id: 0 is out of range (1 to "
           "9000000000000000).")});
    row("default site string", doc(R"("contacts": {"default_site_id": "12"})"),
        {s("contacts.default_site_id: expected null or an integer, found a string.")});
    row("follow company changes string", doc(R"("contacts": {"follow_company_changes": "yes"})"),
        {s("contacts.follow_company_changes: expected true or false, found a string.")});
    row("field by id and name",
        doc(R"("contacts": {"field_mappings": [{"hubspot_property": "a", "halo_field_id": 1, "halo_field_name": "CFa"}]})"),
        {s("contacts.field_mappings[0]: give halo_field_id or halo_field_name, not both.")});
    row("field property missing", doc(R"("contacts": {"field_mappings": [{"halo_field_id": 1}]})"),
        {s("contacts.field_mappings[0]: hubspot_property is missing.")});
    row("field property empty",
        doc(R"("contacts": {"field_mappings": [{"hubspot_property": "", "halo_field_name": "CFa"}]})"),
        {s("contacts.field_mappings[0].hubspot_property: is empty.")});
    row("field sync_back string",
        doc(R"("companies": {"field_mappings": [{"hubspot_property": "a", "halo_field_id": 1, "sync_back": "no"}]})"),
        {s("companies.field_mappings[0].sync_back: expected true or false, found a string.")});
    row("halo field twice", doc(R"("companies": {"field_mappings": [
              {"hubspot_property": "a", "halo_field_name": "CFindustry"},
              {"hubspot_property": "b", "halo_field_name": "cfINDUSTRY"}]})"),
        {s("companies.field_mappings[1]: the Halo field is already mapped in "
           "companies.field_mappings[0]; a field can take values from one property only.")});
}

void TestProfile::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, expected);
    QStringList errors;
    const Result<Profile> r = parseProfile(json, &errors);
    QVERIFY(!r.ok()); // nothing to apply: there is no partial profile
    QCOMPARE(errors, expected);
    QCOMPARE(r.error(), expected.join(QLatin1Char('\n')));
    // Without the list the sentence is the same.
    QCOMPARE(parseProfile(json).error(), r.error());
}

void TestProfile::invalidJsonNamesLineAndOffset()
{
    const QByteArray json = "{\n  \"format\": \"halospot-profile\",\n  \"version\": 1,,\n}";
    QStringList errors;
    const Result<Profile> r = parseProfile(json, &errors);
    QVERIFY(!r.ok());
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().startsWith(QLatin1String("The profile is not valid JSON: ")),
             qPrintable(errors.first()));
    QVERIFY2(errors.first().contains(QLatin1String("at line 3, column 17")),
             qPrintable(errors.first()));
    QVERIFY(errors.first().contains(QLatin1String("(offset ")));

    // Columns count characters, not UTF-8 bytes.
    const QByteArray accented = "{\n  \"halo\": {\"tenant\": \"Café\" \"x\"}}";
    QStringList accentErrors;
    QVERIFY(!parseProfile(accented, &accentErrors).ok());
    QCOMPARE(accentErrors.size(), 1);
    QVERIFY2(accentErrors.first().contains(QLatin1String("at line 2, column 30")),
             qPrintable(accentErrors.first()));

    QVERIFY(!parseProfile(QByteArray()).ok());
    QVERIFY(parseProfile(QByteArray()).error().contains(QLatin1String("not valid JSON")));
    QVERIFY(!parseProfile("\xff\xfe garbage").ok());
}

void TestProfile::allErrorsCollected()
{
    const QByteArray json = R"({"format": "halospot-profile", "version": 1,
        "hubspot": {"redirect_port": "x", "client_secret": "s3cr3t"},
        "halo": {"url": "http://halo.example.com"},
        "companies": {"customer_mappings": [
            {"hubspot_company_id": "1", "halo_client_id": 1},
            {"hubspot_company_id": "1", "halo_client_id": 2}]},
        "sync": {"conflict": "both", "max_archive_percent": 500},
        "schedule": {"enabled": "true"}})";
    QStringList errors;
    const Result<Profile> r = parseProfile(json, &errors);
    QVERIFY(!r.ok());
    const QStringList paths = {
        QStringLiteral("hubspot.client_secret: "),
        QStringLiteral("hubspot.redirect_port: "),
        QStringLiteral("halo.url: "),
        QStringLiteral("companies.customer_mappings[1].hubspot_company_id: "),
        QStringLiteral("sync.conflict: "),
        QStringLiteral("sync.max_archive_percent: "),
        QStringLiteral("schedule.enabled: ")};
    QCOMPARE(errors.size(), paths.size());
    for (qsizetype i = 0; i < paths.size(); ++i)
        QVERIFY2(errors.at(i).startsWith(paths.at(i)), qPrintable(errors.at(i)));
    QCOMPARE(r.error().count(QLatin1Char('\n')), paths.size() - 1);
    QVERIFY(!r.error().contains(QLatin1String("s3cr3t"))); // never echo a secret
}

void TestProfile::secretsAreRefusedWherever_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::newRow("hubspot.client_secret")
        << doc(R"("hubspot": {"client_secret": "x"})") << QStringLiteral("hubspot.client_secret");
    QTest::newRow("halo.client_secret")
        << doc(R"("halo": {"client_secret": "x"})") << QStringLiteral("halo.client_secret");
    QTest::newRow("access_token") << doc(R"("access_token": "x")")
                                  << QStringLiteral("access_token");
    QTest::newRow("refresh_token")
        << doc(R"("hubspot": {"refresh_token": "x"})") << QStringLiteral("hubspot.refresh_token");
    QTest::newRow("password") << doc(R"("halo": {"Password": "x"})")
                              << QStringLiteral("halo.Password");
}

void TestProfile::secretsAreRefusedWherever()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QStringList errors;
    QVERIFY(!parseProfile(json, &errors).ok());
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first(),
             path + QStringLiteral(": unknown key; secrets never belong in a profile (HaloSpot "
                                   "keeps them in the system keychain): remove it."));
}

void TestProfile::neverContainsSecrets()
{
    const QByteArray bytes = serializeProfile(fullProfile()).toLower();
    for (const char *word : {"secret", "access_token", "refresh", "password", "\"token\""})
        QVERIFY2(!bytes.contains(word), word);
}

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
