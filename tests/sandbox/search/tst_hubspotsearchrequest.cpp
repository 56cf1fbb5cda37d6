// Tests HubSpotSearch::parse (defaults, every validation limit, HubSpot's error messages) and
// HubSpotSearch::lessThan (typed sort orders, ties by numeric id, missing values, default order).
#include "SearchFixture.h"

#include <QJsonDocument>
#include <QTest>

#include <algorithm>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s", text);
    return document.object();
}

// n groups of `perGroup` valid filters each.
QJsonObject groups(int n, int perGroup, int lastGroup = -1)
{
    QList<QList<QJsonObject>> list;
    for (int g = 0; g < n; ++g) {
        const int count = g == n - 1 && lastGroup >= 0 ? lastGroup : perGroup;
        list.append(QList<QJsonObject>(count, filterJson(s("name"), s("HAS_PROPERTY"))));
    }
    return groupsBody(list);
}

} // namespace

class TestHubSpotSearchRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void fullBody();
    void limitsAtTheBoundaryAreAccepted();
    void rejected_data();
    void rejected();
    void sortOrder_data();
    void sortOrder();
    void sortIsAStrictWeakOrder();
};

void TestHubSpotSearchRequest::defaults()
{
    const auto request = HubSpotSearch::parse(QJsonObject(), searchTypes());
    QVERIFY2(request.ok(), qPrintable(request.error()));
    QVERIFY(request->groups.isEmpty());
    QVERIFY(request->sortProperty.isEmpty());
    QVERIFY(!request->sortDescending);
    QVERIFY(request->properties.isEmpty());
    QCOMPARE(request->limit, 10);
    QCOMPARE(request->after, qint64(0));
    QVERIFY(request->query.isEmpty());
}

void TestHubSpotSearchRequest::fullBody()
{
    const auto request = HubSpotSearch::parse(json(R"({
        "filterGroups": [
            {"filters": [{"propertyName": "annualrevenue", "operator": "GT", "value": 10},
                         {"propertyName": "is_public", "operator": "EQ", "value": true}]},
            {"filters": [{"propertyName": "lifecyclestage", "operator": "IN",
                          "values": ["lead", "customer"]},
                         {"propertyName": "createdate", "operator": "BETWEEN",
                          "value": "1579514400000", "highValue": "2021-01-01T00:00:00Z"}]}],
        "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}],
        "properties": ["name", "domain", "no_such_property"],
        "limit": 200, "after": "20", "query": "acme"})"),
                                              searchTypes());
    QVERIFY2(request.ok(), qPrintable(request.error()));
    QCOMPARE(request->groups.size(), 2);
    QCOMPARE(request->groups.at(0).size(), 2);
    QCOMPARE(request->groups.at(0).at(0).propertyName, s("annualrevenue"));
    QCOMPARE(request->groups.at(0).at(0).op, s("GT"));
    QCOMPARE(request->groups.at(0).at(0).value, s("10")); // JSON numbers become HubSpot strings
    QCOMPARE(request->groups.at(0).at(1).value, s("true"));
    QCOMPARE(request->groups.at(1).at(0).values, QStringList({s("lead"), s("customer")}));
    QCOMPARE(request->groups.at(1).at(1).highValue, s("2021-01-01T00:00:00Z"));
    QCOMPARE(request->sortProperty, s("createdate"));
    QVERIFY(request->sortDescending);
    // Unknown names in `properties` are left for the caller to omit, as HubSpot does.
    QCOMPARE(request->properties, QStringList({s("name"), s("domain"), s("no_such_property")}));
    QCOMPARE(request->limit, 200);
    QCOMPARE(request->after, qint64(20));
    QCOMPARE(request->query, s("acme"));

    const auto numericAfter =
        HubSpotSearch::parse(json(R"({"after": 40, "limit": "25"})"), searchTypes());
    QVERIFY2(numericAfter.ok(), qPrintable(numericAfter.error()));
    QCOMPARE(numericAfter->after, qint64(40));
    QCOMPARE(numericAfter->limit, 25);

    const auto ascending = HubSpotSearch::parse(
        json(R"({"sorts": [{"propertyName": "name"}], "after": ""})"), searchTypes());
    QVERIFY2(ascending.ok(), qPrintable(ascending.error()));
    QCOMPARE(ascending->sortProperty, s("name"));
    QVERIFY(!ascending->sortDescending);
    QCOMPARE(ascending->after, qint64(0));
}

