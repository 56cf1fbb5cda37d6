// Tests the fake HubSpot's batch endpoints, v4 association reads, the search endpoint and the
// rate limits (rolling window, search per second, daily budget) over loopback HTTP.
#include "HubSpotFixture.h"

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

namespace {

QJsonObject props(std::initializer_list<QPair<QString, QJsonValue>> values)
{
    QJsonObject o;
    for (const auto &v : values)
        o.insert(v.first, v.second);
    return o;
}

QString contactId(qint64 index)
{
    return QString::number(20000000001LL + index);
}

} // namespace

class TestFakeHubSpotBatch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void batchReadReportsMissingIds();
    void batchCreatePartialFailureByTraceId();
    void batchCreateFailsWholeWithoutTraceIds();
    void batchUpdateAndArchive();
    void batchLimitIs100();
    void upsertByEmail();
    void associationsBatchRead();
    void searchEndpoint();
    void searchCapAndLimits();
    void searchPagesUpToTheCap();
    void tenSecondlyRollingWindow();
    void searchSecondlyLimit();
    void dailyBudget();
    void injectedFaultsHaveHubSpotShapes();

private:
    std::unique_ptr<HubSpotFixture> m_hub;
};

void TestFakeHubSpotBatch::init()
{
    HubSpotConfig config;
    config.burstMax = 1000000;
    config.searchPerSecond = 1000000;
    m_hub = std::make_unique<HubSpotFixture>(GeneratorConfig{11, 200, 600}, config);
    QVERIFY(m_hub->port != 0);
}

void TestFakeHubSpotBatch::batchReadReportsMissingIds()
{
    HttpResult r = m_hub->post(
        QStringLiteral("/crm/v3/objects/contacts/batch/read"),
        QJsonObject{{QStringLiteral("inputs"),
                     idInputs({contactId(1), QStringLiteral("42"), contactId(2)})},
                    {QStringLiteral("properties"), QJsonArray{QStringLiteral("email")}}});
    QCOMPARE(r.status, 207);
    QCOMPARE(jv(r)[QStringLiteral("results")].toArray().size(), 2);
    QCOMPARE(jv(r)[QStringLiteral("numErrors")].toInt(), 1);
    QCOMPARE(jv(r)[QStringLiteral("status")].toString(), QStringLiteral("COMPLETE"));
    const QJsonValue e = jv(r)[QStringLiteral("errors")][0];
    QCOMPARE(e[QStringLiteral("category")].toString(), QStringLiteral("OBJECT_NOT_FOUND"));
    QCOMPARE(e[QStringLiteral("context")][QStringLiteral("ids")][0].toString(),
             QStringLiteral("42"));

    r = m_hub->post(QStringLiteral("/crm/objects/2026-03/contacts/batch/read"),
                    QJsonObject{{QStringLiteral("inputs"), idInputs({contactId(1)})}});
    QCOMPARE(r.status, 200);
    QVERIFY(!jv(r).toObject().contains(QStringLiteral("errors")));
}

void TestFakeHubSpotBatch::batchCreatePartialFailureByTraceId()
{
    QString taken;
    for (qint64 i = 0; taken.isEmpty(); ++i)
        taken = m_hub->generator.contact(i).value(QStringLiteral("email"));
    const qint64 before = m_hub->service->contactCount();
    QJsonArray inputs{
        QJsonObject{{QStringLiteral("objectWriteTraceId"), QStringLiteral("ok-1")},
                    {QStringLiteral("properties"),
                     props({{QStringLiteral("email"), QStringLiteral("new1@sandbox.invalid")},
                            {QStringLiteral("lifecyclestage"), QStringLiteral("1234567")}})}},
        QJsonObject{{QStringLiteral("objectWriteTraceId"), QStringLiteral("bad-option")},
                    {QStringLiteral("properties"),
                     props({{QStringLiteral("hs_lead_status"), QStringLiteral("new")}})}},
        QJsonObject{{QStringLiteral("objectWriteTraceId"), QStringLiteral("taken")},
                    {QStringLiteral("properties"), props({{QStringLiteral("email"), taken}})}}};
    const HttpResult r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/batch/create"),
                                     QJsonObject{{QStringLiteral("inputs"), inputs}});
    QCOMPARE(r.status, 207);
    QCOMPARE(jv(r)[QStringLiteral("numErrors")].toInt(), 2);
    QCOMPARE(jv(r)[QStringLiteral("results")].toArray().size(), 1);
    QCOMPARE(jv(r)[QStringLiteral("results")][0][QStringLiteral("properties")]
                  [QStringLiteral("lifecyclestage")]
                      .toString(),
             QStringLiteral("1234567"));
    QHash<QString, QString> categoryByTrace;
    for (const QJsonValue &e : jv(r)[QStringLiteral("errors")].toArray())
        categoryByTrace.insert(
            e[QStringLiteral("context")][QStringLiteral("objectWriteTraceId")][0].toString(),
            e[QStringLiteral("category")].toString());
    QCOMPARE(categoryByTrace.value(QStringLiteral("bad-option")),
             QStringLiteral("VALIDATION_ERROR"));
    QCOMPARE(categoryByTrace.value(QStringLiteral("taken")), QStringLiteral("CONFLICT"));
    QCOMPARE(m_hub->service->contactCount(), before + 1);
}

