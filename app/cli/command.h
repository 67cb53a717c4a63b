// Command registry and shared option declarations for scalelens-cli, on CLI11.
//
// Each app/cli/cmd_<name>.cpp declares one sub-command and registers it:
//   SCALELENS_CLI_COMMAND(runs, "runs", "List the runs of a project", declareRuns);
// and each law of `fit --law NAME` registers under the parent "fit":
//   SCALELENS_CLI_FIT_LAW(kaplan, "kaplan", "L(N, D) of Kaplan et al. 2020", declareFitKaplan);
// A declare function adds exactly the options its command accepts to a CLI::App (usually
// into an options struct it owns) and returns the function that runs the command with them
// once CLI11 has parsed the arguments. Help text is generated from these declarations.
//
// Exit codes: 0 ok, 2 bad arguments (unknown or inapplicable option, invalid value: the
// message names the option), 3 bad input data (also a damaged project or a file that is not a
// project), 4 internal error, 6 project busy (another process is writing to it; retry).
// With --json, stdout carries exactly one JSON document; every message goes to stderr.
#pragma once

#include <analysis/number_text.h>
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scalelens::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitBadArguments = 2,
    kExitBadInput = 3,
    kExitInternal = 4,
    kExitUnreliable = 5,  // fit: the result's status is Unreliable (see --allow-unreliable)
    // The project is locked by another process (a writer past the busy timeout): retry.
    kExitBusy = 6,
};

// Run names and other text from imported files, made safe for a terminal: control characters
// (ANSI escape sequences, carriage returns, ...) are printed as \xNN.
using analysis::printable;

// Help footer of every command.
extern const char* const kExitCodesHelp;

// Runs a command after its options were parsed; returns an exit code.
using RunFn = std::function<int()>;
// Declares a command's options on `app` and returns its run function. `args` are the
// command's arguments (after its name), for commands whose options depend on an argument
// (`fit --law NAME` declares the options of that law).
using DeclareFn = RunFn (*)(CLI::App& app, const std::vector<std::string>& args);

struct CommandInfo {
    std::string parent;  // "" for a top-level command, "fit" for a law of `fit --law`
    std::string name;
    std::string summary;
    DeclareFn declare = nullptr;
};

// The one registry of commands and fit laws. Registration happens from static initialisers
// in the cmd_*.cpp files, which are compiled straight into the executable, so the linker
// keeps them.
class Registry {
  public:
    static bool add(CommandInfo info);
    // The commands under `parent` ("" = top level), by name.
    static std::vector<const CommandInfo*> children(const std::string& parent);
    static const CommandInfo* find(const std::string& parent, const std::string& name);
};

#define SCALELENS_CLI_COMMAND(id, name, summary, fn)                  \
    static const bool kScalelensCliRegistered_##id [[maybe_unused]] = \
        ::scalelens::cli::Registry::add({"", name, summary, fn})

#define SCALELENS_CLI_FIT_LAW(id, name, summary, fn)              \
    static const bool kScalelensCliFitLaw_##id [[maybe_unused]] = \
        ::scalelens::cli::Registry::add({"fit", name, summary, fn})

// Builds the CLI::App of one command (name "scalelens-cli NAME", help flag, footer), lets
// the command declare its options, parses `args` and runs it. Maps CLI11 parse errors and
// UsageError to exit code 2 and other exceptions to 4.
int runCommand(const CommandInfo& info, const std::vector<std::string>& args);
// `scalelens-cli --help`: the commands and their summaries, from the registry.
std::string programHelp();

// Thrown by run functions for argument combinations CLI11 cannot express; exit code 2.
struct UsageError {
    std::string message;
};

// Parses a double with the C locale (never the system locale); accepts 1e21, 5.76E+23.
using analysis::parseNumber;
std::optional<long long> parseInteger(const std::string& text);

// ---- typed options ------------------------------------------------------------------
// Numbers are parsed with parseNumber (locale-independent); a value that does not parse or
// breaks the rule exits 2 naming the option. The last occurrence of a scalar option wins.
enum class Rule { Any, Positive, NonNegative };

CLI::Option* addNumber(CLI::App& app, const std::string& name, std::optional<double>& out,
                       const std::string& help, Rule rule = Rule::Any);
CLI::Option* addInteger(CLI::App& app, const std::string& name, std::optional<long long>& out,
                        const std::string& help, Rule rule = Rule::Any);
CLI::Option* addText(CLI::App& app, const std::string& name, std::optional<std::string>& out,
                     const std::string& help);
// Repeatable: one value per occurrence, in order.
CLI::Option* addTexts(CLI::App& app, const std::string& name, std::vector<std::string>& out,
                      const std::string& help);
CLI::Option* addNumbers(CLI::App& app, const std::string& name, std::vector<double>& out,
                        const std::string& help, Rule rule = Rule::Any);
CLI::Option* addFlag(CLI::App& app, const std::string& name, bool& out, const std::string& help);

// ---- option groups shared by several commands ----------------------------------------
// --json: one JSON document on stdout.
void addJsonOption(CLI::App& app, bool& json);

// Where a fit reads its runs from: --input CSV or --project FILE, --group, --map, --format.
struct TableOptions {
    std::optional<std::string> input;
    std::optional<std::string> project;
    std::optional<std::string> group;
    std::optional<std::string> format;
    std::vector<std::string> map;  // KEY=COLUMN, one per --map
    // --include-forecasts (declared by the Chinchilla-family fits only): stored forecasts
    // stand in for final losses of runs not logged to their end (analysis::Selection).
    bool includeForecasts = false;
    // The Chinchilla-family fits (chinchilla, kaplan, isoflop, allocate): with --project and
    // no --group, fit the project's default scaling sweep (analysis::defaultScalingSweep), the
    // runs the GUI's views draw, when the project's runs span several groups; --all-groups
    // (allGroups) fits every run instead.
    bool scalingDefaultGroup = false;
    bool allGroups = false;
};
void addTableOptions(CLI::App& app, TableOptions& table);

// Options of the Chinchilla fitting engine. --loss, --delta and --bootstrap always;
// --seed and --threads with `withRunControl`.
struct EngineArgs {
    std::optional<std::string> loss;
    std::optional<double> delta;
    std::optional<long long> bootstrap;
    std::optional<long long> seed;
    std::optional<long long> threads;
};
void addEngineOptions(CLI::App& app, EngineArgs& engine, bool withRunControl);

// --curve-kind log-linear|logistic (default log-linear) of a score-vs-size curve, shared by
// `density --reference` and `fit --law densing`.
void addCurveKindOption(CLI::App& app, std::string& kind);

}  // namespace scalelens::cli
