// The Companies tab's models under QAbstractItemModelTester: the lifecycle checklist, the customer
// mapping table and the field mapping table, with every validation path and its sentence.
#include "CompanyModels.h"
#include "ModelTestSupport.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QSignalSpy>
#include <QTest>

using namespace halospot;
using namespace halospot::gui;
using halospot::gui::test::CatalogFixture;
using halospot::gui::test::fieldDef;
using halospot::gui::test::fieldMapping;
using halospot::gui::test::propertyDef;
using Tester = QAbstractItemModelTester;

namespace {

QList<core::CatalogStage> stages()
{
    return {{QStringLiteral("customer"), QStringLiteral("Customer"), 0},
            {QStringLiteral("opportunity"), QStringLiteral("Opportunity"), 1},
            {QStringLiteral("lead"), QStringLiteral("Lead"), 2}};
}

core::CustomerMapping mapping(const QString &company, qint64 customer,
                              std::optional<qint64> site = std::nullopt)
{
    return core::CustomerMapping{company, customer, site};
}

QList<core::PropertyDef> properties()
{
    QList<core::PropertyDef> list{
        propertyDef(QStringLiteral("industry"), QStringLiteral("Industry"),
                    QStringLiteral("enumeration"), QStringLiteral("select")),
        propertyDef(QStringLiteral("name"), QStringLiteral("Company name"),
                    QStringLiteral("string"), QStringLiteral("text")),
        propertyDef(QStringLiteral("annualrevenue"), QStringLiteral("Annual revenue"),
                    QStringLiteral("number"), QStringLiteral("number")),
        propertyDef(QStringLiteral("createdate"), QStringLiteral("Create date"),
                    QStringLiteral("datetime"), QStringLiteral("date"), true),
        propertyDef(QStringLiteral("description"), QStringLiteral("Description"),
                    QStringLiteral("string"), QStringLiteral("textarea")),
    };
    return list;
}

QList<core::HaloFieldDef> fields()
{
    using T = core::HaloFieldType;
    return {
        fieldDef(1, QStringLiteral("CFindustry"), QStringLiteral("Industry"), T::SingleSelect),
        fieldDef(2, QStringLiteral("CFnotes"), QStringLiteral("Notes"), T::Memo),
        fieldDef(3, QStringLiteral("CFrevenue"), QStringLiteral("Revenue"), T::Text,
                 core::HaloTextInput::Decimal),
        fieldDef(4, QStringLiteral("CFcreated"), QStringLiteral("Created"), T::Date,
                 core::HaloDateInput::DateTime),
        fieldDef(5, QStringLiteral("CFuserthing"), QStringLiteral("User thing"), T::Text, 0,
                 core::HaloFieldUsage::User),
        fieldDef(6, QStringLiteral("CFtext"), QStringLiteral("Text"), T::Text),
    };
}

QString display(const QAbstractItemModel &model, int row, int column = 0,
                int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role).toString();
}

} // namespace

class TestCompanyModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lifecycleRowsAndSelection();
    void lifecycleUnknownStageCanBeUnticked();
    void lifecycleSetStagesKeepsSelection();
    void lifecycleAllAndNone();

    void customerMappingAddAndNames();
    void customerMappingRefusals_data();
    void customerMappingRefusals();
    void customerMappingUnknownIds();
    void customerMappingReplaceRemoveRefresh();

    void fieldMappingAcceptsCompatiblePairs();
    void fieldMappingRefusesIncompatiblePair();
    void fieldMappingDuplicatesAndUnknowns();
    void fieldMappingSyncBackRefusedForReadOnly();
    void fieldMappingProfileRowsWithProblems();
    void fieldMappingDefinitionsRecheck();
};

