// Tests for core::Catalog on a real SQLite file: generation-wise refresh, the type-ahead searches
// (prefix, contains, ID, domain, normalization, % and _ taken literally), the small lists and 100
// 000 rows.
#include "Catalog.h"
#include "Store.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace halospot;
using namespace halospot::core;

namespace {

CatalogCompany company(const QString &id, const QString &name, const QString &domain = {},
                       const QString &stage = {})
{
    return CatalogCompany{id, name, domain, stage};
}

QStringList ids(const QList<CatalogCompany> &rows)
{
    QStringList out;
    for (const CatalogCompany &c : rows)
        out.append(c.id);
    return out;
}

QList<qint64> customerIds(const QList<CatalogCustomer> &rows)
{
    QList<qint64> out;
    for (const CatalogCustomer &c : rows)
        out.append(c.id);
    return out;
}

QList<qint64> siteIds(const QList<CatalogSite> &rows)
{
    QList<qint64> out;
    for (const CatalogSite &s : rows)
        out.append(s.id);
    return out;
}

} // namespace

class TestCatalog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void emptyCatalog();
    void addAndSearchCompanies();
    void generationReplacesAndFinishRemovesUnseen();
    void readersSeeOldCopyUntilFinish();
    void abandonedRefreshKeepsOldCopy();
    void addWithoutBeginFails();
    void unicodeAndFullWidthNames();
    void likeWildcardsAreLiteral();
    void customersAndSites();
    void smallLists();
    void displayTexts();
    void hundredThousandCompanies();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Catalog> m_catalog;

    void fillCompanies(const QList<CatalogCompany> &rows)
    {
        QVERIFY(m_catalog->begin(CatalogList::Companies).ok());
        const Status added = m_catalog->addCompanies(rows);
        QVERIFY2(added.ok(), qPrintable(added.error()));
        QVERIFY(m_catalog->finish(CatalogList::Companies).ok());
    }
};

void TestCatalog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<Store>(m_dir->filePath(QStringLiteral("halospot.db")));
    const Status opened = m_store->open();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    m_catalog = std::make_unique<Catalog>(*m_store);
}

void TestCatalog::cleanup()
{
    m_catalog.reset();
    m_store.reset();
    m_dir.reset();
}

void TestCatalog::emptyCatalog()
{
    QVERIFY(m_catalog->searchCompanies(QString()).value().isEmpty());
    QVERIFY(m_catalog->searchCustomers(QStringLiteral("a")).value().isEmpty());
    QVERIFY(m_catalog->searchSites(QString(), 5).value().isEmpty());
    QCOMPARE(m_catalog->count(CatalogList::Companies).value(), 0);
    QCOMPARE(m_catalog->count(CatalogList::LifecycleStages).value(), 0);
    QVERIFY(!m_catalog->refreshedAt(CatalogList::Companies).value().isValid());
    QVERIFY(!m_catalog->company(QStringLiteral("1")).value().has_value());
    QVERIFY(!m_catalog->customer(1).value().has_value());
    QVERIFY(!m_catalog->site(1).value().has_value());
    QVERIFY(m_catalog->stages().value().isEmpty());
    QVERIFY(m_catalog->properties(Entity::Company).value().isEmpty());
    QVERIFY(m_catalog->fields(Entity::Contact).value().isEmpty());
}