void TestHubSpotSearchRequest::limitsAtTheBoundaryAreAccepted()
{
    // 3 groups x 6 filters = 18 filters: every limit reached, none exceeded.
    const auto full = HubSpotSearch::parse(groups(3, 6), searchTypes());
    QVERIFY2(full.ok(), qPrintable(full.error()));
    QCOMPARE(full->groups.size(), 3);
    const auto fiveGroups = HubSpotSearch::parse(groups(5, 3, 6), searchTypes());
    QVERIFY2(fiveGroups.ok(), qPrintable(fiveGroups.error()));
    QCOMPARE(fiveGroups->groups.size(), 5);
    const auto longQuery =
        HubSpotSearch::parse(QJsonObject{{s("query"), QString(3000, QLatin1Char('a'))}}, {});
    QVERIFY2(longQuery.ok(), qPrintable(longQuery.error()));
    const auto zero = HubSpotSearch::parse(json(R"({"limit": 0})"), {});
    QVERIFY2(zero.ok(), qPrintable(zero.error()));
    QCOMPARE(zero->limit, 0);
}

void TestHubSpotSearchRequest::rejected_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("message"); // a part of the expected VALIDATION_ERROR message

    QTest::newRow("6 filter groups") << groups(6, 1) << s("Too many filter groups: 6");
    QTest::newRow("7 filters in a group") << groups(2, 1, 7) << s("filter group 2: 7");
    QTest::newRow("19 filters in total") << groups(4, 6, 1) << s("Too many filters: 19");
    QTest::newRow("2 sorts") << json(R"({"sorts": [{"propertyName": "name"},
                                       {"propertyName": "createdate"}]})")
                             << s("Only one sort");
    QTest::newRow("sort as a string")
        << json(R"({"sorts": ["-createdate"]})") << s("a sort must be an object");
    QTest::newRow("sort direction") << json(R"({"sorts": [{"propertyName": "name",
                                                           "direction": "DOWN"}]})")
                                    << s("ASCENDING or DESCENDING");
    QTest::newRow("sort unknown property")
        << json(R"({"sorts": [{"propertyName": "nope"}]})") << s("'nope' does not exist");
    QTest::newRow("limit 201") << json(R"({"limit": 201})") << s("0 to 200; got 201");
    QTest::newRow("limit negative") << json(R"({"limit": -1})") << s("limit must be");
    QTest::newRow("limit fraction") << json(R"({"limit": 1.5})") << s("limit must be");
    QTest::newRow("limit text") << json(R"({"limit": "ten"})") << s("limit must be");
    QTest::newRow("query 3001 chars") << QJsonObject{{s("query"), QString(3001, QLatin1Char('a'))}}
                                      << s("query is too long: 3001");
    QTest::newRow("query not a string") << json(R"({"query": 5})") << s("query must be a string");
    QTest::newRow("bad operator") << groupsBody({{filterJson(s("name"), s("EQUALS"), s("x"))}})
                                  << s("Unknown filter operator 'EQUALS'");
    QTest::newRow("lower-case operator")
        << groupsBody({{filterJson(s("name"), s("eq"), s("x"))}}) << s("Unknown filter operator");
    QTest::newRow("after text") << json(R"({"after": "abc"})") << s("after must be");
    QTest::newRow("after negative") << json(R"({"after": "-1"})") << s("after must be");
    QTest::newRow("after fraction") << json(R"({"after": 1.5})") << s("after must be");
    QTest::newRow("after array") << json(R"({"after": [1]})") << s("after must be");
    QTest::newRow("unknown filter property")
        << groupsBody({{filterJson(s("nope"), s("EQ"), s("x"))}}) << s("Property 'nope' does not");
    QTest::newRow("missing operator")
        << json(R"({"filterGroups": [{"filters": [{"propertyName": "name"}]}]})")
        << s("required attributes are not set [operator]");
    QTest::newRow("missing both") << json(R"({"filterGroups": [{"filters": [{"value": "x"}]}]})")
                                  << s("not set [propertyName, operator]");
    QTest::newRow("number value") << groupsBody({{filterJson(s("annualrevenue"), s("GT"), s("a"))}})
                                  << s("'a' is not a valid value for the number property");
    QTest::newRow("date value") << groupsBody(
                                       {{filterJson(s("createdate"), s("LT"), s("yesterday"))}})
                                << s("not a valid value for the datetime property");
    QTest::newRow("bool value") << groupsBody({{filterJson(s("is_public"), s("EQ"), s("yes"))}})
                                << s("expected true or false");
    QTest::newRow("number in IN") << groupsBody({{filterJson(s("annualrevenue"), s("IN"), {}, {},
                                                             {s("1"), s("x")})}})
                                  << s("'x' is not a valid value");
    QTest::newRow("EQ without value")
        << groupsBody({{filterJson(s("name"), s("EQ"))}}) << s("requires a value");
    QTest::newRow("BETWEEN without highValue")
        << groupsBody({{filterJson(s("annualrevenue"), s("BETWEEN"), s("1"))}})
        << s("both value and highValue");
    QTest::newRow("IN without values")
        << groupsBody({{filterJson(s("name"), s("IN"))}}) << s("non-empty values array");
    QTest::newRow("CONTAINS_TOKEN without value")
        << groupsBody({{filterJson(s("name"), s("CONTAINS_TOKEN"))}}) << s("requires a value");
    QTest::newRow("value is an object")
        << json(R"({"filterGroups": [{"filters": [{"propertyName": "name", "operator": "EQ",
                                                    "value": {"a": 1}}]}]})")
        << s("must be strings");
    QTest::newRow("association LT")
        << groupsBody({{filterJson(s("associations.company"), s("LT"), s("5"))}})
        << s("not supported on associations.company");
    QTest::newRow("association id")
        << groupsBody({{filterJson(s("associations.company"), s("EQ"), s("acme"))}})
        << s("not a record id");
    QTest::newRow("filterGroups not an array")
        << json(R"({"filterGroups": {}})") << s("filterGroups must be an array");
    QTest::newRow("group without filters array")
        << json(R"({"filterGroups": [{"filters": 3}]})") << s("filter group 1 must be");
    QTest::newRow("properties not an array")
        << json(R"({"properties": "name,domain"})") << s("properties must be an array");
}

