// ConnectTab: the widgets of the Connect tab bound to ConnectionManager's state.
#include "ConnectTab.h"

#include "ui_ConnectTab.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QListWidgetItem>
#include <QMessageBox>
#include <QStyle>

namespace halospot::gui {

ConnectTab::ConnectTab(ConnectionManager &connections, QWidget *parent)
    : QWidget(parent)
    , m_connections(connections)
    , m_ui(std::make_unique<Ui::ConnectTab>())
{
    m_ui->setupUi(this);
    m_confirm = [](QWidget *owner, const QString &title, const QString &text) {
        return QMessageBox::question(owner, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Yes;
    };
    m_ui->apiVersionCombo->addItems({QStringLiteral("v3"), QStringLiteral("2026-03")});
    m_ui->keychainBanner->setStyleSheet(
        QStringLiteral("#keychainBanner { background: #fff4ce; border: 1px solid #e0c060; }"));
    m_ui->missingScopesLabel->setStyleSheet(QStringLiteral("color: #b26a00;"));
    setAdvancedVisible(false);
    loadFields();

    connect(m_ui->oauthRadio, &QRadioButton::toggled, this, [this](bool oauth) {
        m_ui->authStack->setCurrentWidget(oauth ? m_ui->oauthPage : m_ui->tokenPage);
        updateButtons();
    });
    connect(m_ui->redirectPortSpin, &QSpinBox::valueChanged, this, &ConnectTab::updateRedirectUrl);
    connect(m_ui->advancedToggle, &QToolButton::toggled, this, &ConnectTab::setAdvancedVisible);
    for (QLineEdit *edit : {m_ui->clientIdEdit, m_ui->clientSecretEdit, m_ui->staticTokenEdit,
                            m_ui->haloUrlEdit, m_ui->haloClientIdEdit, m_ui->haloSecretEdit}) {
        connect(edit, &QLineEdit::textChanged, this, &ConnectTab::updateButtons);
    }
    connect(m_ui->staticTokenEdit, &QLineEdit::returnPressed, this, &ConnectTab::onConnectClicked);
    connect(m_ui->clientSecretEdit, &QLineEdit::returnPressed, this, &ConnectTab::onConnectClicked);
    connect(m_ui->haloSecretEdit, &QLineEdit::returnPressed, this, &ConnectTab::onTestHaloClicked);
    connect(m_ui->connectHubSpotButton, &QPushButton::clicked, this, &ConnectTab::onConnectClicked);
    connect(m_ui->disconnectHubSpotButton, &QPushButton::clicked, this,
            &ConnectTab::onDisconnectClicked);
    connect(m_ui->retryHubSpotButton, &QPushButton::clicked, &m_connections,
            &ConnectionManager::recheckHubSpot);
    connect(m_ui->cancelHubSpotButton, &QPushButton::clicked, &m_connections,
            &ConnectionManager::cancelHubSpot);
    connect(m_ui->copyLinkButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_connections.authorizeUrl().toString());
        m_ui->copyLinkButton->setText(tr("Link copied"));
    });
    connect(m_ui->testHaloButton, &QPushButton::clicked, this, &ConnectTab::onTestHaloClicked);
    connect(m_ui->forgetHaloButton, &QPushButton::clicked, &m_connections,
            &ConnectionManager::forgetHalo);
    connect(m_ui->sessionOnlyButton, &QPushButton::clicked, &m_connections,
            &ConnectionManager::useSessionOnlySecrets);

    connect(&m_connections, &ConnectionManager::configChanged, this, &ConnectTab::loadFields);
    connect(&m_connections, &ConnectionManager::hubspotChanged, this, &ConnectTab::updateHubSpot);
    connect(&m_connections, &ConnectionManager::haloChanged, this, &ConnectTab::updateHalo);
    connect(&m_connections, &ConnectionManager::haloStepFinished, this, &ConnectTab::appendStep);
    connect(&m_connections, &ConnectionManager::authorizeUrlReady, this,
            &ConnectTab::updateHubSpot);
    connect(&m_connections, &ConnectionManager::browserFailed, this, [this] {
        m_browserFailed = true;
        updateHubSpot();
    });
    connect(&m_connections, &ConnectionManager::keychainMissingChanged, this,
            [this](bool missing) { m_ui->keychainBanner->setVisible(missing); });

    m_ui->keychainBanner->setVisible(m_connections.keychainMissing());
    updateHubSpot();
    updateHalo();
}

