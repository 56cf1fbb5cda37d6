// Tests for value conversion across each kind of mapping, both directions, and "unchanged".
#include "ValueConvert.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace halospot;
using namespace halospot::core;

namespace {

PropertyDef prop(const char *name, const char *type, const char *fieldType,
                 const QList<PropertyOption> &options = {})
{
    PropertyDef p;
    p.name = QLatin1String(name);
    p.label = QString::fromLatin1(name).toUpper();
    p.type = QLatin1String(type);
    p.fieldType = QLatin1String(fieldType);
    p.options = options;
    return p;
}

HaloFieldDef field(const char *name, HaloFieldType type, int inputType = 0,
                   const QList<HaloOption> &options = {})
{
    HaloFieldDef f;
    f.id = 200;
    f.name = QLatin1String(name);
    f.type = type;
    f.inputType = inputType;
    f.options = options;
    return f;
}

const QList<PropertyOption> &industryOptions()
{
    static const QList<PropertyOption> o = {
        {QStringLiteral("Computer software"), QStringLiteral("COMPUTER_SOFTWARE"), false},
        {QStringLiteral("Information technology and services"),
         QStringLiteral("INFORMATION_TECHNOLOGY_AND_SERVICES"), false},
        {QStringLiteral("Hospital health care"), QStringLiteral("HOSPITAL_HEALTH_CARE"), false},
        {QStringLiteral("Retail"), QStringLiteral("RETAIL"), false},
        {QStringLiteral("Banks"), QStringLiteral("BANKING"), false}};
    return o;
}

const QList<HaloOption> &haloIndustries()
{
    static const QList<HaloOption> o = {{1, QStringLiteral("Computer Software")},
                                        {2, QStringLiteral("Information Technology and Services")},
                                        {3, QStringLiteral("Retail")},
                                        {4, QStringLiteral("Banking")},
                                        {5, QStringLiteral("Hospital & Health Care")}};
    return o;
}

// Every rule the tests use, built through canMap so that only accepted pairs are converted.
MappingRule rule(const QString &which)
{
    using T = HaloFieldType;
    namespace I = HaloTextInput;
    PropertyDef p;
    HaloFieldDef f;
    if (which == QLatin1String("text")) {
        p = prop("name", "string", "text");
        f = field("CFname", T::Text);
    } else if (which == QLatin1String("textUrl")) {
        p = prop("website", "string", "text");
        f = field("CFlinkedin", T::Text, I::Url);
    } else if (which == QLatin1String("textAlnum")) {
        p = prop("code", "string", "text");
        f = field("CFaccountcode", T::Text, I::Alphanumeric);
    } else if (which == QLatin1String("textLimit")) {
        p = prop("zip", "string", "text");
        f = field("CFzip", T::Text);
        f.characterLimit = 10;
    } else if (which == QLatin1String("memo")) {
        p = prop("description", "string", "textarea");
        f = field("CFdescription", T::Memo);
    } else if (which == QLatin1String("integer")) {
        p = prop("numberofemployees", "number", "number");
        f = field("CFnumberofemployees", T::Text, I::Integer);
    } else if (which == QLatin1String("decimal")) {
        p = prop("score", "number", "number");
        f = field("CFsatisfaction", T::Text, I::Decimal);
    } else if (which == QLatin1String("money")) {
        p = prop("annualrevenue", "number", "number");
        f = field("CFannualrevenue", T::Text, I::Money);
    } else if (which == QLatin1String("date")) {
        p = prop("contract_start_date", "date", "date");
        f = field("CFcontractstart", T::Date, HaloDateInput::DateOnly);
    } else if (which == QLatin1String("datetime")) {
        p = prop("next_review_at", "datetime", "date");
        f = field("CFlastcontacted", T::Date, HaloDateInput::DateTime);
    } else if (which == QLatin1String("checkbox")) {
        p = prop("is_public", "bool", "booleancheckbox",
                 {{QStringLiteral("Yes"), QStringLiteral("true"), false},
                  {QStringLiteral("No"), QStringLiteral("false"), false}});
        f = field("CFisvip", T::Checkbox);
    } else if (which == QLatin1String("enumCheckbox")) {
        p = prop("key_account", "enumeration", "booleancheckbox",
                 {{QStringLiteral("True"), QStringLiteral("True"), false},
                  {QStringLiteral("False"), QStringLiteral("False"), false}});
        f = field("CFisvip", T::Checkbox);
    } else if (which == QLatin1String("single")) {
        p = prop("industry", "enumeration", "select", industryOptions());
        f = field("CFindustry", T::SingleSelect, 0, haloIndustries());
    } else if (which == QLatin1String("multi")) {
        p = prop("industries", "enumeration", "checkbox", industryOptions());
        f = field("CFindustries", T::MultiSelect, 0, haloIndustries());
    } else {
        qFatal("unknown rule");
    }
    const Result<MappingRule> r = canMap(p, f);
    if (!r.ok())
        qFatal("%s", qPrintable(r.error()));
    return r.value();
}

// A JSON value as compact text, wrapped in an array so that scalars can be written too.
QByteArray text(const QJsonValue &v)
{
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
}

QJsonValue value(const QByteArray &wrapped)
{
    QJsonParseError e{};
    const QJsonDocument d = QJsonDocument::fromJson(wrapped, &e);
    if (e.error != QJsonParseError::NoError || d.array().size() != 1)
        qFatal("bad test JSON %s", wrapped.constData());
    return d.array().at(0);
}

} // namespace