void TestHubSpotSearchRequest::rejected()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, message);
    const auto request = HubSpotSearch::parse(body, searchTypes());
    QVERIFY(!request.ok());
    QVERIFY2(request.error().contains(message), qPrintable(request.error()));
}

using Records = QList<Props>;
Q_DECLARE_METATYPE(Records)

void TestHubSpotSearchRequest::sortOrder_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<Records>("records"); // hs_object_id + the sort property
    QTest::addColumn<QStringList>("expectedIds");

    const auto records = [](const char *property, QList<QPair<int, const char *>> rows) {
        Records list;
        for (const auto &[id, value] : rows) {
            Props props{{s("hs_object_id"), QString::number(id)}};
            if (value)
                props.insert(s(property), s(value));
            list.append(props);
        }
        return list;
    };
    const auto sortBy = [](const char *property, const char *direction) {
        const QJsonObject sort{{s("propertyName"), s(property)}, {s("direction"), s(direction)}};
        return QJsonObject{{s("sorts"), QJsonArray{sort}}};
    };
    const Records revenue = records(
        "annualrevenue", {{1, "100"}, {2, nullptr}, {3, "9"}, {4, ""}, {5, "10"}, {6, "n/a"}});
    QTest::newRow("number ascending, missing last")
        << sortBy("annualrevenue", "ASCENDING") << revenue
        << QStringList{s("3"), s("5"), s("1"), s("2"), s("4"), s("6")};
    QTest::newRow("number descending, missing still last")
        << sortBy("annualrevenue", "DESCENDING") << revenue
        << QStringList{s("1"), s("5"), s("3"), s("2"), s("4"), s("6")};
    QTest::newRow("ties by numeric id")
        << sortBy("annualrevenue", "DESCENDING")
        << records("annualrevenue", {{100, "5"}, {9, "5"}, {10, "5.0"}, {2, "1"}})
        << QStringList{s("9"), s("10"), s("100"), s("2")};
    QTest::newRow("string ignores case")
        << sortBy("name", "ASCENDING")
        << records("name", {{1, "banana"}, {2, "Apple"}, {3, "cherry"}, {4, nullptr}})
        << QStringList{s("2"), s("1"), s("3"), s("4")};
    QTest::newRow("enumeration is case-sensitive")
        << sortBy("lifecyclestage", "ASCENDING")
        << records("lifecyclestage", {{1, "lead"}, {2, "Lead"}, {3, "customer"}})
        << QStringList{s("2"), s("3"), s("1")};
    QTest::newRow("datetime mixes ISO and millis")
        << sortBy("createdate", "ASCENDING")
        << records("createdate", {{1, "2021-01-01T00:00:00.000Z"},
                                  {2, "1609459199999"},
                                  {3, "2020-02-29T03:30:17.000Z"}})
        << QStringList{s("3"), s("2"), s("1")};
    QTest::newRow("default order: createdate oldest first, then id")
        << QJsonObject()
        << records("createdate", {{30, "2021-01-01T00:00:00.000Z"},
                                  {4, "2021-01-01T00:00:00.000Z"},
                                  {7, "2020-06-01T00:00:00.000Z"},
                                  {1, nullptr}})
        << QStringList{s("7"), s("4"), s("30"), s("1")};
}

