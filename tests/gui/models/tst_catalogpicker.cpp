// The type-ahead picker typed into offscreen: its completer rows come from a real catalog of
// 100 000 companies (at most 50 per keystroke), and a pick sets value() and emits picked().
#include "CatalogPicker.h"
#include "ModelTestSupport.h"

#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QCompleter>
#include <QSignalSpy>
#include <QTest>

using namespace halospot;
using namespace halospot::gui;
using halospot::gui::test::CatalogFixture;
using halospot::gui::test::fieldDef;
using halospot::gui::test::propertyDef;
using Kind = CatalogPicker::Kind;

namespace {

QStringList rowTexts(const QAbstractItemModel &model)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts.append(model.index(row, 0).data().toString());
    return texts;
}

QCompleter *completerOf(CatalogPicker &picker)
{
    return picker.findChild<QCompleter *>();
}

// Shows the picker in a window of its own and gives it the focus, as a user would.
bool showPicker(CatalogPicker &picker)
{
    picker.resize(400, 30);
    picker.show();
    picker.activateWindow();
    picker.setFocus();
    return QTest::qWaitForWindowExposed(&picker);
}

} // namespace

class TestCatalogPicker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void typingSearchesTheCatalog();
    void pickingFromThePopup();
    void searchStaysSmallInABigCatalog();
    void exactTextOrIdPicksOnEnter();
    void sitesOfOneCustomer();
    void propertiesAndFieldsMatchLabelOrName();
    void setValueShowsTheRow();
    void searchModelUnderTester();

private:
    CatalogFixture m_f;
    static constexpr int kCompanies = 100000;
};

void TestCatalogPicker::initTestCase()
{
    QVERIFY(m_f.opened);
    QVERIFY(m_f.catalog.begin(core::CatalogList::Companies).ok());
    QList<core::CatalogCompany> page;
    for (int n = 0; n < kCompanies; ++n) {
        page.append({QString::number(1000000 + n),
                     QStringLiteral("Company %1").arg(n, 6, 10, QLatin1Char('0')),
                     QStringLiteral("company%1.example").arg(n), QString()});
        if (page.size() == 5000) {
            QVERIFY(m_f.catalog.addCompanies(page).ok());
            page.clear();
        }
    }
    QVERIFY(m_f.catalog
                .addCompanies({{QStringLiteral("101"), QStringLiteral("Acme Corporation"),
                                QStringLiteral("acme.com"), QStringLiteral("customer")},
                               {QStringLiteral("102"), QStringLiteral("Acme Two"),
                                QStringLiteral("acme2.com"), QString()},
                               {QStringLiteral("103"), QStringLiteral("Beta GmbH"),
                                QStringLiteral("beta.de"), QString()}})
                .ok());
    QVERIFY(m_f.catalog.finish(core::CatalogList::Companies).ok());
    QVERIFY(m_f.setCustomers(
        {{5, QStringLiteral("ACME Ltd"), false}, {6, QStringLiteral("Other Ltd"), false}}));
    QVERIFY(m_f.setSites({{50, 5, QStringLiteral("Main Office"), {}},
                          {51, 5, QStringLiteral("Back Office"), {}},
                          {60, 6, QStringLiteral("Office Branch"), {}}}));
    QCOMPARE(m_f.catalog.count(core::CatalogList::Companies).value(), kCompanies + 3);
}