class TestValueConvert final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toHalo_data();
    void toHalo();
    void toHubSpot_data();
    void toHubSpot();
    void sameHalo_data();
    void sameHalo();
    void sameHubSpot_data();
    void sameHubSpot();
    void roundTrip_data();
    void roundTrip();
    void reasonNamesValuePropertyAndField();
    void handBuiltRuleAndRepeatedOptionNames();
    void haloNoDateSentinels();
};

void TestValueConvert::toHalo_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected"); // compact [value], or empty when it fails
    QTest::addColumn<QString>("why");         // part of the failure sentence
    const auto ok = [](const char *name, const char *r, const QString &in, const char *out) {
        QTest::newRow(name) << QString::fromLatin1(r) << in << QByteArray(out) << QString();
    };
    const auto bad = [](const char *name, const char *r, const QString &in, const char *why) {
        QTest::newRow(name) << QString::fromLatin1(r) << in << QByteArray()
                            << QString::fromUtf8(why);
    };
    const auto s = [](const char *v) { return QString::fromUtf8(v); };

    ok("text", "text", s("Hello"), R"(["Hello"])");
    ok("text trimmed", "text", s("  Hello "), R"(["Hello"])");
    ok("text unicode", "text", s("Café Ünïcødé"), "[\"Café Ünïcødé\"]");
    ok("text empty clears", "text", QString(), R"([""])");
    ok("text blank clears", "text", s("   "), R"([""])");
    ok("memo keeps lines", "memo", s("line 1\nline 2 "), R"(["line 1\nline 2 "])");
    ok("url", "textUrl", s("https://www.linkedin.com/company/acme"),
       R"(["https://www.linkedin.com/company/acme"])");
    ok("url without scheme", "textUrl", s("acme.com"), R"(["acme.com"])");
    bad("url with space", "textUrl", s("acme dot com"), "'acme dot com' is not a URL.");
    bad("url without dot", "textUrl", s("localhost"), "'localhost' is not a URL.");
    ok("alphanumeric", "textAlnum", s("ABC 123"), R"(["ABC 123"])");
    bad("alphanumeric dash", "textAlnum", s("AB-123"), "other than letters, digits and spaces");
    ok("at limit", "textLimit", s("1234567890"), R"(["1234567890"])");
    bad("over limit", "textLimit", s("12345678901"), "11 characters long");

    ok("integer", "integer", s("250"), R"(["250"])");
    ok("integer signs and zeros", "integer", s("+0042"), R"(["42"])");
    ok("integer negative", "integer", s("-7"), R"(["-7"])");
    ok("integer minus zero", "integer", s("-0"), R"(["0"])");
    ok("integer whole decimal", "integer", s("3.0"), R"(["3"])");
    ok("integer big", "integer", s("12345678901234567890"), R"(["12345678901234567890"])");
    ok("integer empty clears", "integer", QString(), R"([""])");
    bad("integer fraction", "integer", s("3.5"), "'3.5' is not a whole number");
    bad("integer text", "integer", s("many"), "'many' is not a number.");
    bad("integer exponent", "integer", s("1e3"), "'1e3' is not a number.");
    bad("integer two points", "integer", s("1.2.3"), "'1.2.3' is not a number.");
    bad("integer lone point", "integer", s("."), "'.' is not a number.");
    ok("decimal", "decimal", s("012.50"), R"(["12.5"])");
    ok("decimal leading point", "decimal", s(".5"), R"(["0.5"])");
    ok("decimal exact", "decimal", s("12345678901234567890.123"),
       R"(["12345678901234567890.123"])");
    bad("decimal comma", "decimal", s("1,5"), "'1,5' is not a number.");
    ok("money", "money", s("1999.99"), R"(["1999.99"])");
    bad("money currency sign", "money", s("$10"), "'$10' is not a number.");

    ok("date", "date", s("2024-02-29"), R"(["2024-02-29"])");
    ok("date from millis", "date", s("1430438400000"), R"(["2015-05-01"])");
    ok("date from iso midnight", "date", s("2024-02-29T00:00:00.000Z"), R"(["2024-02-29"])");
    ok("date empty clears", "date", QString(), "[null]");
    bad("date invalid day", "date", s("2023-02-29"), "'2023-02-29' is not a date");
    bad("date not midnight millis", "date", s("1430438400001"), "not a date at midnight UTC");
    bad("date not midnight iso", "date", s("2024-02-29T10:00:00Z"), "not a date at midnight UTC");
    bad("date other format", "date", s("29/02/2024"), "'29/02/2024' is not a date");
    ok("datetime", "datetime", s("2020-02-29T03:30:17.000Z"), R"(["2020-02-29T03:30:17"])");
    ok("datetime drops millis", "datetime", s("2020-02-29T03:30:17.999Z"),
       R"(["2020-02-29T03:30:17"])");
    ok("datetime from millis", "datetime", s("1582947017000"), R"(["2020-02-29T03:30:17"])");
    ok("datetime offset to utc", "datetime", s("2020-02-29T05:30:17+02:00"),
       R"(["2020-02-29T03:30:17"])");
    ok("datetime across midnight", "datetime", s("2020-03-01T01:00:00+02:00"),
       R"(["2020-02-29T23:00:00"])");
    ok("datetime no zone is utc", "datetime", s("2020-02-29T03:30:17"),
       R"(["2020-02-29T03:30:17"])");
    // Valid in UTC, though not on a Berlin or New York wall clock; ctest runs are zone-independent.
    ok("datetime in a dst gap", "datetime", s("2024-03-31T02:30:00"), R"(["2024-03-31T02:30:00"])");
    ok("datetime us dst gap", "datetime", s("2024-03-10T02:30:00.500"),
       R"(["2024-03-10T02:30:00"])");
    ok("datetime space separator", "datetime", s("2020-02-29 03:30"), R"(["2020-02-29T03:30:00"])");
    ok("datetime date only", "datetime", s("2020-02-29"), R"(["2020-02-29T00:00:00"])");
    ok("datetime empty clears", "datetime", QString(), "[null]");
    bad("datetime words", "datetime", s("yesterday"), "'yesterday' is not a date");
    bad("datetime bad hour", "datetime", s("2020-02-29T25:00:00Z"), "is not a date");

    ok("bool true", "checkbox", s("true"), "[true]");
    ok("bool false", "checkbox", s("false"), "[false]");
    ok("bool True", "checkbox", s("True"), "[true]");
    ok("bool FALSE", "checkbox", s("FALSE"), "[false]");
    ok("enum bool False", "enumCheckbox", s("False"), "[false]");
    ok("bool empty clears", "checkbox", QString(), "[null]");
    bad("bool yes", "checkbox", s("yes"), "'yes' is neither true nor false.");
    bad("bool 1", "checkbox", s("1"), "'1' is neither true nor false.");

    ok("single by label", "single", s("COMPUTER_SOFTWARE"), "[1]");
    ok("single by long label", "single", s("INFORMATION_TECHNOLOGY_AND_SERVICES"), "[2]");
    ok("single by value when label differs", "single", s("BANKING"), "[4]");
    ok("single unknown hubspot value by itself", "single", s("retail"), "[3]");
    ok("single empty clears", "single", QString(), "[null]");
    bad("single missing in halo", "single", s("HOSPITAL_HEALTH_CARE"),
        "'HOSPITAL_HEALTH_CARE' (label 'Hospital health care') matches no option");
    bad("single lists options", "single", s("NOPE"), "its options are 'Computer Software'");

    ok("multi", "multi", s("COMPUTER_SOFTWARE;RETAIL"), R"([[{"id":1},{"id":3}]])");
    ok("multi keeps hubspot order", "multi", s("RETAIL;COMPUTER_SOFTWARE"),
       R"([[{"id":3},{"id":1}]])");
    ok("multi repeats and blanks", "multi", s("RETAIL;; COMPUTER_SOFTWARE ;RETAIL"),
       R"([[{"id":3},{"id":1}]])");
    ok("multi leading separator", "multi", s(";RETAIL"), R"([[{"id":3}]])");
    ok("multi single value", "multi", s("BANKING"), R"([[{"id":4}]])");
    ok("multi empty clears", "multi", QString(), "[null]");
    ok("multi only separators clears", "multi", s(";;"), "[null]");
    bad("multi one missing", "multi", s("RETAIL;NOPE"), "'NOPE' matches no option");
}

