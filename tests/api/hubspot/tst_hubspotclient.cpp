// Tests HubSpotClient against the fake HubSpot over loopback: paging, batch 207 mapping,
// associations, both API version spellings, and use from a worker thread.
#include "HubSpotSandbox.h"

#include <QSet>
#include <QThread>

#include <atomic>

using namespace halospot::test;

class TestHubSpotClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listAllReturnsEachCompanyOnce_data();
    void listAllReturnsEachCompanyOnce();
    void batchMapsResultsAndErrorsToInputs();
    void batchChunksLargeInputs();
    void associationsMatchInlineAssociations();
    void primaryAssociationComesFirst();
    void bothApiVersionSpellingsWork_data();
    void bothApiVersionSpellingsWork();
    void runsOnAWorkerThread();
};

void TestHubSpotClient::listAllReturnsEachCompanyOnce_data()
{
    QTest::addColumn<qint64>("companies");
    QTest::addColumn<int>("concurrency");
    QTest::newRow("25000, parallel cursors") << qint64(25000) << 6;
    QTest::newRow("1500, one cursor") << qint64(1500) << 1;
}

void TestHubSpotClient::listAllReturnsEachCompanyOnce()
{
    QFETCH(qint64, companies);
    QFETCH(int, concurrency);
    HubSpotSandbox sandbox(companies);
    HubSpotTokens tokens(sandbox.settings());
    tokens.setStaticToken(sandbox.hubspot().staticToken());
    HubSpotClient client(&tokens);
    client.setConcurrency(concurrency);

    QSet<QString> ids;
    qint64 delivered = 0;
    Awaited<qint64> all;
    HubSpotListOptions options;
    options.properties = {QStringLiteral("name"), QStringLiteral("domain")};
    client.listAll(
        QStringLiteral("companies"), options,
        [&](const QList<HubSpotObject> &page) {
            for (const HubSpotObject &o : page)
                ids.insert(o.id);
            delivered += page.size();
        },
        all.callback());
    QTRY_VERIFY_WITH_TIMEOUT(all.done(), 50000);
    QVERIFY2(all.reply->ok(), qPrintable(all.reply->message));
    QCOMPARE(all.reply->value, companies);
    QCOMPARE(delivered, companies); // nothing twice
    QCOMPARE(qint64(ids.size()), companies);
    const qint64 base = HubSpotStore::baseId(ObjectKind::Company);
    QVERIFY(ids.contains(QString::number(base)));
    QVERIFY(ids.contains(QString::number(base + companies - 1)));
    // The client paced itself: the sandbox never had to refuse a request.
    QCOMPARE(sandbox.hubspot().countForStatus(429), 0);
}

