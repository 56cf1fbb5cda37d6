// FakeHalo over loopback: Client / Site / Users lists (paging, search, filters), single GETs, array
// POSTs (create, partial update, batch validation), DELETE, hubspot_id and every error shape.
#include "HaloHttp.h"

#include <QSet>
#include <QTest>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

namespace {

QJsonDocument array(std::initializer_list<QJsonObject> items)
{
    QJsonArray a;
    for (const QJsonObject &o : items)
        a.append(o);
    return QJsonDocument(a);
}

QUrlQuery query(std::initializer_list<std::pair<const char *, QString>> items)
{
    QUrlQuery q;
    for (const auto &[k, v] : items)
        q.addQueryItem(QLatin1String(k), v);
    return q;
}

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class TestFakeHaloApi final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<FakeHalo> m_halo;
    std::unique_ptr<HaloHttp> m_http;

    HaloHttp &http() { return *m_http; }
    FakeHalo &halo() { return *m_halo; }

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<Clock>();
        HaloConfig config;
        config.windowMax = 0; // these tests are not about the limit
        m_halo = std::make_unique<FakeHalo>(config, m_clock.get());
        QVERIFY(m_halo->listen() != 0);
        m_http = std::make_unique<HaloHttp>(*m_halo);
        QVERIFY(m_http->login(*m_halo));
    }

    void cleanup()
    {
        m_http.reset();
        m_halo.reset();
        m_clock.reset();
    }

    void pagingWalksEveryClientOnce_data()
    {
        QTest::addColumn<QString>("order");
        QTest::newRow("default order") << QString();
        QTest::newRow("by name") << s("name");
        QTest::newRow("by name, descending") << s("name desc");
    }

    void pagingWalksEveryClientOnce()
    {
        QFETCH(QString, order);
        for (int i = 0; i < 1234; ++i)
            halo().addClient(
                QStringLiteral("Client %1").arg((i * 7919) % 1234, 4, 10, QLatin1Char('0')));
        for (int i = 0; i < 16; ++i)
            halo().addClient(QStringLiteral("Gone %1").arg(i), {}, true);

        QSet<int> seen;
        QStringList names;
        int pages = 0;
        for (int page = 1;; ++page) {
            QUrlQuery q = query({{"pageinate", s("true")},
                                 {"page_size", s("100")},
                                 {"page_no", QString::number(page)}});
            if (order.startsWith(QLatin1String("name")))
                q.addQueryItem(QStringLiteral("order"), QStringLiteral("name"));
            if (order.endsWith(QLatin1String("desc")))
                q.addQueryItem(QStringLiteral("orderdesc"), QStringLiteral("true"));
            const HttpReply r = http().get(QStringLiteral("/api/Client"), q);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.object().value(QStringLiteral("record_count")).toInt(), 1234);
            const QJsonArray rows = r.object().value(QStringLiteral("clients")).toArray();
            if (rows.isEmpty())
                break;
            ++pages;
            QVERIFY(rows.size() <= 100);
            for (const QJsonValue &row : rows) {
                const int id = row[QStringLiteral("id")].toInt();
                QVERIFY2(!seen.contains(id), "a client came twice");
                seen.insert(id);
                names << row[QStringLiteral("name")].toString();
            }
        }
        QCOMPARE(pages, 13);
        QCOMPARE(seen.size(), 1234);
        if (order == QLatin1String("name")) {
            QStringList sorted = names;
            sorted.sort();
            QCOMPARE(names, sorted);
        } else if (order == QLatin1String("name desc")) {
            QCOMPARE(names.constFirst(), QStringLiteral("Client 1233"));
        }
    }

    void countWithoutPaging()
    {
        for (int i = 0; i < 30; ++i)
            halo().addClient(QStringLiteral("C%1").arg(i));
        HttpReply r = http().get(QStringLiteral("/api/Client"), query({{"count", s("10")}}));
        QCOMPARE(r.object().value(QStringLiteral("clients")).toArray().size(), 10);
        QCOMPARE(r.object().value(QStringLiteral("record_count")).toInt(), 30);
        r = http().get(QStringLiteral("/api/Client"));
        QCOMPARE(r.object().value(QStringLiteral("clients")).toArray().size(), 30);
    }

    void search()
    {
        halo().addClient(QStringLiteral("Acme Ltd"));
        halo().addClient(QStringLiteral("ACME Corporation"));
        const int beta = halo().addClient(QStringLiteral("Beta Müller GmbH"));
        const int site = halo().store().client(beta)->mainSiteId;
        halo().addUser(site, QStringLiteral("Jane"), QStringLiteral("Doe"),
                       QStringLiteral("jane@acme.example"));
        halo().addUser(site, QStringLiteral("Acme"), QStringLiteral("Person"),
                       QStringLiteral("p@beta.example"));

        HttpReply r = http().get(QStringLiteral("/api/Client"), query({{"search", s("acme")}}));
        QCOMPARE(r.object().value(QStringLiteral("record_count")).toInt(), 2);
        r = http().get(QStringLiteral("/api/Client"), query({{"search", s("MÜLLER")}}));
        QCOMPARE(r.object().value(QStringLiteral("record_count")).toInt(), 1);
        r = http().get(QStringLiteral("/api/Client"), query({{"search_name_only", s("acme ltd")}}));
        QCOMPARE(r.object().value(QStringLiteral("record_count")).toInt(), 1);
        // Users: name and e-mail address.
        r = http().get(QStringLiteral("/api/Users"), query({{"search", s("acme")}}));
        QCOMPARE(r.object().value(QStringLiteral("record_count")).toInt(), 2);
        r = http().get(QStringLiteral("/api/Users"), query({{"search", s("JANE@ACME")}}));
        QCOMPARE(r.object()
                     .value(QStringLiteral("users"))
                     .toArray()
                     .at(0)[QStringLiteral("name")]
                     .toString(),
                 QStringLiteral("Jane Doe"));
    }

    void includeInactive()
    {
        halo().addClient(QStringLiteral("Active"));
        halo().addClient(QStringLiteral("Dormant"), {}, true);
        const auto names = [this](const QUrlQuery &q) {
            QStringList out;
            const QJsonArray rows = http()
                                        .get(QStringLiteral("/api/Client"), q)
                                        .object()
                                        .value(QStringLiteral("clients"))
                                        .toArray();
            for (const QJsonValue &row : rows)
                out << row[QStringLiteral("name")].toString();
            return out;
        };
        QCOMPARE(names({}), QStringList{QStringLiteral("Active")});
        QCOMPARE(names(query({{"includeinactive", s("true")}})),
                 (QStringList{QStringLiteral("Active"), QStringLiteral("Dormant")}));
        QCOMPARE(names(query({{"includeactive", s("false")}, {"includeinactive", s("true")}})),
                 QStringList{QStringLiteral("Dormant")});
    }

    void clientAndSiteFilters()
    {
        const int a = halo().addClient(QStringLiteral("A"));
        const int b = halo().addClient(QStringLiteral("B"));
        const int mainA = halo().store().client(a)->mainSiteId;
        const int branchA = halo().addSite(a, QStringLiteral("Branch"));
        const int mainB = halo().store().client(b)->mainSiteId;
        halo().addUser(mainA, QStringLiteral("U1"), {}, {});
        halo().addUser(branchA, QStringLiteral("U2"), {}, {});
        halo().addUser(branchA, QStringLiteral("U3"), {}, {});
        halo().addUser(mainB, QStringLiteral("U4"), {}, {});

        const auto count = [this](const QString &path, const QUrlQuery &q) {
            return http().get(path, q).object().value(QStringLiteral("record_count")).toInt();
        };
        QCOMPARE(count(QStringLiteral("/api/Users"), {}), 4);
        QCOMPARE(count(QStringLiteral("/api/Users"), query({{"client_id", QString::number(a)}})),
                 3);
        QCOMPARE(
            count(QStringLiteral("/api/Users"), query({{"site_id", QString::number(branchA)}})), 2);
        QCOMPARE(count(QStringLiteral("/api/Users"), query({{"client_id", QString::number(b)}})),
                 1);
        QCOMPARE(count(QStringLiteral("/api/Site"), query({{"client_id", QString::number(a)}})), 2);
        QCOMPARE(count(QStringLiteral("/api/Site"), {}), 3);
        QCOMPARE(count(QStringLiteral("/api/Users"), query({{"toplevel_id", s("1")}})), 4);
        QCOMPARE(count(QStringLiteral("/api/Users"), query({{"toplevel_id", s("2")}})), 0);
    }

    void singleGetHasMoreFieldsThanListRows()
    {
        const int id =
            halo().addClient(QStringLiteral("Detail Ltd"), QStringLiteral("detail.example"));
        const QJsonObject row = http()
                                    .get(QStringLiteral("/api/Client"))
                                    .object()
                                    .value(QStringLiteral("clients"))
                                    .toArray()
                                    .at(0)
                                    .toObject();
        const HttpReply single = http().get(QStringLiteral("/api/Client/%1").arg(id));
        QCOMPARE(single.status, 200);
        const QJsonObject full = single.object();
        QVERIFY(full.size() > row.size());
        for (const char *key : {"notes", "customfields", "datecreated", "main_site_name"}) {
            QVERIFY2(!row.contains(QLatin1String(key)), key);
            QVERIFY2(full.contains(QLatin1String(key)), key);
        }
        for (const char *key :
             {"id", "name", "website", "main_site_id", "hubspot_id", "alastupdate"})
            QVERIFY2(full.contains(QLatin1String(key)), key);
        QCOMPARE(full.value(QStringLiteral("website")).toString(),
                 QStringLiteral("detail.example"));

        // Custom fields and notes in list rows on request.
        const QJsonObject withFields =
            http()
                .get(QStringLiteral("/api/Client"),
                     query({{"include_custom_fields", s("101,102")}, {"includenotes", s("true")}}))
                .object()
                .value(QStringLiteral("clients"))
                .toArray()
                .at(0)
                .toObject();
        QCOMPARE(withFields.value(QStringLiteral("customfields")).toArray().size(), 2);
        QVERIFY(withFields.contains(QStringLiteral("notes")));

        const int user = halo().addUser(full.value(QStringLiteral("main_site_id")).toInt(),
                                        QStringLiteral("Ann"), QStringLiteral("Lee"),
                                        QStringLiteral("ann@x.example"));
        const QJsonObject userRow = http()
                                        .get(QStringLiteral("/api/Users"))
                                        .object()
                                        .value(QStringLiteral("users"))
                                        .toArray()
                                        .at(0)
                                        .toObject();
        const QJsonObject userFull = http().get(QStringLiteral("/api/Users/%1").arg(user)).object();
        QVERIFY(!userRow.contains(QStringLiteral("customfields")));
        QVERIFY(userFull.contains(QStringLiteral("customfields")));
        QVERIFY(userFull.size() > userRow.size());
        QCOMPARE(userFull.value(QStringLiteral("emailaddress")).toString(),
                 QStringLiteral("ann@x.example"));
        QCOMPARE(userFull.value(QStringLiteral("client_id")).toInt(), id);
    }

    void postCreatesOneOrMany()
    {
        HttpReply r = http().post(QStringLiteral("/api/Client"),
                                  array({{{QStringLiteral("name"), QStringLiteral("Solo")}}}));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().isObject());
        const int solo = r.object().value(QStringLiteral("id")).toInt();
        QVERIFY(solo > 0);
        QCOMPARE(r.object().value(QStringLiteral("name")).toString(), QStringLiteral("Solo"));

        r = http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("name"), QStringLiteral("Duo 1")}},
                               {{QStringLiteral("name"), QStringLiteral("Duo 2")}}}));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().isArray());
        QCOMPARE(r.array().size(), 2);
        QCOMPARE(r.array().at(1)[QStringLiteral("name")].toString(), QStringLiteral("Duo 2"));
        QCOMPARE(halo().clientCount(), 3);

        // The main site comes with every new client.
        const int mainSite = http()
                                 .get(QStringLiteral("/api/Client/%1").arg(solo))
                                 .object()
                                 .value(QStringLiteral("main_site_id"))
                                 .toInt();
        QVERIFY(mainSite > 0);
        const QJsonObject site = http().get(QStringLiteral("/api/Site/%1").arg(mainSite)).object();
        QCOMPARE(site.value(QStringLiteral("client_id")).toInt(), solo);
        QCOMPARE(site.value(QStringLiteral("name")).toString(), QStringLiteral("Main"));

        // Sites and users.
        r = http().post(QStringLiteral("/api/Site"),
                        array({{{QStringLiteral("name"), QStringLiteral("Annex")},
                                {QStringLiteral("client_id"), solo}}}));
        QCOMPARE(r.status, 200);
        const int annex = r.object().value(QStringLiteral("id")).toInt();
        r = http().post(
            QStringLiteral("/api/Users"),
            array({{{QStringLiteral("firstname"), QStringLiteral("Kim")},
                    {QStringLiteral("surname"), QStringLiteral("Park")},
                    {QStringLiteral("emailaddress"), QStringLiteral("kim@solo.example")},
                    {QStringLiteral("site_id"), annex}}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("name")).toString(), QStringLiteral("Kim Park"));
        QCOMPARE(r.object().value(QStringLiteral("client_id")).toInt(), solo);
        QCOMPARE(halo().userCount(), 1);
    }

    void partialUpdateKeepsOtherFields()
    {
        HttpReply r =
            http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("name"), QStringLiteral("Keep")},
                                {QStringLiteral("website"), QStringLiteral("keep.example")},
                                {QStringLiteral("notes"), QStringLiteral("first")}}}));
        const int id = r.object().value(QStringLiteral("id")).toInt();
        r = http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("id"), id},
                                {QStringLiteral("notes"), QStringLiteral("second")}}}));
        QCOMPARE(r.status, 200);
        const QJsonObject c = http().get(QStringLiteral("/api/Client/%1").arg(id)).object();
        QCOMPARE(c.value(QStringLiteral("notes")).toString(), QStringLiteral("second"));
        QCOMPARE(c.value(QStringLiteral("website")).toString(), QStringLiteral("keep.example"));
        QCOMPARE(c.value(QStringLiteral("name")).toString(), QStringLiteral("Keep"));
        QCOMPARE(halo().clientCount(), 1);
    }

    void hubspotIdRoundTrip()
    {
        HttpReply r =
            http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("name"), QStringLiteral("Linked")},
                                {QStringLiteral("hubspot_id"), QStringLiteral("9876543210")}}}));
        const int id = r.object().value(QStringLiteral("id")).toInt();
        const int site = r.object().value(QStringLiteral("main_site_id")).toInt();
        QCOMPARE(http()
                     .get(QStringLiteral("/api/Client/%1").arg(id))
                     .object()
                     .value(QStringLiteral("hubspot_id"))
                     .toString(),
                 QStringLiteral("9876543210"));
        QCOMPARE(http()
                     .get(QStringLiteral("/api/Client"))
                     .object()
                     .value(QStringLiteral("clients"))
                     .toArray()
                     .at(0)[QStringLiteral("hubspot_id")]
                     .toString(),
                 QStringLiteral("9876543210"));
        r = http().post(QStringLiteral("/api/Users"),
                        array({{{QStringLiteral("name"), QStringLiteral("Lin Ked")},
                                {QStringLiteral("site_id"), site},
                                {QStringLiteral("hubspot_id"), 551}}}));
        const int user = r.object().value(QStringLiteral("id")).toInt();
        QCOMPARE(http()
                     .get(QStringLiteral("/api/Users/%1").arg(user))
                     .object()
                     .value(QStringLiteral("hubspot_id"))
                     .toString(),
                 QStringLiteral("551"));
    }

    void userValidation()
    {
        const int client = halo().addClient(QStringLiteral("Home"));
        const int site = halo().store().client(client)->mainSiteId;
        HttpReply r = http().post(QStringLiteral("/api/Users"),
                                  array({{{QStringLiteral("name"), QStringLiteral("No Site")}}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().keys(), QStringList{QStringLiteral("[0].site_id")});
        QVERIFY(r.object()
                    .value(QStringLiteral("[0].site_id"))
                    .toString()
                    .contains(QStringLiteral("No Site")));

        r = http().post(QStringLiteral("/api/Users"),
                        array({{{QStringLiteral("name"), QStringLiteral("Lost")},
                                {QStringLiteral("site_id"), 999999}}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object()
                    .value(QStringLiteral("[0].site_id"))
                    .toString()
                    .contains(QStringLiteral("999999")));

        r = http().post(QStringLiteral("/api/Users"), array({{{QStringLiteral("site_id"), site}}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("[0].name")));

        r = http().post(QStringLiteral("/api/Site"),
                        array({{{QStringLiteral("name"), QStringLiteral("Orphan")}}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("[0].client_id")));
        r = http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("website"), QStringLiteral("x.example")}}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("[0].name")));
        QCOMPARE(halo().userCount(), 0);
        QCOMPARE(halo().clientCount(), 1);
    }

    void userNamesFollowFirstAndSurname()
    {
        const int site =
            halo().store().client(halo().addClient(QStringLiteral("Names")))->mainSiteId;
        const auto post = [this](const QJsonObject &o) {
            return http().post(QStringLiteral("/api/Users"), array({o})).object();
        };
        const int kim = post({{QStringLiteral("firstname"), QStringLiteral("Kim")},
                              {QStringLiteral("surname"), QStringLiteral("Park")},
                              {QStringLiteral("site_id"), site}})
                            .value(QStringLiteral("id"))
                            .toInt();
        const int doc = post({{QStringLiteral("name"), QStringLiteral("Dr. Who")},
                              {QStringLiteral("firstname"), QStringLiteral("John")},
                              {QStringLiteral("surname"), QStringLiteral("Smith")},
                              {QStringLiteral("site_id"), site}})
                            .value(QStringLiteral("id"))
                            .toInt();
        // A derived name follows a changed surname; an explicit name stays.
        QCOMPARE(
            post({{QStringLiteral("id"), kim}, {QStringLiteral("surname"), QStringLiteral("Lee")}})
                .value(QStringLiteral("name"))
                .toString(),
            QStringLiteral("Kim Lee"));
        QCOMPARE(post({{QStringLiteral("id"), doc},
                       {QStringLiteral("surname"), QStringLiteral("Jones")}})
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("Dr. Who"));
        const HttpReply r = http().get(
            QStringLiteral("/api/Users"),
            query({{"order", s("name")},
                   {"client_id", QString::number(halo().store().site(site)->clientId)}}));
        const QJsonArray rows = r.object().value(QStringLiteral("users")).toArray();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0)[QStringLiteral("name")].toString(), QStringLiteral("Dr. Who"));
        QCOMPARE(rows.at(1)[QStringLiteral("name")].toString(), QStringLiteral("Kim Lee"));
        QCOMPARE(rows.at(1)[QStringLiteral("surname")].toString(), QStringLiteral("Lee"));

        // A user's client comes from the site; a contradicting client_id is refused.
        const int other = halo().addClient(QStringLiteral("Other"));
        const HttpReply bad =
            http().post(QStringLiteral("/api/Users"),
                        array({{{QStringLiteral("name"), QStringLiteral("Mismatch")},
                                {QStringLiteral("site_id"), site},
                                {QStringLiteral("client_id"), other}}}));
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.object().contains(QStringLiteral("[0].client_id")));
        // Moving a user to another client's site moves the user to that client.
        const int otherSite = halo().store().client(other)->mainSiteId;
        QCOMPARE(post({{QStringLiteral("id"), kim}, {QStringLiteral("site_id"), otherSite}})
                     .value(QStringLiteral("client_id"))
                     .toInt(),
                 other);
        QCOMPARE(
            http()
                .get(QStringLiteral("/api/Users"), query({{"client_id", QString::number(other)}}))
                .object()
                .value(QStringLiteral("record_count"))
                .toInt(),
            1);
    }

    void invalidElementRejectsWholeBatch()
    {
        const int site =
            halo().store().client(halo().addClient(QStringLiteral("Batch")))->mainSiteId;
        const HttpReply r =
            http().post(QStringLiteral("/api/Users"),
                        array({{{QStringLiteral("name"), QStringLiteral("Good One")},
                                {QStringLiteral("site_id"), site}},
                               {{QStringLiteral("name"), QStringLiteral("Good Two")},
                                {QStringLiteral("site_id"), site}},
                               {{QStringLiteral("name"), QStringLiteral("Bad Three")}}}));
        QCOMPARE(r.status, 400);
        const QString key = r.object().keys().value(0);
        QCOMPARE(key, QStringLiteral("[2].site_id"));
        QVERIFY(r.object().value(key).toString().contains(QStringLiteral("Bad Three")));
        QCOMPARE(halo().userCount(), 0); // nothing written
    }

    void updateOfUnknownIdIsNotFound()
    {
        const HttpReply r =
            http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("id"), 424242},
                                {QStringLiteral("name"), QStringLiteral("Ghost")}}}));
        QCOMPARE(r.status, 404);
        QVERIFY(r.string().contains(QStringLiteral("424242")));
        QCOMPARE(halo().clientCount(), 0);
    }

    void deleteRemoves()
    {
        const int a = halo().addClient(QStringLiteral("Doomed"));
        const int mainSite = halo().store().client(a)->mainSiteId;
        const int branch = halo().addSite(a, QStringLiteral("Branch"));
        const int user =
            halo().addUser(mainSite, QStringLiteral("Short"), QStringLiteral("Lived"), {});

        // A client's main site stays; a site with users stays.
        HttpReply r = http().del(QStringLiteral("/api/Site/%1").arg(mainSite));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("Message")));
        r = http().del(QStringLiteral("/api/Site/%1").arg(branch));
        QCOMPARE(r.status, 200);
        QCOMPARE(http().get(QStringLiteral("/api/Site/%1").arg(branch)).status, 404);

        r = http().del(QStringLiteral("/api/Users/%1").arg(user));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("id")).toInt(), user);
        QCOMPARE(http().get(QStringLiteral("/api/Users/%1").arg(user)).status, 404);
        QCOMPARE(halo().userCount(), 0);

        halo().addUser(mainSite, QStringLiteral("Goes"), QStringLiteral("Too"), {});
        r = http().del(QStringLiteral("/api/Client/%1").arg(a));
        QCOMPARE(r.status, 200);
        QCOMPARE(http().get(QStringLiteral("/api/Client/%1").arg(a)).status, 404);
        QCOMPARE(halo().clientCount(), 0);
        QCOMPARE(halo().userCount(), 0); // its users went with it
        QCOMPARE(halo().siteCount(), 0);
        QCOMPARE(http().del(QStringLiteral("/api/Client/%1").arg(a)).status, 404);
    }

    void everyErrorShape()
    {
        const int site =
            halo().store().client(halo().addClient(QStringLiteral("Shapes")))->mainSiteId;
        Q_UNUSED(site)
        // Bare JSON string: unknown id.
        HttpReply r = http().get(QStringLiteral("/api/Client/99999"));
        QCOMPARE(r.status, 404);
        QVERIFY(r.body.startsWith('"'));
        QVERIFY(r.string().contains(QStringLiteral("99999")));
        // {"error", "error_description"}: token endpoint.
        r = http().requestToken(QStringLiteral("x"), QStringLiteral("y"));
        QVERIFY(r.object().contains(QStringLiteral("error")));
        // {"ClassName", "Message"}: a body that is not an array, or not JSON.
        r = http().post(QStringLiteral("/api/Client"),
                        QJsonDocument(QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("ClassName")));
        QVERIFY(r.object()
                    .value(QStringLiteral("Message"))
                    .toString()
                    .contains(QStringLiteral("array")));
        r = http().postRaw(QStringLiteral("/api/Client"), "[{\"name\":", "application/json");
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("ClassName")));
        // {"Message"}: no token.
        HaloHttp anonymous(halo());
        r = anonymous.get(QStringLiteral("/api/Client"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.object().keys(), QStringList{QStringLiteral("Message")});
        // {"resultCode", "errorMessage"}: a custom field value.
        r = http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("name"), QStringLiteral("Bad Field")},
                                {QStringLiteral("customfields"),
                                 QJsonArray{QJsonObject{{QStringLiteral("id"), 99999},
                                                        {QStringLiteral("value"), 1}}}}}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.object().contains(QStringLiteral("resultCode")));
        QVERIFY(r.object()
                    .value(QStringLiteral("errorMessage"))
                    .toString()
                    .contains(QStringLiteral("99999")));
        // {"<field>": "<message>"}: ordinary validation.
        r = http().post(QStringLiteral("/api/Client"),
                        array({{{QStringLiteral("name"), QString()}}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().keys(), QStringList{QStringLiteral("[0].name")});
    }

    void sandboxStats()
    {
        halo().addClient(QStringLiteral("One"));
        HaloHttp anonymous(halo());
        const HttpReply r = anonymous.get(QStringLiteral("/_sandbox/stats"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("clients")).toInt(), 1);
        QCOMPARE(r.object().value(QStringLiteral("sites")).toInt(), 1);
        QCOMPARE(r.object().value(QStringLiteral("users")).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFakeHaloApi)
#include "tst_fakehalo_api.moc"