void TestValueConvert::toHalo()
{
    QFETCH(QString, rule);
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    QFETCH(QString, why);
    const MappingRule r = ::rule(rule);
    const Result<QJsonValue> out = toHaloValue(r, input);
    if (expected.isEmpty()) {
        QVERIFY2(!out.ok(), text(out.ok() ? out.value() : QJsonValue()).constData());
        QVERIFY2(out.error().contains(why), qPrintable(out.error()));
    } else {
        QVERIFY2(out.ok(), qPrintable(out.error()));
        QCOMPARE(text(out.value()), expected);
    }
}

void TestValueConvert::toHubSpot_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QByteArray>("halo"); // compact [value]
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("expected"); // the value, or part of the failure sentence
    const auto row = [](const char *name, const char *r, const char *halo, bool ok,
                        const char *expected) {
        QTest::newRow(name) << QString::fromLatin1(r) << QByteArray(halo) << ok
                            << QString::fromUtf8(expected);
    };
    row("text", "text", R"(["Hello"])", true, "Hello");
    row("text number", "text", "[42]", true, "42");
    row("text null clears", "text", "[null]", true, "");
    row("text list refused", "text", "[[1,2]]", false, "a list or an object");
    row("memo", "memo", R"(["a\nb"])", true, "a\nb");
    row("integer string", "integer", R"(["42"])", true, "42");
    row("integer number", "integer", "[42]", true, "42");
    row("integer zeros", "integer", R"(["007"])", true, "7");
    row("integer junk", "integer", R"(["4x"])", false, "'4x' is not a number.");
    row("decimal number", "decimal", "[12.5]", true, "12.5");
    row("money string", "money", R"(["1999.90"])", true, "1999.9");
    row("date", "date", R"(["2024-02-29T00:00:00"])", true, "2024-02-29");
    row("date plain", "date", R"(["2024-02-29"])", true, "2024-02-29");
    row("date halo no-date", "date", R"(["1900-01-01T00:00:00"])", true, "");
    row("date null", "date", "[null]", true, "");
    row("date junk", "date", R"(["soon"])", false, "'soon' is not a date.");
    row("datetime", "datetime", R"(["2020-02-29T03:30:17"])", true, "2020-02-29T03:30:17.000Z");
    row("datetime with zone", "datetime", R"(["2020-02-29T05:30:17+02:00"])", true,
        "2020-02-29T03:30:17.000Z");
    row("bool true", "checkbox", "[true]", true, "true");
    row("bool false", "checkbox", "[false]", true, "false");
    row("bool string 1", "checkbox", R"(["1"])", true, "true");
    row("bool number 0", "checkbox", "[0]", true, "false");
    row("bool null clears", "checkbox", "[null]", true, "");
    row("bool junk", "checkbox", R"(["maybe"])", false, "'maybe' is neither true nor false.");
    row("enum bool uses own spelling", "enumCheckbox", "[true]", true, "True");
    row("enum bool false", "enumCheckbox", "[false]", true, "False");
    row("single id", "single", "[1]", true, "COMPUTER_SOFTWARE");
    row("single id string", "single", R"(["4"])", true, "BANKING");
    row("single object", "single", R"([{"id":3,"name":"Retail"}])", true, "RETAIL");
    row("single by name", "single", R"(["Retail"])", true, "RETAIL");
    row("single zero is none", "single", "[0]", true, "");
    row("single null", "single", "[null]", true, "");
    row("single no hubspot option", "single", "[5]", false,
        "'Hospital & Health Care' matches no option of the HubSpot property.");
    row("single unknown id", "single", "[99]", false, "option id 99 is not an option");
    row("single unknown name", "single", R"(["Nope"])", false, "'Nope' is not an option");
    row("single two ids", "single", "[[1,3]]", false, "Halo holds 2 options where HubSpot");
    row("multi objects", "multi", R"([[{"id":1,"name":"Computer Software"},{"id":3}]])", true,
        "COMPUTER_SOFTWARE;RETAIL");
    row("multi ids keep order", "multi", "[[3,1]]", true, "RETAIL;COMPUTER_SOFTWARE");
    row("multi comma string", "multi", R"(["1,3"])", true, "COMPUTER_SOFTWARE;RETAIL");
    row("multi empty", "multi", "[[]]", true, "");
    row("multi null", "multi", "[null]", true, "");
    row("multi one unmapped", "multi", "[[1,5]]", false, "'Hospital & Health Care' matches no");
}

