// FakeHalo over loopback: FieldInfo definitions, and custom-field values of every type on clients
// and users (round trips, subset writes that keep the other fields, rejected values).
#include "HaloHttp.h"

#include <QSet>
#include <QTest>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

namespace {

QJsonDocument one(const QJsonObject &item)
{
    return QJsonDocument(QJsonArray{item});
}

QJsonObject cf(int id, const QJsonValue &value)
{
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("value"), value}};
}

QJsonObject fieldOf(const QJsonObject &record, int id)
{
    const QJsonArray fields = record.value(QStringLiteral("customfields")).toArray();
    for (const QJsonValue &f : fields) {
        if (f[QStringLiteral("id")].toInt() == id)
            return f.toObject();
    }
    return {};
}

} // namespace

class TestFakeHaloFields final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<FakeHalo> m_halo;
    std::unique_ptr<HaloHttp> m_http;
    QHash<QString, int> m_ids; // "<typeid>/<CFname>" -> field id

    HaloHttp &http() { return *m_http; }
    FakeHalo &halo() { return *m_halo; }
    int field(int typeId, const char *name) const
    {
        return m_ids.value(QStringLiteral("%1/%2").arg(typeId).arg(QLatin1String(name)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clock = std::make_unique<Clock>();
        HaloConfig config;
        config.windowMax = 0;
        m_halo = std::make_unique<FakeHalo>(config, m_clock.get());
        QVERIFY(m_halo->listen() != 0);
        m_http = std::make_unique<HaloHttp>(*m_halo);
        QVERIFY(m_http->login(*m_halo));
        for (const HaloFieldDef &d : m_halo->fields().all())
            m_ids.insert(QStringLiteral("%1/%2").arg(d.typeId).arg(d.name), d.id);
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_halo.reset();
        m_clock.reset();
    }

    void fieldInfoListsEveryType_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::newRow("customers") << 2;
        QTest::newRow("users") << 4;
    }

    void fieldInfoListsEveryType()
    {
        QFETCH(int, typeId);
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("typeid"), QString::number(typeId));
        const HttpReply r = http().get(QStringLiteral("/api/FieldInfo"), q);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().isArray()); // a bare array
        QSet<int> types;
        QSet<int> textInputs;
        for (const QJsonValue &v : r.array()) {
            const QJsonObject d = v.toObject();
            QCOMPARE(d.value(QStringLiteral("typeid")).toInt(), typeId);
            QVERIFY(d.value(QStringLiteral("name")).toString().startsWith(QStringLiteral("CF")));
            QVERIFY(!d.value(QStringLiteral("label")).toString().isEmpty());
            const int type = d.value(QStringLiteral("type")).toInt();
            types.insert(type);
            if (type == 0)
                textInputs.insert(d.value(QStringLiteral("inputtype")).toInt());
            if (type == 2 || type == 3) {
                const QJsonArray values = d.value(QStringLiteral("values")).toArray();
                QVERIFY(values.size() >= 2);
                QVERIFY(values.at(0)[QStringLiteral("id")].toInt() > 0);
                QVERIFY(!values.at(0)[QStringLiteral("name")].toString().isEmpty());
            }
        }
        QCOMPARE(types, (QSet<int>{0, 1, 2, 3, 4, 5, 6, 10}));
        QVERIFY(textInputs.contains(1)); // integer
        QVERIFY(textInputs.contains(2)); // money
        QVERIFY(textInputs.contains(4)); // decimal

        const int id = r.array().at(0)[QStringLiteral("id")].toInt();
        const HttpReply single = http().get(QStringLiteral("/api/FieldInfo/%1").arg(id));
        QCOMPARE(single.status, 200);
        QCOMPARE(single.object().value(QStringLiteral("id")).toInt(), id);
        QCOMPARE(http().get(QStringLiteral("/api/FieldInfo/77777")).status, 404);
    }

    void valuesRoundTrip_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QJsonValue>("written");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("display");

        const auto row = [](const char *tag, int typeId, const char *name, const QJsonValue &w,
                            const QJsonValue &v, const char *display) {
            QTest::newRow(tag) << typeId << QString::fromLatin1(name) << w << v
                               << QString::fromUtf8(display);
        };
        row("text", 2, "CFphone", QStringLiteral("+44 20 7946 0958"),
            QStringLiteral("+44 20 7946 0958"), "+44 20 7946 0958");
        row("integer", 2, "CFnumberofemployees", 250, QStringLiteral("250"), "250");
        row("integer as text", 2, "CFnumberofemployees", QStringLiteral("1200"),
            QStringLiteral("1200"), "1200");
        row("money", 2, "CFannualrevenue", QStringLiteral("1500000.50"),
            QStringLiteral("1500000.50"), "1500000.50");
        row("decimal", 2, "CFsatisfaction", 4.25, QStringLiteral("4.25"), "4.25");
        row("url", 2, "CFlinkedin", QStringLiteral("https://www.linkedin.com/company/acme"),
            QStringLiteral("https://www.linkedin.com/company/acme"),
            "https://www.linkedin.com/company/acme");
        row("memo", 2, "CFdescription", QStringLiteral("line 1\nline 2"),
            QStringLiteral("line 1\nline 2"), "line 1\nline 2");
        row("single by label", 2, "CFindustry", QStringLiteral("computer software"), QJsonValue(),
            "Computer Software");
        row("multi by labels", 2, "CFservices", QStringLiteral("Security;VoIP"), QJsonValue(),
            "Security, VoIP");
        row("date only", 2, "CFcontractstart", QStringLiteral("2024-03-01"),
            QStringLiteral("2024-03-01T00:00:00"), "2024-03-01");
        row("date and time", 2, "CFlastcontacted", QStringLiteral("2024-03-01T10:15:00Z"),
            QStringLiteral("2024-03-01T10:15:00"), "2024-03-01 10:15");
        row("date with offset", 2, "CFlastcontacted", QStringLiteral("2024-03-01T12:15:00+02:00"),
            QStringLiteral("2024-03-01T10:15:00"), "2024-03-01 10:15");
        row("time", 2, "CFsupportends", QStringLiteral("17:30"), QStringLiteral("17:30"), "17:30");
        row("checkbox", 2, "CFisvip", true, true, "Yes");
        row("checkbox as text", 2, "CFisvip", QStringLiteral("False"), false, "No");
        row("rich text", 2, "CFabout", QStringLiteral("<p>Hi</p>"), QStringLiteral("<p>Hi</p>"),
            "<p>Hi</p>");
        row("user text", 4, "CFjobtitle", QStringLiteral("CTO"), QStringLiteral("CTO"), "CTO");
        row("user single", 4, "CFleadstatus", QStringLiteral("Open Deal"), QJsonValue(),
            "Open Deal");
        row("user multi", 4, "CFinterests",
            QJsonArray{QStringLiteral("Cloud"), QStringLiteral("Events")}, QJsonValue(),
            "Cloud, Events");
        row("user date", 4, "CFbirthday", QStringLiteral("1990-12-31"),
            QStringLiteral("1990-12-31T00:00:00"), "1990-12-31");
        row("user checkbox", 4, "CFnewsletter", 1, true, "Yes");
        row("user integer", 4, "CFextension", QStringLiteral("-12"), QStringLiteral("-12"), "-12");
    }

    void valuesRoundTrip()
    {
        QFETCH(int, typeId);
        QFETCH(QString, name);
        QFETCH(QJsonValue, written);
        QFETCH(QJsonValue, value);
        QFETCH(QString, display);
        const int fieldId = field(typeId, name.toLatin1().constData());
        QVERIFY(fieldId > 0);

        const int client = halo().addClient(QStringLiteral("Typed"));
        QJsonObject item{{QStringLiteral("customfields"), QJsonArray{cf(fieldId, written)}}};
        QString path = QStringLiteral("/api/Client");
        if (typeId == 4) {
            path = QStringLiteral("/api/Users");
            item.insert(QStringLiteral("id"),
                        halo().addUser(halo().store().client(client)->mainSiteId,
                                       QStringLiteral("Ty"), QStringLiteral("Ped"), {}));
        } else {
            item.insert(QStringLiteral("id"), client);
        }
        const HttpReply r = http().post(path, one(item));
        QCOMPARE(r.status, 200);
        const int id = item.value(QStringLiteral("id")).toInt();
        const QJsonObject stored =
            fieldOf(http().get(QStringLiteral("%1/%2").arg(path).arg(id)).object(), fieldId);
        QCOMPARE(stored.value(QStringLiteral("name")).toString(), name);
        QCOMPARE(stored.value(QStringLiteral("display")).toString(), display);
        if (!value.isNull())
            QCOMPARE(stored.value(QStringLiteral("value")), value);
        else
            QVERIFY(!stored.value(QStringLiteral("value")).isNull());
    }

    void badValuesAreRejected_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QJsonValue>("written");
        const auto row = [](const char *tag, int typeId, const char *name, const QJsonValue &w) {
            QTest::newRow(tag) << typeId << QString::fromLatin1(name) << w;
        };
        row("integer", 2, "CFnumberofemployees", QStringLiteral("about 50"));
        row("integer fraction", 2, "CFnumberofemployees", 12.5);
        row("money", 2, "CFannualrevenue", QStringLiteral("$1M"));
        row("decimal", 4, "CFleadscore", QStringLiteral("high"));
        row("alphanumeric", 2, "CFaccountcode", QStringLiteral("AC-12!"));
        row("url", 2, "CFlinkedin", QStringLiteral("not a url"));
        row("single", 2, "CFindustry", QStringLiteral("Widgets"));
        row("single id", 2, "CFindustry", 99999);
        row("multi", 2, "CFservices", QStringLiteral("Security;Catering"));
        row("date", 2, "CFcontractstart", QStringLiteral("31/12/2024"));
        row("date garbage", 4, "CFlastactivity", QStringLiteral("yesterday"));
        row("time", 2, "CFsupportends", QStringLiteral("25:99"));
        row("checkbox", 4, "CFnewsletter", QStringLiteral("maybe"));
        row("text given an object", 2, "CFphone", QJsonObject{{QStringLiteral("a"), 1}});
    }

    void badValuesAreRejected()
    {
        QFETCH(int, typeId);
        QFETCH(QString, name);
        QFETCH(QJsonValue, written);
        const int fieldId = field(typeId, name.toLatin1().constData());
        QVERIFY(fieldId > 0);
        const int client = halo().addClient(QStringLiteral("Target Co"));
        QString path = QStringLiteral("/api/Client");
        QJsonObject item{{QStringLiteral("customfields"), QJsonArray{cf(fieldId, written)}}};
        QString recordName = QStringLiteral("Target Co");
        if (typeId == 4) {
            path = QStringLiteral("/api/Users");
            recordName = QStringLiteral("Tar Get");
            item.insert(QStringLiteral("id"),
                        halo().addUser(halo().store().client(client)->mainSiteId,
                                       QStringLiteral("Tar"), QStringLiteral("Get"), {}));
        } else {
            item.insert(QStringLiteral("id"), client);
        }
        const HttpReply r = http().post(path, one(item));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("resultCode")));
        const QString message = r.object().value(QStringLiteral("errorMessage")).toString();
        QVERIFY2(message.contains(recordName), qPrintable(message));
        QVERIFY2(message.contains(name), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("[0]")), qPrintable(message));
        // Nothing was written.
        const QJsonObject stored = fieldOf(http()
                                               .get(QStringLiteral("%1/%2").arg(path).arg(
                                                   item.value(QStringLiteral("id")).toInt()))
                                               .object(),
                                           fieldId);
        QVERIFY(stored.value(QStringLiteral("value")).isNull());
    }

    void userFieldIsUnknownOnClients()
    {
        const int client = halo().addClient(QStringLiteral("Mixed"));
        const HttpReply r =
            http().post(QStringLiteral("/api/Client"),
                        one({{QStringLiteral("id"), client},
                             {QStringLiteral("customfields"),
                              QJsonArray{cf(field(4, "CFjobtitle"), QStringLiteral("CEO"))}}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object()
                    .value(QStringLiteral("errorMessage"))
                    .toString()
                    .contains(QStringLiteral("does not exist")));
    }

    void subsetWriteKeepsOtherFields()
    {
        const int industry = field(2, "CFindustry");
        const int employees = field(2, "CFnumberofemployees");
        const int vip = field(2, "CFisvip");
        HttpReply r = http().post(
            QStringLiteral("/api/Client"),
            one({{QStringLiteral("name"), QStringLiteral("Subset Ltd")},
                 {QStringLiteral("customfields"), QJsonArray{cf(industry, QStringLiteral("Retail")),
                                                             cf(employees, 10), cf(vip, true)}}}));
        QCOMPARE(r.status, 200);
        const int id = r.object().value(QStringLiteral("id")).toInt();
        QCOMPARE(fieldOf(r.object(), industry).value(QStringLiteral("display")).toString(),
                 QStringLiteral("Retail"));

        // Only one field sent, by name: the others keep their values.
        r = http().post(QStringLiteral("/api/Client"),
                        one({{QStringLiteral("id"), id},
                             {QStringLiteral("customfields"),
                              QJsonArray{QJsonObject{
                                  {QStringLiteral("name"), QStringLiteral("CFnumberofemployees")},
                                  {QStringLiteral("value"), 20}}}}}));
        QCOMPARE(r.status, 200);
        QJsonObject c = http().get(QStringLiteral("/api/Client/%1").arg(id)).object();
        QCOMPARE(fieldOf(c, employees).value(QStringLiteral("value")).toString(),
                 QStringLiteral("20"));
        QCOMPARE(fieldOf(c, industry).value(QStringLiteral("display")).toString(),
                 QStringLiteral("Retail"));
        QCOMPARE(fieldOf(c, vip).value(QStringLiteral("value")).toBool(), true);

        // A record update without customfields keeps them all; null clears one.
        http().post(
            QStringLiteral("/api/Client"),
            one({{QStringLiteral("id"), id}, {QStringLiteral("notes"), QStringLiteral("n")}}));
        http().post(QStringLiteral("/api/Client"),
                    one({{QStringLiteral("id"), id},
                         {QStringLiteral("customfields"), QJsonArray{cf(vip, QJsonValue())}}}));
        c = http().get(QStringLiteral("/api/Client/%1").arg(id)).object();
        QCOMPARE(fieldOf(c, industry).value(QStringLiteral("display")).toString(),
                 QStringLiteral("Retail"));
        QVERIFY(fieldOf(c, vip).value(QStringLiteral("value")).isNull());
        QCOMPARE(fieldOf(c, employees).value(QStringLiteral("value")).toString(),
                 QStringLiteral("20"));
    }
};

QTEST_GUILESS_MAIN(TestFakeHaloFields)
#include "tst_fakehalo_fields.moc"
