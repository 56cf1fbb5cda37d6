// The result list of a run: paged reads over a run of 20 000 items in a real store, the action
// filter, growth while the run goes on, and the CSV export with its quoting.
#include "ModelTestSupport.h"
#include "RunItems.h"
#include "RunResultModel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QIcon>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace halospot;
using namespace halospot::gui;
using halospot::gui::test::CatalogFixture;
using Tester = QAbstractItemModelTester;

namespace {

const QStringList kActions = {QStringLiteral("created"),      QStringLiteral("updated"),
                              QStringLiteral("unchanged"),    QStringLiteral("skipped"),
                              QStringLiteral("ambiguous"),    QStringLiteral("failed"),
                              QStringLiteral("filtered_out"), QStringLiteral("unchanged")};

// Item n of the big run: HubSpot ID "n", every eighth action pattern as in kActions.
core::RunItem bigItem(int n)
{
    core::RunItem item;
    item.hubspotId = QString::number(n);
    item.action = kActions.at(n % kActions.size());
    item.haloId = item.action == QLatin1String("created") ? 100000 + n : 0;
    if (item.action == QLatin1String("failed"))
        item.reason = QStringLiteral("Halo refused record %1.").arg(n);
    if (item.action == QLatin1String("updated"))
        item.changes =
            QJsonObject{{QStringLiteral("CFindustry"),
                         QJsonObject{{QStringLiteral("from"), QStringLiteral("Retail")},
                                     {QStringLiteral("to"), QStringLiteral("Software")}}}};
    return item;
}

bool addItems(core::Store &store, qint64 run, int from, int to)
{
    QList<core::RunItem> batch;
    for (int n = from; n < to; ++n) {
        batch.append(bigItem(n));
        if (batch.size() == 2000 || n == to - 1) {
            if (!store.addRunItems(run, batch).ok())
                return false;
            batch.clear();
        }
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestRunResultModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pagesAreReadLazily();
    void cellsShowNamesActionsAndChanges();
    void updateShowsChangesBeforeItsReason();
    void filterByActionResets();
    void refreshAppendsRows();
    void refreshAfterShortPage();
    void noRunNoRows();
    void csvExportQuotesEverything();
    void csvExportOfTheBigRunAndFilter();
    void csvExportToUnwritablePlace();

private:
    CatalogFixture m_f;
    qint64 m_bigRun = 0;
    static constexpr int kBig = 20000;
};

void TestRunResultModel::initTestCase()
{
    QVERIFY(m_f.opened);
    // Names for the first 1 000 companies only: the rest show their ID.
    QList<core::CatalogCompany> companies;
    for (int n = 0; n < 1000; ++n)
        companies.append(
            {QString::number(n), QStringLiteral("Company %1").arg(n), QString(), QString()});
    QVERIFY(m_f.setCompanies(companies));
    const Result<qint64> run = m_f.store.beginRun(QStringLiteral("companies"));
    QVERIFY(run.ok());
    m_bigRun = run.value();
    QVERIFY(addItems(m_f.store, m_bigRun, 0, kBig));
}

void TestRunResultModel::pagesAreReadLazily()
{
    RunResultModel model(m_f.store, m_f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRun(m_bigRun);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.runId(), m_bigRun);
    QCOMPARE(model.rowCount(), kBig);
    QCOMPARE(model.columnCount(), int(RunResultModel::ColumnCount));

    // Reading the last row reads its page only.
    QCOMPARE(model.item(kBig - 1).hubspotId, QString::number(kBig - 1));
    QCOMPARE(model.item(12345).hubspotId, QStringLiteral("12345"));
    QCOMPARE(model.item(12345).action, bigItem(12345).action);
    QVERIFY(model.cachedPages() <= 3); // the tester's own look at row 0 may be one of them

    // Walking the whole run never keeps more than the cache's worth of pages.
    for (int row = 0; row < kBig; row += 97)
        QCOMPARE(model.data(model.index(row, RunResultModel::CompanyColumn), Qt::UserRole),
                 QVariant(QString::number(row)));
    QVERIFY(model.cachedPages() > 0);
    QVERIFY(model.cachedPages() * RunResultModel::kPageSize <= 5000);
    QVERIFY(model.lastError().isEmpty());
    QCOMPARE(model.item(-1).hubspotId, QString());
    QCOMPARE(model.item(kBig).hubspotId, QString());
}

void TestRunResultModel::cellsShowNamesActionsAndChanges()
{
    RunResultModel model(m_f.store, m_f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setRun(m_bigRun);
    const auto cell = [&model](int row, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role);
    };
    using C = RunResultModel;
    // Row 8: created, known to the catalog.
    QCOMPARE(cell(8, C::CompanyColumn).toString(), QStringLiteral("Company 8"));
    QCOMPARE(cell(8, C::CompanyColumn, Qt::ToolTipRole).toString(), QStringLiteral("HubSpot ID 8"));
    QCOMPARE(cell(8, C::ActionColumn).toString(), QStringLiteral("Created"));
    QVERIFY(!cell(8, C::ActionColumn, Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(cell(8, C::HaloColumn).toString(), QStringLiteral("100008"));
    // Row 9: updated with a change.
    QCOMPARE(cell(9, C::ActionColumn).toString(), QStringLiteral("Updated"));
    QCOMPARE(cell(9, C::HaloColumn).toString(), QString());
    QCOMPARE(cell(9, C::DetailColumn).toString(),
             QStringLiteral("CFindustry: Retail \u2192 Software"));
    // Row 13: failed with its reason.
    QCOMPARE(cell(13, C::ActionColumn).toString(), QStringLiteral("Failed"));
    QCOMPARE(cell(13, C::DetailColumn).toString(), QStringLiteral("Halo refused record 13."));
    QCOMPARE(cell(14, C::ActionColumn).toString(), QStringLiteral("Filtered out"));
    // Not in the catalog: the ID.
    QCOMPARE(cell(5000, C::CompanyColumn).toString(), QStringLiteral("5000"));
    QCOMPARE(model.headerData(C::ActionColumn, Qt::Horizontal).toString(),
             QStringLiteral("Outcome"));

    QCOMPARE(RunResultModel::actionLabel(QStringLiteral("ambiguous")), QStringLiteral("Ambiguous"));
    QCOMPARE(RunResultModel::changesText(QJsonObject{
                 {QStringLiteral("a"),
                  QJsonObject{{QStringLiteral("from"), QJsonValue()}, {QStringLiteral("to"), 42}}},
                 {QStringLiteral("b"),
                  QJsonObject{{QStringLiteral("from"), true}, {QStringLiteral("to"), 1.5}}},
                 {QStringLiteral("c"),
                  QJsonObject{{QStringLiteral("from"), QString()},
                              {QStringLiteral("to"),
                               QJsonArray{QStringLiteral("x"), QStringLiteral("y")}}}}}),
             QStringLiteral("a: (empty) \u2192 42; b: true \u2192 1.5; c: (empty) \u2192 x;y"));
}

void TestRunResultModel::filterByActionResets()
{
    RunResultModel model(m_f.store, m_f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setRun(m_bigRun);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setActionFilter(QStringLiteral("failed"));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.actionFilter(), QStringLiteral("failed"));
    QCOMPARE(model.rowCount(), kBig / kActions.size());
    for (int row = 0; row < model.rowCount(); row += 211)
        QCOMPARE(model.data(model.index(row, RunResultModel::ActionColumn), Qt::UserRole),
                 QVariant(QStringLiteral("failed")));
    // Row r of the filtered list is item 5 + 8r of the run.
    QCOMPARE(model.item(300).hubspotId, QString::number(5 + 8 * 300));

    model.setActionFilter(QStringLiteral("unchanged"));
    QCOMPARE(model.rowCount(), 2 * kBig / kActions.size());
    model.setActionFilter(QStringLiteral("unchanged")); // the same: nothing to do
    QCOMPARE(reset.count(), 2);
    model.setActionFilter(QString());
    QCOMPARE(model.rowCount(), kBig);
    QCOMPARE(reset.count(), 3);
}

void TestRunResultModel::refreshAppendsRows()
{
    const qint64 run = m_f.store.beginRun(QStringLiteral("companies")).value();
    QVERIFY(addItems(m_f.store, run, 0, 1000));
    RunResultModel model(m_f.store, m_f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setRun(run);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.item(999).hubspotId, QStringLiteral("999"));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh(); // nothing new
    QCOMPARE(inserted.count(), 0);
    QVERIFY(addItems(m_f.store, run, 1000, 1500));
    model.refresh();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1000);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1499);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.rowCount(), 1500);
    QCOMPARE(model.item(1499).hubspotId, QStringLiteral("1499"));

    // With a filter, growth counts only that action.
    model.setActionFilter(QStringLiteral("created"));
    QCOMPARE(model.rowCount(), 1500 / 8 + (1500 % 8 > 0 ? 1 : 0));
    const int before = model.rowCount();
    QVERIFY(addItems(m_f.store, run, 1500, 1516));
    model.refresh();
    QCOMPARE(model.rowCount(), before + 2);
    QCOMPARE(model.item(before + 1).hubspotId, QStringLiteral("1512"));
}

void TestRunResultModel::refreshAfterShortPage()
{
    const qint64 run = m_f.store.beginRun(QStringLiteral("companies")).value();
    QVERIFY(addItems(m_f.store, run, 0, 250));
    RunResultModel model(m_f.store, m_f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setRun(run);
    // Page 1 is read while it holds 50 rows...
    QCOMPARE(model.item(249).hubspotId, QStringLiteral("249"));
    QVERIFY(addItems(m_f.store, run, 250, 380));
    model.refresh();
    // ...and rows past them are read again, not taken from the short copy.
    QCOMPARE(model.rowCount(), 380);
    QCOMPARE(model.item(250).hubspotId, QStringLiteral("250"));
    QCOMPARE(model.data(model.index(379, RunResultModel::CompanyColumn), Qt::UserRole),
             QVariant(QStringLiteral("379")));
}

void TestRunResultModel::noRunNoRows()
{
    RunResultModel model(m_f.store, m_f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 0);
    model.refresh();
    QCOMPARE(model.rowCount(), 0);
    model.setRun(m_bigRun);
    model.setRun(0);
    QCOMPARE(model.rowCount(), 0);
    model.setRun(987654); // no such run: empty
    QCOMPARE(model.rowCount(), 0);
}

void TestRunResultModel::updateShowsChangesBeforeItsReason()
{
    const qint64 run = m_f.store.beginRun(QStringLiteral("companies")).value();
    core::RunItem updated;
    updated.hubspotId = QStringLiteral("77");
    updated.haloId = 7;
    updated.action = QStringLiteral("updated");
    updated.reason = QStringLiteral("same name");
    updated.changes = QJsonObject{
        {QStringLiteral("CFcity"), QJsonObject{{QStringLiteral("from"), QStringLiteral("Köln")},
                                               {QStringLiteral("to"), QStringLiteral("Bonn")}}}};
    QVERIFY(m_f.store.addRunItems(run, {updated}).ok());
    RunResultModel model(m_f.store, m_f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setRun(run);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex detail = model.index(0, RunResultModel::DetailColumn);
    QCOMPARE(detail.data().toString(), QStringLiteral("CFcity: Köln \u2192 Bonn (same name)"));
    QCOMPARE(detail.data(Qt::ToolTipRole).toString(),
             QStringLiteral("same name\nCFcity: Köln \u2192 Bonn"));
}

void TestRunResultModel::csvExportQuotesEverything()
{
    QVERIFY(m_f.setCompanies(
        {{QStringLiteral("1"), QStringLiteral("Acme, Inc."), QString(), QString()},
         {QStringLiteral("2"), QStringLiteral("The \"Best\" Co"), QString(), QString()},
         {QStringLiteral("3"), QStringLiteral("Zürich Straße 東京"), QString(), QString()},
         {QStringLiteral("99999999"), QStringLiteral("=HYPERLINK(\"http://x\")"), QString(),
          QString()}}));
    const qint64 run = m_f.store.beginRun(QStringLiteral("companies")).value();
    core::RunItem a;
    a.hubspotId = QStringLiteral("1");
    a.haloId = 11;
    a.action = QStringLiteral("created");
    core::RunItem b;
    b.hubspotId = QStringLiteral("2");
    b.action = QStringLiteral("failed");
    b.reason = QStringLiteral("Line one\nline \"two\", done");
    core::RunItem c;
    c.hubspotId = QStringLiteral("3");
    c.haloId = 33;
    c.action = QStringLiteral("updated");
    c.changes = QJsonObject{
        {QStringLiteral("CFcity"), QJsonObject{{QStringLiteral("from"), QStringLiteral("Köln")},
                                               {QStringLiteral("to"), QStringLiteral("Zürich")}}}};
    core::RunItem d;
    d.hubspotId = QStringLiteral("4"); // not in the catalog: no name
    d.action = QStringLiteral("skipped");
    d.reason = QStringLiteral("No lifecycle stage.\r\nSecond line");
    core::RunItem e; // a formula from HubSpot stays text in a spreadsheet; numbers stay numbers
    e.hubspotId = QStringLiteral("99999999");
    e.action = QStringLiteral("failed");
    e.reason = QStringLiteral("-12.5");
    QVERIFY(m_f.store.addRunItems(run, {a, b, c, d, e}).ok());

    const QString path = QDir(m_f.dir.path()).filePath(QStringLiteral("results.csv"));
    const Result<qint64> rows = core::exportRunItemsCsv(m_f.store, run, {}, path);
    QVERIFY2(rows.ok(), qPrintable(rows.error()));
    QCOMPARE(rows.value(), 5);
    const QByteArray expected =
        QStringLiteral("hubspot_id,name,halo_id,action,reason,changes\r\n"
                       "1,\"Acme, Inc.\",11,created,,\r\n"
                       "2,\"The \"\"Best\"\" Co\",,failed,\"Line one\nline \"\"two\"\", done\",\r\n"
                       "3,Zürich Straße 東京,33,updated,,CFcity: Köln \u2192 Zürich\r\n"
                       "4,,,skipped,\"No lifecycle stage.\r\nSecond line\",\r\n"
                       "99999999,\"'=HYPERLINK(\"\"http://x\"\")\",,failed,-12.5,\r\n")
            .toUtf8();
    QCOMPARE(readAll(path), expected);

    // One action only; the file is replaced whole.
    QCOMPARE(core::exportRunItemsCsv(m_f.store, run, QStringLiteral("created"), path).value(), 1);
    QCOMPARE(readAll(path), QByteArray("hubspot_id,name,halo_id,action,reason,changes\r\n"
                                       "1,\"Acme, Inc.\",11,created,,\r\n"));
}

void TestRunResultModel::csvExportOfTheBigRunAndFilter()
{
    const QString path = QDir(m_f.dir.path()).filePath(QStringLiteral("big.csv"));
    const Result<qint64> rows = core::exportRunItemsCsv(m_f.store, m_bigRun, {}, path);
    QVERIFY2(rows.ok(), qPrintable(rows.error()));
    QCOMPARE(rows.value(), kBig);
    const QList<QByteArray> lines = readAll(path).split('\n');
    QCOMPARE(lines.size(), kBig + 2); // header, rows, and the empty rest after the last CRLF
    QCOMPARE(lines.at(1), QByteArray("0,,100000,created,,\r"));
    QCOMPARE(lines.at(kBig), QByteArray("19999,,,unchanged,,\r"));
    QVERIFY(lines.at(10).endsWith("CFindustry: Retail \xe2\x86\x92 Software\r"));

    const Result<qint64> failed =
        core::exportRunItemsCsv(m_f.store, m_bigRun, QStringLiteral("failed"), path);
    QCOMPARE(failed.value(), kBig / kActions.size());
    QVERIFY(readAll(path).contains("5,,,failed,Halo refused record 5.,\r\n"));
}

void TestRunResultModel::csvExportToUnwritablePlace()
{
    const QString path = QDir(m_f.dir.path()).filePath(QStringLiteral("no/such/folder/x.csv"));
    const Result<qint64> rows = core::exportRunItemsCsv(m_f.store, m_bigRun, {}, path);
    QVERIFY(!rows.ok());
    QVERIFY2(rows.error().startsWith(QLatin1String("HaloSpot could not write the results to")),
             qPrintable(rows.error()));
    QVERIFY(!QFile::exists(path));
}

QTEST_MAIN(TestRunResultModel)
#include "tst_runresultmodel.moc"