void TestValueConvert::toHubSpot()
{
    QFETCH(QString, rule);
    QFETCH(QByteArray, halo);
    QFETCH(bool, ok);
    QFETCH(QString, expected);
    const MappingRule r = ::rule(rule);
    const Result<QString> out = toHubSpotValue(r, value(halo));
    QCOMPARE(out.ok(), ok);
    if (ok) {
        QCOMPARE(out.value(), expected);
    } else {
        QVERIFY2(out.error().contains(expected), qPrintable(out.error()));
        QVERIFY2(out.error().startsWith(QStringLiteral("Halo field '%1'").arg(r.field.name)),
                 qPrintable(out.error()));
        QVERIFY(out.error().contains(r.property.name));
    }
}

void TestValueConvert::sameHalo_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("same");
    const auto row = [](const char *name, const char *r, const char *a, const char *b, bool same) {
        QTest::newRow(name) << QString::fromLatin1(r) << QByteArray(a) << QByteArray(b) << same;
    };
    row("text equal", "text", R"(["x"])", R"(["x"])", true);
    row("text halo trims", "text", R"(["x"])", R"([" x "])", true);
    row("text differs", "text", R"(["x"])", R"(["X"])", false);
    row("text empty vs null", "text", R"([""])", "[null]", true);
    row("memo line endings", "memo", R"(["a\r\nb"])", R"(["a\nb"])", true);
    row("memo spaces matter", "memo", R"(["a "])", R"(["a"])", false);
    row("integer 3 vs \"3\"", "integer", "[3]", R"(["3"])", true);
    row("integer 3.0 vs 3", "integer", R"(["3.0"])", "[3]", true);
    row("integer differs", "integer", R"(["3"])", R"(["4"])", false);
    row("integer empty vs null", "integer", R"([""])", "[null]", true);
    row("decimal trailing zero", "decimal", R"(["12.50"])", "[12.5]", true);
    row("decimal 0.1 number vs text", "decimal", "[0.1]", R"(["0.1"])", true);
    row("decimal differs", "decimal", R"(["12.5"])", R"(["12.05"])", false);
    row("date stored vs written", "date", R"(["2024-01-02T00:00:00"])", R"(["2024-01-02"])", true);
    row("date differs", "date", R"(["2024-01-02"])", R"(["2024-01-03"])", false);
    row("date no-date vs null", "date", R"(["1900-01-01T00:00:00"])", "[null]", true);
    row("date set vs null", "date", R"(["2024-01-02"])", "[null]", false);
    row("datetime zone forms", "datetime", R"(["2020-02-29T03:30:17"])",
        R"(["2020-02-29T05:30:17+02:00"])", true);
    row("datetime Z", "datetime", R"(["2020-02-29T03:30:17"])", R"(["2020-02-29T03:30:17.000Z"])",
        true);
    row("datetime one second", "datetime", R"(["2020-02-29T03:30:17"])",
        R"(["2020-02-29T03:30:18"])", false);
    row("bool vs string", "checkbox", "[true]", R"(["true"])", true);
    row("bool vs number", "checkbox", "[true]", "[1]", true);
    row("bool differs", "checkbox", "[true]", "[false]", false);
    row("bool false vs unset", "checkbox", "[false]", "[null]", false);
    row("single id vs object", "single", "[1]", R"([{"id":1,"name":"Computer Software"}])", true);
    row("single id vs string", "single", "[1]", R"(["1"])", true);
    row("single id vs name", "single", "[3]", R"(["retail"])", true);
    row("single differs", "single", "[1]", "[3]", false);
    row("single zero vs null", "single", "[0]", "[null]", true);
    row("multi order and shape", "multi", R"([[{"id":1},{"id":3}]])",
        R"([[{"id":3,"name":"Retail"},{"id":1,"name":"Computer Software"}]])", true);
    row("multi subset", "multi", "[[1]]", "[[1,3]]", false);
    row("multi empty vs null", "multi", "[[]]", "[null]", true);
}

