// The Contacts tab's use of the shared models, under QAbstractItemModelTester: contact properties
// into user fields (a customer field refused with the reason), the contact stage checklist, and
// the result list of a contacts run naming contacts and users.
#include "CompanyModels.h"
#include "ModelTestSupport.h"
#include "RunResultModel.h"

#include <QAbstractItemModelTester>
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

QList<core::PropertyDef> contactProperties()
{
    return {
        propertyDef(QStringLiteral("jobtitle"), QStringLiteral("Job title"),
                    QStringLiteral("string"), QStringLiteral("text")),
        propertyDef(QStringLiteral("hs_lead_status"), QStringLiteral("Lead status"),
                    QStringLiteral("enumeration"), QStringLiteral("select")),
        propertyDef(QStringLiteral("createdate"), QStringLiteral("Create date"),
                    QStringLiteral("datetime"), QStringLiteral("date"), true),
    };
}

QList<core::HaloFieldDef> userAndCustomerFields()
{
    using T = core::HaloFieldType;
    using U = core::HaloFieldUsage;
    return {
        fieldDef(11, QStringLiteral("CFjobtitle"), QStringLiteral("Job title"), T::Text, 0,
                 U::User),
        fieldDef(12, QStringLiteral("CFcreated"), QStringLiteral("Created"), T::Date, 1, U::User),
        fieldDef(21, QStringLiteral("CFindustry"), QStringLiteral("Industry"), T::Text, 0,
                 U::Customer),
    };
}

} // namespace

class TestContactModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contactPropertyIntoUserField()
    {
        FieldMappingModel model(core::Entity::Contact);
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setDefinitions(contactProperties(), userAndCustomerFields());
        QSignalSpy changed(&model, &FieldMappingModel::changed);

        const Result<int> row =
            model.addMapping(fieldMapping(QStringLiteral("jobtitle"), 11, true));
        QVERIFY2(row.ok(), qPrintable(row.error()));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, FieldMappingModel::FieldColumn).data().toString(),
                 QStringLiteral("Job title (CFjobtitle)"));
        QCOMPARE(model.index(0, FieldMappingModel::SyncBackColumn).data(Qt::CheckStateRole),
                 QVariant(Qt::Checked));
        QVERIFY(model.problems().isEmpty());

        // A read-only property may be imported, never synced back: the flag is dropped.
        const Result<int> readOnly =
            model.addMapping(fieldMapping(QStringLiteral("createdate"), 12, true));
        QVERIFY2(readOnly.ok(), qPrintable(readOnly.error()));
        QVERIFY(!model.mappings().at(1).syncBack);
        QVERIFY(!(model.flags(model.index(1, FieldMappingModel::SyncBackColumn)) &
                  Qt::ItemIsUserCheckable));
    }

    void customerFieldRefusedForAContact()
    {
        FieldMappingModel model(core::Entity::Contact);
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setDefinitions(contactProperties(), userAndCustomerFields());
        const Result<int> refused = model.addMapping(fieldMapping(QStringLiteral("jobtitle"), 21));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QLatin1String("User fields")),
                 qPrintable(refused.error()));
        QCOMPARE(model.rowCount(), 0);

        // The same pair loaded from a profile is listed with the reason and blocks an import.
        model.setMappings({fieldMapping(QStringLiteral("jobtitle"), 21)});
        QCOMPARE(model.problems().size(), 1);
        QVERIFY(model.index(0, FieldMappingModel::StatusColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("Customer field")));
        QVERIFY(model.removeRows(0, 1));
        QVERIFY(model.problems().isEmpty());
    }

    void contactStagesSayContacts()
    {
        LifecycleModel model(core::Entity::Contact);
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setStages({{QStringLiteral("lead"), QStringLiteral("Lead"), 0},
                         {QStringLiteral("customer"), QStringLiteral("Customer"), 1}});
        model.setSelected({QStringLiteral("lead")});
        QCOMPARE(model.rowCount(), 3);
        const QModelIndex none = model.index(2);
        QCOMPARE(model.valueAt(2), QString());
        QCOMPARE(none.data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Contacts whose lifecycle stage is empty."));
        QVERIFY(model.setData(none, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(model.selected(), (QStringList{QStringLiteral("lead"), QString()}));
        // The companies' list keeps its own wording.
        LifecycleModel companies;
        QCOMPARE(companies.index(0).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Companies whose lifecycle stage is empty."));
    }

    void contactRunNamesContactsAndUsers()
    {
        CatalogFixture fx;
        QVERIFY(fx.opened);
        const Result<qint64> run = fx.store.beginRun(QStringLiteral("contacts"), true);
        QVERIFY(run.ok());
        core::RunItem created;
        created.entity = core::Entity::Contact;
        created.hubspotId = QStringLiteral("9001");
        created.haloId = 77;
        created.action = QStringLiteral("created");
        core::RunItem skipped = created;
        skipped.hubspotId = QStringLiteral("9002");
        skipped.haloId = 0;
        skipped.action = QStringLiteral("skipped");
        skipped.reason = QStringLiteral("No default site is set.");
        QVERIFY(fx.store.addRunItems(run.value(), {created, skipped}).ok());

        RunResultModel model(fx.store, fx.catalog);
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy header(&model, &QAbstractItemModel::headerDataChanged);
        model.setEntity(core::Entity::Contact);
        QCOMPARE(header.size(), 1);
        model.setRun(run.value());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.headerData(RunResultModel::CompanyColumn, Qt::Horizontal).toString(),
                 QStringLiteral("HubSpot contact"));
        QCOMPARE(model.headerData(RunResultModel::HaloColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Halo user"));
        QCOMPARE(model.index(0, RunResultModel::CompanyColumn).data().toString(),
                 QStringLiteral("9001"));
        QCOMPARE(model.index(0, RunResultModel::HaloColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Halo user ID 77"));
        QCOMPARE(model.index(1, RunResultModel::DetailColumn).data().toString(),
                 QStringLiteral("No default site is set."));
        model.setEntity(core::Entity::Company);
        QCOMPARE(model.headerData(RunResultModel::HaloColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Halo customer"));
    }
};

QTEST_MAIN(TestContactModels)
#include "tst_contactmodels.moc"
