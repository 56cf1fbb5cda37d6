// Tests the fake HubSpot's object endpoints over loopback HTTP: paging, default properties,
// archive semantics, read/create/update/delete, duplicates, associations, properties, auth.
#include "HubSpotFixture.h"

#include <QRegularExpression>
#include <QSet>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

namespace {

QSet<QString> keys(const QJsonObject &o)
{
    const QStringList k = o.keys();
    return QSet<QString>(k.cbegin(), k.cend());
}

const QRegularExpression &dateTimePattern()
{
    static const QRegularExpression re(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));
    return re;
}

} // namespace

class TestFakeHubSpotObjects final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pagingWalksEveryRecordOnce_data();
    void pagingWalksEveryRecordOnce();
    void defaultPropertiesAndLimits();
    void readOneByIdAndEmail();
    void createPatchDeleteAndValidation();
    void duplicateEmailConflicts();
    void associationsInline();
    void propertyDefinitions();
    void authenticationAndScopes();
    void headersAndAccountInfo();
    void largeDatasetStaysLazy();

private:
    std::unique_ptr<HubSpotFixture> m_hub;
};

void TestFakeHubSpotObjects::initTestCase()
{
    HubSpotConfig config;
    config.burstMax = 1000000;
    m_hub = std::make_unique<HubSpotFixture>(GeneratorConfig{42, 2500, 400}, config);
    QVERIFY(m_hub->port != 0);
}

void TestFakeHubSpotObjects::pagingWalksEveryRecordOnce_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("properties");
    QTest::newRow("v3, repeated keys") << QStringLiteral("/crm/v3/objects/companies")
                                       << QStringLiteral("properties=name&properties=industry");
    QTest::newRow("2026-03, comma list")
        << QStringLiteral("/crm/objects/2026-03/0-2") << QStringLiteral("properties=name,industry");
}

void TestFakeHubSpotObjects::pagingWalksEveryRecordOnce()
{
    QFETCH(QString, path);
    QFETCH(QString, properties);
    QSet<QString> seen;
    qint64 previous = 0;
    QString after;
    int pages = 0;
    do {
        const HttpResult r =
            m_hub->get(path + QStringLiteral("?limit=100&") + properties +
                       (after.isEmpty() ? QString() : QStringLiteral("&after=") + after));
        QCOMPARE(r.status, 200);
        const QJsonObject body = r.json();
        const QJsonArray results = body.value(QStringLiteral("results")).toArray();
        QVERIFY(results.size() <= 100);
        for (const QJsonValue &v : results) {
            const QJsonObject o = v.toObject();
            const QString id = o.value(QStringLiteral("id")).toString();
            QVERIFY(!seen.contains(id));
            QVERIFY(id.toLongLong() > previous); // ascending id order
            previous = id.toLongLong();
            seen.insert(id);
            const QJsonObject props = o.value(QStringLiteral("properties")).toObject();
            QVERIFY(props.contains(QStringLiteral("name")));
            QVERIFY(props.contains(QStringLiteral("industry"))); // null when empty, never missing
            QCOMPARE(props.value(QStringLiteral("hs_object_id")).toString(), id);
            QVERIFY(!props.contains(QStringLiteral("domain")));
        }
        after = body.value(QStringLiteral("paging"))
                    .toObject()
                    .value(QStringLiteral("next"))
                    .toObject()
                    .value(QStringLiteral("after"))
                    .toString();
        ++pages;
    } while (!after.isEmpty() && pages < 100);
    QCOMPARE(seen.size(), 2500);
    QCOMPARE(pages, 25);
    QVERIFY(seen.contains(QStringLiteral("10000000001")));
    QVERIFY(seen.contains(QStringLiteral("10000002500")));
}