void TestCatalog::addAndSearchCompanies()
{
    fillCompanies(
        {company(QStringLiteral("101"), QStringLiteral("Acme Corporation"),
                 QStringLiteral("Acme.com"), QStringLiteral("customer")),
         company(QStringLiteral("102"), QStringLiteral("Beta Acme"), QStringLiteral("beta.io")),
         company(QStringLiteral("103"), QStringLiteral("Gamma"), QStringLiteral("acmegamma.net")),
         company(QStringLiteral("104"), QString(), QStringLiteral("noname.org")),
         company(QStringLiteral("105"), QStringLiteral("acme labs"))});
    QCOMPARE(m_catalog->count(CatalogList::Companies).value(), 5);
    QVERIFY(m_catalog->refreshedAt(CatalogList::Companies).value().isValid());

    // Prefix matches by name first (in name order), then the domain, then "contains".
    const auto acme = m_catalog->searchCompanies(QStringLiteral("ACME"));
    QVERIFY2(acme.ok(), qPrintable(acme.error()));
    QCOMPARE(ids(acme.value()), (QStringList{QStringLiteral("101"), QStringLiteral("105"),
                                             QStringLiteral("103"), QStringLiteral("102")}));
    QCOMPARE(acme->at(0).lifecycleStage, QStringLiteral("customer"));
    QCOMPARE(acme->at(0).domain, QStringLiteral("acme.com")); // stored in lower case
    // The limit holds.
    QCOMPARE(m_catalog->searchCompanies(QStringLiteral("acme"), 2).value().size(), 2);
    QVERIFY(m_catalog->searchCompanies(QStringLiteral("acme"), 0).value().isEmpty());
    // Exact ID and domain.
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral(" 104 ")).value()),
             QStringList{QStringLiteral("104")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("https://noname")).value()),
             QStringList{QStringLiteral("104")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("beta.io")).value()),
             QStringList{QStringLiteral("102")});
    // Empty text lists by name; no match is an empty list.
    QCOMPARE(m_catalog->searchCompanies(QString()).value().size(), 5);
    QCOMPARE(m_catalog->searchCompanies(QString()).value().constFirst().id,
             QStringLiteral("104")); // "" sorts first
    QVERIFY(m_catalog->searchCompanies(QStringLiteral("zzz")).value().isEmpty());
    // Lookups by ID.
    const auto found = m_catalog->company(QStringLiteral("103"));
    QVERIFY(found.ok() && found->has_value());
    QCOMPARE(found.value()->name, QStringLiteral("Gamma"));
    QVERIFY(!m_catalog->company(QStringLiteral("999")).value().has_value());
}

void TestCatalog::generationReplacesAndFinishRemovesUnseen()
{
    fillCompanies({company(QStringLiteral("1"), QStringLiteral("Old One")),
                   company(QStringLiteral("2"), QStringLiteral("Gone Soon"))});
    const QDateTime first = m_catalog->refreshedAt(CatalogList::Companies).value();
    QThread::msleep(5);
    QVERIFY(m_catalog->begin(CatalogList::Companies).ok());
    // Two pages, one of them repeating a row (paging may hand a row out twice).
    QVERIFY(
        m_catalog->addCompanies({company(QStringLiteral("1"), QStringLiteral("New One"))}).ok());
    QVERIFY(m_catalog
                ->addCompanies({company(QStringLiteral("3"), QStringLiteral("Third")),
                                company(QStringLiteral("1"), QStringLiteral("New One"))})
                .ok());
    QVERIFY(m_catalog->finish(CatalogList::Companies).ok());

    QCOMPARE(m_catalog->count(CatalogList::Companies).value(), 2);
    QVERIFY(!m_catalog->company(QStringLiteral("2")).value().has_value());
    QCOMPARE(m_catalog->company(QStringLiteral("1")).value()->name, QStringLiteral("New One"));
    QVERIFY(m_catalog->searchCompanies(QStringLiteral("old")).value().isEmpty());
    QVERIFY(m_catalog->refreshedAt(CatalogList::Companies).value() > first);
    // Only the current copy is left in the table.
    QSqlQuery q(m_store->connection());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM hubspot_companies_cache")) && q.next());
    QCOMPARE(q.value(0).toInt(), 2);
}

void TestCatalog::readersSeeOldCopyUntilFinish()
{
    fillCompanies({company(QStringLiteral("1"), QStringLiteral("Alpha")),
                   company(QStringLiteral("2"), QStringLiteral("Bravo"))});
    QVERIFY(m_catalog->begin(CatalogList::Companies).ok());
    QVERIFY(m_catalog
                ->addCompanies({company(QStringLiteral("1"), QStringLiteral("Alpha Renamed")),
                                company(QStringLiteral("9"), QStringLiteral("Newcomer"))})
                .ok());

    // A reader on another thread (its own connection) still sees exactly the old copy.
    Catalog reader(*m_store);
    QStringList seen;
    qint64 seenCount = -1;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        seen = ids(reader.searchCompanies(QString()).value());
        seenCount = reader.count(CatalogList::Companies).value();
        seen.append(reader.company(QStringLiteral("1")).value()->name);
    }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QCOMPARE(seen,
             (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("Alpha")}));
    QCOMPARE(seenCount, 2);
    QVERIFY(m_catalog->searchCompanies(QStringLiteral("newcomer")).value().isEmpty());

    QVERIFY(m_catalog->finish(CatalogList::Companies).ok());
    QCOMPARE(ids(m_catalog->searchCompanies(QString()).value()),
             (QStringList{QStringLiteral("1"), QStringLiteral("9")}));
    QCOMPARE(m_catalog->company(QStringLiteral("1")).value()->name,
             QStringLiteral("Alpha Renamed"));
}

