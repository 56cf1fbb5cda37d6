// Tests the Companies tab driven with QTest input against the sandbox and a real SQLite file,
// through a real engine thread: the tab waits for both connections, fills its lists from the
// sandbox by itself, saves every edit to the profile, refuses bad mappings with the reason,
// previews without writing, imports, cancels, filters the results and exports them as CSV.
#include "CatalogPicker.h"
#include "CompaniesTab.h"
#include "CompanyModels.h"
#include "EngineHost.h"
#include "FieldTypes.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "MappingDialogs.h"
#include "ProfileStore.h"
#include "RunLock.h"
#include "RunResultModel.h"
#include "TabTestSupport.h"

#include <QAbstractProxyModel>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QLockFile>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTest>

using namespace halospot;
using namespace halospot::gui;
using namespace halospot::gui::test;
using State = ConnectionManager::State;

class TestCompaniesTab final : public QObject
{
    Q_OBJECT

private:
    // Import asks first; these tests say yes unless they check the question.
    [[nodiscard]] static bool ready(Env &env, CompaniesTab &tab)
    {
        tab.setConfirm([](QWidget *, const QString &, const QString &) { return true; });
        return test::ready(env, tab);
    }

    // Waits for the tab's job to end; the result summary then describes it.
    [[nodiscard]] static bool waitIdle(Env &env, CompaniesTab &tab)
    {
        return QTest::qWaitFor(
            [&] {
                return !env.runner->isBusy() &&
                       child<QPushButton>(&tab, "previewButton")->isEnabled();
            },
            90000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("HaloSpotTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_companiestab"));
    }

    void disabledUntilBothConnectThenListsRefresh()
    {
        Env env;
        QVERIFY(env.f.started);
        CompaniesTab tab(env.f.store, *env.f.manager, *env.runner);
        tab.show();
        auto *notice = child<QLabel>(&tab, "notConnectedLabel");
        QVERIFY(notice->isVisible());
        QVERIFY(notice->text().contains(QLatin1String("not connected")));
        QVERIFY(!child<QWidget>(&tab, "contentWidget")->isEnabled());
        QVERIFY(!child<QPushButton>(&tab, "importCompaniesButton")->isEnabled());
        QVERIFY(
            child<QLabel>(&tab, "catalogLabel")->text().contains(QLatin1String("not been loaded")));

        QVERIFY(ready(env, tab));
        QVERIFY(!notice->isVisible());
        QVERIFY(child<QWidget>(&tab, "contentWidget")->isEnabled());
        // The tab refreshed the lists by itself: every sandbox company and stage is there.
        QCOMPARE(tab.catalog().count(core::CatalogList::Companies).value(),
                 env.f.sandbox->generator().config().companies);
        const auto stages = tab.catalog().stages();
        QVERIFY(stages.ok());
        QVERIFY(!stages.value().isEmpty());
        QVERIFY(stageRow(tab.lifecycleModel(), QStringLiteral("customer")) >= 0);
        QVERIFY(stageRow(tab.lifecycleModel(), QString()) >= 0); // (no stage)
        QVERIFY(child<QLabel>(&tab, "catalogLabel")->text().contains(QLatin1String("20 compan")));
        // The outcome is in the Activity view.
        bool logged = false;
        for (const auto &entry : env.f.activity.entries())
            logged = logged || entry.message.contains(QLatin1String("up to date"));
        QVERIFY(logged);
    }

