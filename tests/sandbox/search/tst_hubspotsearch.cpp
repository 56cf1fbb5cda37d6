// Tests HubSpotSearch::matches: every filter operator with typed values, AND/OR groups,
// association pseudo-properties, the `query` text search and instant parsing.
#include "SearchFixture.h"

#include <QTest>

#include <optional>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

Q_DECLARE_METATYPE(std::optional<QString>)
Q_DECLARE_METATYPE(std::optional<qint64>)

class TestHubSpotSearch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eq_data() { eqRows(); }
    void eq() { checkRow(QStringLiteral("EQ")); }
    void neq_data() { neqRows(); }
    void neq() { checkRow(QStringLiteral("NEQ")); }
    void lt_data() { ltRows(); }
    void lt() { checkRow(QStringLiteral("LT")); }
    void lte_data() { lteRows(); }
    void lte() { checkRow(QStringLiteral("LTE")); }
    void gt_data() { gtRows(); }
    void gt() { checkRow(QStringLiteral("GT")); }
    void gte_data() { gteRows(); }
    void gte() { checkRow(QStringLiteral("GTE")); }
    void between_data() { betweenRows(); }
    void between() { checkRow(QStringLiteral("BETWEEN")); }
    void in_data() { inRows(); }
    void in() { checkRow(QStringLiteral("IN")); }
    void notIn_data() { notInRows(); }
    void notIn() { checkRow(QStringLiteral("NOT_IN")); }
    void hasProperty_data() { hasPropertyRows(); }
    void hasProperty() { checkRow(QStringLiteral("HAS_PROPERTY")); }
    void notHasProperty_data() { notHasPropertyRows(); }
    void notHasProperty() { checkRow(QStringLiteral("NOT_HAS_PROPERTY")); }
    void containsToken_data() { containsTokenRows(); }
    void containsToken() { checkRow(QStringLiteral("CONTAINS_TOKEN")); }
    void notContainsToken_data() { notContainsTokenRows(); }
    void notContainsToken() { checkRow(QStringLiteral("NOT_CONTAINS_TOKEN")); }

    void andWithinGroupOrAcrossGroups();
    void emptyRequestMatchesEverything();
    void associations_data();
    void associations();
    void query_data();
    void query();
    void queryAndFiltersCombine();
    void parseInstant_data();
    void parseInstant();