void TestCatalog::abandonedRefreshKeepsOldCopy()
{
    fillCompanies({company(QStringLiteral("1"), QStringLiteral("Alpha"))});
    // A refresh that fails half-way never calls finish().
    QVERIFY(m_catalog->begin(CatalogList::Companies).ok());
    QVERIFY(m_catalog->addCompanies({company(QStringLiteral("5"), QStringLiteral("Half"))}).ok());
    QCOMPARE(ids(m_catalog->searchCompanies(QString()).value()), QStringList{QStringLiteral("1")});
    // The next refresh starts clean: the half-written rows do not come back.
    QVERIFY(m_catalog->begin(CatalogList::Companies).ok());
    QVERIFY(m_catalog->addCompanies({company(QStringLiteral("6"), QStringLiteral("Whole"))}).ok());
    QVERIFY(m_catalog->finish(CatalogList::Companies).ok());
    QCOMPARE(ids(m_catalog->searchCompanies(QString()).value()), QStringList{QStringLiteral("6")});
}

void TestCatalog::addWithoutBeginFails()
{
    const Status added = m_catalog->addCustomers({CatalogCustomer{1, QStringLiteral("X"), false}});
    QVERIFY(!added.ok());
    QVERIFY2(added.error().contains(QStringLiteral("Halo customers")), qPrintable(added.error()));
    QVERIFY(!m_catalog->finish(CatalogList::Sites).ok());
    QVERIFY(!m_catalog->begin(CatalogList::LifecycleStages).ok()); // replaced whole
    QCOMPARE(m_catalog->count(CatalogList::Customers).value(), 0);
}

void TestCatalog::unicodeAndFullWidthNames()
{
    fillCompanies({company(QStringLiteral("1"), QStringLiteral("Ａｃｍｅ Ｗｉｄｅ")), // full width
                   company(QStringLiteral("2"), QStringLiteral("Café Müller")),
                   company(QStringLiteral("3"), QStringLiteral("Straße\u00A0 Bau  GmbH")),
                   company(QStringLiteral("4"), QStringLiteral("東京商事"))});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("acme w")).value()),
             QStringList{QStringLiteral("1")});
    QCOMPARE(m_catalog->searchCompanies(QStringLiteral("acme")).value().constFirst().name,
             QStringLiteral("Ａｃｍｅ Ｗｉｄｅ"));
    // Decomposed input finds the precomposed name, upper case finds lower case.
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("CAFE\u0301")).value()),
             QStringList{QStringLiteral("2")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("MÜLLER")).value()),
             QStringList{QStringLiteral("2")});
    // Odd whitespace collapses on both sides.
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("straße bau g")).value()),
             QStringList{QStringLiteral("3")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("商事")).value()),
             QStringList{QStringLiteral("4")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("東京")).value()),
             QStringList{QStringLiteral("4")});
}

void TestCatalog::likeWildcardsAreLiteral()
{
    fillCompanies({company(QStringLiteral("1"), QStringLiteral("100% Juice")),
                   company(QStringLiteral("2"), QStringLiteral("1000 Juices")),
                   company(QStringLiteral("3"), QStringLiteral("snake_case Ltd")),
                   company(QStringLiteral("4"), QStringLiteral("snakeXcase Ltd")),
                   company(QStringLiteral("5"), QStringLiteral("Back\\slash"))});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("0% j")).value()),
             QStringList{QStringLiteral("1")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("e_c")).value()),
             QStringList{QStringLiteral("3")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("k\\s")).value()),
             QStringList{QStringLiteral("5")});
    QVERIFY(m_catalog->searchCompanies(QStringLiteral("%")).value().size() == 1);
}

