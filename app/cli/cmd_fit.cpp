// `scalelens-cli fit --law NAME ...`: dispatches to the law registered under NAME with
// SCALELENS_CLI_FIT_LAW (cmd_fit_chinchilla.cpp, cmd_fit_efficiency*.cpp).
#include <iostream>
#include <optional>

#include "command.h"

namespace scalelens::cli {

namespace {

void printFitHelp() {
    std::cout << "Usage: scalelens-cli fit --law LAW [law options] [--json]\n"
                 "       scalelens-cli fit --law LAW --help\n\n"
                 "Laws:\n";
    for (const auto& [name, info] : FitLawRegistry::all()) {
        std::string padded = name;
        padded.resize(std::max<std::size_t>(16, name.size() + 2), ' ');
        std::cout << "  " << padded << info.summary << "\n";
    }
}

// --law is read here without ArgParser because every law accepts its own options.
std::optional<std::string> findLaw(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--law") {
            if (i + 1 >= args.size())
                throw UsageError{"option --law needs a value"};
            return args[i + 1];
        }
        if (args[i].rfind("--law=", 0) == 0)
            return args[i].substr(6);
    }
    return std::nullopt;
}

int runFit(const std::vector<std::string>& args) {
    const auto law = findLaw(args);
    if (!law) {
        if (wantsHelp(args)) {
            printFitHelp();
            return kExitOk;
        }
        throw UsageError{"option --law is required (see scalelens-cli fit --help)"};
    }
    const CommandInfo* info = FitLawRegistry::find(*law);
    if (!info) {
        std::string known;
        for (const auto& [name, i] : FitLawRegistry::all())
            known += (known.empty() ? "" : ", ") + name;
        throw UsageError{"unknown law '" + *law + "' (known: " + known + ")"};
    }
    return info->run(args);
}

}  // namespace

SCALELENS_CLI_COMMAND(fit, "fit", "Fit a scaling law to runs (--law chinchilla, kaplan, ...)",
                      runFit);

}  // namespace scalelens::cli