void TestFakeHubSpotObjects::defaultPropertiesAndLimits()
{
    HttpResult r = m_hub->get(QStringLiteral("/crm/v3/objects/companies"));
    QCOMPARE(r.status, 200);
    QJsonArray results = r.json().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 10); // default limit
    const QJsonObject first = results.first().toObject();
    QCOMPARE(keys(first.value(QStringLiteral("properties")).toObject()),
             (QSet<QString>{QStringLiteral("name"), QStringLiteral("domain"),
                            QStringLiteral("createdate"), QStringLiteral("hs_lastmodifieddate"),
                            QStringLiteral("hs_object_id")}));
    QVERIFY(
        dateTimePattern().match(first.value(QStringLiteral("createdAt")).toString()).hasMatch());
    QVERIFY(
        dateTimePattern().match(first.value(QStringLiteral("updatedAt")).toString()).hasMatch());
    QCOMPARE(first.value(QStringLiteral("archived")).toBool(true), false);
    QVERIFY(r.json().value(QStringLiteral("paging")).toObject().contains(QStringLiteral("next")));

    r = m_hub->get(QStringLiteral("/crm/v3/objects/contacts?limit=500"));
    QCOMPARE(r.status, 200);
    results = r.json().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 100); // capped
    QCOMPARE(keys(results.first().toObject().value(QStringLiteral("properties")).toObject()),
             (QSet<QString>{QStringLiteral("firstname"), QStringLiteral("lastname"),
                            QStringLiteral("email"), QStringLiteral("createdate"),
                            QStringLiteral("lastmodifieddate"), QStringLiteral("hs_object_id")}));

    // Undefined property names are left out; a bad cursor or limit is a 400.
    r = m_hub->get(QStringLiteral("/crm/v3/objects/contacts?limit=1&properties=nonsense,email"));
    const QJsonObject props =
        jv(r)[QStringLiteral("results")][0][QStringLiteral("properties")].toObject();
    QVERIFY(!props.contains(QStringLiteral("nonsense")));
    QVERIFY(props.contains(QStringLiteral("email")));
    QCOMPARE(m_hub->get(QStringLiteral("/crm/v3/objects/contacts?after=%%%")).status, 400);
    QCOMPARE(m_hub->get(QStringLiteral("/crm/v3/objects/contacts?limit=abc")).status, 400);
    QCOMPARE(m_hub->get(QStringLiteral("/crm/v3/objects/contacts?limit=0")).status, 400);
}