void TestHubSpotClient::batchMapsResultsAndErrorsToInputs()
{
    HubSpotSandbox sandbox(20, 50);
    HubSpotTokens tokens(sandbox.settings());
    tokens.setStaticToken(sandbox.hubspot().staticToken());
    HubSpotClient client(&tokens);

    // An existing contact's e-mail makes a create conflict.
    Awaited<HubSpotPage> page;
    HubSpotListOptions options;
    options.properties = {QStringLiteral("email")};
    options.pageSize = 5;
    client.listPage(QStringLiteral("contacts"), options, {}, page.callback());
    QTRY_VERIFY(page.done());
    QVERIFY2(page.reply->ok(), qPrintable(page.reply->message));
    const HubSpotObject existing = page.reply->value.results.first();
    const QString takenEmail = existing.properties.value(QStringLiteral("email"));
    QVERIFY(!takenEmail.isEmpty());

    auto contact = [](const QString &email) {
        HubSpotBatchInput in;
        in.properties = {{QStringLiteral("email"), email},
                         {QStringLiteral("firstname"), QStringLiteral("Ada")}};
        return in;
    };
    QList<HubSpotBatchInput> creates{contact(QStringLiteral("new1@example.invalid")),
                                     contact(takenEmail),
                                     contact(QStringLiteral("new2@example.invalid")),
                                     contact(QStringLiteral("new3@example.invalid")),
                                     contact(QStringLiteral("new4@example.invalid"))};
    creates[3].properties.insert(QStringLiteral("no_such_property"), QStringLiteral("x"));
    Awaited<QList<HubSpotBatchItem>> created;
    client.batch(BatchOp::Create, QStringLiteral("contacts"), creates, {}, created.callback());
    QTRY_VERIFY(created.done());
    QVERIFY2(created.reply->ok(), qPrintable(created.reply->message));
    const QList<HubSpotBatchItem> &items = created.reply->value;
    QCOMPARE(items.size(), creates.size());
    for (int i : {0, 2, 4}) {
        QVERIFY2(items[i].ok(), qPrintable(items[i].message));
        QVERIFY(items[i].created);
        QCOMPARE(items[i].object.properties.value(QStringLiteral("email")),
                 creates[i].properties.value(QStringLiteral("email")));
    }
    QCOMPARE(items[1].error, ApiError::Http);
    QCOMPARE(items[1].category, QStringLiteral("CONFLICT"));
    QVERIFY(items[1].message.contains(existing.id));
    QCOMPARE(items[3].category, QStringLiteral("VALIDATION_ERROR"));
    QCOMPARE(sandbox.hubspot().contactCount(), 53);

    // Reads and updates: unknown IDs fail, the others keep their places.
    const QString missing = QStringLiteral("999999999");
    const QList<HubSpotBatchInput> keys{
        {items[4].object.id, {}, {}, {}}, {missing, {}, {}, {}}, {existing.id, {}, {}, {}}};
    Awaited<QList<HubSpotBatchItem>> read;
    client.batch(BatchOp::Read, QStringLiteral("contacts"), keys, {QStringLiteral("email")},
                 read.callback());
    QTRY_VERIFY(read.done());
    QCOMPARE(read.reply->value.size(), 3);
    QVERIFY(read.reply->value[0].ok());
    QCOMPARE(read.reply->value[0].object.id, items[4].object.id);
    QCOMPARE(read.reply->value[1].category, QStringLiteral("OBJECT_NOT_FOUND"));
    QVERIFY(read.reply->value[2].ok());
    QCOMPARE(read.reply->value[2].object.properties.value(QStringLiteral("email")), takenEmail);

    QList<HubSpotBatchInput> updates = keys;
    for (HubSpotBatchInput &in : updates)
        in.properties = {{QStringLiteral("jobtitle"), QStringLiteral("Engineer")}};
    Awaited<QList<HubSpotBatchItem>> updated;
    client.batch(BatchOp::Update, QStringLiteral("contacts"), updates, {}, updated.callback());
    QTRY_VERIFY(updated.done());
    QVERIFY(updated.reply->value[0].ok());
    QCOMPARE(updated.reply->value[1].category, QStringLiteral("OBJECT_NOT_FOUND"));
    QVERIFY(updated.reply->value[2].ok());
    QCOMPARE(updated.reply->value[2].object.id, existing.id);
    QCOMPARE(updated.reply->value[2].object.properties.value(QStringLiteral("jobtitle")),
             QStringLiteral("Engineer"));

    // Upsert by e-mail: one existing, one new.
    QList<HubSpotBatchInput> upserts{{takenEmail,
                                      QStringLiteral("email"),
                                      {{QStringLiteral("lastname"), QStringLiteral("Known")}},
                                      {}},
                                     {QStringLiteral("fresh@example.invalid"),
                                      QStringLiteral("email"),
                                      {{QStringLiteral("lastname"), QStringLiteral("Fresh")}},
                                      {}}};
    Awaited<QList<HubSpotBatchItem>> upserted;
    client.batch(BatchOp::Upsert, QStringLiteral("contacts"), upserts, {}, upserted.callback());
    QTRY_VERIFY(upserted.done());
    QVERIFY2(upserted.reply->value[0].ok(), qPrintable(upserted.reply->value[0].message));
    QCOMPARE(upserted.reply->value[0].object.id, existing.id);
    QVERIFY(!upserted.reply->value[0].created);
    QVERIFY(upserted.reply->value[1].ok());
    QVERIFY(upserted.reply->value[1].created);
    QCOMPARE(upserted.reply->value[1].object.properties.value(QStringLiteral("lastname")),
             QStringLiteral("Fresh"));

    // Archive, then the record is gone for reads.
    Awaited<QList<HubSpotBatchItem>> archived;
    client.batch(BatchOp::Archive, QStringLiteral("contacts"), {{items[0].object.id, {}, {}, {}}},
                 {}, archived.callback());
    QTRY_VERIFY(archived.done());
    QVERIFY(archived.reply->ok());
    QVERIFY(archived.reply->value[0].ok());
    Awaited<QList<HubSpotBatchItem>> gone;
    client.batch(BatchOp::Read, QStringLiteral("contacts"), {{items[0].object.id, {}, {}, {}}}, {},
                 gone.callback());
    QTRY_VERIFY(gone.done());
    QCOMPARE(gone.reply->value[0].category, QStringLiteral("OBJECT_NOT_FOUND"));
}

