// Tests the Contacts tab's runs driven with QTest input against the sandbox, through a real engine
// thread: Import says why it is blocked (field rows, a running job), Preview and Import start
// contact jobs and the tab shows how they ended, and the tab is the window's third. With
// HALOSPOT_SHOTS_DIR set it also saves pictures of the tab for a person to look at.
#include "CompaniesTab.h"
#include "ContactsTabTestSupport.h"
#include "FieldTypes.h"
#include "MainWindow.h"
#include "RunPanel.h"

#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace halospot;
using namespace halospot::gui;
using namespace halospot::gui::test;
using Include = core::ContactInclude;

class TestContactsTabRun final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("HaloSpotTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_contactstab_run"));
    }

    void importBlockedByBrokenFieldRowsAndByARunningJob()
    {
        Env env;
        QVERIFY(env.f.started);
        // A profile whose contact field row names a property HubSpot does not have.
        core::Profile profile = core::loadProfile(env.f.store).value();
        core::FieldMapping broken;
        broken.hubspotProperty = QStringLiteral("no_such_property");
        broken.haloFieldName = QStringLiteral("CFnothing");
        profile.contacts.fieldMappings = {broken};
        QVERIFY(core::saveProfile(env.f.store, profile).ok());

        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        auto *import = child<QPushButton>(&tab, "importContactsButton");
        const QString reason = tab.importBlockedReason();
        QVERIFY2(reason.startsWith(QLatin1String("Import is blocked until these field mappings")),
                 qPrintable(reason));
        QVERIFY(reason.contains(QLatin1String("no_such_property")));
        QVERIFY(!import->isEnabled());
        QVERIFY(child<QLabel>(&tab, "blockedLabel")->isVisible());
        // Called anyway (as the button would): nothing starts and the reason is shown.
        int questions = 0;
        tab.setConfirm([&](QWidget *, const QString &, const QString &) {
            ++questions;
            return true;
        });
        QSignalSpy started(env.runner.get(), &JobRunner::started);
        tab.importContacts();
        QCOMPARE(started.size(), 0);
        QCOMPARE(questions, 0);
        QCOMPARE(child<QLabel>(&tab, "progressLabel")->text(), reason);
        // The preview is allowed: it shows what the rows would do, writing nothing.
        QVERIFY(child<QPushButton>(&tab, "previewButton")->isEnabled());

        // Removing the row unblocks; a job of another tab blocks again while it runs.
        auto *table = child<QTableView>(&tab, "fieldMappingTable");
        table->selectRow(0);
        click(child<QPushButton>(&tab, "removeFieldMappingButton"));
        QVERIFY(tab.importBlockedReason().isEmpty());
        QVERIFY(import->isEnabled());
        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        QVERIFY(env.runner->start(engine::JobKind::RefreshCatalog).ok());
        QVERIFY2(tab.importBlockedReason().contains(QLatin1String("Refresh lists is running")),
                 qPrintable(tab.importBlockedReason()));
        QVERIFY(!import->isEnabled());
        QVERIFY(!child<QPushButton>(&tab, "previewButton")->isEnabled());
        // Not this tab's job: its Cancel stays off.
        QVERIFY(!child<QPushButton>(&tab, "cancelButton")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY(tab.importBlockedReason().isEmpty());
        QVERIFY(import->isEnabled());
    }

    void previewAndImportRunContactJobs()
    {
        Env env;
        QVERIFY(env.f.started);
        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        QSignalSpy started(env.runner.get(), &JobRunner::started);
        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        auto *progress = child<QLabel>(&tab, "progressLabel");
        auto *summary = child<QLabel>(&tab, "resultSummaryLabel");
        QVERIFY(summary->text().contains(QLatin1String("each contact")));

        // Ctrl+Enter anywhere in the tab previews.
        child<QTableView>(&tab, "fieldMappingTable")->setFocus();
        QTest::keyClick(&tab, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(0).value<engine::JobKind>(), engine::JobKind::ImportContacts);
        QCOMPARE(started.at(0).at(1).toBool(), true);
        auto report = finished.at(0).at(0).value<engine::RunReport>();
        QCOMPARE(report.kind, engine::JobKind::ImportContacts);
        QVERIFY(report.dryRun);
        // The tab tells how the run ended, whatever the engine made of it.
        if (report.status == QLatin1String("failed")) {
            QCOMPARE(progress->text(), QStringLiteral("Stopped: %1").arg(report.error));
            QCOMPARE(summary->text(), QStringLiteral("The run stopped: %1").arg(report.error));
        } else {
            QVERIFY2(progress->text().startsWith(QLatin1String("Done:")) ||
                         progress->text().startsWith(QLatin1String("Cancelled")),
                     qPrintable(progress->text()));
        }
        // A run that was recorded is the one listed.
        if (report.runId > 0)
            QCOMPARE(tab.shownRunId(), report.runId);
        QVERIFY(child<QPushButton>(&tab, "previewButton")->isEnabled());
        QVERIFY(!child<QPushButton>(&tab, "cancelButton")->isEnabled());

        // Import asks first; declined, nothing starts.
        QString asked;
        bool answer = false;
        tab.setConfirm([&](QWidget *, const QString &title, const QString &text) {
            asked = title + QLatin1Char('|') + text;
            return answer;
        });
        click(child<QPushButton>(&tab, "importContactsButton"));
        QVERIFY2(asked.startsWith(QLatin1String("Import Contacts|")), qPrintable(asked));
        // It quotes a preview that worked; a failed one says nothing about an import.
        if (report.status == QLatin1String("failed"))
            QVERIFY2(asked.contains(QLatin1String("No preview was run")), qPrintable(asked));
        else
            QVERIFY2(asked.contains(QLatin1String("The preview found")), qPrintable(asked));
        QCOMPARE(started.size(), 1);

        answer = true;
        click(child<QPushButton>(&tab, "importContactsButton"));
        QCOMPARE(started.size(), 2);
        QCOMPARE(started.at(1).at(0).value<engine::JobKind>(), engine::JobKind::ImportContacts);
        QCOMPARE(started.at(1).at(1).toBool(), false);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
        report = finished.at(1).at(0).value<engine::RunReport>();
        QVERIFY(!report.dryRun);
        if (report.status == QLatin1String("failed"))
            QCOMPARE(progress->text(), QStringLiteral("Stopped: %1").arg(report.error));
        QTRY_VERIFY(child<QPushButton>(&tab, "importContactsButton")->isEnabled());
    }

    void thirdTabOfTheWindow()
    {
        Env env;
        QVERIFY(env.f.started);
        MainWindow window(env.f.store, *env.f.manager, env.f.activity, false, env.runner.get());
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        QVERIFY(window.contactsTab());
        QCOMPARE(tabs->indexOf(window.companiesTab()), 1);
        QCOMPARE(tabs->indexOf(window.contactsTab()), 2);
        QCOMPARE(tabs->tabText(2), QStringLiteral("Con&tacts"));
        // The tab's lines reach the Activity view.
        const qsizetype before = env.f.activity.entries().size();
        Q_EMIT window.contactsTab()->activity(QStringLiteral("Contacts"), QStringLiteral("hello"));
        QCOMPARE(env.f.activity.entries().size(), before + 1);
        QCOMPARE(env.f.activity.entries().constLast().message, QStringLiteral("hello"));

        // Both tabs share the lists: the one refresh after connecting fills both.
        window.show();
        QVERIFY(connectBoth(env.f));
        ContactsTab &tab = *window.contactsTab();
        QTRY_VERIFY_WITH_TIMEOUT(
            !env.runner->isBusy() &&
                child<QLabel>(&tab, "catalogLabel")->text().contains(QLatin1String("refreshed")),
            60000);
        QVERIFY(tab.lifecycleModel()->rowCount() > 1);
        // A contacts job shows in the status bar.
        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        tabs->setCurrentWidget(&tab);
        tab.preview();
        QVERIFY(window.jobIndicator()->text().startsWith(QLatin1String("Preview contacts")) ||
                finished.size() == 1);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        // Its end is in the Activity view, under Contacts.
        QCOMPARE(env.f.activity.entries().constLast().source, QStringLiteral("Contacts"));
    }

    // Not a check: with HALOSPOT_SHOTS_DIR set, saves pictures of the tab and the window there so
    // that a person can look at the layout (empty, configured, in the window).
    void screenshots()
    {
        const QString dir = qEnvironmentVariable("HALOSPOT_SHOTS_DIR");
        if (dir.isEmpty())
            QSKIP("HALOSPOT_SHOTS_DIR is not set");
        Env env;
        QVERIFY(env.f.started);
        MainWindow window(env.f.store, *env.f.manager, env.f.activity, false, env.runner.get());
        window.resize(1100, 760);
        ContactsTab &tab = *window.contactsTab();
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
        tabs->setCurrentWidget(&tab);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.grab().save(dir + QStringLiteral("/contacts-not-connected.png")));
        QVERIFY(connectBoth(env.f));
        QTRY_VERIFY_WITH_TIMEOUT(
            !env.runner->isBusy() &&
                child<QLabel>(&tab, "catalogLabel")->text().contains(QLatin1String("refreshed")),
            60000);
        QTest::qWait(200);
        QVERIFY(tab.grab().save(dir + QStringLiteral("/contacts-empty.png")));

        tab.setConfirm([](QWidget *, const QString &, const QString &) { return true; });
        tab.chooseInclude(Include::CompanyContactsAndStages);
        for (const QString &value : {QStringLiteral("lead"), QStringLiteral("customer")}) {
            LifecycleModel *m = tab.lifecycleModel();
            QVERIFY(m->setData(m->index(stageRow(m, value)), Qt::Checked, Qt::CheckStateRole));
        }
        const auto sites = tab.catalog().searchSites(QString(), 0, 1);
        QVERIFY(sites.ok() && !sites->isEmpty());
        tab.defaultSitePicker()->setValue(sites->constFirst().id);
        Q_EMIT tab.defaultSitePicker()->picked(sites->constFirst().id);
        const auto properties = tab.catalog().properties(core::Entity::Contact);
        const auto fields = tab.catalog().fields(core::Entity::Contact);
        QVERIFY(properties.ok() && fields.ok());
        for (const core::PropertyDef &p : properties.value()) {
            for (const core::HaloFieldDef &f : fields.value()) {
                if (!p.hidden && core::canMap(p, f, core::Entity::Contact).ok()) {
                    core::FieldMapping m;
                    m.hubspotProperty = p.name;
                    m.haloFieldId = f.id;
                    m.syncBack = !p.readOnly;
                    (void)tab.fieldMappingModel()->addMapping(m);
                }
            }
        }
        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        tab.preview();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QTest::qWait(200);
        QVERIFY(tab.grab().save(dir + QStringLiteral("/contacts-configured.png")));
        QVERIFY(window.grab().save(dir + QStringLiteral("/mainwindow-contacts.png")));
        tab.chooseInclude(Include::All);
        QTest::qWait(100);
        QVERIFY(tab.grab().save(dir + QStringLiteral("/contacts-all.png")));
        tabs->setCurrentWidget(window.companiesTab());
        QTest::qWait(100);
        QVERIFY(window.grab().save(dir + QStringLiteral("/mainwindow-companies.png")));
    }
};

QTEST_MAIN(TestContactsTabRun)
#include "tst_contactstab_run.moc"