void TestFakeHubSpotObjects::readOneByIdAndEmail()
{
    const qint64 index = 7;
    QString email;
    qint64 i = index;
    for (; email.isEmpty(); ++i)
        email = m_hub->generator.contact(i).value(QStringLiteral("email"));
    const QString id = QString::number(20000000001LL + i - 1);

    HttpResult r = m_hub->get(QStringLiteral("/crm/v3/objects/contacts/") + id +
                              QStringLiteral("?properties=email,lifecyclestage"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("id")).toString(), id);
    QCOMPARE(jv(r)[QStringLiteral("properties")][QStringLiteral("email")].toString(), email);

    r = m_hub->get(QStringLiteral("/crm/objects/2026-03/contacts/") +
                   QString::fromLatin1(QUrl::toPercentEncoding(email.toUpper())) +
                   QStringLiteral("?idProperty=email"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("id")).toString(), id);

    r = m_hub->get(QStringLiteral("/crm/v3/objects/contacts/99"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value(QStringLiteral("category")).toString(),
             QStringLiteral("OBJECT_NOT_FOUND"));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    QCOMPARE(
        m_hub->get(QStringLiteral("/crm/v3/objects/contacts/x@y.invalid?idProperty=email")).status,
        404);
}

void TestFakeHubSpotObjects::createPatchDeleteAndValidation()
{
    const qint64 before = m_hub->service->companyCount();
    HttpResult r = m_hub->call(
        "POST", QStringLiteral("/crm/v3/objects/companies"),
        QJsonObject{
            {QStringLiteral("properties"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("Neue Firma GmbH")},
                         {QStringLiteral("numberofemployees"), 12},
                         {QStringLiteral("industry"), QStringLiteral("RETAIL")},
                         {QStringLiteral("services_offered"), QStringLiteral("cloud;voip")},
                         {QStringLiteral("contract_start_date"), QStringLiteral("1430438400000")},
                         {QStringLiteral("next_review_at"), QStringLiteral("1430438400123")},
                         {QStringLiteral("is_public"), QStringLiteral("TRUE")}}}});
    QCOMPARE(r.status, 201);
    const QString id = r.json().value(QStringLiteral("id")).toString();
    QVERIFY(id.toLongLong() > 10000002500LL); // after the generated range
    QJsonObject props = r.json().value(QStringLiteral("properties")).toObject();
    QCOMPARE(props.value(QStringLiteral("numberofemployees")).toString(), QStringLiteral("12"));
    QCOMPARE(props.value(QStringLiteral("contract_start_date")).toString(),
             QStringLiteral("2015-05-01"));
    QCOMPARE(props.value(QStringLiteral("next_review_at")).toString(),
             QStringLiteral("2015-05-01T00:00:00.123Z"));
    QCOMPARE(props.value(QStringLiteral("is_public")).toString(), QStringLiteral("true"));
    QCOMPARE(props.value(QStringLiteral("hs_object_id")).toString(), id);
    QVERIFY(
        dateTimePattern().match(props.value(QStringLiteral("createdate")).toString()).hasMatch());
    QCOMPARE(m_hub->service->companyCount(), before + 1);

    const QString path = QStringLiteral("/crm/v3/objects/companies/") + id;
    r = m_hub->call(
        "PATCH", path,
        QJsonObject{{QStringLiteral("properties"),
                     QJsonObject{{QStringLiteral("numberofemployees"), QStringLiteral("13")},
                                 {QStringLiteral("services_offered"), QStringLiteral(";backup")},
                                 {QStringLiteral("industry"), QString()}}}});
    QCOMPARE(r.status, 200);
    r = m_hub->get(path +
                   QStringLiteral("?properties=numberofemployees,industry,services_offered"));
    props = r.json().value(QStringLiteral("properties")).toObject();
    QCOMPARE(props.value(QStringLiteral("numberofemployees")).toString(), QStringLiteral("13"));
    QVERIFY(props.value(QStringLiteral("industry")).isNull()); // "" cleared it
    QCOMPARE(props.value(QStringLiteral("services_offered")).toString(),
             QStringLiteral("cloud;voip;backup"));

    const QList<QPair<QString, QJsonValue>> invalid{
        {QStringLiteral("industry"), QStringLiteral("Retail")},       // options are case-sensitive
        {QStringLiteral("createdate"), QStringLiteral("2020-01-01")}, // read-only
        {QStringLiteral("no_such_property"), QStringLiteral("x")},
        {QStringLiteral("contract_start_date"), QStringLiteral("1430438400001")}, // not midnight
        {QStringLiteral("numberofemployees"), QStringLiteral("12a")},
        {QStringLiteral("is_public"), QStringLiteral("yes")},
        {QStringLiteral("lifecyclestage"), QStringLiteral("9999")},
    };
    for (const auto &[name, value] : invalid) {
        r = m_hub->call("PATCH", path,
                        QJsonObject{{QStringLiteral("properties"), QJsonObject{{name, value}}}});
        QCOMPARE(r.status, 400);
        const QJsonObject body = r.json();
        QCOMPARE(body.value(QStringLiteral("category")).toString(),
                 QStringLiteral("VALIDATION_ERROR"));
        QVERIFY2(body.value(QStringLiteral("message"))
                     .toString()
                     .startsWith(QStringLiteral("Property values were not valid: [")),
                 qPrintable(name));
        QCOMPARE(body[QStringLiteral("errors")][0][QStringLiteral("context")]
                     [QStringLiteral("propertyName")][0]
                         .toString(),
                 name);
    }
    QCOMPARE(m_hub
                 ->call("PATCH", QStringLiteral("/crm/v3/objects/companies/123"),
                        QJsonObject{{QStringLiteral("properties"), QJsonObject{}}})
                 .status,
             404);

    QCOMPARE(m_hub->call("DELETE", path).status, 204);
    QCOMPARE(m_hub->call("DELETE", QStringLiteral("/crm/v3/objects/companies/5")).status, 204);
    QCOMPARE(m_hub->service->companyCount(), before);
    QCOMPARE(m_hub->get(path).status, 404);
    r = m_hub->get(path + QStringLiteral("?archived=true"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value(QStringLiteral("archived")).toBool());
    QVERIFY(r.json().contains(QStringLiteral("archivedAt")));
    r = m_hub->get(QStringLiteral("/crm/v3/objects/companies?archived=true&limit=100"));
    const QJsonArray archived = r.json().value(QStringLiteral("results")).toArray();
    QCOMPARE(archived.size(), 1); // archived=true lists only archived records
    QCOMPARE(archived.first()[QStringLiteral("id")].toString(), id);
}

void TestFakeHubSpotObjects::duplicateEmailConflicts()
{
    qint64 i = 0;
    QString email;
    for (; email.isEmpty(); ++i)
        email = m_hub->generator.contact(i).value(QStringLiteral("email"));
    const qint64 existing = 20000000001LL + i - 1;
    HttpResult r =
        m_hub->post(QStringLiteral("/crm/v3/objects/contacts"),
                    QJsonObject{{QStringLiteral("properties"),
                                 QJsonObject{{QStringLiteral("email"), email.toUpper()}}}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json().value(QStringLiteral("category")).toString(), QStringLiteral("CONFLICT"));
    QCOMPARE(r.json().value(QStringLiteral("message")).toString(),
             QStringLiteral("Contact already exists. Existing ID: %1").arg(existing));

    // After the original is archived the address is free again.
    QCOMPARE(
        m_hub->call("DELETE", QStringLiteral("/crm/v3/objects/contacts/%1").arg(existing)).status,
        204);
    r = m_hub->post(
        QStringLiteral("/crm/v3/objects/contacts"),
        QJsonObject{{QStringLiteral("properties"), QJsonObject{{QStringLiteral("email"), email}}}});
    QCOMPARE(r.status, 201);
}

void TestFakeHubSpotObjects::associationsInline()
{
    qint64 many = -1, none = -1;
    for (qint64 i = 50; i < 400 && (many < 0 || none < 0); ++i) {
        const int n = int(m_hub->generator.contactCompanies(i).size());
        if (n >= 2 && many < 0)
            many = i;
        if (n == 0 && none < 0)
            none = i;
    }
    QVERIFY(many >= 0 && none >= 0);
    const QList<qint64> companies = m_hub->generator.contactCompanies(many);
    HttpResult r = m_hub->get(
        QStringLiteral(
            "/crm/v3/objects/contacts/%1?associations=companies&properties=associatedcompanyid")
            .arg(20000000001LL + many));
    QCOMPARE(r.status, 200);
    const QJsonArray links = jv(r)[QStringLiteral("associations")][QStringLiteral("companies")]
                                  [QStringLiteral("results")]
                                      .toArray();
    QCOMPARE(links.size(), companies.size() + 1); // the primary appears twice
    const QString primary = QString::number(10000000001LL + companies.first());
    QCOMPARE(links.at(0)[QStringLiteral("id")].toString(), primary);
    QCOMPARE(links.at(0)[QStringLiteral("type")].toString(), QStringLiteral("contact_to_company"));
    QCOMPARE(links.at(1)[QStringLiteral("id")].toString(), primary);
    QCOMPARE(links.at(1)[QStringLiteral("type")].toString(),
             QStringLiteral("contact_to_company_unlabeled"));
    QCOMPARE(jv(r)[QStringLiteral("properties")][QStringLiteral("associatedcompanyid")].toString(),
             primary);

    r = m_hub->get(QStringLiteral("/crm/v3/objects/contacts/%1?associations=companies")
                       .arg(20000000001LL + none));
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json().contains(QStringLiteral("associations")));

    // And from the company's side.
    r = m_hub->get(
        QStringLiteral("/crm/v3/objects/companies/%1?associations=contacts").arg(primary));
    const QJsonArray back =
        jv(r)[QStringLiteral("associations")][QStringLiteral("contacts")][QStringLiteral("results")]
            .toArray();
    bool found = false;
    for (const QJsonValue &v : back)
        found |= v[QStringLiteral("id")].toString() == QString::number(20000000001LL + many) &&
                 v[QStringLiteral("type")].toString() == QStringLiteral("company_to_contact");
    QVERIFY(found);

    // Creating a contact with an association makes it primary.
    r = m_hub->post(
        QStringLiteral("/crm/v3/objects/contacts"),
        QJsonObject{{QStringLiteral("properties"),
                     QJsonObject{{QStringLiteral("firstname"), QStringLiteral("Zoë")}}},
                    {QStringLiteral("associations"),
                     QJsonArray{QJsonObject{
                         {QStringLiteral("to"), QJsonObject{{QStringLiteral("id"), primary}}},
                         {QStringLiteral("types"),
                          QJsonArray{QJsonObject{{QStringLiteral("associationCategory"),
                                                  QStringLiteral("HUBSPOT_DEFINED")},
                                                 {QStringLiteral("associationTypeId"), 279}}}}}}}});
    QCOMPARE(r.status, 201);
    QCOMPARE(jv(r)[QStringLiteral("properties")][QStringLiteral("associatedcompanyid")].toString(),
             primary);
}

void TestFakeHubSpotObjects::propertyDefinitions()
{
    QSet<QString> pairs;
    for (const QString &type : {QStringLiteral("companies"), QStringLiteral("0-1")}) {
        const HttpResult r = m_hub->get(QStringLiteral("/crm/v3/properties/") + type);
        QCOMPARE(r.status, 200);
        const QJsonArray results = r.json().value(QStringLiteral("results")).toArray();
        QVERIFY(results.size() > 30);
        for (const QJsonValue &v : results) {
            pairs.insert(v[QStringLiteral("type")].toString() + u'/' +
                         v[QStringLiteral("fieldType")].toString());
            QVERIFY(v.toObject().contains(QStringLiteral("options")));
            QVERIFY(v.toObject().contains(QStringLiteral("groupName")));
            if (v[QStringLiteral("name")].toString() == QLatin1String("createdate")) {
                QVERIFY(v[QStringLiteral("modificationMetadata")][QStringLiteral("readOnlyValue")]
                            .toBool());
                QVERIFY(v[QStringLiteral("calculated")].toBool());
            }
            if (v[QStringLiteral("name")].toString() == QLatin1String("name"))
                QVERIFY(!v[QStringLiteral("modificationMetadata")][QStringLiteral("readOnlyValue")]
                             .toBool(true));
        }
    }
    const QStringList expected =
        QStringLiteral(
            "bool/booleancheckbox|bool/calculation_equation|enumeration/booleancheckbox|"
            "enumeration/checkbox|enumeration/radio|enumeration/select|"
            "enumeration/calculation_equation|date/date|datetime/date|string/file|string/text|"
            "string/textarea|string/calculation_equation|string/html|string/phonenumber|"
            "number/number|number/calculation_equation|object_coordinates/text|json/text|"
            "phone_number/phonenumber|number/calculation_rollup|number/calculation_score|"
            "bool/calculation_read_time")
            .split(u'|');
    for (const QString &pair : expected)
        QVERIFY2(pairs.contains(pair), qPrintable(pair));

    const HttpResult r = m_hub->get(QStringLiteral("/crm/properties/2026-03/0-1/lifecyclestage"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("enumeration"));
    QStringList values;
    for (const QJsonValue &o : r.json().value(QStringLiteral("options")).toArray())
        values << o[QStringLiteral("value")].toString();
    QCOMPARE(values, QStringLiteral("subscriber|lead|marketingqualifiedlead|salesqualifiedlead|"
                                    "opportunity|customer|evangelist|other|1234567")
                         .split(u'|'));
    QCOMPARE(m_hub->get(QStringLiteral("/crm/v3/properties/companies/nope")).status, 404);
}

void TestFakeHubSpotObjects::authenticationAndScopes()
{
    HttpResult r = m_hub->call("GET", QStringLiteral("/crm/v3/objects/companies"), {},
                               QStringLiteral("not-a-token"));
    QCOMPARE(r.status, 401);
    QJsonObject body = r.json();
    QCOMPARE(body.value(QStringLiteral("category")).toString(),
             QStringLiteral("INVALID_AUTHENTICATION"));
    QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    QCOMPARE(body.value(QStringLiteral("correlationId")).toString().toLatin1(),
             r.headers.value("x-hubspot-correlation-id"));

    // An OAuth token that has expired.
    HubSpotOAuth &oauth = m_hub->service->oauth();
    oauth.config().autoApprove = true;
    const QString redirect = QStringLiteral("http://localhost:5555/cb");
    QUrlQuery authorize{
        {QStringLiteral("client_id"), oauth.config().clientId},
        {QStringLiteral("redirect_uri"), redirect},
        {QStringLiteral("scope"), QStringLiteral("oauth crm.objects.companies.read")}};
    r = send(m_hub->nam, "GET",
             urlFor(m_hub->port,
                    QStringLiteral("/oauth/authorize?") + authorize.toString(QUrl::FullyEncoded)));
    QCOMPARE(r.status, 302);
    const QString code = QUrlQuery(QUrl::fromEncoded(r.headers.value("location")))
                             .queryItemValue(QStringLiteral("code"));
    QUrlQuery form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                   {QStringLiteral("client_id"), oauth.config().clientId},
                   {QStringLiteral("client_secret"), oauth.config().clientSecret},
                   {QStringLiteral("redirect_uri"), redirect},
                   {QStringLiteral("code"), code}};
    r = send(m_hub->nam, "POST", urlFor(m_hub->port, QStringLiteral("/oauth/v3/token")),
             form.toString(QUrl::FullyEncoded).toLatin1(),
             {{"Content-Type", "application/x-www-form-urlencoded"}});
    QVERIFY2(r.status == 200, r.body.constData());
    const QString access = r.json().value(QStringLiteral("access_token")).toString();
    QCOMPARE(
        m_hub->call("GET", QStringLiteral("/crm/v3/objects/companies?limit=1"), {}, access).status,
        200);
    // The token lacks the write scope.
    r = m_hub->call("POST", QStringLiteral("/crm/v3/objects/companies"),
                    QJsonObject{{QStringLiteral("properties"), QJsonObject{}}}, access);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value(QStringLiteral("category")).toString(),
             QStringLiteral("MISSING_SCOPES"));
    QCOMPARE(jv(r)[QStringLiteral("errors")][0][QStringLiteral("context")]
                  [QStringLiteral("requiredGranularScopes")][0]
                      .toString(),
             QStringLiteral("crm.objects.companies.write"));
    oauth.expireAllAccessTokens();
    r = m_hub->call("GET", QStringLiteral("/crm/v3/objects/companies?limit=1"), {}, access);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json().value(QStringLiteral("category")).toString(),
             QStringLiteral("EXPIRED_AUTHENTICATION"));
    QVERIFY(
        r.json().value(QStringLiteral("message")).toString().contains(QStringLiteral("expired")));

    // A static token scoped to contacts cannot read companies.
    const QString contactsOnly =
        oauth.addStaticToken({QStringLiteral("crm.objects.contacts.read")});
    QCOMPARE(
        m_hub->call("GET", QStringLiteral("/crm/v3/objects/companies"), {}, contactsOnly).status,
        403);
    QCOMPARE(
        m_hub->call("GET", QStringLiteral("/crm/v3/objects/contacts"), {}, contactsOnly).status,
        200);
}

