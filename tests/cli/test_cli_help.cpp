// The command-line contract, table-driven: the commands and fit laws that exist, the options
// each one declares (its help lists exactly those), that no command accepts an option it does
// not declare, and the exit codes (0 ok, 2 bad arguments naming the option, 3 bad input).
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <algorithm>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "build_speed.h"
#include "cli_runner.h"
#include "scalelens_catch.h"

using scalelens::test::CliRun;
using scalelens::test::runCli;

namespace {

using Options = std::set<QString>;

const Options kTable = {"--input", "--project", "--group", "--map", "--format"};
const Options kEngine = {"--loss", "--delta", "--bootstrap"};

Options operator+(Options a, const Options& b) {
    a.insert(b.begin(), b.end());
    return a;
}

// Every command (a fit law as "fit --law NAME") with the options it declares. Adding a
// command or an option means adding it here: the tests below compare this table with the
// help text and with what the program accepts.
const std::vector<std::pair<QStringList, Options>>& commands() {
    static const std::vector<std::pair<QStringList, Options>> table = {
        {{"runs"}, {"--project", "--json"}},
        {{"check"}, {"--project", "--json"}},
        {{"example"}, {"--project", "--json"}},
        {{"import"},
         {"--project", "--format", "--map", "--group", "--run", "--metric", "--on-conflict",
          "--json"}},
        {{"allocate"},
         Options{"--compute", "--preset", "--params", "--loss-metric", "--drop-highest-loss",
                 "--include-forecasts", "--all-groups", "--seed", "--threads", "--allow-unreliable",
                 "--json"} +
             kTable + kEngine},
        {{"density"},
         {"--score", "--n", "--densing", "--d0", "--curve", "--reference", "--curve-kind",
          "--floor", "--ceiling", "--json"}},
        {{"knowledge"},
         {"--params", "--exposures", "--precision", "--architecture", "--moe", "--junk",
          "--domain-tokens", "--bits-per-fact", "--people", "--p1", "--p2", "--json"}},
        {{"optimal-hparams"},
         {"--n", "--d", "--seq-len", "--loss", "--flops-per-token", "--n-layer", "--d-model",
          "--preset", "--all", "--json"}},
        {{"plot"},
         {"--list-views", "--project", "--view", "--out", "--fit", "--dpi", "--width", "--height",
          "--x", "--x-axis", "--metric", "--smoothing", "--color-by", "--runs", "--format",
          "--json"}},
        {{"fit"}, {"--law"}},
        {{"fit", "--law", "chinchilla"},
         Options{"--law", "--loss-metric", "--drop-highest-loss", "--include-forecasts",
                 "--all-groups", "--seed", "--threads", "--budget", "--backtest-cutoff",
                 "--allow-unreliable", "--json"} +
             kTable + kEngine},
        {{"fit", "--law", "kaplan"},
         Options{"--law", "--loss-metric", "--drop-highest-loss", "--include-forecasts",
                 "--all-groups", "--seed", "--threads", "--allow-unreliable", "--json"} +
             kTable + kEngine},
        {{"fit", "--law", "isoflop"},
         Options{"--law", "--loss-metric", "--drop-highest-loss", "--include-forecasts",
                 "--all-groups", "--budget-tolerance", "--bin-per-decade", "--approach",
                 "--allow-unreliable", "--json"} +
             kTable},
        {{"fit", "--law", "lr-bs"},
         Options{"--law", "--loss-metric", "--batch-unit", "--seq-len", "--tolerance", "--argmin",
                 "--bootstrap", "--seed", "--quadratic-window", "--nd-tolerance",
                 "--allow-unreliable", "--json"} +
             kTable},
        {{"fit", "--law", "knowledge"},
         Options{"--law", "--bootstrap", "--allow-unreliable", "--json"} + kTable},
        {{"fit", "--law", "average-param"},
         Options{"--law", "--loss-metric", "--params-metric", "--allow-unreliable", "--json"} +
             kTable + kEngine},
        {{"fit", "--law", "mpl"},
         {"--law", "--input", "--optimizer", "--bootstrap", "--seed", "--threads",
          "--allow-unreliable", "--json"}},
        {{"fit", "--law", "lr-annealing"},
         {"--law", "--input", "--bootstrap", "--seed", "--threads", "--allow-unreliable",
          "--json"}},
        {{"forecast"},
         {"--input",      "--sibling",   "--project",  "--run",         "--group",
          "--metric",     "--lr-metric", "--siblings", "--what-if",     "--search-wsd-cooldown",
          "--hide-after", "--store",     "--law",      "--total-steps", "--schedule",
          "--peak-lr",    "--final-lr",  "--warmup",   "--decay-start", "--optimizer",
          "--bootstrap",  "--seed",      "--threads",  "--json"}},
        {{"schedule"},
         {"--project", "--run", "--group", "--set", "--infer", "--lr-metric", "--confirm",
          "--clear", "--json"}},
        {{"fit", "--law", "densing"},
         Options{"--law", "--benchmark", "--reference", "--two-step", "--curve-kind", "--floor",
                 "--ceiling", "--loss-metric", "--params", "--exclude", "--all-points",
                 "--bootstrap", "--allow-unreliable", "--json"} +
             kTable},
    };
    return table;
}

// The long option names a help text lists (one per line, at the start of the line).
Options optionsInHelp(const QByteArray& help) {
    Options out;
    static const QRegularExpression line(QStringLiteral("^\\s+(-[-\\w,]+)"),
                                         QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(QString::fromUtf8(help)); it.hasNext();)
        for (const QString& name : it.next().captured(1).split(u','))
            if (name.startsWith(QStringLiteral("--")) && name != QStringLiteral("--help"))
                out.insert(name);
    return out;
}

// The names listed under a heading line (`Subcommands:`) or after "Laws:", up to a blank line.
Options namesAfter(const QByteArray& help, const QString& heading) {
    Options out;
    const QStringList lines = QString::fromUtf8(help).split(u'\n');
    bool inside = false;
    for (const QString& l : lines) {
        if (l.trimmed().endsWith(heading)) {
            inside = true;
            continue;
        }
        if (!inside)
            continue;
        if (!l.startsWith(QStringLiteral("  ")))
            break;
        out.insert(l.trimmed().section(u' ', 0, 0));
    }
    return out;
}

std::string describe(const QStringList& command) {
    return command.join(u' ').toStdString();
}

// Comparable and printable by Catch.
std::set<std::string> names(const Options& options) {
    std::set<std::string> out;
    for (const QString& o : options)
        out.insert(o.toStdString());
    return out;
}

}  // namespace

