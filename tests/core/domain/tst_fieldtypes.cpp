// Tests for the SPEC §3 type table (canMap), sync-back rules and the definition parsers.
#include "FieldTypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace halospot;
using namespace halospot::core;

namespace {

PropertyDef prop(const QString &type, const QString &fieldType)
{
    PropertyDef p;
    p.name = QStringLiteral("prop_x");
    p.label = QStringLiteral("Property X");
    p.type = type;
    p.fieldType = fieldType;
    return p;
}

HaloFieldDef field(int type, int inputType)
{
    HaloFieldDef f;
    f.id = 101;
    f.name = QStringLiteral("CFfieldy");
    f.label = QStringLiteral("Field Y");
    f.type = HaloFieldType(type);
    f.inputType = inputType;
    return f;
}

enum Halo
{
    Text = 0,
    Memo = 1,
    Single = 2,
    Multi = 3,
    Date = 4,
    Time = 5,
    Check = 6,
    Rich = 10,
};

} // namespace

class TestFieldTypes final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data();
    void table();
    void refusalNamesBothSides();
    void unknownHaloTypeAndReadOnlyField();
    void entityOfField();
    void calculatedPropertiesMapByTheirType();
    void syncBack_data();
    void syncBack();
    void ruleCarriesSyncBack();
    void propertyFromHubSpotJson();
    void haloFieldFromFieldInfoJson();
};

void TestFieldTypes::table_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("fieldType");
    QTest::addColumn<int>("haloType");
    QTest::addColumn<int>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind"); // ValueKind when ok

    const int T = int(ValueKind::Text);
    const auto row = [](const char *name, const char *type, const char *ft, int halo, int input,
                        bool ok, int kind) {
        QTest::newRow(name) << QString::fromLatin1(type) << QString::fromLatin1(ft) << halo << input
                            << ok << kind;
    };
    namespace I = HaloTextInput;
    // string / text, phonenumber -> Text (0)
    row("text->Text", "string", "text", Text, I::Anything, true, T);
    row("text->Text URL", "string", "text", Text, I::Url, true, T);
    row("text->Text alnum", "string", "text", Text, I::Alphanumeric, true, T);
    row("phonenumber->Text", "string", "phonenumber", Text, I::Anything, true, T);
    row("phone_number type->Text", "phone_number", "phonenumber", Text, I::Anything, true, T);
    row("text->Memo", "string", "text", Memo, 0, false, 0);
    row("text->Rich", "string", "text", Rich, 0, false, 0);
    row("text->Single", "string", "text", Single, 0, false, 0);
    row("text->Text integer", "string", "text", Text, I::Integer, false, 0);
    row("text->Text money", "string", "text", Text, I::Money, false, 0);
    row("text->Text password", "string", "text", Text, I::Password, false, 0);
    row("text->Text unknown input", "string", "text", Text, 42, false, 0);
    row("phonenumber->Date", "string", "phonenumber", Date, 0, false, 0);
    // string / textarea -> Memo (1) or Text (0)
    row("textarea->Memo", "string", "textarea", Memo, 0, true, T);
    row("textarea->Text", "string", "textarea", Text, I::Anything, true, T);
    row("textarea->Rich", "string", "textarea", Rich, 0, false, 0);
    row("textarea->Text decimal", "string", "textarea", Text, I::Decimal, false, 0);
    // string / html -> Rich text (10) or Memo (1)
    row("html->Rich", "string", "html", Rich, 0, true, T);
    row("html->Memo", "string", "html", Memo, 0, true, T);
    row("html->Text", "string", "html", Text, I::Anything, false, 0);
    // number / number -> Text (0) with a numeric input subtype
    row("number->Text integer", "number", "number", Text, I::Integer, true,
        int(ValueKind::Integer));
    row("number->Text decimal", "number", "number", Text, I::Decimal, true,
        int(ValueKind::Decimal));
    row("number->Text money", "number", "number", Text, I::Money, true, int(ValueKind::Decimal));
    row("number->Text anything", "number", "number", Text, I::Anything, false, 0);
    row("number->Text URL", "number", "number", Text, I::Url, false, 0);
    row("number->Memo", "number", "number", Memo, 0, false, 0);
    // date / date -> Date (4), date only
    row("date->Date only", "date", "date", Date, HaloDateInput::DateOnly, true,
        int(ValueKind::Date));
    row("date->Date with time", "date", "date", Date, HaloDateInput::DateTime, false, 0);
    row("date->Text", "date", "date", Text, I::Anything, false, 0);
    row("date->Time", "date", "date", Time, 0, false, 0);
    // datetime / date -> Date (4) with time
    row("datetime->Date with time", "datetime", "date", Date, HaloDateInput::DateTime, true,
        int(ValueKind::DateTime));
    row("datetime->Date only", "datetime", "date", Date, HaloDateInput::DateOnly, false, 0);
    row("datetime->Time", "datetime", "date", Time, 0, false, 0);
    // bool or enumeration / booleancheckbox -> Checkbox (6)
    row("bool->Checkbox", "bool", "booleancheckbox", Check, 0, true, int(ValueKind::Checkbox));
    row("enum bool->Checkbox", "enumeration", "booleancheckbox", Check, 0, true,
        int(ValueKind::Checkbox));
    row("bool->Single", "bool", "booleancheckbox", Single, 0, false, 0);
    row("bool->Text", "bool", "booleancheckbox", Text, I::Anything, false, 0);
    // enumeration / select, radio -> Single selection (2)
    row("select->Single", "enumeration", "select", Single, 0, true, int(ValueKind::SingleSelect));
    row("radio->Single", "enumeration", "radio", Single, 0, true, int(ValueKind::SingleSelect));
    row("radio->Single radio widget", "enumeration", "radio", Single, 2, true,
        int(ValueKind::SingleSelect));
    row("select->Multi", "enumeration", "select", Multi, 0, false, 0);
    row("select->Text", "enumeration", "select", Text, I::Anything, false, 0);
    // enumeration / checkbox -> Multiple selection (3)
    row("checkbox->Multi", "enumeration", "checkbox", Multi, 0, true, int(ValueKind::MultiSelect));
    row("checkbox->Single", "enumeration", "checkbox", Single, 0, false, 0);
    row("checkbox->Checkbox", "enumeration", "checkbox", Check, 0, false, 0);
    // unknown types: not mappable
    row("json", "json", "text", Text, I::Anything, false, 0);
    row("object_coordinates", "object_coordinates", "text", Text, I::Anything, false, 0);
    row("file", "string", "file", Text, I::Anything, false, 0);
    row("made-up type", "currency_pair", "fancy", Text, I::Anything, false, 0);
    row("bool with select", "bool", "select", Single, 0, false, 0);
    // Time fields take nothing.
    row("text->Time", "string", "text", Time, 0, false, 0);
}