void TestFakeHubSpotObjects::headersAndAccountInfo()
{
    HttpResult r = m_hub->get(QStringLiteral("/account-info/v3/details"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("portalId")).toInteger(), 24681357);
    QVERIFY(!r.headers.value("x-hubspot-correlation-id").isEmpty());
    QCOMPARE(r.headers.value("x-hubspot-ratelimit-max"), QByteArray("1000000"));
    QCOMPARE(r.headers.value("x-hubspot-ratelimit-interval-milliseconds"), QByteArray("10000"));
    QVERIFY(r.headers.contains("x-hubspot-ratelimit-remaining"));
    QVERIFY(r.headers.value("content-type").startsWith("application/json"));

    r = m_hub->post(QStringLiteral("/crm/v3/objects/companies/search"), QJsonObject{});
    QCOMPARE(r.status, 200);
    QVERIFY(!r.headers.value("x-hubspot-correlation-id").isEmpty());
    QVERIFY(!r.headers.contains("x-hubspot-ratelimit-max"));
    QVERIFY(!r.headers.contains("x-hubspot-ratelimit-remaining"));

    const HttpResult stats =
        send(m_hub->nam, "GET", urlFor(m_hub->port, QStringLiteral("/_sandbox/stats")));
    QCOMPARE(stats.status, 200);
    QVERIFY(stats.json()[QStringLiteral("searches")].toInt() >= 1);
    QCOMPARE(stats.json()[QStringLiteral("companies")][QStringLiteral("live")].toInteger(),
             m_hub->service->companyCount());
}