void TestCatalog::customersAndSites()
{
    QVERIFY(m_catalog->begin(CatalogList::Customers).ok());
    QVERIFY(m_catalog
                ->addCustomers({CatalogCustomer{10, QStringLiteral("ACME Ltd"), false},
                                CatalogCustomer{11, QStringLiteral("Old Acme"), true},
                                CatalogCustomer{12, QStringLiteral("Zeta"), false}})
                .ok());
    QVERIFY(m_catalog->finish(CatalogList::Customers).ok());
    QCOMPARE(customerIds(m_catalog->searchCustomers(QStringLiteral("acme")).value()),
             (QList<qint64>{10, 11}));
    QCOMPARE(customerIds(m_catalog->searchCustomers(QStringLiteral("12")).value()),
             QList<qint64>{12});
    QVERIFY(m_catalog->customer(11).value()->inactive);
    QVERIFY(!m_catalog->customer(99).value().has_value());

    // Sites may arrive before their customer is cached: no reference between the lists.
    QVERIFY(m_catalog->begin(CatalogList::Sites).ok());
    QVERIFY(m_catalog
                ->addSites({CatalogSite{100, 10, QStringLiteral("Main Office"), {}},
                            CatalogSite{101, 10, QStringLiteral("Warehouse"), {}},
                            CatalogSite{102, 12, QStringLiteral("Main Office"), {}},
                            CatalogSite{103, 77, QStringLiteral("Orphan"), {}}})
                .ok());
    QVERIFY(m_catalog->finish(CatalogList::Sites).ok());
    QCOMPARE(m_catalog->count(CatalogList::Sites).value(), 4);
    QCOMPARE(siteIds(m_catalog->searchSites(QString(), 10).value()), (QList<qint64>{100, 101}));
    QCOMPARE(siteIds(m_catalog->searchSites(QStringLiteral("main"), 12).value()),
             QList<qint64>{102});
    // All customers: by site name, then by customer name.
    QCOMPARE(siteIds(m_catalog->searchSites(QStringLiteral("main")).value()),
             (QList<qint64>{100, 102}));
    QCOMPARE(siteIds(m_catalog->searchSites(QStringLiteral("zeta")).value()), QList<qint64>{102});
    QCOMPARE(siteIds(m_catalog->searchSites(QStringLiteral("house")).value()), QList<qint64>{101});
    const auto site = m_catalog->site(101).value();
    QVERIFY(site.has_value());
    QCOMPARE(site->clientName, QStringLiteral("ACME Ltd"));
    QCOMPARE(site->display(), QStringLiteral("Warehouse — ACME Ltd"));
    QCOMPARE(m_catalog->site(103).value()->clientName, QString());
}

void TestCatalog::smallLists()
{
    QVERIFY(
        m_catalog
            ->setStages({CatalogStage{QStringLiteral("customer"), QStringLiteral("Customer"), 5},
                         CatalogStage{QStringLiteral("lead"), QStringLiteral("Lead"), 1},
                         CatalogStage{QStringLiteral("1234567"), QStringLiteral("Partner"), 9}})
            .ok());
    const auto stages = m_catalog->stages().value();
    QCOMPARE(stages.size(), 3);
    QCOMPARE(stages.at(0).value, QStringLiteral("lead"));
    QCOMPARE(stages.at(2).label, QStringLiteral("Partner"));
    QCOMPARE(m_catalog->count(CatalogList::LifecycleStages).value(), 3);
    QVERIFY(m_catalog->refreshedAt(CatalogList::LifecycleStages).value().isValid());

    PropertyDef industry;
    industry.name = QStringLiteral("industry");
    industry.label = QStringLiteral("Industry");
    industry.type = QStringLiteral("enumeration");
    industry.options = {PropertyOption{QStringLiteral("IT"), QStringLiteral("it"), false}};
    PropertyDef about;
    about.name = QStringLiteral("about_us");
    about.label = QStringLiteral("about us");
    QVERIFY(m_catalog->setProperties(Entity::Company, {industry, about}).ok());
    const auto props = m_catalog->properties(Entity::Company).value();
    QCOMPARE(props.size(), 2);
    QCOMPARE(props.at(0).name, QStringLiteral("about_us")); // by label, ignoring case
    QCOMPARE(props.at(1).options.size(), 1);
    QVERIFY(m_catalog->properties(Entity::Contact).value().isEmpty());
    // Replaced whole.
    QVERIFY(m_catalog->setProperties(Entity::Company, {industry}).ok());
    QCOMPARE(m_catalog->count(CatalogList::CompanyProperties).value(), 1);

    HaloFieldDef f1;
    f1.id = 7;
    f1.name = QStringLiteral("CFzeta");
    f1.label = QStringLiteral("Zeta");
    HaloFieldDef f2;
    f2.id = 8;
    f2.name = QStringLiteral("CFalpha");
    f2.label = QStringLiteral("alpha");
    f2.type = HaloFieldType::SingleSelect;
    f2.options = {HaloOption{3, QStringLiteral("Gold")}};
    QVERIFY(m_catalog->setFields(Entity::Company, {f1, f2}).ok());
    QVERIFY(m_catalog->setFields(Entity::Contact, {f1}).ok());
    const auto fields = m_catalog->fields(Entity::Company).value();
    QCOMPARE(fields.size(), 2);
    QCOMPARE(fields.at(0).name, QStringLiteral("CFalpha"));
    QCOMPARE(fields.at(0).type, HaloFieldType::SingleSelect);
    QCOMPARE(fields.at(0).options.size(), 1);
    QCOMPARE(m_catalog->count(CatalogList::CustomerFields).value(), 2);
    QCOMPARE(m_catalog->count(CatalogList::UserFields).value(), 1);
    QVERIFY(m_catalog->setFields(Entity::Company, {}).ok());
    QCOMPARE(m_catalog->count(CatalogList::CustomerFields).value(), 0);
    QVERIFY(m_catalog->refreshedAt(CatalogList::CustomerFields).value().isValid());
}