void TestFieldTypes::table()
{
    QFETCH(QString, type);
    QFETCH(QString, fieldType);
    QFETCH(int, haloType);
    QFETCH(int, input);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    const Result<MappingRule> r = canMap(prop(type, fieldType), field(haloType, input));
    QCOMPARE(r.ok(), ok);
    if (ok) {
        QCOMPARE(int(r->kind), kind);
        QCOMPARE(r->property.name, QStringLiteral("prop_x"));
        QCOMPARE(r->field.id, 101);
        QVERIFY(r.error().isEmpty());
    } else {
        QVERIFY2(r.error().contains(QLatin1String("prop_x")), qPrintable(r.error()));
        QVERIFY2(r.error().contains(QLatin1String("CFfieldy")), qPrintable(r.error()));
        QVERIFY(r.error().endsWith(QLatin1Char('.')));
    }
}

void TestFieldTypes::refusalNamesBothSides()
{
    PropertyDef p = prop(QStringLiteral("enumeration"), QStringLiteral("select"));
    p.name = QStringLiteral("industry");
    p.label = QStringLiteral("Industry");
    HaloFieldDef f = field(Memo, 0);
    f.name = QStringLiteral("CFdescription");
    f.label = QStringLiteral("Description");
    const Result<MappingRule> r = canMap(p, f);
    QVERIFY(!r.ok());
    QCOMPARE(r.error(),
             QStringLiteral("HubSpot property 'Industry' (industry, enumeration/select) cannot be "
                            "mapped to Halo field 'Description' (CFdescription, Memo): a "
                            "single-choice property needs a Single selection field."));

    const Result<MappingRule> num =
        canMap(prop(QStringLiteral("number"), QStringLiteral("number")), field(Text, 0));
    QVERIFY(num.error().contains(QLatin1String("Text, any text")));
    QVERIFY(num.error().contains(QLatin1String("numeric input type")));

    const Result<MappingRule> json =
        canMap(prop(QStringLiteral("json"), QStringLiteral("text")), field(Text, 0));
    QVERIFY(json.error().contains(QLatin1String("type 'json' with field type 'text'")));

    const Result<MappingRule> dt = canMap(prop(QStringLiteral("datetime"), QStringLiteral("date")),
                                          field(Date, HaloDateInput::DateOnly));
    QVERIFY(dt.error().contains(QLatin1String("(CFfieldy, Date only)")));
    QVERIFY(dt.error().contains(QLatin1String("needs a Date field with time")));
}