void TestValueConvert::sameHalo()
{
    QFETCH(QString, rule);
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, same);
    const MappingRule r = ::rule(rule);
    QCOMPARE(sameHaloValue(r, value(a), value(b)), same);
    QCOMPARE(sameHaloValue(r, value(b), value(a)), same);
}

void TestValueConvert::sameHubSpot_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    const auto row = [](const char *name, const char *r, const char *a, const char *b, bool same) {
        QTest::newRow(name) << QString::fromLatin1(r) << QString::fromUtf8(a)
                            << QString::fromUtf8(b) << same;
    };
    row("text case matters", "text", "a", "A", false);
    row("text equal", "text", "a", "a", true);
    row("number forms", "decimal", "3.50", "3.5", true);
    row("number differs", "integer", "3", "4", false);
    row("date vs millis", "date", "2024-02-29", "1709164800000", true);
    row("datetime vs millis", "datetime", "2020-02-29T03:30:17.000Z", "1582947017000", true);
    row("datetime millis ignored", "datetime", "2020-02-29T03:30:17.123Z",
        "2020-02-29T03:30:17.000Z", true);
    row("datetime differs", "datetime", "2020-02-29T03:30:17.000Z", "2020-02-29T03:30:18.000Z",
        false);
    row("bool case", "checkbox", "True", "true", true);
    row("bool differs", "checkbox", "true", "false", false);
    row("multi order", "multi", "RETAIL;BANKING", "BANKING;RETAIL", true);
    row("multi repeats", "multi", "RETAIL;RETAIL;", "RETAIL", true);
    row("multi differs", "multi", "RETAIL", "RETAIL;BANKING", false);
    row("single", "single", "RETAIL", "RETAIL", true);
    row("empty vs blank", "single", "", "  ", true);
}