private:
    static void columns()
    {
        QTest::addColumn<QString>("property");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("highValue");
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<std::optional<QString>>("record"); // nullopt = property absent
        QTest::addColumn<bool>("expected");
    }
    static void row(const char *tag, const QString &property, const QString &value,
                    const std::optional<QString> &record, bool expected,
                    const QString &highValue = {})
    {
        QTest::newRow(tag) << property << value << highValue << QStringList() << record << expected;
    }
    static void rowIn(const char *tag, const QString &property, const QStringList &values,
                      const std::optional<QString> &record, bool expected)
    {
        QTest::newRow(tag) << property << QString() << QString() << values << record << expected;
    }
    static QString s(const char *text) { return QString::fromUtf8(text); }
    static QStringList l(std::initializer_list<const char *> texts)
    {
        QStringList list;
        for (const char *text : texts)
            list.append(QString::fromUtf8(text));
        return list;
    }
    static constexpr std::nullopt_t absent = std::nullopt;

    // Parses a one-filter request through HubSpotSearch::parse (so the row is also a valid
    // request) and matches it against a record holding the row's value.
    static void checkRow(const QString &op)
    {
        QFETCH(QString, property);
        QFETCH(QString, value);
        QFETCH(QString, highValue);
        QFETCH(QStringList, values);
        QFETCH(std::optional<QString>, record);
        QFETCH(bool, expected);
        const PropertyTypes types = searchTypes();
        const auto request = HubSpotSearch::parse(
            groupsBody({{filterJson(property, op, value, highValue, values)}}), types);
        QVERIFY2(request.ok(), qPrintable(request.error()));
        Props props{{QStringLiteral("hs_object_id"), QStringLiteral("1")}};
        if (record)
            props.insert(property, *record);
        QCOMPARE(HubSpotSearch::matches(request.value(), props, types, {}), expected);
    }

    static void eqRows()
    {
        columns();
        row("number 10 == 10.0", s("annualrevenue"), s("10.0"), s("10"), true);
        row("number 9 != 10", s("annualrevenue"), s("10"), s("9"), false);
        row("string case-insensitive", s("name"), s("acme corp"), s("ACME Corp"), true);
        row("string whole value only", s("name"), s("acme"), s("Acme Corp"), false);
        row("enumeration case-sensitive", s("lifecyclestage"), s("Customer"), s("customer"), false);
        row("enumeration exact", s("lifecyclestage"), s("customer"), s("customer"), true);
        row("multi-checkbox option", s("hs_interests"), s("golf"), s("tennis;golf"), true);
        row("bool case-insensitive", s("is_public"), s("TRUE"), s("true"), true);
        row("bool differs", s("is_public"), s("false"), s("true"), false);
        row("datetime millis vs ISO", s("createdate"), s("1582947017000"),
            s("2020-02-29T03:30:17.000Z"), true);
        row("datetime ISO vs ISO", s("createdate"), s("2020-02-29T03:30:17Z"),
            s("2020-02-29T03:30:17.000Z"), true);
        row("datetime other offset", s("createdate"), s("2020-02-29T04:30:17+01:00"),
            s("2020-02-29T03:30:17.000Z"), true);
        row("datetime one ms apart", s("createdate"), s("1582947017001"),
            s("2020-02-29T03:30:17.000Z"), false);
        row("date millis midnight", s("closedate"), s("1430438400000"), s("2015-05-01"), true);
        row("date ISO", s("closedate"), s("2015-05-01"), s("2015-05-01"), true);
        row("absent never equal", s("name"), s("acme"), absent, false);
    }
    static void neqRows()
    {
        columns();
        row("number differs", s("annualrevenue"), s("10"), s("9"), true);
        row("number equal numerically", s("annualrevenue"), s("10"), s("10.00"), false);
        row("string equal ignoring case", s("name"), s("ACME"), s("acme"), false);
        row("enumeration case differs", s("lifecyclestage"), s("Customer"), s("customer"), true);
        row("datetime same instant", s("createdate"), s("1582947017000"),
            s("2020-02-29T03:30:17.000Z"), false);
        row("absent matches", s("name"), s("acme"), absent, true);
        row("empty string counts as absent", s("name"), s("acme"), s(""), true);
    }
    static void ltRows()
    {
        columns();
        row("9 < 10 numeric not lexicographic", s("annualrevenue"), s("10"), s("9"), true);
        row("10 < 9 is false", s("annualrevenue"), s("9"), s("10"), false);
        row("equal is not less", s("annualrevenue"), s("10"), s("10"), false);
        row("decimals", s("annualrevenue"), s("10.5"), s("10.25"), true);
        row("datetime ISO record vs millis", s("createdate"), s("1609459200000"),
            s("2020-12-31T23:59:59.999Z"), true);
        row("datetime same instant", s("createdate"), s("2021-01-01T00:00:00Z"),
            s("2021-01-01T00:00:00.000Z"), false);
        row("date ISO", s("closedate"), s("2015-05-02"), s("2015-05-01"), true);
        row("string ignores case", s("name"), s("B"), s("apple"), true);
        row("absent never", s("annualrevenue"), s("10"), absent, false);
        row("unparsable record number", s("annualrevenue"), s("10"), s("n/a"), false);
    }
    static void lteRows()
    {
        columns();
        row("equal", s("annualrevenue"), s("10"), s("10"), true);
        row("less", s("annualrevenue"), s("10"), s("9"), true);
        row("greater", s("annualrevenue"), s("10"), s("11"), false);
        row("datetime equal instant", s("createdate"), s("1582947017000"),
            s("2020-02-29T03:30:17.000Z"), true);
        row("absent never", s("annualrevenue"), s("10"), absent, false);
    }
    static void gtRows()
    {
        columns();
        row("10 > 9 numeric", s("annualrevenue"), s("9"), s("10"), true);
        row("equal is not greater", s("annualrevenue"), s("9"), s("9"), false);
        row("bool true > false", s("is_public"), s("false"), s("True"), true);
        row("datetime later", s("createdate"), s("2020-02-29T03:30:16Z"),
            s("2020-02-29T03:30:17.000Z"), true);
        row("string ignores case", s("name"), s("apple"), s("Banana"), true);
        row("absent never", s("annualrevenue"), s("9"), absent, false);
    }
    static void gteRows()
    {
        columns();
        row("equal", s("annualrevenue"), s("10"), s("10"), true);
        row("less", s("annualrevenue"), s("10"), s("9"), false);
        row("date millis", s("closedate"), s("1430438400000"), s("2015-05-01"), true);
        row("absent never", s("annualrevenue"), s("10"), absent, false);
    }
    static void betweenRows()
    {
        columns();
        row("inclusive low", s("annualrevenue"), s("9"), s("9"), true, s("10"));
        row("inclusive high", s("annualrevenue"), s("9"), s("10"), true, s("10"));
        row("inside", s("annualrevenue"), s("9"), s("9.5"), true, s("10"));
        row("below", s("annualrevenue"), s("9"), s("8.99"), false, s("10"));
        row("above numeric", s("annualrevenue"), s("9"), s("100"), false, s("10"));
        row("datetime millis range, ISO record", s("createdate"), s("1579514400000"),
            s("2020-02-29T03:30:17.000Z"), true, s("1609459200000"));
        row("datetime outside", s("createdate"), s("1579514400000"), s("2021-01-01T00:00:00.001Z"),
            false, s("1609459200000"));
        row("low above high matches nothing", s("annualrevenue"), s("10"), s("9.5"), false, s("9"));
        row("absent never", s("annualrevenue"), s("9"), absent, false, s("10"));
    }
    static void inRows()
    {
        columns();
        rowIn("number", s("annualrevenue"), l({"5", "10"}), s("10.0"), true);
        rowIn("number not listed", s("annualrevenue"), l({"5", "10"}), s("11"), false);
        rowIn("lower-case value matches any case", s("name"), l({"other", "acme"}), s("ACME"),
              true);
        rowIn("upper-case value never matches a string", s("name"), l({"ACME"}), s("ACME"), false);
        rowIn("enumeration listed", s("lifecyclestage"), l({"customer", "lead"}), s("lead"), true);
        rowIn("enumeration case-sensitive", s("lifecyclestage"), l({"Lead"}), s("lead"), false);
        rowIn("enumeration upper-case allowed", s("lifecyclestage"), l({"Lead"}), s("Lead"), true);
        rowIn("multi-checkbox any option", s("hs_interests"), l({"chess", "golf"}),
              s("golf;tennis"), true);
        rowIn("bool", s("is_public"), l({"true"}), s("TRUE"), true);
        rowIn("absent never", s("name"), l({"acme"}), absent, false);
    }
    static void notInRows()
    {
        columns();
        rowIn("not listed", s("name"), l({"a", "b"}), s("c"), true);
        rowIn("listed, any case", s("name"), l({"a", "b"}), s("A"), false);
        rowIn("upper-case value excludes nothing", s("name"), l({"ACME"}), s("acme"), true);
        rowIn("number listed", s("annualrevenue"), l({"10"}), s("10.0"), false);
        rowIn("enumeration case-sensitive", s("lifecyclestage"), l({"Lead"}), s("lead"), true);
        rowIn("absent matches", s("name"), l({"a"}), absent, true);
    }
    static void hasPropertyRows()
    {
        columns();
        row("present", s("name"), {}, s("Acme"), true);
        row("present zero", s("annualrevenue"), {}, s("0"), true);
        row("absent", s("name"), {}, absent, false);
        row("empty string", s("name"), {}, s(""), false);
    }
    static void notHasPropertyRows()
    {
        columns();
        row("present", s("name"), {}, s("Acme"), false);
        row("absent", s("name"), {}, absent, true);
        row("empty string", s("name"), {}, s(""), true);
    }
    static void containsTokenRows()
    {
        columns();
        row("wildcard e-mail domain", s("email"), s("*@hubspot.com"), s("jo@HubSpot.com"), true);
        row("wildcard other domain", s("email"), s("*@hubspot.com"), s("jo@hubspot.co.uk"), false);
        row("word token", s("name"), s("corp"), s("Acme Corp"), true);
        row("partial word is not a token", s("name"), s("cor"), s("Acme Corp"), false);
        row("trailing wildcard", s("name"), s("cor*"), s("Acme Corp"), true);
        row("every word must match", s("name"), s("acme corp"), s("Acme Widgets Corp"), true);
        row("one word missing", s("name"), s("acme inc"), s("Acme Widgets Corp"), false);
        row("word inside e-mail", s("email"), s("hubspot"), s("jo@hubspot.com"), true);
        row("enumeration case-sensitive", s("hs_interests"), s("Golf"), s("golf;tennis"), false);
        row("enumeration option", s("hs_interests"), s("golf"), s("golf;tennis"), true);
        row("absent never", s("name"), s("acme"), absent, false);
    }
    static void notContainsTokenRows()
    {
        columns();
        row("other domain", s("email"), s("*@hubspot.com"), s("jo@gmail.com"), true);
        row("same domain", s("email"), s("*@hubspot.com"), s("jo@hubspot.com"), false);
        row("absent matches", s("email"), s("*@hubspot.com"), absent, true);
    }
};