ConnectTab::~ConnectTab() = default;

void ConnectTab::loadFields()
{
    const core::ConnectionConfig &c = m_connections.config();
    m_ui->oauthRadio->setChecked(c.hubspot.auth == core::HubSpotAuthMode::OAuth);
    m_ui->tokenRadio->setChecked(c.hubspot.auth == core::HubSpotAuthMode::StaticToken);
    m_ui->authStack->setCurrentWidget(
        c.hubspot.auth == core::HubSpotAuthMode::OAuth ? m_ui->oauthPage : m_ui->tokenPage);
    m_ui->clientIdEdit->setText(c.hubspot.clientId);
    m_ui->redirectPortSpin->setValue(c.hubspot.redirectPort);
    m_ui->apiBaseEdit->setText(c.hubspot.apiBase.toString());
    m_ui->authBaseEdit->setText(c.hubspot.authBase.toString());
    m_ui->apiVersionCombo->setCurrentText(c.hubspot.apiVersion);
    m_ui->haloUrlEdit->setText(c.halo.url.toString());
    m_ui->haloClientIdEdit->setText(c.halo.clientId);
    m_ui->haloTenantEdit->setText(c.halo.tenant);
    m_ui->haloAuthUrlEdit->setText(c.halo.authUrl.toString());
    updateRedirectUrl();
}

core::HubSpotConnectionConfig ConnectTab::hubspotFields() const
{
    core::HubSpotConnectionConfig c = m_connections.config().hubspot;
    c.auth = m_ui->oauthRadio->isChecked() ? core::HubSpotAuthMode::OAuth
                                           : core::HubSpotAuthMode::StaticToken;
    c.clientId = m_ui->clientIdEdit->text().trimmed();
    c.redirectPort = quint16(m_ui->redirectPortSpin->value());
    c.apiBase = QUrl(m_ui->apiBaseEdit->text().trimmed());
    c.authBase = QUrl(m_ui->authBaseEdit->text().trimmed());
    c.apiVersion = m_ui->apiVersionCombo->currentText().trimmed();
    return c;
}

