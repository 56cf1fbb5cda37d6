// Tests the Connect tab on a system with no keychain (no D-Bus session): the tab says so plainly,
// offers "keep for this session only", keeps the secret in memory when asked, and writes nothing
// to disk.
#include "ConnectTab.h"
#include "GuiTestSupport.h"
#include "SecretTestSupport.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace halospot;
using namespace halospot::gui;
using namespace halospot::gui::test;
using State = ConnectionManager::State;

class TestConnectTabNoKeychain final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // No session bus (so no keychain), per-user folders in the temporary home.
        QVERIFY(halospot::api::test::isolateUserFolders(m_home.path(), true));
        QCoreApplication::setOrganizationName(QStringLiteral("HaloSpotTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_connecttab_nokeychain"));
    }

    void offersSessionOnlyUse()
    {
        Fixture f;
        QVERIFY(f.started);
        f.secrets.setRetryDelayMs(0);
        ConnectTab tab(*f.manager);
        tab.show();
        auto *banner = tab.findChild<QWidget *>(QStringLiteral("keychainBanner"));
        QVERIFY(!banner->isVisible());
        f.manager->restore();
        QTRY_VERIFY_WITH_TIMEOUT(f.manager->keychainMissing(), 30000);
        QVERIFY(banner->isVisible());
        QVERIFY(tab.findChild<QLabel *>(QStringLiteral("keychainBannerLabel"))
                    ->text()
                    .contains(QLatin1String("No keychain")));

        // Halo accepts the secret, but there is nowhere safe to keep it: it is not written
        // anywhere.
        const QString secret = f.value("halo_client_secret");
        tab.findChild<QLineEdit *>(QStringLiteral("haloUrlEdit"))->setText(f.value("halo_url"));
        tab.findChild<QLineEdit *>(QStringLiteral("haloClientIdEdit"))
            ->setText(f.value("halo_client_id"));
        auto *secretEdit = tab.findChild<QLineEdit *>(QStringLiteral("haloSecretEdit"));
        secretEdit->setFocus();
        QTest::keyClicks(secretEdit, secret);
        QTest::mouseClick(tab.findChild<QPushButton *>(QStringLiteral("testHaloButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->haloState(), State::Connected, 30000);
        QVERIFY(!f.manager->hasHaloSecret());
        QVERIFY(banner->isVisible());

        auto *sessionOnly = tab.findChild<QPushButton *>(QStringLiteral("sessionOnlyButton"));
        QTest::mouseClick(sessionOnly, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QVERIFY(f.secrets.sessionOnly());
        QTRY_VERIFY_WITH_TIMEOUT(f.manager->hasHaloSecret(), 10000);
        QCOMPARE(f.keychainValue(api::Secret::HaloClientSecret), secret);

        QVERIFY(filesContaining(m_home.path(), secret).isEmpty());
        QVERIFY(filesContaining(f.dir.path(), secret).isEmpty());
    }

private:
    QTemporaryDir m_home;
};

QTEST_MAIN(TestConnectTabNoKeychain)
#include "tst_connecttab_nokeychain.moc"