void TestFieldTypes::unknownHaloTypeAndReadOnlyField()
{
    const PropertyDef p = prop(QStringLiteral("string"), QStringLiteral("text"));
    const Result<MappingRule> unknown = canMap(p, field(7, 0));
    QVERIFY(!unknown.ok());
    QVERIFY2(unknown.error().contains(QLatin1String("Halo field type 7 is unknown")),
             qPrintable(unknown.error()));

    HaloFieldDef ro = field(Text, 0);
    ro.readOnly = true;
    const Result<MappingRule> r = canMap(p, ro);
    QVERIFY(!r.ok());
    QVERIFY(r.error().contains(QLatin1String("read-only")));

    const Result<MappingRule> time = canMap(p, field(Time, 0));
    QVERIFY(time.error().contains(QLatin1String("time of day")));
}

void TestFieldTypes::entityOfField()
{
    const PropertyDef p = prop(QStringLiteral("string"), QStringLiteral("text"));
    HaloFieldDef customer = field(Text, 0);
    customer.usage = HaloFieldUsage::Customer;
    HaloFieldDef user = field(Text, 0);
    user.usage = HaloFieldUsage::User;
    const HaloFieldDef unknown = field(Text, 0);

    QVERIFY(canMap(p, customer, Entity::Company).ok());
    QVERIFY(canMap(p, user, Entity::Contact).ok());
    QVERIFY(canMap(p, unknown, Entity::Contact).ok());
    const Result<MappingRule> wrong = canMap(p, user, Entity::Company);
    QVERIFY(!wrong.ok());
    QVERIFY(wrong.error().contains(QLatin1String("Customer fields")));
    QVERIFY(!canMap(p, customer, Entity::Contact).ok());
    // The type rule still applies with an entity.
    HaloFieldDef memo = field(Memo, 0);
    memo.usage = HaloFieldUsage::Customer;
    QVERIFY(!canMap(p, memo, Entity::Company).ok());
}

void TestFieldTypes::calculatedPropertiesMapByTheirType()
{
    // Read-only calculations are importable: their `type` says what they hold.
    PropertyDef score = prop(QStringLiteral("number"), QStringLiteral("calculation_score"));
    score.calculated = true;
    score.readOnly = true;
    const Result<MappingRule> r = canMap(score, field(Text, HaloTextInput::Decimal));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->kind, ValueKind::Decimal);
    QVERIFY(!r->syncBackAllowed);

    PropertyDef label = prop(QStringLiteral("string"), QStringLiteral("calculation_equation"));
    label.calculated = true;
    QVERIFY(canMap(label, field(Text, 0)).ok());
    PropertyDef tier = prop(QStringLiteral("enumeration"), QStringLiteral("calculation_equation"));
    QCOMPARE(canMap(tier, field(Single, 0))->kind, ValueKind::SingleSelect);
    PropertyDef flag = prop(QStringLiteral("bool"), QStringLiteral("calculation_read_time"));
    QCOMPARE(canMap(flag, field(Check, 0))->kind, ValueKind::Checkbox);
    PropertyDef created = prop(QStringLiteral("datetime"), QStringLiteral("calculation_rollup"));
    QCOMPARE(canMap(created, field(Date, HaloDateInput::DateTime))->kind, ValueKind::DateTime);
    PropertyDef json = prop(QStringLiteral("json"), QStringLiteral("calculation_equation"));
    QVERIFY(!canMap(json, field(Text, 0)).ok());
}

void TestFieldTypes::syncBack_data()
{
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<bool>("calculated");
    QTest::addColumn<QString>("fieldType");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("plain") << false << false << QStringLiteral("text") << true << QString();
    QTest::newRow("read-only") << true << false << QStringLiteral("date") << false
                               << QStringLiteral("is read-only");
    QTest::newRow("calculated") << true << true << QStringLiteral("number") << false
                                << QStringLiteral("calculated by HubSpot");
    QTest::newRow("calculated flag only") << false << true << QStringLiteral("number") << false
                                          << QStringLiteral("calculated by HubSpot");
    QTest::newRow("calculation field type")
        << false << false << QStringLiteral("calculation_equation") << false
        << QStringLiteral("is a calculation");
}

