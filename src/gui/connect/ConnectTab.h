// The Connect tab: sign in to HubSpot (OAuth or a private-app token) and set up Halo, with the
// state of each connection and the keychain shown plainly. A view over ConnectionManager.
#pragma once

#include "ConnectionManager.h"

#include <QWidget>

#include <functional>
#include <memory>

namespace Ui {
class ConnectTab;
}

namespace halospot::gui {

class ConnectTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectTab)

public:
    explicit ConnectTab(ConnectionManager &connections, QWidget *parent = nullptr);
    ~ConnectTab() override;

    // Asks the administrator to confirm an action that cannot be undone; QMessageBox by default,
    // pre-answered in tests.
    using Confirm = std::function<bool(QWidget *parent, const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    // A sentence for a connection state and the colour it is shown in (the status bar uses it).
    static QString stateColor(ConnectionManager::State state);

private:
    void loadFields();
    core::HubSpotConnectionConfig hubspotFields() const;
    core::HaloConnectionConfig haloFields() const;
    void updateHubSpot();
    void updateHalo();
    void updateRedirectUrl();
    void updateButtons();
    void onConnectClicked();
    void onDisconnectClicked();
    void onTestHaloClicked();
    void appendStep(const api::HaloStepResult &step);
    void setAdvancedVisible(bool visible);
    static QString statusHtml(ConnectionManager::State state, const QString &text);

    ConnectionManager &m_connections;
    std::unique_ptr<Ui::ConnectTab> m_ui;
    bool m_browserFailed = false;
    ConnectionManager::State m_lastHaloState = ConnectionManager::State::NotConfigured;
    Confirm m_confirm;
};

} // namespace halospot::gui
