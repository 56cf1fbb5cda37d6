// HaloSpot's main window: the tabs (Connect, Companies, Contacts; the others as their features
// land), the Activity dock, and a status bar showing both connections.
#pragma once

#include <QMainWindow>

#include <functional>
#include <memory>

class QLabel;
class QProgressBar;

namespace Ui {
class MainWindow;
}

namespace halospot::core {
class Store;
}

namespace halospot::gui {

class ActivityModel;
class CompaniesTab;
class ConnectTab;
class ConnectionManager;
class ContactsTab;
class JobRunner;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // demo: the window runs on the built-in sandbox; a banner says so. runner: the engine's jobs;
    // without one the window has no Companies and Contacts tabs (tests of the Connect tab alone).
    MainWindow(core::Store &store, ConnectionManager &connections, ActivityModel &activity,
               bool demo, JobRunner *runner = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    ConnectTab *connectTab() const { return m_connectTab; }
    CompaniesTab *companiesTab() const { return m_companiesTab; } // null without a runner
    ContactsTab *contactsTab() const { return m_contactsTab; }    // null without a runner

    // Asks for a profile file to open (save = false) or to write (save = true); empty = cancelled.
    // A QFileDialog by default; tests pass their own.
    using FileChooser = std::function<QString(QWidget *parent, bool save)>;
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }
    // File → Import/Export Profile…, also callable directly. Outcomes go to the Activity view.
    bool importProfile(const QString &path);
    bool exportProfile(const QString &path);
    QLabel *hubspotIndicator() const { return m_hubspotIndicator; }
    QLabel *haloIndicator() const { return m_haloIndicator; }
    // The running job in the status bar: "Import companies: 6 200 / 10 000 · 180/s · …".
    QLabel *jobIndicator() const { return m_jobIndicator; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void restoreLayout();
    void saveLayout();
    void updateIndicators();
    void showAbout();
    void showJobProgress();

    core::Store &m_store;
    ConnectionManager &m_connections;
    ActivityModel &m_activity;
    JobRunner *m_runner;
    std::unique_ptr<Ui::MainWindow> m_ui;
    ConnectTab *m_connectTab = nullptr;
    CompaniesTab *m_companiesTab = nullptr;
    ContactsTab *m_contactsTab = nullptr;
    QLabel *m_jobIndicator = nullptr;
    QProgressBar *m_jobProgress = nullptr;
    QLabel *m_hubspotIndicator = nullptr;
    QLabel *m_haloIndicator = nullptr;
    FileChooser m_chooseFile;
};

} // namespace halospot::gui
