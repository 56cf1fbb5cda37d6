// FakeHalo over loopback: the token's scope decides what it may do with customers. Read rights
// (all, all:standard, admin, read:customers, edit:customers) for GET Client/Site/Users/FieldInfo,
// edit rights (all, all:standard, admin, edit:customers) for POST and DELETE; otherwise 403 in the
// {"Message"} shape. 401 still comes first for a missing token, and 405 stays 405.
#include "HaloHttp.h"

#include <QTest>

using namespace halospot::sandbox;
using namespace halospot::sandbox::test;

class TestFakeHaloScopes final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<FakeHalo> m_halo;
    int m_clientId = 0;
    int m_siteId = 0;

    FakeHalo &startHalo()
    {
        m_clock = std::make_unique<Clock>();
        m_halo = std::make_unique<FakeHalo>(
            HaloConfig{QStringLiteral("app"), QStringLiteral("s3cret")}, m_clock.get());
        if (m_halo->listen() == 0)
            qFatal("FakeHalo did not listen");
        m_clientId = m_halo->addClient(QStringLiteral("Acme Ltd"));
        m_siteId = m_halo->store().client(m_clientId)->mainSiteId;
        m_halo->addUser(m_siteId, QStringLiteral("Ada"), QStringLiteral("Lovelace"),
                        QStringLiteral("ada@acme.invalid"));
        return *m_halo;
    }

    // A token obtained through /auth/token with this scope.
    QString tokenFor(HaloHttp &http, const QString &scope)
    {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("app"));
        form.addQueryItem(QStringLiteral("client_secret"), QStringLiteral("s3cret"));
        form.addQueryItem(QStringLiteral("scope"), scope);
        const HttpReply r = http.postRaw(QStringLiteral("/auth/token"),
                                         form.toString(QUrl::FullyEncoded).toLatin1(),
                                         "application/x-www-form-urlencoded");
        if (r.status != 200 || r.object().value(QStringLiteral("scope")).toString() != scope)
            return QString();
        return r.object().value(QStringLiteral("access_token")).toString();
    }

    QJsonDocument newClient() const
    {
        return QJsonDocument(
            QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("New")}}});
    }

