// Entry point: a command runs headless on QCoreApplication; no command starts the window.
#include "CommandLine.h"
#include "GuiMain.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (const auto gui = halospot::app::guiRequest(arguments)) {
        QApplication app(argc, argv);
        return halospot::app::runGui(*gui);
    }
    QCoreApplication app(argc, argv);
    return halospot::app::runCommandLine(app.arguments());
}