void TestHubSpotSearch::andWithinGroupOrAcrossGroups()
{
    const PropertyTypes types = searchTypes();
    // (name has token "acme" AND annualrevenue > 100) OR lifecyclestage = customer
    const auto request = HubSpotSearch::parse(
        groupsBody({{filterJson(s("name"), s("CONTAINS_TOKEN"), s("acme")),
                     filterJson(s("annualrevenue"), s("GT"), s("100"))},
                    {filterJson(s("lifecyclestage"), s("EQ"), s("customer"))}}),
        types);
    QVERIFY2(request.ok(), qPrintable(request.error()));
    const auto record = [](const char *name, const char *revenue, const char *stage) {
        return Props{{s("name"), s(name)},
                     {s("annualrevenue"), s(revenue)},
                     {s("lifecyclestage"), s(stage)}};
    };
    const auto matches = [&](const Props &props) {
        return HubSpotSearch::matches(request.value(), props, types, {});
    };
    QVERIFY(matches(record("Acme Ltd", "200", "lead")));      // first group, both filters
    QVERIFY(!matches(record("Acme Ltd", "50", "lead")));      // first group fails its AND
    QVERIFY(!matches(record("Other Ltd", "200", "lead")));    // first group fails its AND
    QVERIFY(matches(record("Other Ltd", "50", "customer")));  // second group
    QVERIFY(matches(record("Acme Ltd", "500", "customer")));  // both groups
    QVERIFY(!matches(record("Other Ltd", "50", "Customer"))); // enumeration is case-sensitive
}