private Q_SLOTS:
    void cleanup()
    {
        m_halo.reset();
        m_clock.reset();
    }

    void scopeRules()
    {
        const auto list = [](std::initializer_list<const char *> items) {
            QStringList out;
            for (const char *i : items)
                out << QLatin1String(i);
            return out;
        };
        for (const char *s : {"all", "all:standard", "admin", "read:customers", "edit:customers"})
            QVERIFY2(FakeHalo::scopeCanReadCustomers({QLatin1String(s)}), s);
        for (const char *s : {"all", "all:standard", "admin", "edit:customers"})
            QVERIFY2(FakeHalo::scopeCanEditCustomers({QLatin1String(s)}), s);
        QVERIFY(!FakeHalo::scopeCanEditCustomers(list({"read:customers"})));
        QVERIFY(!FakeHalo::scopeCanReadCustomers(list({"read:crm", "edit:crm", "edit:tickets"})));
        QVERIFY(!FakeHalo::scopeCanReadCustomers({}));
        QVERIFY(FakeHalo::scopeCanEditCustomers(list({"read:tickets", "edit:customers"})));
    }

    // Full rights: everything works (what every other Halo test relies on).
    void fullScopesReadAndWrite_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::newRow("all") << QStringLiteral("all");
        QTest::newRow("all:standard") << QStringLiteral("all:standard");
        QTest::newRow("admin") << QStringLiteral("admin");
        QTest::newRow("edit:customers") << QStringLiteral("edit:customers");
        QTest::newRow("several") << QStringLiteral("read:tickets edit:customers");
    }
    void fullScopesReadAndWrite()
    {
        QFETCH(QString, scope);
        startHalo();
        HaloHttp http(*m_halo);
        http.token = tokenFor(http, scope);
        QVERIFY(!http.token.isEmpty());
        for (const char *path : {"/api/Client", "/api/Site", "/api/Users", "/api/FieldInfo"})
            QCOMPARE(http.get(QLatin1String(path)).status, 200);
        const HttpReply created = http.post(QStringLiteral("/api/Client"), newClient());
        QVERIFY2(created.status == 200 || created.status == 201, created.body.constData());
        const int id = created.object().value(QStringLiteral("id")).toInt();
        QVERIFY(id > 0);
        QCOMPARE(http.del(QStringLiteral("/api/Client/%1").arg(id)).status, 200);
    }

    // read:customers reads everything but may not change anything.
    void readOnlyScope()
    {
        startHalo();
        HaloHttp http(*m_halo);
        http.token = tokenFor(http, QStringLiteral("read:customers"));
        QVERIFY(!http.token.isEmpty());
        for (const char *path : {"/api/Client", "/api/Site", "/api/Users", "/api/FieldInfo"})
            QCOMPARE(http.get(QLatin1String(path)).status, 200);
        QCOMPARE(http.get(QStringLiteral("/api/Client/%1").arg(m_clientId)).status, 200);

        const qint64 before = m_halo->clientCount();
        const HttpReply post = http.post(QStringLiteral("/api/Client"), newClient());
        QCOMPARE(post.status, 403);
        const QString message = post.object().value(QStringLiteral("Message")).toString();
        QVERIFY2(message.contains(QLatin1String("edit:customers")), qPrintable(message));
        QVERIFY(message.contains(QLatin1String("read:customers")));
        QCOMPARE(m_halo->clientCount(), before);
        const HttpReply del = http.del(QStringLiteral("/api/Client/%1").arg(m_clientId));
        QCOMPARE(del.status, 403);
        QVERIFY(m_halo->store().client(m_clientId) != nullptr);
        QCOMPARE(http.post(QStringLiteral("/api/Users"),
                           QJsonDocument(
                               QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("X")},
                                                      {QStringLiteral("site_id"), m_siteId}}}))
                     .status,
                 403);
    }

    // No customer rights at all: every customer read is a 403 naming the scope needed.
    void unrelatedScopeIsForbidden_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::newRow("read:tickets") << QStringLiteral("read:tickets");
        QTest::newRow("read:crm") << QStringLiteral("read:crm");
        QTest::newRow("edit:crm") << QStringLiteral("edit:crm");
    }
    void unrelatedScopeIsForbidden()
    {
        QFETCH(QString, scope);
        startHalo();
        HaloHttp http(*m_halo);
        http.token = tokenFor(http, scope);
        QVERIFY(!http.token.isEmpty());
        for (const char *path : {"/api/Client", "/api/Site", "/api/Users", "/api/FieldInfo"}) {
            const HttpReply r = http.get(QLatin1String(path));
            QCOMPARE(r.status, 403);
            const QString message = r.object().value(QStringLiteral("Message")).toString();
            QVERIFY2(message.contains(QLatin1String("read:customers")), qPrintable(message));
            QVERIFY(message.contains(scope));
        }
        QCOMPARE(http.get(QStringLiteral("/api/Client/%1").arg(m_clientId)).status, 403);
        QCOMPARE(http.post(QStringLiteral("/api/Client"), newClient()).status, 403);
    }

    // 401 (no or bad token) comes before 403; a method a resource lacks stays 405.
    void orderOfChecks()
    {
        startHalo();
        HaloHttp http(*m_halo);
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 401);
        http.token = QStringLiteral("not-a-token");
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 401);
        http.token = tokenFor(http, QStringLiteral("read:tickets"));
        QCOMPARE(
            http.send("PUT", QStringLiteral("/api/Client"), {}, "[]", "application/json").status,
            405);
        QCOMPARE(http.post(QStringLiteral("/api/FieldInfo"), QJsonDocument(QJsonArray{})).status,
                 405);
    }

    // issueToken (tests of other layers) carries the scope it is given; "all" by default.
    void issuedTokensCarryTheirScope()
    {
        startHalo();
        HaloHttp http(*m_halo);
        http.token = m_halo->issueToken();
        QCOMPARE(http.post(QStringLiteral("/api/Client"), newClient()).status, 200);
        http.token = m_halo->issueToken(QStringLiteral("read:customers"));
        QCOMPARE(http.get(QStringLiteral("/api/Client")).status, 200);
        QCOMPARE(http.post(QStringLiteral("/api/Client"), newClient()).status, 403);
        http.token = m_halo->issueToken(QStringLiteral("read:kb"));
        QCOMPARE(http.get(QStringLiteral("/api/Users")).status, 403);
    }
};

QTEST_GUILESS_MAIN(TestFakeHaloScopes)
#include "tst_fakehalo_scopes.moc"
