// scalelens-cli: headless import, fit, predict, calculate and plot export.
#include <QCoreApplication>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <iostream>
#include <memory>

#include "command.h"

#ifdef SCALELENS_WITH_GUI
#include <QApplication>
#endif

int main(int argc, char** argv) {
    using namespace scalelens::cli;
    // The application and organisation names come first: Qt derives QStandardPaths and
    // QSettings locations from them.
    QCoreApplication::setApplicationName(QStringLiteral("ScaleLens"));
    QCoreApplication::setOrganizationName(QStringLiteral("ScaleLens"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SCALELENS_VERSION));

    // Plot export needs a QApplication (fonts, painting); it runs offscreen when no platform
    // is configured so the CLI works on headless machines. Every other command needs Qt Core
    // only, so it never loads a platform plugin.
#ifdef SCALELENS_WITH_GUI
    const bool wantsGui = argc > 1 && std::string(argv[1]) == "plot";
    std::unique_ptr<QTemporaryDir> runtimeDir;
    if (wantsGui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
        // Without XDG_RUNTIME_DIR (cron, CI, containers) Qt falls back to /tmp/runtime-USER
        // and warns on stderr; a private directory (mode 0700) for this process is the same
        // fallback without the warning.
        if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
            runtimeDir = std::make_unique<QTemporaryDir>();
            if (runtimeDir->isValid())
                qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtimeDir->path()));
        }
#endif
    }
    std::unique_ptr<QCoreApplication> app;
    if (wantsGui)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif

    // QCoreApplication::arguments() decodes the command line correctly on every platform
    // (UTF-16 on Windows, the locale's encoding elsewhere); we pass UTF-8 on.
    std::vector<std::string> args;
    const QStringList qargs = QCoreApplication::arguments();
    for (qsizetype i = 1; i < qargs.size(); ++i)
        args.push_back(qargs[i].toStdString());

    if (args.empty()) {
        std::cout << programHelp();
        return kExitBadArguments;
    }
    const std::string command = args.front();
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << programHelp();
        return kExitOk;
    }
    if (command == "--version") {
        std::cout << "scalelens-cli " SCALELENS_VERSION "\n";
        return kExitOk;
    }
    const CommandInfo* info = Registry::find("", command);
    if (!info) {
        std::cerr << "scalelens-cli: unknown command '" << command
                  << "' (see scalelens-cli --help)\n";
        return kExitBadArguments;
    }
    args.erase(args.begin());
    return runCommand(*info, args);
}