void TestHubSpotSearch::emptyRequestMatchesEverything()
{
    const auto request = HubSpotSearch::parse(QJsonObject(), searchTypes());
    QVERIFY2(request.ok(), qPrintable(request.error()));
    QVERIFY(HubSpotSearch::matches(request.value(), Props(), searchTypes(), {s("name")}));
    QVERIFY(HubSpotSearch::matches(request.value(), Props{{s("name"), s("x")}}, searchTypes(), {}));
}

void TestHubSpotSearch::associations_data()
{
    QTest::addColumn<QJsonObject>("filter");
    QTest::addColumn<std::optional<QString>>("record");
    QTest::addColumn<bool>("expected");
    const QString company = s("associations.company");
    const auto o = [](const char *text) { return std::optional<QString>(s(text)); };
    QTest::newRow("EQ one of several")
        << filterJson(company, s("EQ"), s("101")) << o("205;101") << true;
    QTest::newRow("EQ only") << filterJson(company, s("EQ"), s("101")) << o("101") << true;
    QTest::newRow("EQ other id") << filterJson(company, s("EQ"), s("102")) << o("205;101") << false;
    QTest::newRow("EQ id prefix is not a match")
        << filterJson(company, s("EQ"), s("10")) << o("101") << false;
    QTest::newRow("EQ no associations")
        << filterJson(company, s("EQ"), s("101")) << std::optional<QString>() << false;
    QTest::newRow("NEQ no associations")
        << filterJson(company, s("NEQ"), s("101")) << std::optional<QString>() << true;
    QTest::newRow("NEQ associated")
        << filterJson(company, s("NEQ"), s("101")) << o("101;7") << false;
    QTest::newRow("IN") << filterJson(company, s("IN"), {}, {}, l({"7", "8"})) << o("101;8")
                        << true;
    QTest::newRow("NOT_IN") << filterJson(company, s("NOT_IN"), {}, {}, l({"7", "8"})) << o("101")
                            << true;
    QTest::newRow("HAS_PROPERTY") << filterJson(company, s("HAS_PROPERTY")) << o("101") << true;
    QTest::newRow("NOT_HAS_PROPERTY")
        << filterJson(company, s("NOT_HAS_PROPERTY")) << o("") << true;
    QTest::newRow("contact side") << filterJson(s("associations.contact"), s("EQ"), s("55"))
                                  << o("55") << true;
}

void TestHubSpotSearch::associations()
{
    QFETCH(QJsonObject, filter);
    QFETCH(std::optional<QString>, record);
    QFETCH(bool, expected);
    const auto request = HubSpotSearch::parse(groupsBody({{filter}}), searchTypes());
    QVERIFY2(request.ok(), qPrintable(request.error()));
    Props props{{s("hs_object_id"), s("1")}};
    if (record)
        props.insert(filter.value(s("propertyName")).toString(), *record);
    QCOMPARE(HubSpotSearch::matches(request.value(), props, searchTypes(), {}), expected);
}