void TestFakeHubSpotBatch::batchCreateFailsWholeWithoutTraceIds()
{
    const qint64 before = m_hub->service->companyCount();
    QJsonArray inputs{
        QJsonObject{{QStringLiteral("properties"),
                     props({{QStringLiteral("name"), QStringLiteral("Fine Ltd")}})}},
        QJsonObject{{QStringLiteral("properties"),
                     props({{QStringLiteral("numberofemployees"), QStringLiteral("many")}})}}};
    const HttpResult r = m_hub->post(QStringLiteral("/crm/v3/objects/companies/batch/create"),
                                     QJsonObject{{QStringLiteral("inputs"), inputs}});
    QCOMPARE(r.status, 400);
    QCOMPARE(jv(r)[QStringLiteral("category")].toString(), QStringLiteral("VALIDATION_ERROR"));
    QCOMPARE(m_hub->service->companyCount(), before); // nothing was created

    inputs.removeLast();
    const HttpResult ok = m_hub->post(QStringLiteral("/crm/v3/objects/companies/batch/create"),
                                      QJsonObject{{QStringLiteral("inputs"), inputs}});
    QCOMPARE(ok.status, 201);
    QCOMPARE(m_hub->service->companyCount(), before + 1);
}

void TestFakeHubSpotBatch::batchUpdateAndArchive()
{
    QJsonArray inputs{QJsonObject{{QStringLiteral("id"), QStringLiteral("10000000003")},
                                  {QStringLiteral("properties"),
                                   props({{QStringLiteral("city"), QStringLiteral("Zürich")}})}},
                      QJsonObject{{QStringLiteral("id"), QStringLiteral("10000000004")},
                                  {QStringLiteral("properties"),
                                   props({{QStringLiteral("type"), QStringLiteral("NOPE")}})}},
                      QJsonObject{{QStringLiteral("id"), QStringLiteral("77")},
                                  {QStringLiteral("properties"),
                                   props({{QStringLiteral("city"), QStringLiteral("x")}})}}};
    HttpResult r = m_hub->post(QStringLiteral("/crm/v3/objects/companies/batch/update"),
                               QJsonObject{{QStringLiteral("inputs"), inputs}});
    QCOMPARE(r.status, 207);
    QCOMPARE(
        jv(r)[QStringLiteral("results")][0][QStringLiteral("properties")][QStringLiteral("city")]
            .toString(),
        QStringLiteral("Zürich"));
    QSet<QString> failed;
    for (const QJsonValue &e : jv(r)[QStringLiteral("errors")].toArray())
        failed.insert(e[QStringLiteral("context")][QStringLiteral("ids")][0].toString());
    QCOMPARE(failed, (QSet<QString>{QStringLiteral("10000000004"), QStringLiteral("77")}));

    r = m_hub->post(QStringLiteral("/crm/v3/objects/companies/batch/archive"),
                    QJsonObject{{QStringLiteral("inputs"),
                                 idInputs({QStringLiteral("10000000003"), QStringLiteral("5")})}});
    QCOMPARE(r.status, 204);
    QVERIFY(r.body.isEmpty());
    QCOMPARE(m_hub->get(QStringLiteral("/crm/v3/objects/companies/10000000003")).status, 404);
    QCOMPARE(m_hub->service->companyCount(), 199);
}