void TestValueConvert::sameHubSpot()
{
    QFETCH(QString, rule);
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(sameHubSpotValue(::rule(rule), a, b), same);
}

void TestValueConvert::roundTrip_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("hubspot");
    QTest::addColumn<QByteArray>("haloReadBack"); // how the sandbox reads the written value back
    const auto row = [](const char *r, const char *hs, const char *back) {
        QTest::newRow(r) << QString::fromLatin1(r) << QString::fromUtf8(hs) << QByteArray(back);
    };
    row("text", "Acme GmbH", R"(["Acme GmbH"])");
    row("memo", "two\nlines", R"(["two\nlines"])");
    row("integer", "250", R"(["250"])");
    row("decimal", "4.75", R"(["4.75"])");
    row("date", "2024-02-29", R"(["2024-02-29T00:00:00"])");
    row("datetime", "2020-02-29T03:30:17.000Z", R"(["2020-02-29T03:30:17"])");
    row("checkbox", "true", "[true]");
    row("enumCheckbox", "False", "[false]");
    row("single", "RETAIL", "[3]");
    row("multi", "RETAIL;COMPUTER_SOFTWARE",
        R"([[{"id":1,"name":"Computer Software"},{"id":3,"name":"Retail"}]])");
}

void TestValueConvert::roundTrip()
{
    // An import writes; the next run reads Halo back and must find it unchanged; a sync back of
    // the unchanged value must find HubSpot unchanged too (no echo writes).
    QFETCH(QString, rule);
    QFETCH(QString, hubspot);
    QFETCH(QByteArray, haloReadBack);
    const MappingRule r = ::rule(rule);
    const Result<QJsonValue> written = toHaloValue(r, hubspot);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QVERIFY(sameHaloValue(r, value(haloReadBack), written.value()));
    const Result<QString> back = toHubSpotValue(r, value(haloReadBack));
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY2(sameHubSpotValue(r, hubspot, back.value()), qPrintable(back.value()));
}