void TestHubSpotSearch::query_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("queryFields");
    QTest::addColumn<bool>("expected");
    const QStringList fields = l({"name", "domain", "email"});
    QTest::newRow("word, other case") << s("acme") << fields << true;
    QTest::newRow("second word") << s("WIDGETS") << fields << true;
    QTest::newRow("word prefix") << s("wid") << fields << true;
    QTest::newRow("inside a word") << s("idgets") << fields << false;
    QTest::newRow("e-mail domain after @") << s("example.com") << fields << true;
    QTest::newRow("whole e-mail") << s("Jo@Example.com") << fields << true;
    QTest::newRow("words across fields") << s("acme example") << fields << true;
    QTest::newRow("every word needed") << s("acme gadgets") << fields << false;
    QTest::newRow("field not searched") << s("springfield") << fields << false;
    QTest::newRow("field searched when listed") << s("springfield") << l({"city"}) << true;
    QTest::newRow("blank query") << s("   ") << fields << true;
    QTest::newRow("no query fields") << s("acme") << QStringList() << false;
}

void TestHubSpotSearch::query()
{
    QFETCH(QString, query);
    QFETCH(QStringList, queryFields);
    QFETCH(bool, expected);
    const auto request = HubSpotSearch::parse(QJsonObject{{s("query"), query}}, searchTypes());
    QVERIFY2(request.ok(), qPrintable(request.error()));
    const Props record{{s("name"), s("ACME Widgets")},
                       {s("domain"), s("acme.example")},
                       {s("email"), s("jo@example.com")},
                       {s("city"), s("Springfield")}};
    QCOMPARE(HubSpotSearch::matches(request.value(), record, searchTypes(), queryFields), expected);
}

void TestHubSpotSearch::queryAndFiltersCombine()
{
    QJsonObject body = groupsBody({{filterJson(s("annualrevenue"), s("GTE"), s("100"))}});
    body.insert(s("query"), s("acme"));
    const auto request = HubSpotSearch::parse(body, searchTypes());
    QVERIFY2(request.ok(), qPrintable(request.error()));
    const QStringList fields{s("name")};
    const auto matches = [&](const char *name, const char *revenue) {
        return HubSpotSearch::matches(request.value(),
                                      Props{{s("name"), s(name)}, {s("annualrevenue"), s(revenue)}},
                                      searchTypes(), fields);
    };
    QVERIFY(matches("Acme", "100"));
    QVERIFY(!matches("Acme", "99"));
    QVERIFY(!matches("Other", "100"));
}

void TestHubSpotSearch::parseInstant_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<qint64>>("expected");
    const std::optional<qint64> invalid;
    const std::optional<qint64> instant = 1582947017000;
    QTest::newRow("date") << s("2020-02-29") << std::optional<qint64>(1582934400000);
    QTest::newRow("datetime Z ms") << s("2020-02-29T03:30:17.000Z") << instant;
    QTest::newRow("datetime Z") << s("2020-02-29T03:30:17Z") << instant;
    QTest::newRow("datetime no offset is UTC") << s("2020-02-29T03:30:17") << instant;
    QTest::newRow("offset +01:00") << s("2020-02-29T04:30:17+01:00") << instant;
    QTest::newRow("offset -0230") << s("2020-02-29T01:00:17-0230") << instant;
    QTest::newRow("fraction") << s("2020-02-29T03:30:17.25Z")
                              << std::optional<qint64>(*instant + 250);
    QTest::newRow("minutes only") << s("2020-02-29T03:30Z") << std::optional<qint64>(1582947000000);
    QTest::newRow("millis") << s("1582947017000") << instant;
    QTest::newRow("before 1970") << s("1969-12-31") << std::optional<qint64>(-86400000);
    QTest::newRow("no such day") << s("2019-02-29") << invalid;
    QTest::newRow("month 13") << s("2020-13-01") << invalid;
    QTest::newRow("hour 25") << s("2020-02-29T25:00Z") << invalid;
    QTest::newRow("junk after date") << s("2020-02-29Tjunk") << invalid;
    QTest::newRow("trailing junk") << s("2020-02-29T03:30:17Zx") << invalid;
    QTest::newRow("word") << s("yesterday") << invalid;
    QTest::newRow("empty") << s("") << invalid;
}

void TestHubSpotSearch::parseInstant()
{
    QFETCH(QString, text);
    QFETCH(std::optional<qint64>, expected);
    QCOMPARE(HubSpotSearch::parseInstantMs(text), expected);
}

QTEST_GUILESS_MAIN(TestHubSpotSearch)
#include "tst_hubspotsearch.moc"