    void tickingStagesIsSavedAndSurvivesANewWindow()
    {
        Env env;
        QVERIFY(env.f.started);
        {
            MainWindow window(env.f.store, *env.f.manager, env.f.activity, false, env.runner.get());
            CompaniesTab &tab = *window.companiesTab();
            window.show();
            QVERIFY(ready(env, tab));
            auto *list = child<QListView>(&tab, "lifecycleStageList");
            auto *nothing = child<QLabel>(&tab, "nothingTickedLabel");
            auto *import = child<QPushButton>(&tab, "importCompaniesButton");

            click(child<QPushButton>(&tab, "noStagesButton"));
            QVERIFY(nothing->isVisible());
            QCOMPARE(nothing->text(),
                     QStringLiteral("Nothing is ticked, so nothing would be imported."));
            QVERIFY(!import->isEnabled());
            QVERIFY(core::loadProfile(env.f.store)->companies.lifecycleStages.isEmpty());

            // Space on the current row ticks it, as a keyboard user would.
            for (const QString &value : {QStringLiteral("customer"), QStringLiteral("lead")}) {
                const int row = stageRow(tab.lifecycleModel(), value);
                QVERIFY2(row >= 0, qPrintable(value));
                list->setFocus();
                list->setCurrentIndex(tab.lifecycleModel()->index(row));
                QTest::keyClick(list->viewport(), Qt::Key_Space);
            }
            QTRY_COMPARE(core::loadProfile(env.f.store)->companies.lifecycleStages.size(), 2);
            QVERIFY(!nothing->isVisible());
            QVERIFY(import->isEnabled());

            // A click on the check box works too: untick "lead".
            const QModelIndex lead =
                tab.lifecycleModel()->index(stageRow(tab.lifecycleModel(), QStringLiteral("lead")));
            QStyleOptionViewItem option;
            option.initFrom(list);
            option.rect = list->visualRect(lead);
            option.features |= QStyleOptionViewItem::HasCheckIndicator;
            const QRect box =
                list->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, list);
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, box.center());
            QTRY_COMPARE(core::loadProfile(env.f.store)->companies.lifecycleStages,
                         QStringList{QStringLiteral("customer")});
            window.close();
        }
        // A new window on the same store shows the same ticks.
        MainWindow again(env.f.store, *env.f.manager, env.f.activity, false, env.runner.get());
        QCOMPARE(again.companiesTab()->lifecycleModel()->selected(),
                 QStringList{QStringLiteral("customer")});
        // The tab sits second, after Connect.
        auto *tabs = again.findChild<QTabWidget *>(QStringLiteral("tabs"));
        QCOMPARE(tabs->widget(1), again.companiesTab());
    }

    void customerMappingThroughPickersAndDoubleRefused()
    {
        Env env;
        QVERIFY(env.f.started);
        CompaniesTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        const auto companies = tab.catalog().searchCompanies(QString(), 5);
        QVERIFY(companies.ok() && companies->size() >= 2);
        const QString typed = companies->constFirst().name.left(3);

        click(child<QPushButton>(&tab, "addCustomerMappingButton"));
        auto *dialog = tab.findChild<CustomerMappingDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(pick(dialog->companyPicker(), typed));
        QVERIFY(pick(dialog->customerPicker(), QStringLiteral("a")));
        const QString companyId = dialog->companyPicker()->value().toString();
        const qint64 customerId = dialog->customerPicker()->value().toLongLong();
        QVERIFY(dialog->sitePicker()->isEnabled());
        click(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
        QTRY_VERIFY(!tab.findChild<CustomerMappingDialog *>());
        QCOMPARE(tab.customerMappingModel()->rowCount(), 1);
        const auto saved = core::loadProfile(env.f.store)->companies.customerMappings;
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.constFirst().hubspotCompanyId, companyId);
        QCOMPARE(saved.constFirst().haloClientId, customerId);

        // The same company again, to another customer: refused, the dialog says why.
        auto *table = child<QTableView>(&tab, "customerMappingTable");
        // The closed dialog took the activation with it: back to the tab, as a user would.
        tab.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&tab));
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Insert);
        dialog = tab.findChild<CustomerMappingDialog *>();
        QVERIFY(dialog);
        QVERIFY(pick(dialog->companyPicker(), typed));
        QCOMPARE(dialog->companyPicker()->value().toString(), companyId);
        QVERIFY(pick(dialog->customerPicker(), QStringLiteral("a"), 1));
        QVERIFY(dialog->customerPicker()->value().toLongLong() != customerId);
        click(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->errorLabel()->isVisible());
        QVERIFY2(dialog->errorLabel()->text().contains(QLatin1String("already")),
                 qPrintable(dialog->errorLabel()->text()));
        QCOMPARE(tab.customerMappingModel()->rowCount(), 1);
        QCOMPARE(core::loadProfile(env.f.store)->companies.customerMappings.size(), 1);
        dialog->reject();
        QTRY_VERIFY(!tab.findChild<CustomerMappingDialog *>());

        // Del removes the selected row, and the profile follows.
        tab.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&tab));
        table->setFocus();
        table->selectRow(0);
        QTest::keyClick(table, Qt::Key_Delete);
        QCOMPARE(tab.customerMappingModel()->rowCount(), 0);
        QVERIFY(core::loadProfile(env.f.store)->companies.customerMappings.isEmpty());
    }

    void fieldMappingIncompatibleRefusedCompatibleSaved()
    {
        Env env;
        QVERIFY(env.f.started);
        CompaniesTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        const auto properties = tab.catalog().properties(core::Entity::Company);
        const auto fields = tab.catalog().fields(core::Entity::Company);
        QVERIFY(properties.ok() && fields.ok());
        const MappingPairs pairs =
            findMappingPairs(properties.value(), fields.value(), core::Entity::Company);
        const core::PropertyDef *badProperty = pairs.badProperty;
        const core::PropertyDef *goodProperty = pairs.goodProperty;
        const core::HaloFieldDef *badField = pairs.badField;
        const core::HaloFieldDef *goodField = pairs.goodField;
        QVERIFY(badProperty && goodProperty);

        click(child<QPushButton>(&tab, "addFieldMappingButton"));
        auto *dialog = tab.findChild<FieldMappingDialog *>();
        QVERIFY(dialog);
        QVERIFY(pick(dialog->propertyPicker(), badProperty->name));
        QVERIFY(pick(dialog->fieldPicker(), badField->name));
        // The reason shows before OK, and OK does not add the pair.
        QVERIFY(dialog->errorLabel()->isVisible());
        const QString reason = dialog->errorLabel()->text();
        QVERIFY(!reason.isEmpty());
        click(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
        QVERIFY(dialog->isVisible());
        QCOMPARE(tab.fieldMappingModel()->rowCount(), 0);
        QVERIFY(core::loadProfile(env.f.store)->companies.fieldMappings.isEmpty());
        dialog->reject();
        QTRY_VERIFY(!tab.findChild<FieldMappingDialog *>()); // deleted on close

        click(child<QPushButton>(&tab, "addFieldMappingButton"));
        dialog = tab.findChild<FieldMappingDialog *>();
        QVERIFY(dialog);
        QVERIFY(pick(dialog->propertyPicker(), goodProperty->name));
        QVERIFY(pick(dialog->fieldPicker(), goodField->name));
        QVERIFY(dialog->errorLabel()->text().contains(QLatin1String("fit")));
        QTest::mouseClick(dialog->syncBackCheck(), Qt::LeftButton);
        // A writable property may sync back.
        QVERIFY(dialog->syncBackCheck()->isEnabled());
        QVERIFY(dialog->syncBackCheck()->isChecked());
        click(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
        QTRY_VERIFY(!tab.findChild<FieldMappingDialog *>());
        QCOMPARE(tab.fieldMappingModel()->rowCount(), 1);
        const auto saved = core::loadProfile(env.f.store)->companies.fieldMappings;
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.constFirst().hubspotProperty, goodProperty->name);
        QCOMPARE(saved.constFirst().haloFieldId, std::optional<int>(goodField->id));
        QVERIFY(saved.constFirst().syncBack);
        QVERIFY(tab.importBlockedReason().isEmpty() ||
                tab.importBlockedReason().contains(QLatin1String("ticked")));
    }

    void previewShowsRowsAndWritesNothing()
    {
        Env env;
        QVERIFY(env.f.started);
        CompaniesTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        click(child<QPushButton>(&tab, "allStagesButton"));
        const qint64 clientsBefore = env.f.sandbox->halo().clientCount();

        // Ctrl+Enter anywhere in the tab runs the preview.
        child<QListView>(&tab, "lifecycleStageList")->setFocus();
        QTest::keyClick(&tab, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(env.runner->isBusy());
        QVERIFY(waitIdle(env, tab));
        const qint64 total = env.f.sandbox->generator().config().companies;
        QCOMPARE(tab.resultModel()->rowCount(), int(total));
        QVERIFY(tab.shownRunId() > 0);
        QVERIFY(child<QLabel>(&tab, "resultSummaryLabel")
                    ->text()
                    .startsWith(QLatin1String("Preview (nothing was written)")));
        // Every row names what would happen.
        for (int row = 0; row < tab.resultModel()->rowCount(); ++row) {
            QVERIFY(!tab.resultModel()
                         ->index(row, RunResultModel::ActionColumn)
                         .data()
                         .toString()
                         .isEmpty());
        }
        QCOMPARE(env.f.sandbox->halo().clientCount(), clientsBefore);

        // The confirmation of the import quotes the preview.
        QString asked;
        tab.setConfirm([&asked](QWidget *, const QString &, const QString &text) {
            asked = text;
            return false; // and nothing runs
        });
        click(child<QPushButton>(&tab, "importCompaniesButton"));
        QVERIFY2(asked.startsWith(QLatin1String("The preview found")), qPrintable(asked));
        QVERIFY(!env.runner->isBusy());
        QCOMPARE(env.f.sandbox->halo().clientCount(), clientsBefore);
    }

    void resultListHidesFilteredOutByDefault()
    {
        Env env;
        QVERIFY(env.f.started);
        CompaniesTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        click(child<QPushButton>(&tab, "noStagesButton"));
        // Tick the stage of one company (the sandbox's 20 are spread over many stages).
        const auto some = tab.catalog().searchCompanies(QString(), 1);
        QVERIFY(some.ok() && !some.value().isEmpty());
        const QString stage = some.value().constFirst().lifecycleStage;
        LifecycleModel *stages = tab.lifecycleModel();
        int stageRow = -1;
        for (int r = 0; r < stages->rowCount(); ++r) {
            if (stages->valueAt(r) == stage)
                stageRow = r;
        }
        QVERIFY(stageRow >= 0);
        QVERIFY(stages->setData(stages->index(stageRow), Qt::Checked, Qt::CheckStateRole));

        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        click(child<QPushButton>(&tab, "previewButton"));
        QVERIFY(waitIdle(env, tab));
        QCOMPARE(finished.size(), 1);
        const auto report = finished.constFirst().constFirst().value<engine::RunReport>();
        QVERIFY(report.counts.filteredOut > 0);
        QVERIFY(report.counts.filteredOut < report.counts.read);

        // What the run did is listed; the companies of other stages are one choice away.
        auto *combo = child<QComboBox>(&tab, "actionFilterCombo");
        QCOMPARE(combo->currentData().toString(), QStringLiteral("!filtered_out"));
        QVERIFY2(combo->currentText().contains(
                     QStringLiteral("(%1)").arg(report.counts.read - report.counts.filteredOut)),
                 qPrintable(combo->currentText()));
        QCOMPARE(tab.resultModel()->rowCount(),
                 int(report.counts.read - report.counts.filteredOut));
        for (int row = 0; row < tab.resultModel()->rowCount(); ++row)
            QVERIFY(tab.resultModel()->item(row).action != QLatin1String("filtered_out"));
        combo->setCurrentIndex(combo->findData(QString()));
        QCOMPARE(tab.resultModel()->rowCount(), int(report.counts.read));
    }

    void rotatedRefreshTokenFromAJobIsKept()
    {
        Env env;
        QVERIFY(env.f.started);
        // HubSpot (the sandbox) rotates refresh tokens: a job that refreshes leaves the one the
        // window holds spent, so the next job only works if the new one came back from the engine.
        env.f.sandbox->hubspot().oauth().config().rotateRefreshTokens = true;
        env.f.manager->restore();
        core::HubSpotConnectionConfig hubspot;
        hubspot.auth = core::HubSpotAuthMode::OAuth;
        hubspot.apiBase = QUrl(env.f.value("hubspot_api_url"));
        hubspot.authBase = QUrl(env.f.value("hubspot_auth_url"));
        hubspot.clientId = env.f.value("hubspot_client_id");
        hubspot.redirectPort = freePort();
        env.f.manager->connectHubSpotOAuth(hubspot, env.f.value("hubspot_client_secret"));
        core::HaloConnectionConfig halo;
        halo.url = QUrl(env.f.value("halo_url"));
        halo.clientId = env.f.value("halo_client_id");
        env.f.manager->testHalo(halo, env.f.value("halo_client_secret"));
        QTRY_VERIFY_WITH_TIMEOUT(env.f.manager->hubspotState() == State::Connected &&
                                     env.f.manager->haloState() == State::Connected,
                                 30000);
        QVERIFY(!env.runner->isBusy());

        for (int run = 0; run < 2; ++run) {
            const QString before =
                env.f.manager->jobSecrets().value(api::Secret::HubSpotRefreshToken);
            QVERIFY(!before.isEmpty());
            QSignalSpy finished(env.runner.get(), &JobRunner::finished);
            QVERIFY(env.runner->start(engine::JobKind::RefreshCatalog).ok());
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
            const auto report = finished.constFirst().constFirst().value<engine::RunReport>();
            QVERIFY2(report.status == QLatin1String("completed"), qPrintable(report.error));
            const QString after =
                env.f.manager->jobSecrets().value(api::Secret::HubSpotRefreshToken);
            QVERIFY(!after.isEmpty());
            QVERIFY(after != before);
        }
    }

    void importWaitsForAnotherRunsLock()
    {
        Env env;
        QVERIFY(env.f.started);
        CompaniesTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        click(child<QPushButton>(&tab, "allStagesButton"));
        tab.setConfirm([](QWidget *, const QString &, const QString &) { return true; });
        // `halospot import companies` on the same data directory holds the lock.
        QLockFile other(core::RunLock::path(QFileInfo(env.f.store.path()).absolutePath()));
        QVERIFY(other.tryLock(0));
        const qint64 clientsBefore = env.f.sandbox->halo().clientCount();

        click(child<QPushButton>(&tab, "importCompaniesButton"));
        QVERIFY(!env.runner->isBusy());
        const QString said = child<QLabel>(&tab, "progressLabel")->text();
        QVERIFY2(said.contains(QLatin1String("holds the lock")), qPrintable(said));
        QCOMPARE(env.f.sandbox->halo().clientCount(), clientsBefore);

        // A preview writes nothing, so it runs while the other run goes on.
        click(child<QPushButton>(&tab, "previewButton"));
        QVERIFY(env.runner->isBusy());
        QVERIFY(waitIdle(env, tab));
        QVERIFY(tab.shownRunId() > 0);

        // Once the other run is over, the import runs (and holds the lock meanwhile).
        other.unlock();
        click(child<QPushButton>(&tab, "importCompaniesButton"));
        QVERIFY(env.runner->isBusy());
        QLockFile probe(other.fileName());
        QVERIFY(!probe.tryLock(0));
        QVERIFY(waitIdle(env, tab));
        QVERIFY(env.f.sandbox->halo().clientCount() > clientsBefore);
        QVERIFY(probe.tryLock(0)); // released at the end
    }

    void importWritesFilterCountsMatchAndCsvExport()
    {
        Env env;
        QVERIFY(env.f.started);
        CompaniesTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        click(child<QPushButton>(&tab, "allStagesButton"));
        const qint64 clientsBefore = env.f.sandbox->halo().clientCount();
        QString asked;
        tab.setConfirm([&asked](QWidget *, const QString &, const QString &text) {
            asked = text;
            return true;
        });
        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        click(child<QPushButton>(&tab, "importCompaniesButton"));
        // No preview: the question names how many companies would be imported.
        QVERIFY2(asked.contains(QLatin1String("20 HubSpot companies")), qPrintable(asked));
        QVERIFY(waitIdle(env, tab));
        QCOMPARE(finished.size(), 1);
        const auto report = finished.constFirst().constFirst().value<engine::RunReport>();
        QVERIFY2(report.status.startsWith(QLatin1String("completed")), qPrintable(report.error));
        QVERIFY(report.counts.created > 0);
        QCOMPARE(env.f.sandbox->halo().clientCount(), clientsBefore + report.counts.created);
        QCOMPARE(tab.resultModel()->rowCount(), int(report.counts.read));
        QCOMPARE(tab.shownRunId(), report.runId);

        // The filter offers each action with its count; choosing one limits the list.
        auto *combo = child<QComboBox>(&tab, "actionFilterCombo");
        const int createdIndex = combo->findData(QStringLiteral("created"));
        QVERIFY(createdIndex > 0);
        QVERIFY2(combo->itemText(createdIndex)
                     .contains(QStringLiteral("(%1)").arg(report.counts.created)),
                 qPrintable(combo->itemText(createdIndex)));
        QVERIFY(combo->itemText(0).contains(QStringLiteral("(%1)").arg(report.counts.read)));
        combo->setFocus();
        combo->setCurrentIndex(createdIndex);
        QCOMPARE(tab.resultModel()->rowCount(), int(report.counts.created));

        // CSV export writes the rows shown (header + one line each).
        const QString path = env.f.dir.filePath(QStringLiteral("created.csv"));
        QString suggested;
        tab.setFileChooser([&](QWidget *, const QString &name) {
            suggested = name;
            return path;
        });
        click(child<QPushButton>(&tab, "exportCsvButton"));
        QVERIFY(suggested.endsWith(QLatin1String("-created.csv")));
        QFile csv(path);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), int(report.counts.created) + 1);
        QVERIFY(lines.constFirst().startsWith("hubspot_id"));
        for (qsizetype i = 1; i < lines.size(); ++i)
            QVERIFY2(lines.at(i).contains(",created,"), lines.at(i).constData());
    }

    void cancelMidRunAndStatusBar()
    {
        Env env;
        QVERIFY(env.f.started);
        MainWindow window(env.f.store, *env.f.manager, env.f.activity, false, env.runner.get());
        CompaniesTab &tab = *window.companiesTab();
        window.show();
        QVERIFY(ready(env, tab));
        click(child<QPushButton>(&tab, "allStagesButton"));
        // Slow Halo down so that the run is still going when Cancel is pressed.
        sandbox::FaultRates rates = env.f.sandbox->halo().faults().rates();
        rates.latencyMs = 700;
        env.f.sandbox->halo().faults().setRates(rates);

        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        click(child<QPushButton>(&tab, "importCompaniesButton"));
        QVERIFY(env.runner->isBusy());
        QTRY_VERIFY(window.jobIndicator()->isVisible());
        QVERIFY(window.jobIndicator()->text().startsWith(QLatin1String("Import companies")));
        auto *cancel = child<QPushButton>(&tab, "cancelButton");
        QVERIFY(cancel->isEnabled());
        QVERIFY(!child<QPushButton>(&tab, "previewButton")->isEnabled());
        click(cancel);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const auto report = finished.constFirst().constFirst().value<engine::RunReport>();
        QCOMPARE(report.status, QStringLiteral("cancelled"));
        QVERIFY(child<QLabel>(&tab, "progressLabel")
                    ->text()
                    .startsWith(QLatin1String("Cancelled after")));
        QVERIFY(
            child<QLabel>(&tab, "resultSummaryLabel")->text().contains(QLatin1String("cancelled")));
        QVERIFY(!window.jobIndicator()->isVisible());
        QVERIFY(!cancel->isEnabled());
        QVERIFY(child<QPushButton>(&tab, "importCompaniesButton")->isEnabled());
    }
};

QTEST_MAIN(TestCompaniesTab)
#include "tst_companiestab.moc"
