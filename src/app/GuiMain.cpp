// runGui(): wires the store, the keychain, the connections and the main window together.
#include "GuiMain.h"

#include "ActivityModel.h"
#include "CommandContext.h"
#include "ConnectionConfig.h"
#include "ConnectionManager.h"
#include "Credentials.h"
#include "DemoSandbox.h"
#include "EngineHost.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "Sandbox.h"
#include "SecretStore.h"
#include "StopSignal.h"
#include "Store.h"
#include "Version.h"

#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QTemporaryDir>

#include <memory>

namespace halospot::app {

// What the Activity view shows also goes to the log (it never holds secrets): useful when
// HaloSpot is started from a terminal, and how tests watch a window they cannot see.
Q_LOGGING_CATEGORY(lcActivity, "halospot.gui.activity", QtInfoMsg)

namespace {

int fail(const QString &message)
{
    QMessageBox::critical(nullptr, QApplication::translate("halospot", "HaloSpot"), message);
    return ExitUsage;
}

// Demo mode: point the profile at the sandbox and hand its demo credentials to the session-only
// secret store, then let the connections restore themselves as on any start.
void configureDemo(core::Store &store, api::Credentials &credentials, const QJsonObject &demo,
                   std::function<void()> done)
{
    core::ConnectionConfig config;
    config.hubspot.auth = core::HubSpotAuthMode::StaticToken;
    config.hubspot.clientId = demo.value(QStringLiteral("hubspot_client_id")).toString();
    config.hubspot.apiBase = QUrl(demo.value(QStringLiteral("hubspot_api_url")).toString());
    config.hubspot.authBase = QUrl(demo.value(QStringLiteral("hubspot_auth_url")).toString());
    config.halo.url = QUrl(demo.value(QStringLiteral("halo_url")).toString());
    config.halo.clientId = demo.value(QStringLiteral("halo_client_id")).toString();
    config.save(store);

    const QList<std::pair<api::Secret, QString>> secrets = {
        {api::Secret::HubSpotStaticToken, demo.value(QStringLiteral("hubspot_token")).toString()},
        {api::Secret::HubSpotClientSecret,
         demo.value(QStringLiteral("hubspot_client_secret")).toString()},
        {api::Secret::HaloClientSecret,
         demo.value(QStringLiteral("halo_client_secret")).toString()},
    };
    auto remaining = std::make_shared<int>(int(secrets.size()));
    for (const auto &[which, value] : secrets) {
        credentials.write(which, value, [remaining, done](const api::SecretResult &) {
            if (--*remaining == 0)
                done();
        });
    }
}

} // namespace

int runGui(const GuiRequest &request)
{
    QApplication::setApplicationName(QStringLiteral("halospot"));
    QApplication::setOrganizationName(QStringLiteral("HaloSpot"));
    QApplication::setApplicationDisplayName(QStringLiteral("HaloSpot"));
    QApplication::setApplicationVersion(QStringLiteral(HALOSPOT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("halospot"));
    if (request.verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("halospot.*.debug=true"));

    // Demo mode keeps its profile in a temporary folder unless told otherwise: the sandbox's
    // credentials are new on every start and must not replace a real profile.
    std::unique_ptr<QTemporaryDir> demoDir;
    QString dataDir;
    if (request.sandbox && request.dataDir.isEmpty()) {
        demoDir = std::make_unique<QTemporaryDir>();
        if (!demoDir->isValid()) {
            return fail(QApplication::translate("halospot",
                                                "Could not create a temporary folder for the "
                                                "demo: %1")
                            .arg(demoDir->errorString()));
        }
        dataDir = demoDir->path();
    } else {
        dataDir = dataDirectory(request.dataDir);
    }

    core::Store store(storePath(dataDir));
    if (Status s = store.open(); !s.ok())
        return fail(s.error());
    const Result<QString> profile = core::profileId(store);
    if (!profile.ok())
        return fail(profile.error());

    api::SecretStore secrets;
    if (request.sandbox)
        secrets.setSessionOnly(true); // demo credentials never reach the keychain
    api::Credentials credentials(&secrets, profile.value());

    gui::ActivityModel activity;
    gui::ConnectionManager connections(store, credentials);
    QObject::connect(&connections, &gui::ConnectionManager::activity, &activity,
                     [&activity](const QString &source, const QString &message, bool isError) {
                         activity.add(source, message, isError);
                         if (isError)
                             qCWarning(lcActivity).noquote() << source << message;
                         else
                             qCInfo(lcActivity).noquote() << source << message;
                     });
    connections.setBrowserOpener([](const QUrl &url) { return QDesktopServices::openUrl(url); });

    DemoSandbox demo;
    if (request.sandbox) {
        sandbox::SandboxOptions options;
        options.data.companies = 2000;
        options.data.contacts = 6000;
        const Result<QJsonObject> described = demo.start(options);
        if (!described.ok())
            return fail(described.error());
        activity.add(QApplication::translate("halospot", "Demo"),
                     QApplication::translate("halospot",
                                             "The sandbox is running on this computer with "
                                             "sample data (HubSpot at %1, Halo at %2).")
                         .arg(described->value(QStringLiteral("hubspot_api_url")).toString(),
                              described->value(QStringLiteral("halo_url")).toString()));
        configureDemo(store, credentials, described.value(),
                      [&connections] { connections.restore(); });
    }

    // The engine thread and the one door to it; both outlive the window, which uses them.
    engine::EngineHost engineHost;
    gui::JobRunner jobs(engineHost, store, connections, activity);
    QObject::connect(&jobs, &gui::JobRunner::finished, &activity,
                     [](const engine::RunReport &report) {
                         const QString title = gui::JobRunner::jobTitle(report.kind, report.dryRun);
                         if (report.status == QLatin1String("failed"))
                             qCWarning(lcActivity).noquote() << title << report.error;
                         else
                             qCInfo(lcActivity).noquote() << title << report.status;
                     });
    gui::MainWindow window(store, connections, activity, request.sandbox, &jobs);
    window.show();
    // SIGTERM (logout, `kill`) closes the window as Quit would: layout saved, demo folder removed.
    StopSignal stopSignal;
    QObject::connect(qApp, &QCoreApplication::aboutToQuit, &window, [&window] { window.close(); });
    if (!request.sandbox)
        connections.restore();
    return QApplication::exec();
}

} // namespace halospot::app
