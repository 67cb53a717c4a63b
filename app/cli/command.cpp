#include "command.h"

#include <datasets/project.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <iostream>

namespace scalelens::cli {

const char* const kExitCodesHelp =
    "Exit codes: 0 ok, 2 bad arguments (unknown or inapplicable option, invalid value),\n"
    "3 bad input (unreadable or malformed file, data a law cannot be fitted to),\n"
    "4 internal error, 5 unreliable fit (fit only; --allow-unreliable accepts it),\n"
    "6 project busy (another process is writing to it: retry later; a writer waits 5 s for\n"
    "the lock first). With --json, stdout holds exactly one JSON document; messages go to\n"
    "stderr.";

// ---- registry --------------------------------------------------------------------------

namespace {
std::vector<CommandInfo>& entries() {
    static std::vector<CommandInfo> all;
    return all;
}
}  // namespace

bool Registry::add(CommandInfo info) {
    entries().push_back(std::move(info));
    return true;
}

std::vector<const CommandInfo*> Registry::children(const std::string& parent) {
    std::vector<const CommandInfo*> out;
    for (const auto& e : entries())
        if (e.parent == parent)
            out.push_back(&e);
    std::sort(out.begin(), out.end(),
              [](const CommandInfo* a, const CommandInfo* b) { return a->name < b->name; });
    return out;
}

const CommandInfo* Registry::find(const std::string& parent, const std::string& name) {
    for (const auto& e : entries())
        if (e.parent == parent && e.name == name)
            return &e;
    return nullptr;
}

// ---- running a command -----------------------------------------------------------------

namespace {

constexpr std::size_t kHelpWidth = 100;
constexpr std::size_t kHelpColumn = 30;

// Wraps option descriptions at kHelpWidth columns (CLI11 2.1 prints them on one line).
class WrappingFormatter : public CLI::Formatter {
  public:
    std::string make_option_desc(const CLI::Option* opt) const override {
        const std::string text = CLI::Formatter::make_option_desc(opt);
        const std::size_t width = kHelpWidth - get_column_width();
        std::string out, line;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find(' ', start);
            if (end == std::string::npos)
                end = text.size();
            const std::string word = text.substr(start, end - start);
            if (!line.empty() && line.size() + 1 + word.size() > width) {
                out += line + "\n";
                line.clear();
            }
            line += (line.empty() ? "" : " ") + word;
            start = end + 1;
        }
        return out + line;
    }
};

void configureApp(CLI::App& app) {
    app.set_help_flag("-h,--help", "Print this help and exit");
    app.footer(kExitCodesHelp);
    app.formatter(std::make_shared<WrappingFormatter>());
    app.get_formatter()->column_width(kHelpColumn);
}

// --help anywhere before `--` shows the help even next to otherwise invalid options.
bool wantsHelp(const std::vector<std::string>& args) {
    for (const auto& a : args) {
        if (a == "--")
            return false;
        if (a == "--help" || a == "-h")
            return true;
    }
    return false;
}

// Names the first argument CLI11 did not take: an option the command does not declare, or a
// stray value.
std::string extrasMessage(const std::vector<std::string>& remaining) {
    for (const auto& arg : remaining) {
        if (arg.size() > 1 && arg[0] == '-' && !parseNumber(arg)) {
            const std::string name = arg.substr(0, arg.find('='));
            return "option " + name + " does not apply here";
        }
    }
    return remaining.empty() ? std::string("unexpected argument")
                             : "unexpected argument '" + remaining.front() + "'";
}

}  // namespace

std::string programHelp() {
    CLI::App app{"scalelens-cli " SCALELENS_VERSION
                 " - fit, plot and plan LLM scaling laws from the command line",
                 "scalelens-cli"};
    configureApp(app);
    app.set_version_flag("--version", std::string(SCALELENS_VERSION), "Print the version and exit");
    for (const auto* info : Registry::children(""))
        app.add_subcommand(info->name, info->summary);
    app.footer(std::string("Run `scalelens-cli COMMAND --help` for the options of a command.\n") +
               kExitCodesHelp);
    return app.help();
}

int runCommand(const CommandInfo& info, const std::vector<std::string>& args) {
    std::string label = "scalelens-cli " + info.name;
    try {
        CLI::App app{info.summary, label};
        configureApp(app);
        const RunFn run = info.declare(app, args);
        label = app.get_name();  // `fit` names the law too
        if (wantsHelp(args)) {
            std::cout << app.help();
            return kExitOk;
        }
        try {
            std::vector<std::string> reversed(args.rbegin(), args.rend());
            app.parse(reversed);
        } catch (const CLI::CallForHelp&) {
            std::cout << app.help();
            return kExitOk;
        } catch (const CLI::ParseError& e) {
            // An option the command does not have is the first thing to say, before a
            // missing or invalid one (CLI11 checks those first).
            if (!app.get_allow_extras() && !app.remaining().empty()) {
                std::cerr << label << ": " << extrasMessage(app.remaining()) << " (see " << label
                          << " --help)\n";
                return kExitBadArguments;
            }
            std::cerr << label << ": " << e.what() << " (see " << label << " --help)\n";
            return kExitBadArguments;
        }
        return run();
    } catch (const UsageError& e) {
        std::cerr << label << ": " << e.message << "\n";
        return kExitBadArguments;
    } catch (const data::ProjectError& e) {  // a damaged or busy project met while reading
        std::cerr << label << ": " << e.what() << "\n";
        return e.kind() == data::ProjectError::Kind::Busy ? kExitBusy : kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << label << ": internal error: " << e.what() << "\n";
        return kExitInternal;
    }
}