void TestHubSpotSearchRequest::sortOrder()
{
    QFETCH(QJsonObject, body);
    QFETCH(Records, records);
    QFETCH(QStringList, expectedIds);
    const PropertyTypes types = searchTypes();
    const auto request = HubSpotSearch::parse(body, types);
    QVERIFY2(request.ok(), qPrintable(request.error()));
    const auto idsOf = [](const QList<const Props *> &list) {
        QStringList ids;
        for (const Props *record : list)
            ids.append(record->value(s("hs_object_id")));
        return ids;
    };
    QList<const Props *> byLessThan;
    for (const Props &record : std::as_const(records))
        byLessThan.append(&record);
    QList<const Props *> bySort = byLessThan;
    std::sort(byLessThan.begin(), byLessThan.end(), [&](const Props *a, const Props *b) {
        return HubSpotSearch::lessThan(request.value(), *a, *b, types);
    });
    QCOMPARE(idsOf(byLessThan), expectedIds);
    HubSpotSearch::sort(request.value(), bySort, types);
    QCOMPARE(idsOf(bySort), expectedIds);
}

void TestHubSpotSearchRequest::sortIsAStrictWeakOrder()
{
    // Irreflexive, asymmetric and transitive over values that are present, missing and unparsable.
    Records records;
    const char *values[] = {"5", "5.0", "", nullptr, "x", "-1", "10", "9"};
    int id = 0;
    for (const char *value : values) {
        for (int copy = 0; copy < 2; ++copy) {
            Props props{{s("hs_object_id"), QString::number(copy == 0 ? ++id : id)}};
            if (value)
                props.insert(s("annualrevenue"), s(value));
            records.append(props);
        }
    }
    const PropertyTypes types = searchTypes();
    for (const bool descending : {false, true}) {
        SearchRequest request;
        request.sortProperty = s("annualrevenue");
        request.sortDescending = descending;
        const auto less = [&](const Props &a, const Props &b) {
            return HubSpotSearch::lessThan(request, a, b, types);
        };
        for (const Props &a : std::as_const(records)) {
            QVERIFY(!less(a, a));
            for (const Props &b : std::as_const(records)) {
                QVERIFY(!(less(a, b) && less(b, a)));
                for (const Props &c : std::as_const(records)) {
                    if (less(a, b) && less(b, c))
                        QVERIFY(less(a, c));
                    const bool abEquivalent = !less(a, b) && !less(b, a);
                    const bool bcEquivalent = !less(b, c) && !less(c, b);
                    if (abEquivalent && bcEquivalent)
                        QVERIFY(!less(a, c) && !less(c, a));
                }
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestHubSpotSearchRequest)
#include "tst_hubspotsearchrequest.moc"