void TestHubSpotClient::batchChunksLargeInputs()
{
    HubSpotSandbox sandbox(250, 10);
    HubSpotTokens tokens(sandbox.settings());
    tokens.setStaticToken(sandbox.hubspot().staticToken());
    HubSpotClient client(&tokens);
    QList<HubSpotBatchInput> inputs;
    const qint64 base = HubSpotStore::baseId(ObjectKind::Company);
    for (qint64 i = 249; i >= 0; --i) // reversed, so that order is not a coincidence
        inputs.append({QString::number(base + i), {}, {}, {}});
    const qint64 before = sandbox.hubspot().requestCount();
    Awaited<QList<HubSpotBatchItem>> read;
    client.batch(BatchOp::Read, QStringLiteral("companies"), inputs, {QStringLiteral("name")},
                 read.callback());
    QTRY_VERIFY(read.done());
    QVERIFY2(read.reply->ok(), qPrintable(read.reply->message));
    QCOMPARE(read.reply->value.size(), 250);
    for (int i = 0; i < inputs.size(); ++i) {
        QVERIFY(read.reply->value[i].ok());
        QCOMPARE(read.reply->value[i].object.id, inputs[i].id);
    }
    QCOMPARE(sandbox.hubspot().requestCount() - before, 3); // 100 + 100 + 50
}

void TestHubSpotClient::primaryAssociationComesFirst()
{
    // HubSpot lists a company once per association type, in no promised order; the primary one
    // ("contact_to_company") is what the contact import places a contact by.
    const auto json = QJsonDocument::fromJson(R"({"id": "51", "properties": {},
        "associations": {"companies": {"results": [
            {"id": "7", "type": "contact_to_company_unlabeled"},
            {"id": "8", "type": "contact_to_company_unlabeled"},
            {"id": "8", "type": "contact_to_company"},
            {"id": "9", "type": "employer"}]}}})")
                          .object();
    const halospot::api::HubSpotObject o = halospot::api::HubSpotClient::parseObject(json);
    QCOMPARE(o.associations.value(QStringLiteral("companies")),
             QStringList({QStringLiteral("8"), QStringLiteral("7"), QStringLiteral("9")}));
}

void TestHubSpotClient::associationsMatchInlineAssociations()
{
    HubSpotSandbox sandbox(30, 150);
    HubSpotTokens tokens(sandbox.settings());
    tokens.setStaticToken(sandbox.hubspot().staticToken());
    HubSpotClient client(&tokens);
    QHash<QString, QSet<QString>> inline_;
    Awaited<qint64> all;
    HubSpotListOptions options;
    options.associations = {QStringLiteral("companies")};
    client.listAll(
        QStringLiteral("contacts"), options,
        [&](const QList<HubSpotObject> &page) {
            for (const HubSpotObject &o : page) {
                const QStringList ids = o.associations.value(QStringLiteral("companies"));
                inline_.insert(o.id, QSet<QString>(ids.cbegin(), ids.cend()));
            }
        },
        all.callback());
    QTRY_VERIFY(all.done());
    QVERIFY2(all.reply->ok(), qPrintable(all.reply->message));
    QCOMPARE(inline_.size(), 150);

    Awaited<HubSpotClient::AssociationMap> v4;
    client.associations(QStringLiteral("contacts"), QStringLiteral("companies"), inline_.keys(),
                        v4.callback());
    QTRY_VERIFY(v4.done());
    QVERIFY2(v4.reply->ok(), qPrintable(v4.reply->message));
    int withCompany = 0;
    for (auto it = inline_.cbegin(); it != inline_.cend(); ++it) {
        QSet<QString> fromV4;
        for (const HubSpotAssociation &a : v4.reply->value.value(it.key())) {
            fromV4.insert(a.toId);
            QVERIFY(a.typeIds.contains(279) || a.typeIds.contains(1));
        }
        QCOMPARE(fromV4, it.value());
        withCompany += it.value().isEmpty() ? 0 : 1;
    }
    QVERIFY(withCompany > 0);
}

void TestHubSpotClient::bothApiVersionSpellingsWork_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("objectsPath");
    QTest::newRow("v3") << QStringLiteral("v3") << QStringLiteral("/crm/v3/objects/companies");
    QTest::newRow("2026-03") << QStringLiteral("2026-03")
                             << QStringLiteral("/crm/objects/2026-03/companies");
}