TEST_CASE("the commands and fit laws are those of the table", "[cli][help]") {
    Options expectedCommands, expectedLaws;
    for (const auto& [command, options] : commands()) {
        expectedCommands.insert(command.front());
        if (command.size() == 3)
            expectedLaws.insert(command.back());
    }
    const auto top = runCli({"--help"});
    CHECK(top.exitCode == 0);
    CHECK(names(namesAfter(top.out, QStringLiteral("Subcommands:"))) == names(expectedCommands));
    const auto fit = runCli({"fit", "--help"});
    CHECK(fit.exitCode == 0);
    CHECK(names(namesAfter(fit.out, QStringLiteral("Laws:"))) == names(expectedLaws));
}

TEST_CASE("every command's help lists exactly its declared options", "[cli][help]") {
    for (const auto& [command, options] : commands()) {
        for (const char* flag : {"--help", "-h"}) {
            INFO(describe(command) << " " << flag);
            const auto r = runCli(command + QStringList{QString::fromLatin1(flag)});
            CHECK(r.exitCode == 0);
            CHECK(r.err.isEmpty());
            CHECK(r.out.contains("Usage: scalelens-cli " + command.front().toUtf8()));
            CHECK(names(optionsInHelp(r.out)) == names(options));
        }
    }
}

// Runs the CLI once per argument list, `parallel` processes at a time (hundreds of runs).
std::vector<CliRun> runMany(const std::vector<QStringList>& argLists, std::size_t parallel = 8) {
    std::vector<CliRun> out(argLists.size());
    for (std::size_t first = 0; first < argLists.size(); first += parallel) {
        const std::size_t last = std::min(argLists.size(), first + parallel);
        std::vector<std::unique_ptr<QProcess>> procs;
        for (std::size_t i = first; i < last; ++i) {
            procs.push_back(std::make_unique<QProcess>());
            procs.back()->start(QStringLiteral(SCALELENS_BIN_DIR "/scalelens-cli"), argLists[i]);
        }
        for (std::size_t i = first; i < last; ++i) {
            QProcess& p = *procs[i - first];
            if (!p.waitForFinished(scalelens::test::processTimeoutMs(120000)))
                continue;  // exitCode stays -1
            out[i] = {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        }
    }
    return out;
}

TEST_CASE("no command accepts an option it does not declare", "[cli][help]") {
    Options all;
    for (const auto& [command, options] : commands())
        all = all + options;
    all.insert(QStringLiteral("--no-such-option"));
    std::vector<QStringList> runs;
    std::vector<std::pair<std::string, QString>> what;
    for (const auto& [command, options] : commands()) {
        if (command == QStringList{"fit"})
            continue;  // without --law no other option can be judged (see the exit-2 cases)
        for (const QString& option : all) {
            if (options.count(option))
                continue;
            runs.push_back(command + QStringList{option, QStringLiteral("1")});
            what.emplace_back(describe(command), option);
        }
    }
    const std::vector<CliRun> results = runMany(runs);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const auto& [command, option] = what[i];
        const CliRun& r = results[i];
        INFO(command << " " << option.toStdString() << ": " << r.err.toStdString());
        CHECK(r.exitCode == 2);
        CHECK(r.err.contains(option.toUtf8() + " does not apply here"));
        CHECK(r.out.isEmpty());
    }
}