void TestCatalogPicker::typingSearchesTheCatalog()
{
    CatalogPicker picker(m_f.catalog, Kind::Company);
    QVERIFY(showPicker(picker));
    QSignalSpy picked(&picker, &CatalogPicker::picked);
    QTest::keyClicks(&picker, QStringLiteral("acme"));
    QCOMPARE(picker.text(), QStringLiteral("acme"));
    CatalogSearchModel *model = picker.searchModel();
    QCOMPARE(rowTexts(*model), (QStringList{QStringLiteral("Acme Corporation (acme.com)"),
                                            QStringLiteral("Acme Two (acme2.com)")}));
    QCOMPARE(model->index(0, 0).data(Qt::UserRole), QVariant(QStringLiteral("101")));
    QCOMPARE(model->index(0, 0).data(Qt::ToolTipRole).toString(),
             QStringLiteral("HubSpot company ID 101"));
    QCompleter *completer = completerOf(picker);
    QVERIFY(completer);
    QCOMPARE(completer->completionMode(), QCompleter::UnfilteredPopupCompletion);
    QTRY_VERIFY(completer->popup()->isVisible());
    QCOMPARE(completer->completionModel()->rowCount(), 2);
    // Typing alone picks nothing.
    QCOMPARE(picked.count(), 0);
    QVERIFY(!picker.value().isValid());

    // A domain finds its company too.
    picker.clear();
    QTest::keyClicks(&picker, QStringLiteral("beta.d"));
    QCOMPARE(rowTexts(*model), QStringList{QStringLiteral("Beta GmbH (beta.de)")});
    // Nothing found: no popup.
    QTest::keyClicks(&picker, QStringLiteral("zzz"));
    QCOMPARE(model->rowCount(), 0);
    QTRY_VERIFY(!completer->popup()->isVisible());
}

void TestCatalogPicker::pickingFromThePopup()
{
    CatalogPicker picker(m_f.catalog, Kind::Company);
    QVERIFY(showPicker(picker));
    QSignalSpy picked(&picker, &CatalogPicker::picked);
    QTest::keyClicks(&picker, QStringLiteral("Acme"));
    QCompleter *completer = completerOf(picker);
    QTRY_VERIFY(completer->popup()->isVisible());
    QAbstractItemView *popup = completer->popup();
    popup->setCurrentIndex(completer->completionModel()->index(1, 0));
    QTest::keyClick(popup, Qt::Key_Return);

    QCOMPARE(picked.count(), 1);
    QCOMPARE(picked.at(0).at(0), QVariant(QStringLiteral("102")));
    QCOMPARE(picker.value(), QVariant(QStringLiteral("102")));
    QCOMPARE(picker.text(), QStringLiteral("Acme Two (acme2.com)"));
    QTRY_VERIFY(!popup->isVisible());

    // Editing the text lets go of the pick.
    QTest::keyClick(&picker, Qt::Key_Backspace);
    QVERIFY(!picker.value().isValid());
    QCOMPARE(picked.count(), 1);
}

void TestCatalogPicker::searchStaysSmallInABigCatalog()
{
    CatalogPicker picker(m_f.catalog, Kind::Company);
    QVERIFY(showPicker(picker));
    QTest::keyClicks(&picker, QStringLiteral("company"));
    CatalogSearchModel *model = picker.searchModel();
    QCOMPARE(model->rowCount(), CatalogSearchModel::kLimit);
    QCOMPARE(model->index(0, 0).data().toString(),
             QStringLiteral("Company 000000 (company0.example)"));
    QTest::keyClicks(&picker, QStringLiteral(" 09999"));
    QCOMPARE(picker.text(), QStringLiteral("company 09999"));
    QVERIFY(model->rowCount() <= CatalogSearchModel::kLimit);
    QCOMPARE(model->rowCount(), 10); // Company 099990 ... 099999
    for (const QString &text : rowTexts(*model))
        QVERIFY2(text.startsWith(QLatin1String("Company 09999")), qPrintable(text));
    // Down on an empty picker lists the first rows by name.
    picker.clear();
    completerOf(picker)->popup()->hide();
    QTest::keyClick(&picker, Qt::Key_Down);
    QCOMPARE(model->rowCount(), CatalogSearchModel::kLimit);
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Acme Corporation (acme.com)"));
    QTRY_VERIFY(completerOf(picker)->popup()->isVisible());
    // A contains match deep in the list ("…77777…") is found as well, still within the limit.
    picker.clear();
    QTest::keyClicks(&picker, QStringLiteral("7777"));
    QVERIFY(model->rowCount() > 0);
    QVERIFY(model->rowCount() <= CatalogSearchModel::kLimit);
    QVERIFY(model->lastError().isEmpty());
}

