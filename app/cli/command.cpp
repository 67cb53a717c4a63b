#include "command.h"

#include <fast_float/fast_float.h>
#include <charconv>
#include <cmath>

namespace scalelens::cli {

namespace {
std::map<std::string, CommandInfo>& registry() {
    static std::map<std::string, CommandInfo> commands;
    return commands;
}
}  // namespace

bool CommandRegistry::add(CommandInfo info) {
    const std::string key = info.name;
    registry().emplace(key, std::move(info));
    return true;
}

const std::map<std::string, CommandInfo>& CommandRegistry::all() {
    return registry();
}

const CommandInfo* CommandRegistry::find(const std::string& name) {
    const auto it = registry().find(name);
    return it == registry().end() ? nullptr : &it->second;
}

namespace {
std::map<std::string, CommandInfo>& fitLaws() {
    static std::map<std::string, CommandInfo> laws;
    return laws;
}
}  // namespace

bool FitLawRegistry::add(CommandInfo info) {
    const std::string key = info.name;
    fitLaws().emplace(key, std::move(info));
    return true;
}

const std::map<std::string, CommandInfo>& FitLawRegistry::all() {
    return fitLaws();
}

const CommandInfo* FitLawRegistry::find(const std::string& name) {
    const auto it = fitLaws().find(name);
    return it == fitLaws().end() ? nullptr : &it->second;
}

ArgParser::ArgParser(const std::vector<std::string>& args, std::set<std::string> valueOptions,
                     std::set<std::string> flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            m_positionals.insert(m_positionals.end(), args.begin() + i + 1, args.end());
            break;
        }
        if (arg == "-h" && flags.count("help")) {  // the usual short form of --help
            m_flags.insert("help");
            continue;
        }
        if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
            m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name)) {
            if (inlineValue)
                throw UsageError{"option --" + name + " takes no value"};
            m_flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (inlineValue) {
                m_values.emplace(name, *inlineValue);
            } else {
                if (i + 1 >= args.size())
                    throw UsageError{"option --" + name + " needs a value"};
                m_values.emplace(name, args[++i]);
            }
        } else {
            throw UsageError{"unknown option --" + name};
        }
    }
}

std::optional<std::string> ArgParser::value(const std::string& name) const {
    // The last occurrence wins, as in most command-line tools.
    const auto range = m_values.equal_range(name);
    if (range.first == range.second)
        return std::nullopt;
    auto last = range.first;
    for (auto it = range.first; it != range.second; ++it)
        last = it;
    return last->second;
}

std::vector<std::string> ArgParser::values(const std::string& name) const {
    std::vector<std::string> out;
    const auto range = m_values.equal_range(name);
    for (auto it = range.first; it != range.second; ++it)
        out.push_back(it->second);
    return out;
}

std::optional<double> ArgParser::number(const std::string& name) const {
    const auto text = value(name);
    if (!text)
        return std::nullopt;
    const auto parsed = parseNumber(*text);
    if (!parsed)
        throw UsageError{"option --" + name + ": '" + *text + "' is not a finite number"};
    return parsed;
}

std::optional<long long> ArgParser::integer(const std::string& name) const {
    const auto text = value(name);
    if (!text)
        return std::nullopt;
    long long v = 0;
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, v);
    if (ec != std::errc() || ptr != end)
        throw UsageError{"option --" + name + ": '" + *text + "' is not a whole number"};
    return v;
}

std::string ArgParser::required(const std::string& name) const {
    const auto v = value(name);
    if (!v)
        throw UsageError{"option --" + name + " is required"};
    return *v;
}

bool wantsHelp(const std::vector<std::string>& args) {
    for (const auto& a : args)
        if (a == "--help" || a == "-h")
            return true;
    return false;
}

std::optional<double> parseNumber(const std::string& text) {
    // from_chars is locale-independent, unlike strtod/stod (fast_float's: libc++ on macOS lacks
    // the double overload).
    double v = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin != end && *begin == '+')
        ++begin;
    const auto [ptr, ec] = fast_float::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end || !std::isfinite(v))
        return std::nullopt;
    return v;
}

}  // namespace scalelens::cli