void TestFakeHubSpotBatch::batchLimitIs100()
{
    QStringList ids;
    for (int i = 0; i < 101; ++i)
        ids << contactId(i);
    for (const QString &op :
         {QStringLiteral("read"), QStringLiteral("create"), QStringLiteral("update"),
          QStringLiteral("upsert"), QStringLiteral("archive")}) {
        const HttpResult r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/batch/") + op,
                                         QJsonObject{{QStringLiteral("inputs"), idInputs(ids)}});
        QCOMPARE(r.status, 400);
        QCOMPARE(jv(r)[QStringLiteral("category")].toString(), QStringLiteral("VALIDATION_ERROR"));
    }
    QCOMPARE(m_hub->service->contactCount(), 600);
    ids.removeLast();
    QCOMPARE(m_hub
                 ->post(QStringLiteral("/crm/v3/objects/contacts/batch/read"),
                        QJsonObject{{QStringLiteral("inputs"), idInputs(ids)}})
                 .status,
             200);
}

void TestFakeHubSpotBatch::upsertByEmail()
{
    qint64 i = 0;
    QString existing;
    for (; existing.isEmpty(); ++i)
        existing = m_hub->generator.contact(i).value(QStringLiteral("email"));
    QJsonArray inputs{
        QJsonObject{{QStringLiteral("id"), existing.toUpper()},
                    {QStringLiteral("idProperty"), QStringLiteral("email")},
                    {QStringLiteral("properties"),
                     props({{QStringLiteral("jobtitle"), QStringLiteral("CFO")}})}},
        QJsonObject{{QStringLiteral("id"), QStringLiteral("fresh@sandbox.invalid")},
                    {QStringLiteral("idProperty"), QStringLiteral("email")},
                    {QStringLiteral("properties"),
                     props({{QStringLiteral("firstname"), QStringLiteral("Fresh")}})}}};
    const HttpResult r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/batch/upsert"),
                                     QJsonObject{{QStringLiteral("inputs"), inputs}});
    QCOMPARE(r.status, 200);
    const QJsonArray results = jv(r)[QStringLiteral("results")].toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(0)[QStringLiteral("id")].toString(), contactId(i - 1));
    QCOMPARE(results.at(0)[QStringLiteral("new")].toBool(true), false);
    QCOMPARE(results.at(0)[QStringLiteral("properties")][QStringLiteral("jobtitle")].toString(),
             QStringLiteral("CFO"));
    QCOMPARE(results.at(1)[QStringLiteral("new")].toBool(), true);
    QCOMPARE(results.at(1)[QStringLiteral("properties")][QStringLiteral("email")].toString(),
             QStringLiteral("fresh@sandbox.invalid"));
    // The created contact is found by e-mail afterwards.
    QCOMPARE(
        m_hub
            ->get(QStringLiteral("/crm/v3/objects/contacts/FRESH@sandbox.invalid?idProperty=email"))
            .status,
        200);
}

void TestFakeHubSpotBatch::associationsBatchRead()
{
    qint64 withCompanies = -1, without = -1;
    for (qint64 i = 0; i < 600 && (withCompanies < 0 || without < 0); ++i) {
        const auto n = m_hub->generator.contactCompanies(i).size();
        if (n >= 2 && withCompanies < 0)
            withCompanies = i;
        if (n == 0 && without < 0)
            without = i;
    }
    const QList<qint64> companies = m_hub->generator.contactCompanies(withCompanies);
    for (const QString &path :
         {QStringLiteral("/crm/v4/associations/contacts/companies/batch/read"),
          QStringLiteral("/crm/associations/2026-03/0-1/0-2/batch/read")}) {
        const HttpResult r = m_hub->post(
            path, QJsonObject{{QStringLiteral("inputs"),
                               idInputs({contactId(withCompanies), contactId(without)})}});
        QCOMPARE(r.status, 207);
        const QJsonValue result = jv(r)[QStringLiteral("results")][0];
        QCOMPARE(result[QStringLiteral("from")][QStringLiteral("id")].toString(),
                 contactId(withCompanies));
        const QJsonArray to = result[QStringLiteral("to")].toArray();
        QCOMPARE(to.size(), companies.size());
        QCOMPARE(to.at(0)[QStringLiteral("toObjectId")].toInteger(),
                 10000000001LL + companies.first());
        const QJsonArray primaryTypes = to.at(0)[QStringLiteral("associationTypes")].toArray();
        QCOMPARE(primaryTypes.size(), 2);
        QCOMPARE(primaryTypes.at(0)[QStringLiteral("typeId")].toInt(), 1);
        QCOMPARE(primaryTypes.at(1)[QStringLiteral("typeId")].toInt(), 279);
        QVERIFY(primaryTypes.at(1)[QStringLiteral("label")].isNull());
        QCOMPARE(to.at(1)[QStringLiteral("associationTypes")].toArray().size(), 1);
        QCOMPARE(jv(r)[QStringLiteral("errors")][0][QStringLiteral("subCategory")].toString(),
                 QStringLiteral("crm.associations.NO_ASSOCIATIONS_FOUND"));
    }
    // The reverse direction lists the contact under its primary company with type 2.
    const HttpResult back =
        m_hub->post(QStringLiteral("/crm/v4/associations/companies/contacts/batch/read"),
                    QJsonObject{{QStringLiteral("inputs"),
                                 idInputs({QString::number(10000000001LL + companies.first())})}});
    bool found = false;
    for (const QJsonValue &t :
         jv(back)[QStringLiteral("results")][0][QStringLiteral("to")].toArray())
        found |= t[QStringLiteral("toObjectId")].toInteger() == 20000000001LL + withCompanies &&
                 t[QStringLiteral("associationTypes")][0][QStringLiteral("typeId")].toInt() == 2;
    QVERIFY(found);
}