void TestCompanyModels::lifecycleRowsAndSelection()
{
    LifecycleModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 1); // "(no stage)" alone before HubSpot answered
    model.setStages(stages());
    QSignalSpy changed(&model, &LifecycleModel::changed);
    model.setSelected({QStringLiteral("lead"), QString()});
    QCOMPARE(changed.count(), 0); // only edits through the model count as changes

    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(display(model, 0), QStringLiteral("Customer"));
    QCOMPARE(display(model, 0, 0, Qt::ToolTipRole), QStringLiteral("customer"));
    QCOMPARE(display(model, 3), QStringLiteral("(no stage)"));
    QCOMPARE(model.valueAt(3), QString());
    QCOMPARE(model.valueAt(1), QStringLiteral("opportunity"));
    QCOMPARE(model.data(model.index(2, 0), Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(model.data(model.index(0, 0), Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QVERIFY(model.flags(model.index(0, 0)).testFlag(Qt::ItemIsUserCheckable));
    QCOMPARE(model.selected(), (QStringList{QStringLiteral("lead"), QString()}));

    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(model.index(0, 0), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(dataChanged.at(0).at(2).value<QList<int>>(), QList<int>{Qt::CheckStateRole});
    QCOMPARE(model.selected(),
             (QStringList{QStringLiteral("customer"), QStringLiteral("lead"), QString()}));
    QVERIFY(model.setData(model.index(3, 0), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(model.selected(), (QStringList{QStringLiteral("customer"), QStringLiteral("lead")}));
    QCOMPARE(changed.count(), 2);
    // Only the check state is editable.
    QVERIFY(!model.setData(model.index(0, 0), QStringLiteral("x"), Qt::EditRole));
}

void TestCompanyModels::lifecycleUnknownStageCanBeUnticked()
{
    LifecycleModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setStages(stages());
    model.setSelected({QStringLiteral("customer"), QStringLiteral("retired_stage")});

    // Listed after HubSpot's stages and before "(no stage)", marked, ticked.
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.valueAt(3), QStringLiteral("retired_stage"));
    QCOMPARE(display(model, 3), QStringLiteral("retired_stage (no longer offered by HubSpot)"));
    QVERIFY(display(model, 3, 0, Qt::ToolTipRole).contains(QLatin1String("no longer offers")));
    QVERIFY(!model.data(model.index(3, 0), Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(model.data(model.index(0, 0), Qt::DecorationRole).isNull());
    QCOMPARE(model.data(model.index(3, 0), Qt::CheckStateRole).toInt(), int(Qt::Checked));

    QSignalSpy changed(&model, &LifecycleModel::changed);
    QVERIFY(model.setData(model.index(3, 0), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.selected(), QStringList{QStringLiteral("customer")});
    // Unticked, it stays visible until the list is rebuilt, then it is gone.
    QCOMPARE(model.rowCount(), 5);
    model.setStages(stages());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.selected(), QStringList{QStringLiteral("customer")});
}

void TestCompanyModels::lifecycleSetStagesKeepsSelection()
{
    LifecycleModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setStages(stages());
    model.setSelected({QStringLiteral("opportunity"), QString()});
    // HubSpot drops "opportunity" and adds a custom stage.
    model.setStages({{QStringLiteral("customer"), QStringLiteral("Customer"), 0},
                     {QStringLiteral("12345"), QStringLiteral("Partner"), 1}});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(display(model, 1), QStringLiteral("Partner"));
    QCOMPARE(model.valueAt(2), QStringLiteral("opportunity"));
    QVERIFY(display(model, 2).contains(QLatin1String("no longer offered")));
    QCOMPARE(model.selected(), (QStringList{QStringLiteral("opportunity"), QString()}));
    // And when it comes back, it is a normal row again, still ticked.
    model.setStages(stages());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(display(model, 1), QStringLiteral("Opportunity"));
    QCOMPARE(model.selected(), (QStringList{QStringLiteral("opportunity"), QString()}));
}

void TestCompanyModels::lifecycleAllAndNone()
{
    LifecycleModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setStages(stages());
    model.setSelected({QStringLiteral("gone")});
    QSignalSpy changed(&model, &LifecycleModel::changed);
    model.selectAll();
    QCOMPARE(changed.count(), 1);
    // Every offered stage and "(no stage)"; a stage HubSpot no longer offers is never re-ticked.
    QCOMPARE(model.selected(),
             (QStringList{QStringLiteral("customer"), QStringLiteral("opportunity"),
                          QStringLiteral("lead"), QStringLiteral("gone"), QString()}));
    model.selectNone();
    QCOMPARE(changed.count(), 2);
    QVERIFY(model.selected().isEmpty());
    model.selectNone();
    QCOMPARE(changed.count(), 2); // nothing changed, nothing said
    model.selectAll();
    QCOMPARE(model.selected(),
             (QStringList{QStringLiteral("customer"), QStringLiteral("opportunity"),
                          QStringLiteral("lead"), QString()}));
}

void TestCompanyModels::customerMappingAddAndNames()
{
    CatalogFixture f;
    QVERIFY(f.opened);
    QVERIFY(f.fillSmall());
    CustomerMappingModel model(f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy changed(&model, &CustomerMappingModel::changed);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    const Result<int> row = model.addMapping(mapping(QStringLiteral("101"), 5, 50));
    QVERIFY2(row.ok(), qPrintable(row.error()));
    QCOMPARE(row.value(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.columnCount(), int(CustomerMappingModel::ColumnCount));
    QCOMPARE(display(model, 0, CustomerMappingModel::CompanyColumn),
             QStringLiteral("Acme Corporation (acme.com)"));
    QCOMPARE(display(model, 0, CustomerMappingModel::CustomerColumn), QStringLiteral("ACME Ltd"));
    QCOMPARE(display(model, 0, CustomerMappingModel::SiteColumn), QStringLiteral("Main Office"));
    QCOMPARE(model.data(model.index(0, CustomerMappingModel::CompanyColumn), Qt::UserRole),
             QVariant(QStringLiteral("101")));
    QCOMPARE(
        model.data(model.index(0, CustomerMappingModel::CustomerColumn), Qt::UserRole).toLongLong(),
        5);
    QCOMPARE(
        model.data(model.index(0, CustomerMappingModel::SiteColumn), Qt::UserRole).toLongLong(),
        50);
    QVERIFY(model.data(model.index(0, 0), Qt::DecorationRole).isNull());

    // Without a site: the customer's main site.
    QVERIFY(model.addMapping(mapping(QStringLiteral("102"), 7)).ok());
    QCOMPARE(display(model, 1, CustomerMappingModel::CustomerColumn),
             QStringLiteral("Old Ltd (inactive)"));
    QCOMPARE(display(model, 1, CustomerMappingModel::SiteColumn), QStringLiteral("(main site)"));
    QVERIFY(!model.data(model.index(1, CustomerMappingModel::SiteColumn), Qt::UserRole).isValid());
    QCOMPARE(model.mappings(), (QList<core::CustomerMapping>{mapping(QStringLiteral("101"), 5, 50),
                                                             mapping(QStringLiteral("102"), 7)}));
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("HubSpot company"));
}

void TestCompanyModels::customerMappingRefusals_data()
{
    QTest::addColumn<QString>("company");
    QTest::addColumn<qint64>("customer");
    QTest::addColumn<qint64>("site"); // 0 = none
    QTest::addColumn<QString>("error");

    QTest::newRow("company mapped to another customer")
        << QStringLiteral("101") << qint64(6) << qint64(0)
        << QStringLiteral("Acme Corporation (acme.com) is already mapped to ACME Ltd; remove "
                          "that row first.");
    QTest::newRow("same pair again")
        << QStringLiteral("101") << qint64(5) << qint64(0)
        << QStringLiteral("Acme Corporation (acme.com) is already mapped to ACME Ltd; that pair "
                          "is already in the table.");
    QTest::newRow("same company, other site")
        << QStringLiteral("101") << qint64(5) << qint64(50)
        << QStringLiteral("Acme Corporation (acme.com) is already mapped to ACME Ltd; remove "
                          "that row first.");
    QTest::newRow("site of another customer")
        << QStringLiteral("102") << qint64(5) << qint64(60)
        << QStringLiteral("Site Branch belongs to Other Ltd, not to ACME Ltd; pick one of ACME "
                          "Ltd's sites or leave the site empty.");
    QTest::newRow("no company") << QString() << qint64(5) << qint64(0)
                                << QStringLiteral("Pick a HubSpot company for this row.");
    QTest::newRow("no customer") << QStringLiteral("102") << qint64(0) << qint64(0)
                                 << QStringLiteral("Pick a Halo customer for this row.");
    QTest::newRow("unknown company")
        << QStringLiteral("999") << qint64(5) << qint64(0)
        << QStringLiteral("HubSpot company 999 is not in the last refresh of the picker lists; "
                          "refresh them and pick the company again.");
    QTest::newRow("unknown customer")
        << QStringLiteral("102") << qint64(77) << qint64(0)
        << QStringLiteral("Halo customer 77 is not in the last refresh of the picker lists; "
                          "refresh them and pick the customer again.");
    QTest::newRow("unknown site")
        << QStringLiteral("102") << qint64(5) << qint64(88)
        << QStringLiteral("Halo site 88 is not in the last refresh of the picker lists; refresh "
                          "them and pick the site again.");
}

void TestCompanyModels::customerMappingRefusals()
{
    QFETCH(QString, company);
    QFETCH(qint64, customer);
    QFETCH(qint64, site);
    QFETCH(QString, error);

    CatalogFixture f;
    QVERIFY(f.opened);
    QVERIFY(f.fillSmall());
    CustomerMappingModel model(f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QVERIFY(model.addMapping(mapping(QStringLiteral("101"), 5)).ok());
    QSignalSpy changed(&model, &CustomerMappingModel::changed);

    const auto m = mapping(company, customer, site ? std::optional<qint64>(site) : std::nullopt);
    const Result<int> added = model.addMapping(m);
    QVERIFY(!added.ok());
    QCOMPARE(added.error(), error);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(changed.count(), 0);
}

void TestCompanyModels::customerMappingUnknownIds()
{
    CatalogFixture f;
    QVERIFY(f.opened);
    QVERIFY(f.fillSmall());
    CustomerMappingModel model(f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy changed(&model, &CustomerMappingModel::changed);
    // A profile made on another machine, or before a company was deleted in HubSpot.
    model.setMappings({mapping(QStringLiteral("123"), 5), mapping(QStringLiteral("101"), 44, 45)});
    QCOMPARE(changed.count(), 0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(display(model, 0, CustomerMappingModel::CompanyColumn),
             QStringLiteral("Unknown company 123 (not in the last refresh)"));
    QVERIFY(!model.data(model.index(0, CustomerMappingModel::CompanyColumn), Qt::DecorationRole)
                 .value<QIcon>()
                 .isNull());
    QVERIFY(display(model, 0, CustomerMappingModel::CompanyColumn, Qt::ToolTipRole)
                .contains(QLatin1String("not in the last refresh")));
    QCOMPARE(display(model, 0, CustomerMappingModel::CustomerColumn), QStringLiteral("ACME Ltd"));
    QCOMPARE(display(model, 1, CustomerMappingModel::CustomerColumn),
             QStringLiteral("Unknown customer 44 (not in the last refresh)"));
    QCOMPARE(display(model, 1, CustomerMappingModel::SiteColumn),
             QStringLiteral("Unknown site 45 (not in the last refresh)"));

    // The refresh brings the company in: the names follow.
    QVERIFY(
        f.setCompanies({{QStringLiteral("123"), QStringLiteral("Gamma Inc"), QString(), QString()},
                        {QStringLiteral("101"), QStringLiteral("Acme Corporation"),
                         QStringLiteral("acme.com"), QString()}}));
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    model.refreshNames();
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(display(model, 0, CustomerMappingModel::CompanyColumn), QStringLiteral("Gamma Inc"));
    QVERIFY(model.data(model.index(0, 0), Qt::DecorationRole).isNull());
}

void TestCompanyModels::customerMappingReplaceRemoveRefresh()
{
    CatalogFixture f;
    QVERIFY(f.opened);
    QVERIFY(f.fillSmall());
    CustomerMappingModel model(f.catalog);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QVERIFY(model.addMapping(mapping(QStringLiteral("101"), 5)).ok());
    QVERIFY(model.addMapping(mapping(QStringLiteral("102"), 6)).ok());
    QSignalSpy changed(&model, &CustomerMappingModel::changed);

    // A row is not its own duplicate: adding its site is fine.
    Status replaced = model.replaceMapping(0, mapping(QStringLiteral("101"), 5, 50));
    QVERIFY2(replaced.ok(), qPrintable(replaced.error()));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(display(model, 0, CustomerMappingModel::SiteColumn), QStringLiteral("Main Office"));
    // Turning row 0 into the company of row 1 is refused, naming row 1's customer.
    replaced = model.replaceMapping(0, mapping(QStringLiteral("102"), 5));
    QCOMPARE(replaced.error(), QStringLiteral("Beta GmbH (beta.de) is already mapped to Other "
                                              "Ltd; remove that row first."));
    QCOMPARE(model.mappings().at(0), mapping(QStringLiteral("101"), 5, 50));
    QVERIFY(!model.replaceMapping(5, mapping(QStringLiteral("101"), 5)).ok());
    QCOMPARE(changed.count(), 1);

    QVERIFY(!model.removeRows(1, 5));
    QVERIFY(model.removeRows(0, 1));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(display(model, 0, CustomerMappingModel::CompanyColumn),
             QStringLiteral("Beta GmbH (beta.de)"));
    // The company is free again.
    QVERIFY(model.addMapping(mapping(QStringLiteral("101"), 6)).ok());
    model.setMappings({});
    QCOMPARE(model.rowCount(), 0);
    model.refreshNames(); // nothing to refresh, nothing emitted
}

void TestCompanyModels::fieldMappingAcceptsCompatiblePairs()
{
    FieldMappingModel model(core::Entity::Company);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setDefinitions(properties(), fields());
    QSignalSpy changed(&model, &FieldMappingModel::changed);

    Result<int> row = model.addMapping(fieldMapping(QStringLiteral("industry"), 1, true));
    QVERIFY2(row.ok(), qPrintable(row.error()));
    row = model.addMapping(fieldMapping(QStringLiteral("annualrevenue"), 3));
    QVERIFY2(row.ok(), qPrintable(row.error()));
    // A mapping may name the field by its API name.
    core::FieldMapping byName;
    byName.hubspotProperty = QStringLiteral("description");
    byName.haloFieldName = QStringLiteral("cfnotes");
    row = model.addMapping(byName);
    QVERIFY2(row.ok(), qPrintable(row.error()));
    QCOMPARE(row.value(), 2);
    QCOMPARE(changed.count(), 3);

    using C = FieldMappingModel;
    QCOMPARE(display(model, 0, C::PropertyColumn), QStringLiteral("Industry"));
    QCOMPARE(display(model, 0, C::PropertyColumn, Qt::ToolTipRole), QStringLiteral("industry"));
    QCOMPARE(display(model, 0, C::TypeColumn), QStringLiteral("enumeration / select"));
    QCOMPARE(display(model, 0, C::FieldColumn), QStringLiteral("Industry (CFindustry)"));
    QCOMPARE(display(model, 2, C::FieldColumn), QStringLiteral("Notes (CFnotes)"));
    QCOMPARE(model.data(model.index(0, C::SyncBackColumn), Qt::CheckStateRole).toInt(),
             int(Qt::Checked));
    QCOMPARE(model.data(model.index(1, C::SyncBackColumn), Qt::CheckStateRole).toInt(),
             int(Qt::Unchecked));
    QVERIFY(model.flags(model.index(1, C::SyncBackColumn)).testFlag(Qt::ItemIsUserCheckable));
    QCOMPARE(display(model, 0, C::StatusColumn), QStringLiteral("OK"));
    QCOMPARE(display(model, 0, C::StatusColumn, Qt::ToolTipRole),
             QStringLiteral("Industry (industry) can be mapped to Industry (CFindustry)."));
    QVERIFY(
        !model.data(model.index(0, C::StatusColumn), Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(model.problems().isEmpty());

    // Ticking Sync back through the view.
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(model.index(1, C::SyncBackColumn), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(changed.count(), 4);
    QVERIFY(model.mappings().at(1).syncBack);
    QVERIFY(!model.setData(model.index(1, C::PropertyColumn), QStringLiteral("x"), Qt::EditRole));
    QCOMPARE(model.headerData(C::SyncBackColumn, Qt::Horizontal).toString(),
             QStringLiteral("Sync back"));
}

void TestCompanyModels::fieldMappingRefusesIncompatiblePair()
{
    FieldMappingModel model(core::Entity::Company);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setDefinitions(properties(), fields());

    // A single-line text property into a Memo field: canMap's sentence, word for word.
    const auto props = properties();
    const auto defs = fields();
    const Result<core::MappingRule> expected =
        core::canMap(props.at(1), defs.at(1), core::Entity::Company);
    QVERIFY(!expected.ok());
    Result<int> row = model.addMapping(fieldMapping(QStringLiteral("name"), 2));
    QVERIFY(!row.ok());
    QCOMPARE(row.error(), expected.error());
    QVERIFY(row.error().contains(QLatin1String("name")));
    QVERIFY(row.error().contains(QLatin1String("CFnotes")));

    // A company property into a User field.
    row = model.addMapping(fieldMapping(QStringLiteral("name"), 5));
    QVERIFY(!row.ok());
    QCOMPARE(row.error(), core::canMap(props.at(1), defs.at(4), core::Entity::Company).error());
    QVERIFY(row.error().contains(QLatin1String("User field")));
    QCOMPARE(model.rowCount(), 0);

    // Nothing picked.
    QCOMPARE(model.addMapping(core::FieldMapping{}).error(),
             QStringLiteral("Pick a HubSpot property for this row."));
    core::FieldMapping noField;
    noField.hubspotProperty = QStringLiteral("name");
    QCOMPARE(model.addMapping(noField).error(), QStringLiteral("Pick a Halo field for this row."));
}

void TestCompanyModels::fieldMappingDuplicatesAndUnknowns()
{
    FieldMappingModel model(core::Entity::Company);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setDefinitions(properties(), fields());
    QVERIFY(model.addMapping(fieldMapping(QStringLiteral("name"), 6)).ok());

    QCOMPARE(model.addMapping(fieldMapping(QStringLiteral("name"), 2)).error(),
             QStringLiteral("HubSpot property Company name (name) is already mapped to Text "
                            "(CFtext); remove that row first."));
    QCOMPARE(model.addMapping(fieldMapping(QStringLiteral("description"), 6)).error(),
             QStringLiteral("Halo field Text (CFtext) already receives Company name (name); "
                            "remove that row first."));
    Result<int> row = model.addMapping(fieldMapping(QStringLiteral("nosuchproperty"), 2));
    QVERIFY(!row.ok());
    QCOMPARE(row.error(), QStringLiteral("HubSpot property nosuchproperty is not in the last "
                                         "refresh of the picker lists; refresh them and pick "
                                         "the property again."));
    row = model.addMapping(fieldMapping(QStringLiteral("description"), 99));
    QVERIFY(!row.ok());
    QCOMPARE(row.error(), QStringLiteral("Halo field 99 is not in the last refresh of the picker "
                                         "lists; refresh them and pick the field for Description "
                                         "(description) again."));
    QCOMPARE(model.rowCount(), 1);

    QVERIFY(model.removeRows(0, 1));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.addMapping(fieldMapping(QStringLiteral("description"), 6)).ok());
}

void TestCompanyModels::fieldMappingSyncBackRefusedForReadOnly()
{
    FieldMappingModel model(core::Entity::Company);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setDefinitions(properties(), fields());
    const core::PropertyDef createdate = properties().at(3);
    QString reason;
    QVERIFY(!core::canSyncBack(createdate, &reason));

    // Asked with Sync back: accepted, import only.
    const Result<int> row = model.addMapping(fieldMapping(QStringLiteral("createdate"), 4, true));
    QVERIFY2(row.ok(), qPrintable(row.error()));
    QVERIFY(!model.mappings().at(0).syncBack);
    const QModelIndex cell = model.index(0, FieldMappingModel::SyncBackColumn);
    QVERIFY(!model.flags(cell).testFlag(Qt::ItemIsUserCheckable));
    QVERIFY(!model.data(cell, Qt::CheckStateRole).isValid());
    QCOMPARE(model.data(cell, Qt::ToolTipRole).toString(), reason);
    QCOMPARE(model.data(cell, Qt::DisplayRole).toString(), QStringLiteral("Import only"));
    QCOMPARE(display(model, 0, FieldMappingModel::StatusColumn), QStringLiteral("OK"));

    QSignalSpy changed(&model, &FieldMappingModel::changed);
    QVERIFY(!model.setData(cell, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(model.lastError(), reason);
    QCOMPARE(changed.count(), 0);
    QVERIFY(!model.mappings().at(0).syncBack);
}

void TestCompanyModels::fieldMappingProfileRowsWithProblems()
{
    FieldMappingModel model(core::Entity::Company);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setDefinitions(properties(), fields());
    core::FieldMapping unknownField;
    unknownField.hubspotProperty = QStringLiteral("industry");
    unknownField.haloFieldName = QStringLiteral("CFgone");
    QSignalSpy changed(&model, &FieldMappingModel::changed);
    // As a profile file may hold them: rows that cannot work.
    model.setMappings({fieldMapping(QStringLiteral("vanished"), 6), unknownField,
                       fieldMapping(QStringLiteral("createdate"), 4, true),
                       fieldMapping(QStringLiteral("name"), 2),
                       fieldMapping(QStringLiteral("annualrevenue"), 3)});
    QCOMPARE(changed.count(), 0);
    QCOMPARE(model.rowCount(), 5);

    using C = FieldMappingModel;
    QCOMPARE(display(model, 0, C::PropertyColumn),
             QStringLiteral("Unknown property vanished (not in the last refresh)"));
    QCOMPARE(display(model, 1, C::FieldColumn),
             QStringLiteral("Unknown field CFgone (not in the last refresh)"));
    for (int r = 0; r < 4; ++r) {
        QCOMPARE(display(model, r, C::StatusColumn),
                 display(model, r, C::StatusColumn, Qt::ToolTipRole));
        QVERIFY(!display(model, r, C::StatusColumn, Qt::ToolTipRole).isEmpty());
    }
    QCOMPARE(display(model, 4, C::StatusColumn), QStringLiteral("OK"));
    QCOMPARE(display(model, 3, C::StatusColumn, Qt::ToolTipRole),
             core::canMap(properties().at(1), fields().at(1), core::Entity::Company).error());
    QVERIFY(display(model, 1, C::StatusColumn, Qt::ToolTipRole)
                .contains(QLatin1String("Industry (industry)")));

    const QStringList problems = model.problems();
    QCOMPARE(problems.size(), 4);
    QVERIFY(problems.at(2).contains(QLatin1String("read-only")));

    // The read-only row loaded with Sync back can be unticked, and then it is fine.
    const QModelIndex cell = model.index(2, C::SyncBackColumn);
    QVERIFY(model.flags(cell).testFlag(Qt::ItemIsUserCheckable));
    QCOMPARE(model.data(cell, Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QVERIFY(model.setData(cell, Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(display(model, 2, C::StatusColumn), QStringLiteral("OK"));
    QVERIFY(!model.flags(cell).testFlag(Qt::ItemIsUserCheckable));
    QCOMPARE(model.problems().size(), 3);
    // Ticking it again is refused.
    QVERIFY(!model.setData(cell, Qt::Checked, Qt::CheckStateRole));

    // Removing the broken rows leaves no problem.
    QVERIFY(model.removeRows(0, 2));
    QVERIFY(model.removeRows(1, 1));
    QVERIFY(model.problems().isEmpty());
    QCOMPARE(model.rowCount(), 2);
}

void TestCompanyModels::fieldMappingDefinitionsRecheck()
{
    FieldMappingModel model(core::Entity::Company);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setMappings({fieldMapping(QStringLiteral("industry"), 1, true)});
    // Before the catalog answered, every row is unknown.
    QCOMPARE(model.problems().size(), 1);
    model.setDefinitions(properties(), fields());
    QVERIFY(model.problems().isEmpty());
    // Halo changes the field into a Text field: the row says why it no longer works.
    QList<core::HaloFieldDef> changedFields = fields();
    changedFields[0].type = core::HaloFieldType::Text;
    model.setDefinitions(properties(), changedFields);
    QCOMPARE(model.problems().size(), 1);
    QCOMPARE(model.problems().at(0),
             core::canMap(properties().at(0), changedFields.at(0), core::Entity::Company).error());
    QCOMPARE(display(model, 0, FieldMappingModel::StatusColumn), model.problems().at(0));
}

QTEST_MAIN(TestCompanyModels)
#include "tst_companymodels.moc"
