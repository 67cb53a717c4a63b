// scalelens-cli: headless import, fit, predict, calculate and plot export.
#include <QCoreApplication>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>

#include "command.h"

#ifdef SCALELENS_WITH_GUI
#include <QApplication>
#endif

namespace {

void printHelp() {
    std::cout << "scalelens-cli " SCALELENS_VERSION
                 " - fit, plot and plan LLM scaling laws from the command line\n\n"
                 "Usage: scalelens-cli <command> [options]\n"
                 "       scalelens-cli <command> --help\n\n"
                 "Commands:\n";
    for (const auto& [name, info] : scalelens::cli::CommandRegistry::all()) {
        std::string padded = name;
        padded.resize(std::max<std::size_t>(18, name.size() + 2), ' ');
        std::cout << "  " << padded << info.summary << "\n";
    }
    std::cout << "\nOptions:\n"
                 "  --help            show this help\n"
                 "  --version         print the version\n\n"
                 "Exit codes:\n"
                 "  0  success\n"
                 "  2  bad arguments (unknown command or option, missing or malformed value)\n"
                 "  3  bad input (unreadable or malformed file, data a law cannot be fitted to)\n"
                 "  4  internal error\n\n"
                 "With --json, stdout holds exactly one JSON document; messages go to stderr.\n";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace scalelens::cli;
    // Plot export needs a QApplication (fonts, painting); it runs offscreen when no
    // platform is configured so the CLI works on headless CI machines.
#ifdef SCALELENS_WITH_GUI
    const bool wantsGui = argc > 1 && std::string(argv[1]) == "plot";
    if (wantsGui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app;
    if (wantsGui)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCoreApplication::setApplicationName(QStringLiteral("ScaleLens"));
    QCoreApplication::setOrganizationName(QStringLiteral("ScaleLens"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SCALELENS_VERSION));

    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        printHelp();
        return kExitBadArguments;
    }
    const std::string command = args.front();
    if (command == "--help" || command == "-h" || command == "help") {
        printHelp();
        return kExitOk;
    }
    if (command == "--version") {
        std::cout << "scalelens-cli " SCALELENS_VERSION "\n";
        return kExitOk;
    }
    const CommandInfo* info = CommandRegistry::find(command);
    if (!info) {
        std::cerr << "scalelens-cli: unknown command '" << command
                  << "' (see scalelens-cli --help)\n";
        return kExitBadArguments;
    }
    args.erase(args.begin());
    try {
        return info->run(args);
    } catch (const UsageError& e) {
        std::cerr << "scalelens-cli " << command << ": " << e.message << "\n";
        return kExitBadArguments;
    } catch (const std::exception& e) {
        std::cerr << "scalelens-cli " << command << ": internal error: " << e.what() << "\n";
        return kExitInternal;
    }
}
