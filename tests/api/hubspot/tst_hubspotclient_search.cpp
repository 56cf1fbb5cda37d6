// Tests HubSpotClient::searchAll against the fake HubSpot over loopback: more than 10 000 matches
// sharing one hs_lastmodifieddate are all returned, once each, without paging into the cap.
#include "HubSpotSandbox.h"

#include <QSet>

using namespace halospot::test;

class TestHubSpotClientSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void searchPastTheCapWithIdenticalTimestamps();
};

void TestHubSpotClientSearch::searchPastTheCapWithIdenticalTimestamps()
{
    const qint64 companies = 10500;
    HubSpotSandbox sandbox(companies, 10);
    HubSpotTokens tokens(sandbox.settings());
    tokens.setStaticToken(sandbox.hubspot().staticToken());
    HubSpotClient client(&tokens);

    // A month-end style bulk update: with the sandbox clock (almost) stopped every record gets
    // the same hs_lastmodifieddate. Done in-process: the setup is not what is under test.
    const qint64 base = HubSpotStore::baseId(ObjectKind::Company);
    sandbox.clock().setScale(1e-9);
    QSet<QString> stamps;
    for (qint64 i = 0; i < companies; ++i) {
        sandbox.hubspot().store().update(ObjectKind::Company, base + i,
                                         {{QStringLiteral("description"), QStringLiteral("bulk")}});
        stamps.insert(sandbox.hubspot()
                          .store()
                          .get(ObjectKind::Company, base + i)
                          ->props.value(QStringLiteral("hs_lastmodifieddate")));
    }
    sandbox.clock().setScale(50);
    QCOMPARE(stamps.size(), 1);
    const QDateTime stamp = QDateTime::fromString(*stamps.cbegin(), Qt::ISODateWithMs);
    QVERIFY(stamp.isValid());

    HubSpotSearchQuery search;
    search.filterGroups = {{{QStringLiteral("hs_lastmodifieddate"),
                             QStringLiteral("EQ"),
                             QString::number(stamp.toMSecsSinceEpoch()),
                             {},
                             {}}}};
    search.properties = {QStringLiteral("hs_lastmodifieddate")};
    QSet<QString> ids;
    qint64 delivered = 0;
    Awaited<qint64> all;
    client.searchAll(
        QStringLiteral("companies"), search,
        [&](const QList<HubSpotObject> &page) {
            for (const HubSpotObject &o : page)
                ids.insert(o.id);
            delivered += page.size();
        },
        all.callback());
    QTRY_VERIFY_WITH_TIMEOUT(all.done(), 50000);
    QVERIFY2(all.reply->ok(), qPrintable(all.reply->message));
    QCOMPARE(all.reply->value, companies);
    QCOMPARE(delivered, companies);
    QCOMPARE(qint64(ids.size()), companies);
    QCOMPARE(sandbox.hubspot().countForStatus(400), 0); // never paged into the cap
}

QTEST_GUILESS_MAIN(TestHubSpotClientSearch)
#include "tst_hubspotclient_search.moc"