void TestFakeHubSpotBatch::searchEndpoint()
{
    qint64 i = 0;
    QString email;
    for (; email.isEmpty(); ++i)
        email = m_hub->generator.contact(i).value(QStringLiteral("email"));
    const auto eq = [](const QString &name, const QString &value) {
        return QJsonObject{
            {QStringLiteral("filterGroups"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("filters"),
                  QJsonArray{QJsonObject{{QStringLiteral("propertyName"), name},
                                         {QStringLiteral("operator"), QStringLiteral("EQ")},
                                         {QStringLiteral("value"), value}}}}}}}};
    };
    HttpResult r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/search"),
                               eq(QStringLiteral("email"), email.toUpper()));
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("total")].toInt(), 1);
    QCOMPARE(jv(r)[QStringLiteral("results")][0][QStringLiteral("id")].toString(),
             contactId(i - 1));
    QVERIFY(
        !jv(r)[QStringLiteral("results")][0].toObject().contains(QStringLiteral("associations")));

    int customers = 0;
    for (qint64 c = 0; c < 200; ++c)
        customers += m_hub->generator.company(c).value(QStringLiteral("lifecyclestage")) ==
                     QLatin1String("customer");
    QJsonObject body = eq(QStringLiteral("lifecyclestage"), QStringLiteral("customer"));
    body.insert(QStringLiteral("limit"), 3);
    body.insert(
        QStringLiteral("sorts"),
        QJsonArray{QJsonObject{{QStringLiteral("propertyName"), QStringLiteral("hs_object_id")},
                               {QStringLiteral("direction"), QStringLiteral("DESCENDING")}}});
    r = m_hub->post(QStringLiteral("/crm/objects/2026-03/companies/search"), body);
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("total")].toInt(), customers);
    const QJsonArray page = jv(r)[QStringLiteral("results")].toArray();
    QCOMPARE(page.size(), 3);
    QVERIFY(page.at(0)[QStringLiteral("id")].toString().toLongLong() >
            page.at(1)[QStringLiteral("id")].toString().toLongLong());
    QCOMPARE(
        jv(r)[QStringLiteral("paging")][QStringLiteral("next")][QStringLiteral("after")].toString(),
        QStringLiteral("3"));

    // Contacts of one company through the association pseudo-property.
    const QList<qint64> companies = m_hub->generator.contactCompanies(i - 1);
    if (!companies.isEmpty()) {
        r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/search"),
                        eq(QStringLiteral("associations.company"),
                           QString::number(10000000001LL + companies.first())));
        QCOMPARE(r.status, 200);
        QVERIFY(jv(r)[QStringLiteral("total")].toInt() >= 1);
    }
}

void TestFakeHubSpotBatch::searchCapAndLimits()
{
    HttpResult r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/search"),
                               QJsonObject{{QStringLiteral("after"), QStringLiteral("10000")}});
    QCOMPARE(r.status, 400);
    QCOMPARE(jv(r)[QStringLiteral("category")].toString(), QStringLiteral("VALIDATION_ERROR"));
    r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/search"),
                    QJsonObject{{QStringLiteral("limit"), 201}});
    QCOMPARE(r.status, 400);
    r = m_hub->post(QStringLiteral("/crm/v3/objects/contacts/search"),
                    QJsonObject{{QStringLiteral("limit"), 200},
                                {QStringLiteral("after"), QStringLiteral("400")}});
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("results")].toArray().size(), 200);
    QVERIFY(!jv(r).toObject().contains(QStringLiteral("paging"))); // 600 contacts: last page
}