// ---- numbers ---------------------------------------------------------------------------

std::optional<long long> parseInteger(const std::string& text) {
    long long v = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin != end && *begin == '+')
        ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    return v;
}

namespace {

// Checks one value; CLI11 prefixes the message with the option's name.
CLI::Validator numberValidator(Rule rule, bool integer) {
    return CLI::Validator(
        [rule, integer](std::string& text) -> std::string {
            double v = 0;
            if (integer) {
                const auto i = parseInteger(text);
                if (!i)
                    return "'" + text + "' is not a whole number";
                v = static_cast<double>(*i);
            } else {
                const auto d = parseNumber(text);
                if (!d)
                    return "'" + text + "' is not a finite number";
                v = *d;
            }
            if (rule == Rule::Positive && !(v > 0))
                return "must be > 0 (got " + text + ")";
            if (rule == Rule::NonNegative && !(v >= 0))
                return "must be >= 0 (got " + text + ")";
            return {};
        },
        "", "number");
}

const char* typeName(Rule rule, bool integer) {
    switch (rule) {
        case Rule::Positive:
            return integer ? "INT>0" : "NUM>0";
        case Rule::NonNegative:
            return integer ? "INT>=0" : "NUM>=0";
        case Rule::Any:
            break;
    }
    return integer ? "INT" : "NUM";
}

}  // namespace

CLI::Option* addNumber(CLI::App& app, const std::string& name, std::optional<double>& out,
                       const std::string& help, Rule rule) {
    auto* opt = app.add_option(
        name,
        [&out](const CLI::results_t& r) {
            out = parseNumber(r.back());
            return out.has_value();
        },
        help);
    opt->check(numberValidator(rule, false));
    opt->type_name(typeName(rule, false));
    opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    return opt;
}

CLI::Option* addInteger(CLI::App& app, const std::string& name, std::optional<long long>& out,
                        const std::string& help, Rule rule) {
    auto* opt = app.add_option(
        name,
        [&out](const CLI::results_t& r) {
            out = parseInteger(r.back());
            return out.has_value();
        },
        help);
    opt->check(numberValidator(rule, true));
    opt->type_name(typeName(rule, true));
    opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    return opt;
}

CLI::Option* addText(CLI::App& app, const std::string& name, std::optional<std::string>& out,
                     const std::string& help) {
    auto* opt = app.add_option(
        name,
        [&out](const CLI::results_t& r) {
            out = r.back();
            return true;
        },
        help);
    opt->type_name("TEXT");
    opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    return opt;
}

CLI::Option* addTexts(CLI::App& app, const std::string& name, std::vector<std::string>& out,
                      const std::string& help) {
    auto* opt = app.add_option(
        name,
        [&out](const CLI::results_t& r) {
            out = r;
            return true;
        },
        help);
    opt->type_name("TEXT");
    opt->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    return opt;
}

CLI::Option* addNumbers(CLI::App& app, const std::string& name, std::vector<double>& out,
                        const std::string& help, Rule rule) {
    auto* opt = app.add_option(
        name,
        [&out](const CLI::results_t& r) {
            out.clear();
            for (const auto& text : r) {
                const auto v = parseNumber(text);
                if (!v)
                    return false;
                out.push_back(*v);
            }
            return true;
        },
        help);
    opt->check(numberValidator(rule, false));
    opt->type_name(typeName(rule, false));
    opt->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    return opt;
}

CLI::Option* addFlag(CLI::App& app, const std::string& name, bool& out, const std::string& help) {
    return app.add_flag(name, out, help);
}

// ---- shared option groups --------------------------------------------------------------

void addJsonOption(CLI::App& app, bool& json) {
    addFlag(app, "--json", json, "Print one JSON document on stdout (messages go to stderr)")
        ->group("Output");
}

void addTableOptions(CLI::App& app, TableOptions& t) {
    const char* const group = "Input (one of --input or --project)";
    addText(app, "--input", t.input,
            "CSV, one row per run (summary format; --format NAME to override)")
        ->group(group);
    addText(app, "--project", t.project,
            "A ScaleLens project; the final value of each metric is used")
        ->group(group);
    addText(app, "--group", t.group, "Only runs of this group (sweep)")->group(group);
    addTexts(app, "--map", t.map,
             "KEY=COLUMN column mapping for --input, repeatable (keys as in `import --help`)")
        ->group(group);
    addText(app, "--format", t.format, "Format of the --input file (see `import --help`)")
        ->group(group);
}

void addEngineOptions(CLI::App& app, EngineArgs& e, bool withRunControl) {
    const char* const group = "Fit";
    addText(app, "--loss", e.loss, "Objective on log-loss: huber (default, as published), ols, mle")
        ->group(group);
    addNumber(app, "--delta", e.delta, "Huber threshold (default 1e-3)", Rule::Positive)
        ->group(group);
    addInteger(app, "--bootstrap", e.bootstrap,
               "Bootstrap resamples for standard errors and 95% CIs (default: none)",
               Rule::NonNegative)
        ->group(group);
    if (withRunControl) {
        addInteger(app, "--seed", e.seed, "Seed of the bootstrap resampling", Rule::NonNegative)
            ->group(group);
        addInteger(app, "--threads", e.threads, "Worker threads (default 0 = all cores)",
                   Rule::NonNegative)
            ->group(group);
    }
}

void addCurveKindOption(CLI::App& app, std::string& kind) {
    app.add_option("--curve-kind", kind,
                   "Score-vs-size curve fitted to the reference models (default log-linear)")
        ->check(CLI::IsMember({"log-linear", "logistic"}))
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

}  // namespace scalelens::cli