core::HaloConnectionConfig ConnectTab::haloFields() const
{
    core::HaloConnectionConfig c = m_connections.config().halo;
    QString url = m_ui->haloUrlEdit->text().trimmed();
    while (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    c.url = QUrl(url);
    c.clientId = m_ui->haloClientIdEdit->text().trimmed();
    c.tenant = m_ui->haloTenantEdit->text().trimmed();
    c.authUrl = QUrl(m_ui->haloAuthUrlEdit->text().trimmed());
    return c;
}

QString ConnectTab::stateColor(ConnectionManager::State state)
{
    switch (state) {
    case ConnectionManager::State::Connected:
        return QStringLiteral("#1a7f37");
    case ConnectionManager::State::Failed:
        return QStringLiteral("#c62828");
    case ConnectionManager::State::Checking:
    case ConnectionManager::State::Waiting:
        return QStringLiteral("#b26a00");
    case ConnectionManager::State::NotConfigured:
        break;
    }
    return QStringLiteral("#777777");
}

QString ConnectTab::statusHtml(ConnectionManager::State state, const QString &text)
{
    return QStringLiteral("<span style=\"color:%1; font-size:large\">&#9679;</span>&nbsp;%2")
        .arg(stateColor(state), text.toHtmlEscaped());
}

void ConnectTab::updateHubSpot()
{
    using State = ConnectionManager::State;
    const State state = m_connections.hubspotState();
    const api::HubSpotAccount &account = m_connections.hubspotAccount();
    QString text = m_connections.hubspotMessage();
    if (text.isEmpty()) {
        text = state == State::Connected ? tr("Connected.")
                                         : tr("Not connected. Choose how HaloSpot signs in to "
                                              "HubSpot, then connect.");
    }
    if (state == State::Waiting && m_browserFailed) {
        text = tr("The browser did not open. Copy the sign-in link, paste it into your browser "
                  "and allow access there; HaloSpot is waiting for it.");
    }
    if (state != State::Waiting)
        m_browserFailed = false;
    m_ui->hubspotStatusLabel->setText(statusHtml(state, text));

    const bool connected = state == State::Connected;
    m_ui->accountWidget->setVisible(connected && account.portalId != 0);
    m_ui->portalIdValue->setText(QString::number(account.portalId));
    m_ui->domainValue->setText(account.domain.isEmpty() ? tr("(not given)") : account.domain);
    m_ui->userValue->setText(account.user.isEmpty() ? tr("(a private app token has no user)")
                                                    : account.user);
    m_ui->scopesValue->setText(
        account.scopesKnown
            ? account.scopes.join(QStringLiteral(", "))
            : tr("Not listed by HubSpot for this kind of token; reading companies and contacts "
                 "works."));
    m_ui->missingScopesLabel->setVisible(connected && !account.missingScopes.isEmpty());
    m_ui->missingScopesLabel->setText(
        tr("Missing permissions: %1").arg(account.missingScopes.join(QStringLiteral(", "))));

    const bool busy = state == State::Checking || state == State::Waiting;
    for (QWidget *w :
         {static_cast<QWidget *>(m_ui->oauthRadio), static_cast<QWidget *>(m_ui->tokenRadio),
          static_cast<QWidget *>(m_ui->authStack), static_cast<QWidget *>(m_ui->advancedToggle)}) {
        w->setVisible(!connected);
        w->setEnabled(!busy);
    }
    m_ui->advancedWidget->setEnabled(!busy);
    if (connected)
        m_ui->advancedWidget->setVisible(false);
    else
        m_ui->advancedWidget->setVisible(m_ui->advancedToggle->isChecked());
    m_ui->waitingFrame->setVisible(state == State::Waiting);
    m_ui->copyLinkButton->setText(tr("Copy sign-in &link"));
    m_ui->copyLinkButton->setEnabled(!m_connections.authorizeUrl().isEmpty());
    m_ui->connectHubSpotButton->setVisible(!connected);
    m_ui->retryHubSpotButton->setVisible(state == State::Failed &&
                                         m_connections.canRecheckHubSpot());
    m_ui->disconnectHubSpotButton->setVisible(connected ||
                                              (state == State::Failed && account.portalId != 0));
    if (!connected) {
        // Secrets typed into the form are not kept in widgets longer than needed.
        if (state == State::NotConfigured)
            m_ui->staticTokenEdit->clear();
    } else {
        m_ui->staticTokenEdit->clear();
        m_ui->clientSecretEdit->clear();
    }
    updateButtons();
}

void ConnectTab::updateHalo()
{
    using State = ConnectionManager::State;
    const State state = m_connections.haloState();
    QString text = m_connections.haloMessage();
    if (text.isEmpty()) {
        text = state == State::Checking
                   ? tr("Testing…")
                   : tr("Not set up. Enter the details of a Halo API application (client "
                        "credentials) and test the connection.");
    }
    m_ui->haloStatusLabel->setText(statusHtml(state, text));
    const State previous = m_lastHaloState;
    m_lastHaloState = state;
    // A new test starts with an empty list; later updates while it runs (e.g. the secret reaching
    // the keychain) must not wipe the steps already shown.
    if (state == State::Checking && previous != State::Checking)
        m_ui->haloStepsList->clear();
    else if (state != State::Checking && m_ui->haloStepsList->count() == 0) {
        for (const api::HaloStepResult &step : m_connections.haloSteps())
            appendStep(step);
    }
    if (state == State::NotConfigured && m_connections.haloSteps().isEmpty())
        m_ui->haloStepsList->clear();
    m_ui->haloStepsLabel->setVisible(m_ui->haloStepsList->count() > 0 || state == State::Checking);
    m_ui->haloStepsList->setVisible(m_ui->haloStepsLabel->isVisible());
    if (state == State::Connected)
        m_ui->haloSecretEdit->clear();
    updateButtons();
}

void ConnectTab::appendStep(const api::HaloStepResult &step)
{
    using S = api::HaloStepResult::State;
    QStyle::StandardPixmap icon = QStyle::SP_DialogApplyButton;
    switch (step.state) {
    case S::Ok:
        icon = QStyle::SP_DialogApplyButton;
        break;
    case S::Warning:
        icon = QStyle::SP_MessageBoxWarning;
        break;
    case S::Failed:
        icon = QStyle::SP_MessageBoxCritical;
        break;
    case S::Skipped:
        icon = QStyle::SP_MediaSkipForward;
        break;
    }
    const QString text = step.message.isEmpty()
                             ? step.title
                             : QStringLiteral("%1: %2").arg(step.title, step.message);
    auto *item = new QListWidgetItem(style()->standardIcon(icon), text, m_ui->haloStepsList);
    item->setToolTip(text);
    item->setData(Qt::UserRole, int(step.state));
    if (step.state == S::Skipped)
        item->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
    m_ui->haloStepsLabel->setVisible(true);
    m_ui->haloStepsList->setVisible(true);
}

void ConnectTab::updateRedirectUrl()
{
    m_ui->redirectUrlLabel->setText(tr("Register this redirect URL on your HubSpot app: %1")
                                        .arg(QStringLiteral("http://localhost:%1/callback")
                                                 .arg(m_ui->redirectPortSpin->value())));
}

void ConnectTab::updateButtons()
{
    using State = ConnectionManager::State;
    const State hs = m_connections.hubspotState();
    const bool busy = hs == State::Checking || hs == State::Waiting;
    const bool oauth = m_ui->oauthRadio->isChecked();
    m_ui->connectHubSpotButton->setText(oauth ? tr("&Connect to HubSpot")
                                              : tr("&Check and save token"));
    const bool ready = oauth ? !m_ui->clientIdEdit->text().trimmed().isEmpty() &&
                                   (!m_ui->clientSecretEdit->text().isEmpty() ||
                                    m_connections.knowsHubSpotClientSecret())
                             : !m_ui->staticTokenEdit->text().trimmed().isEmpty();
    m_ui->connectHubSpotButton->setEnabled(!busy && ready);
    m_ui->disconnectHubSpotButton->setEnabled(!busy);
    const bool memory = m_connections.sessionOnlySecrets();
    m_ui->clientSecretEdit->setPlaceholderText(
        m_connections.hasHubSpotClientSecret()
            ? (memory ? tr("Kept for this session") : tr("Saved in the keychain"))
            : tr("Kept in the system keychain"));

    const State halo = m_connections.haloState();
    const bool haloBusy = halo == State::Checking;
    m_ui->haloSecretEdit->setPlaceholderText(
        m_connections.hasHaloSecret() ? (memory ? tr("Kept for this session; type to replace it")
                                                : tr("Saved in the keychain; type to replace it"))
                                      : tr("Kept in the system keychain"));
    m_ui->testHaloButton->setEnabled(
        !haloBusy && !m_ui->haloUrlEdit->text().trimmed().isEmpty() &&
        !m_ui->haloClientIdEdit->text().trimmed().isEmpty() &&
        (!m_ui->haloSecretEdit->text().isEmpty() || m_connections.hasHaloSecret()));
    m_ui->forgetHaloButton->setVisible(m_connections.hasHaloSecret());
    m_ui->forgetHaloButton->setEnabled(!haloBusy);
    for (QWidget *w : {m_ui->haloUrlEdit, m_ui->haloClientIdEdit, m_ui->haloSecretEdit,
                       m_ui->haloTenantEdit, m_ui->haloAuthUrlEdit}) {
        w->setEnabled(!haloBusy);
    }
}

void ConnectTab::onConnectClicked()
{
    if (!m_ui->connectHubSpotButton->isEnabled())
        return;
    if (m_ui->oauthRadio->isChecked()) {
        m_connections.connectHubSpotOAuth(hubspotFields(), m_ui->clientSecretEdit->text());
        m_ui->clientSecretEdit->clear();
    } else {
        m_connections.connectHubSpotToken(hubspotFields(), m_ui->staticTokenEdit->text());
    }
}

void ConnectTab::onDisconnectClicked()
{
    const bool oauth = m_connections.config().hubspot.auth == core::HubSpotAuthMode::OAuth;
    const QString text =
        oauth ? tr("Disconnect from HubSpot? HaloSpot's access is revoked at HubSpot and its "
                   "tokens and the app's client secret are removed from this computer. "
                   "Connecting again needs the client secret and a sign-in in the browser.")
              : tr("Disconnect from HubSpot? The access token is removed from this computer; "
                   "to connect again you need to paste it again.");
    if (!m_confirm(this, tr("Disconnect from HubSpot"), text))
        return;
    m_connections.disconnectHubSpot();
}

void ConnectTab::onTestHaloClicked()
{
    if (!m_ui->testHaloButton->isEnabled())
        return;
    m_ui->haloStepsList->clear();
    m_connections.testHalo(haloFields(), m_ui->haloSecretEdit->text());
}

void ConnectTab::setAdvancedVisible(bool visible)
{
    m_ui->advancedToggle->setArrowType(visible ? Qt::DownArrow : Qt::RightArrow);
    m_ui->advancedWidget->setVisible(visible);
}

} // namespace halospot::gui