TEST_CASE("exit 0: valid arguments", "[cli][exit]") {
    const auto r = runCli({"allocate", "--compute", "1e21", "--preset", "hoffmann2022", "--json"});
    CHECK(r.exitCode == 0);
    CHECK(r.err.isEmpty());
    CHECK(runCli({"--version"}).exitCode == 0);
}

TEST_CASE("exit 2: options that do not apply to the chosen source, law or mode", "[cli][exit]") {
    // The example of the review: --law and --format belong to no part of allocate, and
    // --group applies only when allocate fits runs (--input/--project).
    auto r = runCli({"allocate", "--compute", "1e21", "--preset", "hoffmann2022", "--law", "banana",
                     "--group", "x", "--format", "y"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--law does not apply"));
    CHECK(r.out.isEmpty());
    r = runCli({"allocate", "--compute", "1e21", "--preset", "hoffmann2022", "--group", "x"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--group applies only with --input or --project"));
    r = runCli({"fit", "--law", "isoflop", "--input", "x.csv", "--bootstrap", "100"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--bootstrap does not apply"));
    r = runCli({"density", "--score", "50", "--curve", "log-linear:10,5", "--d0", "1e12"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--d0 requires --densing"));
    r = runCli({"fit", "--law", "densing", "--input", "x.csv", "--benchmark", "mmlu", "--two-step",
                "--curve-kind", "logistic"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--curve-kind"));
    r = runCli({"knowledge", "--params", "1e9", "--p1", "1"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--p1 requires --people"));
    r = runCli({"runs", "--project", "p.scalelens", "stray"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("unexpected argument 'stray'"));
    r = runCli({"no-such-command"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("unknown command 'no-such-command'"));
}

TEST_CASE("exit 2: an invalid or missing value names its option, in every command", "[cli][exit]") {
    struct Case {
        QStringList args;
        const char* message;
    };
    const Case cases[] = {
        {{"runs", "--project"}, "--project"},
        {{"runs"}, "--project is required"},
        {{"example"}, "--project is required"},
        {{"import", "log.csv"}, "--project is required"},
        {{"allocate", "--compute", "-1e21", "--preset", "hoffmann2022"}, "--compute: must be > 0"},
        {{"allocate", "--compute", "1e21", "--input", "x.csv", "--threads", "two"},
         "--threads: 'two' is not a whole number"},
        {{"density", "--score", "fifty", "--curve", "log-linear:10,5"},
         "--score: 'fifty' is not a finite number"},
        {{"density", "--score", "50", "--n", "0", "--curve", "log-linear:10,5"},
         "--n: must be > 0"},
        {{"knowledge", "--params", "1e9", "--bits-per-fact", "0"}, "--bits-per-fact: must be > 0"},
        {{"knowledge", "--params", "-1"}, "--params: must be > 0"},
        {{"knowledge", "--people", "1e9"}, "--people: must be between 1 and the name pool"},
        {{"knowledge", "--people", "0.5"}, "--people: must be between 1"},
        {{"knowledge", "--people", "1000", "--p1", "100", "--p2", "100"}, "negative knowledge"},
        {{"knowledge", "--people", "1000", "--p1", "-1", "--p2", "1"}, "--p1: must be >= 0"},
        {{"optimal-hparams", "--n", "0", "--d", "1e12"}, "--n: must be > 0"},
        {{"optimal-hparams", "--n", "7e9", "--d", "1e12", "--seq-len", "0"},
         "--seq-len: must be > 0"},
        {{"plot", "--project", "p.scalelens", "--view", "isoflop", "--out", "x.pdf", "--width",
          "-5"},
         "--width: must be > 0"},
        {{"fit", "--law", "chinchilla", "--input", "x.csv", "--drop-highest-loss", "-1"},
         "--drop-highest-loss: must be >= 0"},
        {{"fit", "--law", "chinchilla", "--input", "x.csv", "--budget", "abc"},
         "--budget: 'abc' is not a finite number"},
        {{"fit", "--law", "isoflop", "--input", "x.csv", "--bin-per-decade", "0"},
         "--bin-per-decade: must be > 0"},
        {{"fit", "--law", "lr-bs", "--input", "x.csv", "--batch-unit", "rows"}, "--batch-unit"},
        {{"fit", "--law", "knowledge", "--input", "x.csv", "--bootstrap", "-3"},
         "--bootstrap: must be >= 0"},
        {{"fit", "--law", "average-param", "--input", "x.csv", "--delta", "0"},
         "--delta: must be > 0"},
        {{"fit", "--law", "densing", "--input", "x.csv", "--benchmark", "mmlu", "--reference", "x",
          "--curve-kind", "cubic"},
         "--curve-kind"},
        {{"fit", "--law", "densing", "--input", "x.csv", "--benchmark", "mmlu", "--two-step",
          "--params", "all"},
         "--params"},
        {{"fit", "--law", "mpl", "--input", "x.csv", "--optimizer", "bfgs"}, "--optimizer"},
        {{"fit", "--law", "lr-annealing", "--input", "x.csv", "--bootstrap", "-1"},
         "--bootstrap: must be >= 0"},
        {{"fit", "--law", "mpl"}, "--input is required"},
        {{"forecast", "--input", "x.csv"}, "--total-steps is required"},
        {{"forecast", "--input", "x.csv", "--total-steps", "100", "--schedule", "step"},
         "--schedule"},
        {{"forecast", "--input", "x.csv", "--total-steps", "100", "--peak-lr", "1e-3"},
         "require --schedule"},
        {{"fit", "--law", "nope"}, "unknown law 'nope'"},
        {{"fit"}, "--law is required"},
    };
    for (const auto& c : cases) {
        INFO(describe(c.args));
        const auto r = runCli(c.args);
        INFO(r.err.toStdString());
        CHECK(r.exitCode == 2);
        CHECK(r.err.contains(c.message));
        CHECK(r.out.isEmpty());
    }
}

TEST_CASE("exit 3: bad input data", "[cli][exit]") {
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing.scalelens"));
    for (const QStringList& args :
         {QStringList{"runs", "--project", missing},
          QStringList{"fit", "--law", "chinchilla", "--project", missing},
          QStringList{"allocate", "--compute", "1e21", "--project", missing},
          QStringList{"import", dir.filePath(QStringLiteral("missing.csv")), "--project",
                      dir.filePath(QStringLiteral("new.scalelens"))}}) {
        INFO(describe(args));
        const auto r = runCli(args);
        CHECK(r.exitCode == 3);
        CHECK(!r.err.isEmpty());
    }
}