void TestFieldTypes::syncBack()
{
    QFETCH(bool, readOnly);
    QFETCH(bool, calculated);
    QFETCH(QString, fieldType);
    QFETCH(bool, allowed);
    QFETCH(QString, reasonPart);
    PropertyDef p = prop(QStringLiteral("string"), fieldType);
    p.name = QStringLiteral("createdate");
    p.label = QStringLiteral("Create Date");
    p.readOnly = readOnly;
    p.calculated = calculated;
    QString reason = QStringLiteral("stale");
    QCOMPARE(canSyncBack(p, &reason), allowed);
    QCOMPARE(canSyncBack(p), allowed);
    if (allowed) {
        QVERIFY(reason.isEmpty());
    } else {
        QVERIFY2(reason.contains(reasonPart), qPrintable(reason));
        QVERIFY(reason.contains(QLatin1String("'Create Date' (createdate)")));
        QVERIFY(reason.contains(QLatin1String("imported but not synced back")));
    }
}

void TestFieldTypes::ruleCarriesSyncBack()
{
    PropertyDef created = prop(QStringLiteral("datetime"), QStringLiteral("date"));
    created.readOnly = true;
    const Result<MappingRule> ro = canMap(created, field(Date, HaloDateInput::DateTime));
    QVERIFY(ro.ok());
    QVERIFY(!ro->syncBackAllowed);
    QVERIFY(ro->syncBackBlockedReason.contains(QLatin1String("read-only")));

    const Result<MappingRule> rw =
        canMap(prop(QStringLiteral("string"), QStringLiteral("text")), field(Text, 0));
    QVERIFY(rw->syncBackAllowed);
    QVERIFY(rw->syncBackBlockedReason.isEmpty());
}

void TestFieldTypes::propertyFromHubSpotJson()
{
    // The shape GET /crm/v3/properties/companies returns (reference/hubspot-api.md §4.2).
    const QByteArray json = R"({"results":[
      {"name":"industry","label":"Industry","type":"enumeration","fieldType":"select",
       "description":"","groupName":"companyinformation","displayOrder":9,"calculated":false,
       "externalOptions":false,"hasUniqueValue":false,"hidden":false,"hubspotDefined":true,
       "formField":true,"archived":false,
       "options":[{"label":"Computer software","value":"COMPUTER_SOFTWARE","displayOrder":0,"hidden":false},
                  {"label":"Retail","value":"RETAIL","displayOrder":1,"hidden":true}],
       "modificationMetadata":{"archivable":false,"readOnlyDefinition":true,"readOnlyValue":false}},
      {"name":"createdate","label":"Create Date","type":"datetime","fieldType":"date",
       "groupName":"companyinformation","options":[],"calculated":true,"hidden":false,
       "modificationMetadata":{"archivable":false,"readOnlyDefinition":true,"readOnlyValue":true}},
      {"name":"hs_object_source_json","label":"Record source detail","type":"json",
       "fieldType":"text","groupName":"analyticsinformation","options":[],"hidden":true}]})";
    const QJsonArray results =
        QJsonDocument::fromJson(json).object().value(QLatin1String("results")).toArray();
    QCOMPARE(results.size(), 3);

    const PropertyDef industry = PropertyDef::fromJson(results.at(0).toObject());
    QCOMPARE(industry.name, QStringLiteral("industry"));
    QCOMPARE(industry.label, QStringLiteral("Industry"));
    QCOMPARE(industry.type, QStringLiteral("enumeration"));
    QCOMPARE(industry.fieldType, QStringLiteral("select"));
    QCOMPARE(industry.groupName, QStringLiteral("companyinformation"));
    QCOMPARE(industry.options.size(), 2);
    QCOMPARE(industry.options.at(0).label, QStringLiteral("Computer software"));
    QCOMPARE(industry.options.at(0).value, QStringLiteral("COMPUTER_SOFTWARE"));
    QVERIFY(!industry.options.at(0).hidden);
    QVERIFY(industry.options.at(1).hidden);
    QVERIFY(!industry.readOnly && !industry.calculated && !industry.hidden);
    QCOMPARE(industry.optionByValue(QStringLiteral("RETAIL"))->label, QStringLiteral("Retail"));
    QVERIFY(!industry.optionByValue(QStringLiteral("Retail")));

    const PropertyDef created = PropertyDef::fromJson(results.at(1).toObject());
    QVERIFY(created.readOnly);
    QVERIFY(created.calculated);
    QVERIFY(!canSyncBack(created));

    const PropertyDef source = PropertyDef::fromJson(results.at(2).toObject());
    QVERIFY(source.hidden);
    QVERIFY(!source.readOnly); // modificationMetadata absent
    QVERIFY(!canMap(source, field(Text, 0)).ok());

    // toJson feeds fromJson (the store caches definitions this way).
    const PropertyDef again = PropertyDef::fromJson(industry.toJson());
    QCOMPARE(again.name, industry.name);
    QCOMPARE(again.options.size(), 2);
    QCOMPARE(again.options.at(1).value, QStringLiteral("RETAIL"));
    QVERIFY(again.options.at(1).hidden);
    QCOMPARE(PropertyDef::fromJson(created.toJson()).readOnly, true);

    // Garbage does not crash and gives an unmappable definition.
    const PropertyDef empty = PropertyDef::fromJson(QJsonObject{{QStringLiteral("options"), 7}});
    QVERIFY(empty.name.isEmpty());
    QVERIFY(!canMap(empty, field(Text, 0)).ok());
}

