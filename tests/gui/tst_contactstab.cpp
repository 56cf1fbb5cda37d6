// Tests the Contacts tab's setup driven with QTest input against the sandbox and a real SQLite
// file, through a real engine thread: every setting is saved at once and comes back in a new tab;
// the include choice enables the stage list; "All contacts" asks with the count (and refuses
// without one); the default site is picked by type-ahead and cleared; field mappings are checked;
// a profile imported through the File menu shows at once.
#include "ContactsTabTestSupport.h"
#include "FieldTypes.h"
#include "MainWindow.h"
#include "MappingDialogs.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QListView>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace halospot;
using namespace halospot::gui;
using namespace halospot::gui::test;
using Include = core::ContactInclude;

class TestContactsTab final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("HaloSpotTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_contactstab"));
    }

    void disabledUntilConnectedThenListsAndCount()
    {
        Env env;
        QVERIFY(env.f.started);
        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        tab.show();
        QVERIFY(child<QLabel>(&tab, "notConnectedLabel")->isVisible());
        QVERIFY(!child<QWidget>(&tab, "contentWidget")->isEnabled());
        QVERIFY(!child<QPushButton>(&tab, "importContactsButton")->isEnabled());
        QCOMPARE(tab.importBlockedReason(), QStringLiteral("Connect HubSpot and Halo first."));
        // The defaults: contacts of imported or mapped companies, no default site.
        QVERIFY(child<QRadioButton>(&tab, "companyContactsRadio")->isChecked());
        QVERIFY(!child<QWidget>(&tab, "stagesWidget")->isEnabled());
        QCOMPARE(
            child<QLabel>(&tab, "defaultSiteStateLabel")->text(),
            QStringLiteral("No default site: contacts without a company in Halo are skipped."));
        QVERIFY(child<QRadioButton>(&tab, "allContactsRadio")
                    ->text()
                    .contains(QLatin1String("not counted yet")));

        QVERIFY(ready(env, tab));
        QVERIFY(!child<QLabel>(&tab, "notConnectedLabel")->isVisible());
        QVERIFY(tab.importBlockedReason().isEmpty());
        QVERIFY(child<QPushButton>(&tab, "importContactsButton")->isEnabled());
        // The refresh counted the sandbox's contacts; the radio says how many.
        const qint64 contacts = env.f.sandbox->generator().config().contacts;
        QCOMPARE(tab.catalog().contactCount()->count, contacts);
        const QString allText = child<QRadioButton>(&tab, "allContactsRadio")->text();
        QVERIFY2(allText.contains(QStringLiteral("(%1 in HubSpot, counted just now)")
                                      .arg(QLocale().toString(contacts))),
                 qPrintable(allText));
        QVERIFY(stageRow(tab.lifecycleModel(), QStringLiteral("lead")) >= 0);
    }

    void everySettingIsSavedAndComesBackInANewTab()
    {
        Env env;
        QVERIFY(env.f.started);
        core::FieldMapping expectedField;
        qint64 expectedSite = 0;
        {
            ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
            QVERIFY(ready(env, tab));

            // Stages mode, by mouse; two stages ticked with Space.
            clickIndicator(child<QRadioButton>(&tab, "stagesRadio"));
            QCOMPARE(savedContacts(env.f.store).include, Include::CompanyContactsAndStages);
            auto *list = child<QListView>(&tab, "lifecycleStageList");
            for (const QString &value : {QStringLiteral("lead"), QStringLiteral("customer")}) {
                const int row = stageRow(tab.lifecycleModel(), value);
                QVERIFY2(row >= 0, qPrintable(value));
                list->setFocus();
                list->setCurrentIndex(tab.lifecycleModel()->index(row));
                QTest::keyClick(list->viewport(), Qt::Key_Space);
            }
            QTRY_COMPARE(savedContacts(env.f.store).lifecycleStages.size(), 2);

            // Follow company changes.
            auto *follow = child<QCheckBox>(&tab, "followCompanyChangesCheck");
            QVERIFY(!follow->toolTip().isEmpty());
            clickIndicator(follow);
            QVERIFY(savedContacts(env.f.store).followCompanyChanges);

            // A default site, by type-ahead.
            const auto sites = tab.catalog().searchSites(QString(), 0, 50);
            QVERIFY(sites.ok());
            QString typed;
            for (const core::CatalogSite &site : sites.value())
                typed = typed.isEmpty() ? asciiStart(site.name, 3) : typed;
            QVERIFY(!typed.isEmpty());
            QVERIFY(pick(tab.defaultSitePicker(), typed));
            expectedSite = tab.defaultSitePicker()->value().toLongLong();
            QCOMPARE(savedContacts(env.f.store).defaultSiteId, std::optional<qint64>(expectedSite));

            // A field mapping through the dialog.
            const auto properties = tab.catalog().properties(core::Entity::Contact);
            const auto fields = tab.catalog().fields(core::Entity::Contact);
            QVERIFY(properties.ok() && fields.ok());
            const core::PropertyDef *property = nullptr;
            const core::HaloFieldDef *field = nullptr;
            for (const core::PropertyDef &p : properties.value()) {
                for (const core::HaloFieldDef &f : fields.value()) {
                    if (!property && !p.hidden && core::canMap(p, f, core::Entity::Contact).ok()) {
                        property = &p;
                        field = &f;
                    }
                }
            }
            QVERIFY(property);
            click(child<QPushButton>(&tab, "addFieldMappingButton"));
            auto *dialog = tab.findChild<FieldMappingDialog *>();
            QVERIFY(dialog);
            QVERIFY(pick(dialog->propertyPicker(), property->name));
            QVERIFY(pick(dialog->fieldPicker(), field->name));
            click(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
            QTRY_VERIFY(!tab.findChild<FieldMappingDialog *>());
            QCOMPARE(savedContacts(env.f.store).fieldMappings.size(), 1);
            expectedField = savedContacts(env.f.store).fieldMappings.constFirst();
            QCOMPARE(expectedField.hubspotProperty, property->name);
            QCOMPARE(expectedField.haloFieldId, std::optional<int>(field->id));
        }
        // Nothing of it was only in the widgets: a new tab on the same store shows all of it.
        ContactsTab again(env.f.store, *env.f.manager, *env.runner);
        QCOMPARE(again.include(), Include::CompanyContactsAndStages);
        QVERIFY(child<QRadioButton>(&again, "stagesRadio")->isChecked());
        QCOMPARE(again.lifecycleModel()->selected().size(), 2);
        QVERIFY(again.lifecycleModel()->selected().contains(QStringLiteral("lead")));
        QVERIFY(child<QCheckBox>(&again, "followCompanyChangesCheck")->isChecked());
        QCOMPARE(again.defaultSiteId(), std::optional<qint64>(expectedSite));
        QCOMPARE(again.defaultSitePicker()->value().toLongLong(), expectedSite);
        const auto site = again.catalog().site(expectedSite);
        QVERIFY(site.ok() && site.value());
        QCOMPARE(again.defaultSitePicker()->text(), site.value()->display());
        QVERIFY(
            child<QLabel>(&again, "defaultSiteStateLabel")->text().contains(site.value()->name));
        QCOMPARE(again.fieldMappingModel()->mappings(), QList<core::FieldMapping>{expectedField});
        // The Companies settings were left alone.
        QCOMPARE(core::loadProfile(env.f.store)->companies, core::CompanySettings{});
    }

    void profileImportedThroughTheFileMenuIsShown()
    {
        Env env;
        QVERIFY(env.f.started);
        MainWindow window(env.f.store, *env.f.manager, env.f.activity, false, env.runner.get());
        ContactsTab &tab = *window.contactsTab();
        QCOMPARE(tab.include(), Include::CompanyContacts);

        core::Profile profile = core::loadProfile(env.f.store).value();
        profile.contacts.include = Include::All;
        profile.contacts.lifecycleStages = {QStringLiteral("lead")};
        profile.contacts.defaultSiteId = 4242;
        profile.contacts.followCompanyChanges = true;
        const QString path = env.f.dir.filePath(QStringLiteral("profile.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(core::serializeProfile(profile)) > 0);
        file.close();
        QVERIFY(window.importProfile(path));

        // The tab shows the new profile at once, without asking about "all contacts" again.
        QCOMPARE(tab.include(), Include::All);
        QVERIFY(child<QRadioButton>(&tab, "allContactsRadio")->isChecked());
        QCOMPARE(tab.lifecycleModel()->selected(), QStringList{QStringLiteral("lead")});
        QVERIFY(child<QCheckBox>(&tab, "followCompanyChangesCheck")->isChecked());
        QCOMPARE(tab.defaultSiteId(), std::optional<qint64>(4242));
        // A site the lists do not know is named as such, never dropped.
        QVERIFY2(tab.defaultSitePicker()->text().contains(QLatin1String("4242")),
                 qPrintable(tab.defaultSitePicker()->text()));
        QVERIFY(child<QLabel>(&tab, "defaultSiteStateLabel")
                    ->text()
                    .contains(QLatin1String("not in the last refresh")));
        QCOMPARE(savedContacts(env.f.store), profile.contacts);
    }

    void includeChoiceEnablesTheStageList()
    {
        Env env;
        QVERIFY(env.f.started);
        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        auto *stagesWidget = child<QWidget>(&tab, "stagesWidget");
        auto *nothing = child<QLabel>(&tab, "nothingTickedLabel");
        auto *warning = child<QLabel>(&tab, "siteWarningLabel");
        auto *import = child<QPushButton>(&tab, "importContactsButton");
        QVERIFY(!stagesWidget->isEnabled());
        QVERIFY(!nothing->isVisible());
        QVERIFY(!warning->isVisible());

        // Arrow keys move between the radio buttons and choose, as with the mouse.
        auto *companyRadio = child<QRadioButton>(&tab, "companyContactsRadio");
        companyRadio->setFocus();
        QTest::keyClick(companyRadio, Qt::Key_Down);
        QVERIFY(child<QRadioButton>(&tab, "stagesRadio")->isChecked());
        QCOMPARE(tab.include(), Include::CompanyContactsAndStages);
        QCOMPARE(savedContacts(env.f.store).include, Include::CompanyContactsAndStages);
        QVERIFY(stagesWidget->isEnabled());
        // Nothing ticked: said beside the list and above the buttons, and Import waits.
        QVERIFY(nothing->isVisible());
        QVERIFY(!import->isEnabled());
        QVERIFY(tab.importBlockedReason().contains(QLatin1String("No lifecycle stage is ticked")));
        auto *blocked = child<QLabel>(&tab, "blockedLabel");
        QVERIFY(blocked->isVisible());
        QCOMPARE(blocked->text(), tab.importBlockedReason());
        QCOMPARE(import->toolTip(), tab.importBlockedReason());
        // Contacts without a company need the default site that is not set.
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(QLatin1String("default site")));

        click(child<QPushButton>(&tab, "allStagesButton"));
        QVERIFY(!nothing->isVisible());
        QVERIFY(!blocked->isVisible());
        QVERIFY(import->isEnabled());
        QCOMPARE(savedContacts(env.f.store).lifecycleStages, tab.lifecycleModel()->selected());

        clickIndicator(companyRadio);
        QCOMPARE(savedContacts(env.f.store).include, Include::CompanyContacts);
        QVERIFY(!stagesWidget->isEnabled());
        QVERIFY(!warning->isVisible());
        // The ticks are kept for when the stages come back.
        QVERIFY(!savedContacts(env.f.store).lifecycleStages.isEmpty());
    }

    void allContactsAsksWithTheCount()
    {
        Env env;
        QVERIFY(env.f.started);
        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        const qint64 contacts = env.f.sandbox->generator().config().contacts;
        QString asked;
        bool answer = false;
        int questions = 0;
        tab.setConfirm([&](QWidget *, const QString &, const QString &text) {
            asked = text;
            ++questions;
            return answer;
        });
        auto *all = child<QRadioButton>(&tab, "allContactsRadio");
        auto *company = child<QRadioButton>(&tab, "companyContactsRadio");

        // Declined: the previous choice stays, on screen and in the profile.
        clickIndicator(all);
        QCOMPARE(questions, 1);
        QVERIFY2(asked.contains(
                     QStringLiteral("all %1 HubSpot contacts").arg(QLocale().toString(contacts))),
                 qPrintable(asked));
        QVERIFY(asked.contains(QLatin1String("marketing leads")));
        QVERIFY(company->isChecked());
        QVERIFY(!all->isChecked());
        QCOMPARE(tab.include(), Include::CompanyContacts);
        QCOMPARE(savedContacts(env.f.store).include, Include::CompanyContacts);

        // Accepted: all contacts, saved; no default site, so the warning shows.
        answer = true;
        clickIndicator(all);
        QCOMPARE(questions, 2);
        QVERIFY(all->isChecked());
        QCOMPARE(savedContacts(env.f.store).include, Include::All);
        QVERIFY(child<QLabel>(&tab, "siteWarningLabel")->isVisible());
        // Choosing it again asks nothing.
        clickIndicator(all);
        QCOMPARE(questions, 2);
    }

    void allContactsRefusedWhileNeverCounted()
    {
        Env env;
        QVERIFY(env.f.started);
        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        int questions = 0;
        tab.setConfirm([&](QWidget *, const QString &, const QString &) {
            ++questions;
            return true;
        });
        // As if the refresh had never managed to count the contacts.
        QVERIFY(tab.catalog().setContactCount(-1).ok());
        auto *all = child<QRadioButton>(&tab, "allContactsRadio");
        auto *note = child<QLabel>(&tab, "includeNoteLabel");
        clickIndicator(all);
        QCOMPARE(questions, 0);
        QVERIFY(!all->isChecked());
        QVERIFY(child<QRadioButton>(&tab, "companyContactsRadio")->isChecked());
        QCOMPARE(savedContacts(env.f.store).include, Include::CompanyContacts);
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains(QLatin1String("Refresh the lists first (F5)")),
                 qPrintable(note->text()));

        // F5 counts them; then the question comes, with the number.
        QSignalSpy finished(env.runner.get(), &JobRunner::finished);
        QTest::keyClick(&tab, Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QTRY_VERIFY(all->text().contains(QLatin1String("in HubSpot")));
        clickIndicator(all);
        QCOMPARE(questions, 1);
        QVERIFY(all->isChecked());
        QVERIFY(!note->isVisible());
        QCOMPARE(savedContacts(env.f.store).include, Include::All);
    }

    void defaultSiteByTypeAheadAndCleared()
    {
        Env env;
        QVERIFY(env.f.started);
        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        CatalogPicker *picker = tab.defaultSitePicker();
        auto *state = child<QLabel>(&tab, "defaultSiteStateLabel");
        auto *clear = child<QPushButton>(&tab, "clearDefaultSiteButton");
        QVERIFY(!clear->isEnabled());

        const auto sites = tab.catalog().searchSites(QString(), 0, 50);
        QVERIFY(sites.ok() && sites->size() >= 2);
        // Typed: the start of a customer's name; the list offers "Site — Customer" rows of it
        // (sites match by their customer's name too) and the second one is taken.
        QString typed;
        for (const core::CatalogSite &site : sites.value())
            typed = typed.isEmpty() ? asciiStart(site.clientName, 4) : typed;
        QVERIFY(!typed.isEmpty());
        const auto offered = tab.catalog().searchSites(typed, 0, 50);
        QVERIFY(offered.ok() && offered->size() >= 1);
        const int row = offered->size() > 1 ? 1 : 0;
        QVERIFY(pick(picker, typed, row));
        const core::CatalogSite chosen = offered->at(row);
        QCOMPARE(picker->value().toLongLong(), chosen.id);
        QCOMPARE(picker->text(), chosen.display());
        QVERIFY(picker->text().contains(QStringLiteral(" — ")));
        QCOMPARE(savedContacts(env.f.store).defaultSiteId, std::optional<qint64>(chosen.id));
        QVERIFY2(state->text().contains(chosen.name), qPrintable(state->text()));
        QVERIFY(clear->isEnabled());

        // Text that names no site is not saved: leaving the field shows the saved site again.
        picker->setFocus();
        picker->selectAll();
        QTest::keyClicks(picker, QStringLiteral("zzz no such site"));
        QVERIFY(!picker->value().isValid());
        QTest::keyClick(picker, Qt::Key_Return);
        QTRY_COMPARE(picker->text(), chosen.display());
        QCOMPARE(savedContacts(env.f.store).defaultSiteId, std::optional<qint64>(chosen.id));

        click(clear);
        QVERIFY(picker->text().isEmpty());
        QVERIFY(!picker->value().isValid());
        QCOMPARE(savedContacts(env.f.store).defaultSiteId, std::optional<qint64>());
        QCOMPARE(
            state->text(),
            QStringLiteral("No default site: contacts without a company in Halo are skipped."));
        QVERIFY(!clear->isEnabled());
    }

    void fieldMappingIncompatibleRefusedCompatibleSavedAndRemoved()
    {
        Env env;
        QVERIFY(env.f.started);
        ContactsTab tab(env.f.store, *env.f.manager, *env.runner);
        QVERIFY(ready(env, tab));
        const auto properties = tab.catalog().properties(core::Entity::Contact);
        const auto fields = tab.catalog().fields(core::Entity::Contact);
        QVERIFY(properties.ok() && fields.ok());
        QVERIFY(!fields->isEmpty());
        for (const core::HaloFieldDef &f : fields.value())
            QVERIFY(f.usage != core::HaloFieldUsage::Customer); // user fields only
        const MappingPairs pairs =
            findMappingPairs(properties.value(), fields.value(), core::Entity::Contact);
        const core::PropertyDef *badProperty = pairs.badProperty;
        const core::PropertyDef *goodProperty = pairs.goodProperty;
        const core::HaloFieldDef *badField = pairs.badField;
        const core::HaloFieldDef *goodField = pairs.goodField;
        QVERIFY(badProperty && goodProperty);

        auto *table = child<QTableView>(&tab, "fieldMappingTable");
        // Ins in the table opens the dialog.
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Insert);
        auto *dialog = tab.findChild<FieldMappingDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Add Contact Field Mapping"));
        QVERIFY(pick(dialog->propertyPicker(), badProperty->name));
        QVERIFY(pick(dialog->fieldPicker(), badField->name));
        QVERIFY(dialog->errorLabel()->isVisible());
        QVERIFY(!dialog->errorLabel()->text().isEmpty());
        click(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
        QVERIFY(dialog->isVisible());
        QCOMPARE(tab.fieldMappingModel()->rowCount(), 0);
        QVERIFY(savedContacts(env.f.store).fieldMappings.isEmpty());
        dialog->reject();
        QTRY_VERIFY(!tab.findChild<FieldMappingDialog *>());

        QVERIFY(activate(tab));
        click(child<QPushButton>(&tab, "addFieldMappingButton"));
        dialog = tab.findChild<FieldMappingDialog *>();
        QVERIFY(dialog);
        QVERIFY(pick(dialog->propertyPicker(), goodProperty->name));
        QVERIFY(pick(dialog->fieldPicker(), goodField->name));
        QVERIFY(dialog->errorLabel()->text().contains(QLatin1String("fit")));
        QVERIFY(dialog->syncBackCheck()->isEnabled());
        QTest::mouseClick(dialog->syncBackCheck(), Qt::LeftButton);
        QVERIFY(dialog->syncBackCheck()->isChecked());
        click(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
        QTRY_VERIFY(!tab.findChild<FieldMappingDialog *>());
        QCOMPARE(tab.fieldMappingModel()->rowCount(), 1);
        const auto saved = savedContacts(env.f.store).fieldMappings;
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.constFirst().hubspotProperty, goodProperty->name);
        QCOMPARE(saved.constFirst().haloFieldId, std::optional<int>(goodField->id));
        QVERIFY(saved.constFirst().syncBack);
        QVERIFY(tab.importBlockedReason().isEmpty());

        // Del removes it again.
        QVERIFY(activate(tab));
        table->setFocus();
        table->selectRow(0);
        QTest::keyClick(table, Qt::Key_Delete);
        QCOMPARE(tab.fieldMappingModel()->rowCount(), 0);
        QVERIFY(savedContacts(env.f.store).fieldMappings.isEmpty());
    }
};

QTEST_MAIN(TestContactsTab)
#include "tst_contactstab.moc"