void TestHubSpotClient::bothApiVersionSpellingsWork()
{
    QFETCH(QString, version);
    QFETCH(QString, objectsPath);
    HubSpotSandbox sandbox(120, 60);
    const HubSpotSettings settings = sandbox.settings(version);
    QCOMPARE(settings.objectsPath(QStringLiteral("companies")), objectsPath);
    // OAuth, so that the token endpoint's spelling is exercised too.
    const OAuthGrant grant = sandbox.grant();
    QVERIFY(!grant.refreshToken.isEmpty());
    HubSpotTokens tokens(settings);
    tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);
    HubSpotClient client(&tokens);

    Awaited<HubSpotAccountInfo> account;
    client.accountInfo(account.callback());
    QTRY_VERIFY(account.done());
    QVERIFY2(account.reply->ok(), qPrintable(account.reply->message));
    QCOMPARE(account.reply->value.portalId, sandbox.hubspot().oauth().config().portalId);
    QCOMPARE(tokens.refreshCount(), 1);

    Awaited<QList<HubSpotProperty>> properties;
    client.properties(QStringLiteral("companies"), properties.callback());
    QTRY_VERIFY(properties.done());
    QVERIFY2(properties.reply->ok(), qPrintable(properties.reply->message));
    bool stages = false, readOnly = false;
    for (const HubSpotProperty &p : std::as_const(properties.reply->value)) {
        stages |= p.name == QLatin1String("lifecyclestage") && p.options.size() >= 8;
        readOnly |= p.readOnlyValue;
    }
    QVERIFY(stages);
    QVERIFY(readOnly);

    Awaited<HubSpotPage> page;
    client.listPage(QStringLiteral("companies"), {}, {}, page.callback());
    QTRY_VERIFY(page.done());
    QVERIFY2(page.reply->ok(), qPrintable(page.reply->message));
    QCOMPARE(page.reply->value.results.size(), 100);
    QVERIFY(!page.reply->value.nextAfter.isEmpty());

    Awaited<HubSpotPage> found;
    HubSpotSearchQuery search;
    search.limit = 7;
    client.searchPage(QStringLiteral("companies"), search, found.callback());
    QTRY_VERIFY(found.done());
    QVERIFY2(found.reply->ok(), qPrintable(found.reply->message));
    QCOMPARE(found.reply->value.total, 120);
    QCOMPARE(found.reply->value.results.size(), 7);

    Awaited<HubSpotClient::AssociationMap> v4;
    const QString contact = QString::number(HubSpotStore::baseId(ObjectKind::Contact));
    client.associations(QStringLiteral("contacts"), QStringLiteral("companies"), {contact},
                        v4.callback());
    QTRY_VERIFY(v4.done());
    QVERIFY2(v4.reply->ok(), qPrintable(v4.reply->message));
    QVERIFY(v4.reply->value.contains(contact));

    // Expiring the token forces a refresh through this version's token endpoint.
    sandbox.hubspot().oauth().expireAllAccessTokens();
    Awaited<HubSpotAccountInfo> again;
    client.accountInfo(again.callback());
    QTRY_VERIFY(again.done());
    QVERIFY2(again.reply->ok(), qPrintable(again.reply->message));
    QCOMPARE(tokens.refreshCount(), 2);
}

void TestHubSpotClient::runsOnAWorkerThread()
{
    const qint64 companies = 3000;
    HubSpotSandbox sandbox(companies);
    const OAuthGrant grant = sandbox.grant();
    // The tokens live on this thread and are shared with the client on the worker.
    HubSpotTokens tokens(sandbox.settings());
    tokens.setOAuth(grant.clientId, grant.clientSecret, grant.refreshToken);

    QThread worker;
    worker.setObjectName(QStringLiteral("hubspot-worker"));
    worker.start();
    auto *anchor = new QObject;
    anchor->moveToThread(&worker);
    std::atomic<bool> finished{false};
    std::atomic<bool> ok{false};
    std::atomic<bool> onWorker{true};
    std::atomic<qint64> delivered{0};
    QMutex idsMutex;
    QSet<QString> ids;
    QMetaObject::invokeMethod(anchor, [&, anchor] {
        auto *client = new HubSpotClient(&tokens, anchor);
        client->listAll(
            QStringLiteral("companies"), {},
            [&](const QList<HubSpotObject> &page) {
                onWorker = onWorker && QThread::currentThread() == &worker;
                QMutexLocker lock(&idsMutex);
                for (const HubSpotObject &o : page)
                    ids.insert(o.id);
                delivered += page.size();
            },
            [&](const HubSpotReply<qint64> &reply) {
                ok = reply.ok() && reply.value == companies;
                finished = true;
            });
    });
    QTRY_VERIFY_WITH_TIMEOUT(finished.load(), 50000);
    QMetaObject::invokeMethod(
        anchor, [anchor] { delete anchor; }, Qt::BlockingQueuedConnection);
    worker.quit();
    worker.wait();
    QVERIFY(ok.load());
    QVERIFY(onWorker.load());
    QCOMPARE(delivered.load(), companies);
    QCOMPARE(qint64(ids.size()), companies);
    QCOMPARE(tokens.refreshCount(), 1);
}

QTEST_GUILESS_MAIN(TestHubSpotClient)
#include "tst_hubspotclient.moc"