void TestCatalogPicker::exactTextOrIdPicksOnEnter()
{
    CatalogPicker picker(m_f.catalog, Kind::Customer);
    QVERIFY(showPicker(picker));
    QSignalSpy picked(&picker, &CatalogPicker::picked);
    QTest::keyClicks(&picker, QStringLiteral("acme ltd"));
    QTest::keyClick(&picker, Qt::Key_Return);
    QCOMPARE(picked.count(), 1);
    QCOMPARE(picker.value().toLongLong(), 5);
    QCOMPARE(picker.text(), QStringLiteral("ACME Ltd"));
    QTRY_VERIFY(!completerOf(picker)->popup()->isVisible());

    // The ID works as well.
    picker.clear();
    QTest::keyClicks(&picker, QStringLiteral("6"));
    QTest::keyClick(&picker, Qt::Key_Return);
    QCOMPARE(picked.count(), 2);
    QCOMPARE(picker.value().toLongLong(), 6);
    QCOMPARE(picker.text(), QStringLiteral("Other Ltd"));

    // Typed exactly and confirmed in the popup: one pick, not two.
    picker.clear();
    QTest::keyClicks(&picker, QStringLiteral("ACME LTD"));
    QCompleter *completer = completerOf(picker);
    QTRY_VERIFY(completer->popup()->isVisible());
    completer->popup()->setCurrentIndex(completer->completionModel()->index(0, 0));
    QTest::keyClick(completer->popup(), Qt::Key_Return);
    QCOMPARE(picked.count(), 3);
    QCOMPARE(picker.value().toLongLong(), 5);
    QCOMPARE(picker.text(), QStringLiteral("ACME Ltd"));

    // A text that names no row picks nothing.
    picker.clear();
    QTest::keyClicks(&picker, QStringLiteral("acme"));
    QTest::keyClick(&picker, Qt::Key_Return);
    QCOMPARE(picked.count(), 3);
    QVERIFY(!picker.value().isValid());
}

void TestCatalogPicker::sitesOfOneCustomer()
{
    CatalogPicker picker(m_f.catalog, Kind::Site);
    QVERIFY(showPicker(picker));
    picker.setSiteCustomer(5);
    QTest::keyClicks(&picker, QStringLiteral("office"));
    QCOMPARE(rowTexts(*picker.searchModel()),
             (QStringList{QStringLiteral("Back Office \u2014 ACME Ltd"),
                          QStringLiteral("Main Office \u2014 ACME Ltd")}));
    QCOMPARE(picker.searchModel()->index(0, 0).data(Qt::UserRole).toLongLong(), 51);

    picker.setSiteCustomer(0);
    picker.clear();
    QTest::keyClicks(&picker, QStringLiteral("office"));
    QCOMPARE(picker.searchModel()->rowCount(), 3);

    // A site of another customer is let go when the customer changes.
    picker.setValue(qint64(60));
    QCOMPARE(picker.text(), QStringLiteral("Office Branch \u2014 Other Ltd"));
    picker.setSiteCustomer(6);
    QCOMPARE(picker.value().toLongLong(), 60);
    picker.setSiteCustomer(5);
    QVERIFY(!picker.value().isValid());
    QVERIFY(picker.text().isEmpty());
}

