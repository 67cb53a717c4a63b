// `scalelens-cli fit --law NAME ...`: the law registered under NAME with SCALELENS_CLI_FIT_LAW
// (cmd_fit_chinchilla.cpp, cmd_fit_efficiency*.cpp) declares its own options next to --law,
// so an option of another law exits 2.
#include "command.h"

namespace scalelens::cli {

namespace {

std::string knownLaws() {
    std::string known;
    for (const auto* law : Registry::children("fit"))
        known += (known.empty() ? "" : ", ") + law->name;
    return known;
}

// The value of --law, found by CLI11 ignoring every other argument (the law decides which
// of them are valid).
std::optional<std::string> probeLaw(const std::vector<std::string>& args) {
    CLI::App probe;
    probe.set_help_flag();
    probe.allow_extras();
    std::optional<std::string> law;
    addText(probe, "--law", law, "");
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());
        probe.parse(reversed);
    } catch (const CLI::ParseError&) {
        return std::nullopt;
    }
    return law;
}

RunFn declareFit(CLI::App& app, const std::vector<std::string>& args) {
    std::string laws;
    for (const auto* law : Registry::children("fit"))
        laws += "\n  " + law->name +
                std::string(law->name.size() < 16 ? 16 - law->name.size() : 1, ' ') + law->summary;
    auto selected = std::make_shared<std::string>();
    app.add_option("--law", *selected, "The law to fit; each law has its own options")
        ->required()
        ->check(CLI::Validator(
            [](std::string& name) -> std::string {
                if (Registry::find("fit", name))
                    return {};
                return "unknown law '" + name + "' (known: " + knownLaws() + ")";
            },
            "", "law"))
        ->type_name("LAW");
    const auto law = probeLaw(args);
    const CommandInfo* info = law ? Registry::find("fit", *law) : nullptr;
    if (!info) {
        // Without a known law no other option can be judged: report --law itself.
        app.allow_extras();
        app.description("Fits a scaling law to runs. Laws:" + laws +
                        "\nRun `scalelens-cli fit --law LAW --help` for the options of a law.");
        return [selected] { return kExitInternal; };  // unreachable: --law fails to parse
    }
    app.name("scalelens-cli fit --law " + info->name);
    app.description(info->summary);
    // The run function owns what the options write into, --law's target included.
    return [selected, run = info->declare(app, args)] { return run(); };
}

}  // namespace

SCALELENS_CLI_COMMAND(fit, "fit", "Fit a scaling law to runs (--law chinchilla, kaplan, ...)",
                      declareFit);

}  // namespace scalelens::cli