void TestCatalog::displayTexts()
{
    QCOMPARE(
        company(QStringLiteral("1"), QStringLiteral("Acme Corporation"), QStringLiteral("acme.com"))
            .display(),
        QStringLiteral("Acme Corporation (acme.com)"));
    QCOMPARE(company(QStringLiteral("123"), QString()).display(),
             QStringLiteral("(no name) · 123"));
    QCOMPARE((CatalogCustomer{1, QStringLiteral("ACME Ltd"), false}).display(),
             QStringLiteral("ACME Ltd"));
    QCOMPARE((CatalogCustomer{1, QStringLiteral("ACME Ltd"), true}).display(),
             QStringLiteral("ACME Ltd (inactive)"));
    QCOMPARE(catalogListName(CatalogList::Sites), QStringLiteral("Halo sites"));
}

void TestCatalog::hundredThousandCompanies()
{
    constexpr int total = 100000;
    QVERIFY(m_catalog->begin(CatalogList::Companies).ok());
    for (int page = 0; page < total / 1000; ++page) {
        QList<CatalogCompany> rows;
        rows.reserve(1000);
        for (int i = page * 1000; i < (page + 1) * 1000; ++i)
            rows.append(
                company(QString::number(1000000 + i),
                        QStringLiteral("Company %1 Holdings").arg(i, 6, 10, QLatin1Char('0')),
                        QStringLiteral("c%1.example").arg(i)));
        QVERIFY(m_catalog->addCompanies(rows).ok());
    }
    QVERIFY(m_catalog->finish(CatalogList::Companies).ok());
    QCOMPARE(m_catalog->count(CatalogList::Companies).value(), total);

    const auto prefix = m_catalog->searchCompanies(QStringLiteral("company 0500"), 20);
    QCOMPARE(prefix.value().size(), 20);
    QCOMPARE(prefix->constFirst().name, QStringLiteral("Company 050000 Holdings"));
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("099999 hold")).value()),
             QStringList{QStringLiteral("1099999")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("c77777.ex")).value()),
             QStringList{QStringLiteral("1077777")});
    QCOMPARE(ids(m_catalog->searchCompanies(QStringLiteral("1012345")).value()).constFirst(),
             QStringLiteral("1012345"));
    QVERIFY(m_catalog->searchCompanies(QStringLiteral("no such company")).value().isEmpty());
    QCOMPARE(m_catalog->searchCompanies(QString(), 50).value().size(), 50);

    // The searches use the indexes rather than reading the whole table.
    QSqlQuery q(m_store->connection());
    QVERIFY(q.exec(QStringLiteral(
        "EXPLAIN QUERY PLAN SELECT hubspot_id FROM hubspot_companies_cache WHERE generation ="
        " (SELECT generation FROM catalog_lists WHERE list = 'companies') AND normalized_name"
        " >= 'a' AND normalized_name < 'a' || char(1114111) ORDER BY normalized_name,"
        " hubspot_id LIMIT 5")));
    QString plan;
    while (q.next())
        plan += q.value(3).toString() + QLatin1Char('\n');
    QVERIFY2(
        plan.contains(QStringLiteral("USING COVERING INDEX hubspot_companies_cache_by_name")) ||
            plan.contains(QStringLiteral("USING INDEX hubspot_companies_cache_by_name")),
        qPrintable(plan));
    QVERIFY2(!plan.contains(QStringLiteral("TEMP B-TREE")), qPrintable(plan));
}

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