void TestCatalogPicker::propertiesAndFieldsMatchLabelOrName()
{
    CatalogPicker properties(m_f.catalog, Kind::Property);
    QVERIFY(showPicker(properties));
    core::PropertyDef hidden =
        propertyDef(QStringLiteral("hs_internal_industry"), QStringLiteral("Internal industry"),
                    QStringLiteral("string"), QStringLiteral("text"));
    hidden.hidden = true;
    properties.setProperties(
        {propertyDef(QStringLiteral("annualrevenue"), QStringLiteral("Annual revenue"),
                     QStringLiteral("number"), QStringLiteral("number")),
         propertyDef(QStringLiteral("industry"), QStringLiteral("Industry"),
                     QStringLiteral("enumeration"), QStringLiteral("select")),
         propertyDef(QStringLiteral("hs_lead_status"), QStringLiteral("Lead status"),
                     QStringLiteral("enumeration"), QStringLiteral("select"), true),
         hidden});
    QTest::keyClicks(&properties, QStringLiteral("INDUS"));
    QCOMPARE(rowTexts(*properties.searchModel()),
             QStringList{QStringLiteral("Industry (industry)")});
    properties.clear();
    QTest::keyClicks(&properties, QStringLiteral("hs_"));
    QCOMPARE(rowTexts(*properties.searchModel()),
             QStringList{QStringLiteral("Lead status (hs_lead_status)")});
    QVERIFY(properties.searchModel()
                ->index(0, 0)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("import only")));
    // Prefix matches come before contains matches.
    properties.clear();
    QTest::keyClicks(&properties, QStringLiteral("an"));
    QCOMPARE(rowTexts(*properties.searchModel()),
             (QStringList{QStringLiteral("Annual revenue (annualrevenue)")}));

    CatalogPicker fields(m_f.catalog, Kind::Field);
    QVERIFY(showPicker(fields));
    fields.setFields({fieldDef(1, QStringLiteral("CFindustry"), QStringLiteral("Industry"),
                               core::HaloFieldType::SingleSelect),
                      fieldDef(2, QStringLiteral("CFnotes"), QStringLiteral("Notes"),
                               core::HaloFieldType::Memo)});
    QSignalSpy picked(&fields, &CatalogPicker::picked);
    QTest::keyClicks(&fields, QStringLiteral("cfind"));
    QCOMPARE(rowTexts(*fields.searchModel()), QStringList{QStringLiteral("Industry (CFindustry)")});
    QCompleter *completer = completerOf(fields);
    QTRY_VERIFY(completer->popup()->isVisible());
    completer->popup()->setCurrentIndex(completer->completionModel()->index(0, 0));
    QTest::keyClick(completer->popup(), Qt::Key_Enter);
    QCOMPARE(picked.count(), 1);
    QCOMPARE(fields.value().toInt(), 1);
    QCOMPARE(fields.text(), QStringLiteral("Industry (CFindustry)"));
}

void TestCatalogPicker::setValueShowsTheRow()
{
    CatalogPicker picker(m_f.catalog, Kind::Company);
    QSignalSpy picked(&picker, &CatalogPicker::picked);
    picker.setValue(QStringLiteral("101"));
    QCOMPARE(picker.text(), QStringLiteral("Acme Corporation (acme.com)"));
    QCOMPARE(picker.value(), QVariant(QStringLiteral("101")));
    picker.setValue(QStringLiteral("999"));
    QCOMPARE(picker.text(), QStringLiteral("Unknown company 999 (not in the last refresh)"));
    picker.setValue({});
    QVERIFY(picker.text().isEmpty());
    QVERIFY(!picker.value().isValid());
    QCOMPARE(picked.count(), 0); // only a user's pick is announced

    CatalogPicker customers(m_f.catalog, Kind::Customer);
    customers.setValue(qint64(6));
    QCOMPARE(customers.text(), QStringLiteral("Other Ltd"));
    customers.setValue(qint64(66));
    QCOMPARE(customers.text(), QStringLiteral("Unknown customer 66 (not in the last refresh)"));
}

void TestCatalogPicker::searchModelUnderTester()
{
    CatalogSearchModel model(m_f.catalog, Kind::Company);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.search(QStringLiteral("acme"));
    QCOMPARE(model.rowCount(), 2);
    model.search(QString()); // the first rows by name
    QCOMPARE(model.rowCount(), CatalogSearchModel::kLimit);
    model.search(QStringLiteral("no such thing"));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(reset.count(), 3);
    QCOMPARE(model.textFor(QStringLiteral("103")), QStringLiteral("Beta GmbH (beta.de)"));
}

QTEST_MAIN(TestCatalogPicker)
#include "tst_catalogpicker.moc"