void TestValueConvert::reasonNamesValuePropertyAndField()
{
    const MappingRule r = rule(QStringLiteral("integer"));
    const Result<QJsonValue> out = toHaloValue(r, QStringLiteral("3.5"));
    QVERIFY(!out.ok());
    QCOMPARE(out.error(),
             QStringLiteral("HubSpot property 'NUMBEROFEMPLOYEES' (numberofemployees) -> Halo "
                            "field 'CFnumberofemployees': '3.5' is not a whole number, and the "
                            "field holds integers only."));
}

void TestValueConvert::handBuiltRuleAndRepeatedOptionNames()
{
    // A rule assembled without canMap has no option index; conversion still matches options.
    MappingRule r;
    r.kind = ValueKind::SingleSelect;
    r.property = prop("industry", "enumeration", "select", industryOptions());
    r.field = field("CFindustry", HaloFieldType::SingleSelect, 0, haloIndustries());
    QVERIFY(r.options.isEmpty());
    QCOMPARE(text(toHaloValue(r, QStringLiteral("RETAIL")).value()), QByteArray("[3]"));
    QCOMPARE(toHubSpotValue(r, QJsonValue(1)).value(), QStringLiteral("COMPUTER_SOFTWARE"));
    QVERIFY(sameHaloValue(r, QJsonValue(3), QJsonValue(QStringLiteral("Retail"))));

    // Two Halo options with the same label: the first one is chosen, every time.
    QList<HaloOption> twice = haloIndustries();
    twice.append({9, QStringLiteral("retail")});
    const MappingRule dup =
        canMap(r.property, field("CFindustry", HaloFieldType::SingleSelect, 0, twice)).value();
    QVERIFY(!dup.options.isEmpty());
    QCOMPARE(text(toHaloValue(dup, QStringLiteral("RETAIL")).value()), QByteArray("[3]"));
    // Reading back option 9 still finds the HubSpot option with that label.
    QCOMPARE(toHubSpotValue(dup, QJsonValue(9)).value(), QStringLiteral("RETAIL"));
}

void TestValueConvert::haloNoDateSentinels()
{
    const MappingRule r = rule(QStringLiteral("date"));
    for (const char *none : {"1900-01-01T00:00:00", "1753-01-01T00:00:00", "0001-01-01T00:00:00"}) {
        const QJsonValue v(QString::fromLatin1(none));
        QCOMPARE(toHubSpotValue(r, v).value(), QString());
        QVERIFY(sameHaloValue(r, v, QJsonValue(QJsonValue::Null)));
    }
    // Real old dates are dates: an 1899 birthday is written and compared like any other.
    const Result<QJsonValue> old = toHaloValue(r, QStringLiteral("1899-12-31"));
    QCOMPARE(text(old.value()), QByteArray(R"(["1899-12-31"])"));
    QVERIFY(!sameHaloValue(r, old.value(), QJsonValue(QJsonValue::Null)));
    QCOMPARE(toHubSpotValue(r, QJsonValue(QStringLiteral("1899-12-31T00:00:00"))).value(),
             QStringLiteral("1899-12-31"));
}

QTEST_GUILESS_MAIN(TestValueConvert)
#include "tst_valueconvert.moc"