void TestFieldTypes::haloFieldFromFieldInfoJson()
{
    // The shape the sandbox's FakeHalo serves from GET /api/FieldInfo (HaloFields.cpp).
    const QByteArray json = R"([
      {"id":101,"name":"CFindustry","label":"Industry","type":2,"inputtype":0,"typeid":2,
       "usage":2,"custom":true,"lookup":101,"values":[{"id":1,"name":"Accounting"},
       {"id":2,"name":"Banking"}],"mandatory":false,"readonly":false,"searchable":false,
       "characterlimit":0,"max_selection":1},
      {"id":120,"name":"CFextension","label":"Phone extension","type":0,"inputtype":1,
       "typeid":4,"usage":4,"custom":true,"lookup":0,"values":[],"readonly":false,
       "characterlimit":255},
      {"id":130,"name":"CFlocked","label":"Locked","type":4,"inputtype":1,"usage":4,
       "readonly":true},
      {"id":140,"name":"CFticketonly","label":"Ticket field","type":0,"typeid":1}])";
    const QJsonArray list = QJsonDocument::fromJson(json).array();
    QCOMPARE(list.size(), 4);

    const HaloFieldDef industry = HaloFieldDef::fromJson(list.at(0).toObject());
    QCOMPARE(industry.id, 101);
    QCOMPARE(industry.name, QStringLiteral("CFindustry"));
    QCOMPARE(industry.label, QStringLiteral("Industry"));
    QCOMPARE(industry.type, HaloFieldType::SingleSelect);
    QCOMPARE(industry.usage, HaloFieldUsage::Customer);
    QCOMPARE(industry.options.size(), 2);
    QCOMPARE(industry.options.at(1).id, qint64(2));
    QCOMPARE(industry.options.at(1).name, QStringLiteral("Banking"));
    QCOMPARE(industry.optionById(1)->name, QStringLiteral("Accounting"));
    QVERIFY(!industry.optionById(99));
    QCOMPARE(industry.describe(), QStringLiteral("'Industry' (CFindustry)"));

    const HaloFieldDef ext = HaloFieldDef::fromJson(list.at(1).toObject());
    QCOMPARE(ext.type, HaloFieldType::Text);
    QCOMPARE(ext.inputType, HaloTextInput::Integer);
    QCOMPARE(ext.usage, HaloFieldUsage::User);
    QCOMPARE(ext.characterLimit, 255);
    QVERIFY(!ext.readOnly);

    const HaloFieldDef locked = HaloFieldDef::fromJson(list.at(2).toObject());
    QCOMPARE(locked.usage, HaloFieldUsage::User); // from usage when typeid is absent
    QCOMPARE(locked.inputType, HaloDateInput::DateTime);
    QVERIFY(locked.readOnly);

    QCOMPARE(HaloFieldDef::fromJson(list.at(3).toObject()).usage, HaloFieldUsage::Unknown);

    const HaloFieldDef again = HaloFieldDef::fromJson(industry.toJson());
    QCOMPARE(again.id, industry.id);
    QCOMPARE(again.usage, industry.usage);
    QCOMPARE(again.options.size(), 2);
    QCOMPARE(again.options.at(0).name, QStringLiteral("Accounting"));

    QCOMPARE(haloFieldTypeName(HaloFieldType::MultiSelect), QStringLiteral("Multiple selection"));
    QCOMPARE(haloFieldTypeName(HaloFieldType(7)), QStringLiteral("type 7"));
}

QTEST_GUILESS_MAIN(TestFieldTypes)
#include "tst_fieldtypes.moc"
