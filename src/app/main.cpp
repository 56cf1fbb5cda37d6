// Entry point: a command runs headless on QCoreApplication; no command will start the GUI.
#include "CommandLine.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return halospot::app::runCommandLine(app.arguments());
}
