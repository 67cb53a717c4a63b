// Sub-command registry and shared helpers for scalelens-cli.
//
// Each app/cli/cmd_<name>.cpp defines one sub-command and registers it with
//   SCALELENS_CLI_COMMAND(import, "import", "Import run logs into a project", runImport);
// main.cpp dispatches on the first argument and prints the list in --help.
//
// Exit codes (documented in --help): 0 ok, 2 bad arguments, 3 bad input, 4 internal error.
// With --json, stdout carries exactly one JSON document; every message goes to stderr.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace scalelens::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitBadArguments = 2,
    kExitBadInput = 3,
    kExitInternal = 4,
};

using CommandFn = int (*)(const std::vector<std::string>& args);

struct CommandInfo {
    std::string name;
    std::string summary;
    CommandFn run = nullptr;
};

// Registration happens from static initialisers in the cmd_*.cpp files, which are compiled
// straight into the executable (not a static library), so the linker keeps them.
class CommandRegistry {
  public:
    static bool add(CommandInfo info);
    static const std::map<std::string, CommandInfo>& all();
    static const CommandInfo* find(const std::string& name);
};

#define SCALELENS_CLI_COMMAND(id, name, summary, fn)                  \
    static const bool kScalelensCliRegistered_##id [[maybe_unused]] = \
        ::scalelens::cli::CommandRegistry::add({name, summary, fn})

// `scalelens-cli fit --law NAME ...` dispatches to the law registered under NAME, so each
// family of laws (Chinchilla/Kaplan/IsoFLOP, efficiency laws) lives in its own cmd_fit_*.cpp:
//   SCALELENS_CLI_FIT_LAW(chinchilla, "chinchilla", "Hoffmann et al. 2022 L(N,D)",
//   runFitChinchilla);
// The function receives every argument after `fit` (including --law) and returns an exit code.
class FitLawRegistry {
  public:
    static bool add(CommandInfo info);
    static const std::map<std::string, CommandInfo>& all();
    static const CommandInfo* find(const std::string& name);
};

#define SCALELENS_CLI_FIT_LAW(id, name, summary, fn)              \
    static const bool kScalelensCliFitLaw_##id [[maybe_unused]] = \
        ::scalelens::cli::FitLawRegistry::add({name, summary, fn})

// Thrown by ArgParser on bad arguments; main() maps it to exit code 2.
struct UsageError {
    std::string message;
};

// Minimal GNU-style parser: `--key value`, `--key=value`, boolean `--flag`, positionals;
// `-h` means `--help` when "help" is one of the flags.
// Unknown options are a UsageError, so typos never pass silently.
class ArgParser {
  public:
    // `valueOptions` take a value; `flags` do not. Names without the leading dashes.
    ArgParser(const std::vector<std::string>& args, std::set<std::string> valueOptions,
              std::set<std::string> flags);

    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    // Every occurrence of a repeatable option, in order (e.g. --map k=v --map k2=v2).
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

    // Typed accessors: throw UsageError naming the option when the value does not parse.
    std::optional<double> number(const std::string& name) const;
    std::optional<long long> integer(const std::string& name) const;
    std::string required(const std::string& name) const;

  private:
    std::multimap<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positionals;
};

// True when `--help` or `-h` appears anywhere in a sub-command's arguments, so help works
// even next to otherwise invalid options.
bool wantsHelp(const std::vector<std::string>& args);

// Parses a double with the C locale (never the system locale); accepts 1e21, 5.76E+23.
std::optional<double> parseNumber(const std::string& text);

}  // namespace scalelens::cli