void TestFakeHubSpotBatch::searchPagesUpToTheCap()
{
    HubSpotConfig config;
    config.searchPerSecond = 1000000;
    HubSpotFixture hub(GeneratorConfig{9, 10, 12000}, config);
    HttpResult r = hub.post(QStringLiteral("/crm/v3/objects/contacts/search"),
                            QJsonObject{{QStringLiteral("limit"), 200},
                                        {QStringLiteral("after"), QStringLiteral("9800")}});
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("total")].toInt(), 12000);
    QCOMPARE(jv(r)[QStringLiteral("results")].toArray().size(), 200);
    QCOMPARE(jv(r)[QStringLiteral("results")][0][QStringLiteral("id")].toString(), contactId(9800));
    const QString next =
        jv(r)[QStringLiteral("paging")][QStringLiteral("next")][QStringLiteral("after")].toString();
    QCOMPARE(next, QStringLiteral("10000"));
    // Following the cursor past 10 000 results is what HubSpot refuses.
    r = hub.post(QStringLiteral("/crm/v3/objects/contacts/search"),
                 QJsonObject{{QStringLiteral("limit"), 200}, {QStringLiteral("after"), next}});
    QCOMPARE(r.status, 400);
    QVERIFY(jv(r)[QStringLiteral("message")].toString().contains(QStringLiteral("10000")));

    // The documented work-around: restart with a lower bound on hs_object_id.
    const QJsonObject gt{{QStringLiteral("propertyName"), QStringLiteral("hs_object_id")},
                         {QStringLiteral("operator"), QStringLiteral("GT")},
                         {QStringLiteral("value"), contactId(9999)}};
    r = hub.post(
        QStringLiteral("/crm/v3/objects/contacts/search"),
        QJsonObject{{QStringLiteral("limit"), 5},
                    {QStringLiteral("filterGroups"),
                     QJsonArray{QJsonObject{{QStringLiteral("filters"), QJsonArray{gt}}}}}});
    QCOMPARE(r.status, 200);
    QCOMPARE(jv(r)[QStringLiteral("total")].toInt(), 2000);
    QCOMPARE(jv(r)[QStringLiteral("results")][0][QStringLiteral("id")].toString(),
             contactId(10000));
}

