// Test helpers for the Companies and Contacts tab tests: the sandbox fixture with an engine
// thread and a job runner, connecting both services, waiting for the lists, and driving the
// tabs' buttons and pickers as a user would.
#pragma once

#include "CatalogPicker.h"
#include "CompanyModels.h"
#include "EngineHost.h"
#include "FieldTypes.h"
#include "GuiTestSupport.h"
#include "JobRunner.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QApplication>
#include <QLabel>
#include <QTest>

#include <memory>

namespace halospot::gui::test {

template<typename T>
inline T *child(QWidget *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

inline void click(QAbstractButton *button)
{
    QVERIFY2(button->isVisible(), qPrintable(button->objectName()));
    QVERIFY2(button->isEnabled(), qPrintable(button->objectName()));
    QTest::mouseClick(button, Qt::LeftButton);
}

// A check box or radio button clicked on its indicator: its middle may be empty space, which
// does not toggle it.
inline void clickIndicator(QAbstractButton *button)
{
    QVERIFY2(button->isVisible(), qPrintable(button->objectName()));
    QVERIFY2(button->isEnabled(), qPrintable(button->objectName()));
    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(8, button->height() / 2));
}

// QTest types ASCII only: the first `n` characters of `text` when they are plain letters or
// digits, else "".
inline QString asciiStart(const QString &text, int n)
{
    const QString start = text.left(n);
    for (const QChar c : start) {
        if (c.unicode() > 127 || !c.isLetterOrNumber())
            return {};
    }
    return start.size() == n ? start : QString();
}

inline QAbstractItemView *popupOf(CatalogPicker *picker)
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        auto *view = qobject_cast<QAbstractItemView *>(w);
        if (!view || !view->isVisible())
            continue;
        auto *proxy = qobject_cast<QAbstractProxyModel *>(view->model());
        if ((proxy && proxy->sourceModel() == picker->searchModel()) ||
            view->model() == picker->searchModel())
            return view;
    }
    return nullptr;
}

// Types into a picker as a user would and takes row `row` of what it offers.
[[nodiscard]] inline bool pick(CatalogPicker *picker, const QString &text, int row = 0)
{
    picker->setFocus();
    QTest::keyClicks(picker, text);
    if (!QTest::qWaitFor([picker] { return popupOf(picker) != nullptr; }, 5000)) {
        qWarning("no popup for %s after typing %s", qPrintable(picker->objectName()),
                 qPrintable(text));
        return false;
    }
    QAbstractItemView *popup = popupOf(picker);
    for (int i = 0; i <= row; ++i)
        QTest::keyClick(popup, Qt::Key_Down);
    QTest::keyClick(popup, Qt::Key_Return);
    return QTest::qWaitFor([picker] { return picker->value().isValid(); }, 5000);
}

inline int stageRow(LifecycleModel *model, const QString &value)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->valueAt(row) == value)
            return row;
    }
    return -1;
}

struct Env
{
    Env()
    {
        // Demo-style session secrets: this test is about the tab, not the keychain.
        f.secrets.setSessionOnly(true);
        runner = std::make_unique<JobRunner>(host, f.store, *f.manager, f.activity);
    }
    Fixture f;
    engine::EngineHost host;
    std::unique_ptr<JobRunner> runner;
};

[[nodiscard]] inline bool connectBoth(Fixture &f)
{
    f.manager->restore();
    core::HubSpotConnectionConfig hubspot;
    hubspot.auth = core::HubSpotAuthMode::StaticToken;
    hubspot.apiBase = QUrl(f.value("hubspot_api_url"));
    hubspot.authBase = QUrl(f.value("hubspot_auth_url"));
    hubspot.clientId = f.value("hubspot_client_id");
    f.manager->connectHubSpotToken(hubspot, f.value("hubspot_token"));
    core::HaloConnectionConfig halo;
    halo.url = QUrl(f.value("halo_url"));
    halo.clientId = f.value("halo_client_id");
    f.manager->testHalo(halo, f.value("halo_client_secret"));
    return QTest::qWaitFor(
        [&f] {
            return f.manager->hubspotState() == ConnectionManager::State::Connected &&
                   f.manager->haloState() == ConnectionManager::State::Connected;
        },
        30000);
}

// Shown, active (shortcuts need the focus), connected, and the lists loaded by the tab itself.
[[nodiscard]] inline bool ready(Env &env, QWidget &tab)
{
    tab.show();
    tab.window()->activateWindow();
    if (!QTest::qWaitForWindowActive(tab.window()))
        qWarning("the window did not become active");
    if (!connectBoth(env.f))
        return false;
    return QTest::qWaitFor(
        [&] {
            return !env.runner->isBusy() &&
                   child<QLabel>(&tab, "catalogLabel")->text().contains(QLatin1String("refreshed"));
        },
        60000);
}

// Among the writable properties, the first pair `canMap` refuses and the first it accepts.
struct MappingPairs
{
    const core::PropertyDef *badProperty = nullptr;
    const core::HaloFieldDef *badField = nullptr;
    const core::PropertyDef *goodProperty = nullptr;
    const core::HaloFieldDef *goodField = nullptr;
};

inline MappingPairs findMappingPairs(const QList<core::PropertyDef> &properties,
                                     const QList<core::HaloFieldDef> &fields, core::Entity entity)
{
    MappingPairs pairs;
    for (const core::PropertyDef &p : properties) {
        if (p.hidden || p.readOnly || p.calculated)
            continue;
        for (const core::HaloFieldDef &f : fields) {
            const bool ok = core::canMap(p, f, entity).ok();
            if (ok && !pairs.goodProperty) {
                pairs.goodProperty = &p;
                pairs.goodField = &f;
            }
            if (!ok && !pairs.badProperty) {
                pairs.badProperty = &p;
                pairs.badField = &f;
            }
        }
    }
    return pairs;
}

// Back to the tab after a dialog took the activation with it, as a user would.
[[nodiscard]] inline bool activate(QWidget &tab)
{
    tab.activateWindow();
    return QTest::qWaitForWindowActive(&tab);
}

} // namespace halospot::gui::test