void TestFakeHubSpotObjects::largeDatasetStaysLazy()
{
    // 100 000 companies and 500 000 contacts: records are computed on demand, never stored.
    HubSpotFixture big(GeneratorConfig{42, 100000, 500000});
    QCOMPARE(big.service->companyCount(), 100000);
    QCOMPARE(big.service->contactCount(), 500000);
    HttpResult r =
        big.get(QStringLiteral("/crm/v3/objects/contacts/20000500000?associations=companies"));
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("id")].toString(), QStringLiteral("20000500000"));
    QString email;
    qint64 i = 499999;
    for (; email.isEmpty(); --i)
        email = big.generator.contact(i).value(QStringLiteral("email"));
    r = big.get(QStringLiteral("/crm/v3/objects/contacts/") +
                QString::fromLatin1(QUrl::toPercentEncoding(email)) +
                QStringLiteral("?idProperty=email"));
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("id")].toString(), QString::number(20000000001LL + i + 1));
    // An e-mail lookup through search is answered without scanning half a million records.
    const QJsonObject filter{{QStringLiteral("propertyName"), QStringLiteral("email")},
                             {QStringLiteral("operator"), QStringLiteral("EQ")},
                             {QStringLiteral("value"), email}};
    r = big.post(
        QStringLiteral("/crm/v3/objects/contacts/search"),
        QJsonObject{{QStringLiteral("filterGroups"),
                     QJsonArray{QJsonObject{{QStringLiteral("filters"), QJsonArray{filter}}}}}});
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("total")].toInt(), 1);
    QCOMPARE(big.service->store().overlaySize(), 0); // reads left nothing behind
}

QTEST_GUILESS_MAIN(TestFakeHubSpotObjects)
#include "tst_fakehubspot_objects.moc"