void TestFakeHubSpotBatch::tenSecondlyRollingWindow()
{
    HubSpotConfig config;
    config.burstMax = 20;
    HubSpotFixture hub(GeneratorConfig{3, 5, 5}, config);
    hub.clock.setScale(0.001); // a 10 s window outlasts the test, whatever the machine's speed
    for (int n = 0; n < 20; ++n) {
        const HttpResult r = hub.get(QStringLiteral("/crm/v3/objects/companies?limit=1"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-hubspot-ratelimit-remaining").toInt(), 19 - n);
        QCOMPARE(r.headers.value("x-hubspot-ratelimit-max"), QByteArray("20"));
    }
    HttpResult r = hub.get(QStringLiteral("/crm/v3/objects/companies?limit=1"));
    QCOMPARE(r.status, 429);
    QCOMPARE(jv(r)[QStringLiteral("policyName")].toString(),
             QStringLiteral("TEN_SECONDLY_ROLLING"));
    QCOMPARE(jv(r)[QStringLiteral("errorType")].toString(), QStringLiteral("RATE_LIMIT"));
    QCOMPARE(jv(r)[QStringLiteral("status")].toString(), QStringLiteral("error"));
    QCOMPARE(jv(r)[QStringLiteral("correlationId")].toString().toLatin1(),
             r.headers.value("x-hubspot-correlation-id"));
    QCOMPARE(r.headers.value("x-hubspot-ratelimit-remaining"), QByteArray("0"));
    // The interval is given in real milliseconds, so a client pacing itself by it waits as long as
    // the scaled 10-second window really lasts (10 000 000 ms at scale 0.001).
    QCOMPARE(r.headers.value("x-hubspot-ratelimit-interval-milliseconds"),
             QByteArray::number(hub.clock.toRealMs(10000)));
    QCOMPARE(hub.clock.toRealMs(10000), 10000000);
    // Search has its own limit and is not counted in the window.
    QCOMPARE(hub.post(QStringLiteral("/crm/v3/objects/companies/search"), QJsonObject{}).status,
             200);
    // Once the window has passed on the sandbox clock, calls go through again.
    hub.clock.setScale(100000.0);
    QTRY_COMPARE_WITH_TIMEOUT(hub.get(QStringLiteral("/crm/v3/objects/companies?limit=1")).status,
                              200, 10000);
}

void TestFakeHubSpotBatch::searchSecondlyLimit()
{
    HubSpotConfig config;
    config.searchPerSecond = 5;
    HubSpotFixture hub(GeneratorConfig{3, 5, 5}, config);
    hub.clock.setScale(0.0001);
    for (int n = 0; n < 5; ++n)
        QCOMPARE(hub.post(QStringLiteral("/crm/v3/objects/contacts/search"), QJsonObject{}).status,
                 200);
    const HttpResult r = hub.post(QStringLiteral("/crm/v3/objects/contacts/search"), QJsonObject{});
    QCOMPARE(r.status, 429);
    QCOMPARE(jv(r)[QStringLiteral("message")].toString(),
             QStringLiteral("You have reached your secondly limit."));
    QCOMPARE(jv(r)[QStringLiteral("errorType")].toString(), QStringLiteral("RATE_LIMIT"));
    QVERIFY(!r.headers.contains("x-hubspot-ratelimit-max"));
    QVERIFY(!r.headers.contains("x-hubspot-ratelimit-remaining"));
    // Other calls are unaffected.
    QCOMPARE(hub.get(QStringLiteral("/crm/v3/objects/contacts?limit=1")).status, 200);
}

void TestFakeHubSpotBatch::dailyBudget()
{
    HubSpotConfig config;
    config.dailyLimit = 3;
    HubSpotFixture hub(GeneratorConfig{3, 5, 5}, config);
    for (int n = 0; n < 3; ++n) {
        const HttpResult r = hub.get(QStringLiteral("/crm/v3/objects/contacts?limit=1"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-hubspot-ratelimit-daily"), QByteArray("3"));
        QCOMPARE(r.headers.value("x-hubspot-ratelimit-daily-remaining").toInt(), 2 - n);
    }
    const HttpResult r = hub.post(QStringLiteral("/crm/v3/objects/contacts/search"), QJsonObject{});
    QCOMPARE(r.status, 429);
    QCOMPARE(jv(r)[QStringLiteral("policyName")].toString(), QStringLiteral("DAILY"));
    QCOMPARE(jv(r)[QStringLiteral("message")].toString(),
             QStringLiteral("You have reached your daily limit."));
}

void TestFakeHubSpotBatch::injectedFaultsHaveHubSpotShapes()
{
    m_hub->service->faults().injectNext(Fault::RateLimited);
    HttpResult r = m_hub->get(QStringLiteral("/crm/v3/objects/companies"));
    QCOMPARE(r.status, 429);
    QCOMPARE(jv(r)[QStringLiteral("policyName")].toString(),
             QStringLiteral("TEN_SECONDLY_ROLLING"));
    QVERIFY(r.headers.contains("retry-after"));
    QVERIFY(r.headers.contains("x-hubspot-ratelimit-max"));

    m_hub->service->faults().injectNext(Fault::RateLimitedNoRetry);
    r = m_hub->post(QStringLiteral("/crm/v3/objects/companies/search"), QJsonObject{});
    QCOMPARE(r.status, 429);
    QCOMPARE(jv(r)[QStringLiteral("message")].toString(),
             QStringLiteral("You have reached your secondly limit."));
    QVERIFY(!r.headers.contains("retry-after"));

    m_hub->service->faults().injectNext(Fault::ServerError);
    r = m_hub->get(QStringLiteral("/crm/v3/objects/companies"));
    QVERIFY(r.status >= 500);
    QCOMPARE(jv(r)[QStringLiteral("status")].toString(), QStringLiteral("error"));
    QCOMPARE(jv(r)[QStringLiteral("correlationId")].toString().toLatin1(),
             r.headers.value("x-hubspot-correlation-id"));
}

QTEST_GUILESS_MAIN(TestFakeHubSpotBatch)
#include "tst_fakehubspot_batch.moc"
