// Untrusted input (issue 14): each case is the smallest input that showed a crash, a write into
// the wrong run, quadratic time or a junk import. All must give a clear error or a correct import.
#if defined(__unix__) || defined(__APPLE__)
// fork/pipe: the tests that need a second process or another user are POSIX-only.
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <ctime>
#include <filesystem>
#include <fstream>

#include "build_speed.h"
#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using namespace std::string_literals;

namespace {
data::ImportResult parseText(const std::string& text, const std::string& name = "in.csv",
                             const data::ImportConfig& base = {}) {
    std::istringstream in(text);
    data::ImportConfig config = base;
    config.sourceName = name;
    return data::parseImport(in, config);
}

std::string writeFile(const test::TempDir& tmp, const std::string& name, const std::string& text) {
    const std::string path = tmp.path(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// The limits below guard against quadratic time (minutes), not against a sanitizer's constant
// factor: they are scaled by test::kSlowdown.
constexpr double kSlowdown = scalelens::test::kSlowdown;

// Process CPU seconds (not wall time: the test machine is shared).
double cpuSecondsFor(const std::function<void()>& f) {
    const std::clock_t start = std::clock();
    f();
    return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}
}  // namespace

TEST_CASE("a tidy long file without a run column is an error, not a write into run -1",
          "[import][hardening]") {
    const std::string text = "step,metric,value\n1,loss,3.5\n";
    const std::string message =
        "in.csv: a long file with 'metric' and 'value' columns needs a run column, and no "
        "column is recognised as the run (columns: step, metric, value; name it with --map "
        "run=COLUMN)";
    const auto r = parseText(text);
    CHECK_FALSE(r.ok);
    CHECK(r.error == message);

    // Into a project: this indexed m_runIds[-1] (SIGSEGV when empty, an unrelated run otherwise).
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    REQUIRE(p->importFile(test::fixture("summary_derived.csv"), {}, nullptr, &error));
    const auto fingerprint = p->dataFingerprint();
    CHECK_FALSE(p->importFile(writeFile(tmp, "in.csv", text), {}, nullptr, &error));
    CHECK(error == message);
    CHECK(p->dataFingerprint() == fingerprint);
    CHECK(p->imports().size() == 1);

    // Mapping the run column away to another key leaves the same file without a run.
    data::ImportConfig config;
    config.columnMap["x"] = "run";
    const auto mapped = parseText("run,step,metric,value\na,1,loss,3.5\n", "in.csv", config);
    CHECK_FALSE(mapped.ok);
    CHECK(mapped.error.find("needs a run column") != std::string::npos);
}

TEST_CASE("a doubled UTF-8 byte order mark is skipped", "[import][hardening]") {
    const auto r = parseText("\xEF\xBB\xBF\xEF\xBB\xBFrun,step,metric,value\na,1,loss,3.5\n");
    REQUIRE(r.ok);
    REQUIRE(r.runs.size() == 1);
    CHECK(r.runs[0].name == "a");
    CHECK(r.metrics.size() == 1);
}

// Real logs (issue 8): a resumed run appends its log, header and all, to the first one.
TEST_CASE("a repeated header line is skipped with a warning, in curves and summaries",
          "[import][hardening]") {
    const auto curves = parseText(
        "run,step,tokens,val_loss\na,1,100,4.5\na,2,200,4.25\nrun,step,tokens,val_loss\n"
        "a,3,300,4.0\n");
    REQUIRE(curves.ok);
    CHECK(curves.runs.size() == 1);
    CHECK(curves.metrics.size() == 3);
    REQUIRE(curves.warnings.size() == 1);
    CHECK(curves.warnings[0].message ==
          "in.csv:4: the header line is repeated here (files appended to one another?): skipped");
    // Within the first rows it is not sampled as data: 'step' stays the step column.
    CHECK(curves.source.mapping.at("step") == "step");
    const auto summary =
        parseText("name,params,loss\na,1e8,3.5\nname,params,loss\nb,2e8,3.25\n", "s.csv");
    REQUIRE(summary.ok);
    CHECK(summary.runs.size() == 2);
    REQUIRE(summary.warnings.size() == 1);
    CHECK(summary.warnings[0].line == 3);
}

// Found by fuzz_import_csv: a trailing comma in a wide file's header made a run named "".
TEST_CASE("a header cell without a name never becomes a run or a metric", "[import][hardening]") {
    data::ImportConfig wide;
    wide.format = data::ImportFormat::Wide;
    const auto r = parseText("step,tokens,runA,runB,\n1,1000,4.5,4.2\n", "in.csv", wide);
    REQUIRE(r.ok);
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[0].name == "runA");
    CHECK(r.runs[1].name == "runB");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message == "in.csv:1:5: column 5 has no name; ignored");
    const auto tidy = parseText("run,step,loss,\na,1,3.5,\n");
    REQUIRE(tidy.ok);
    CHECK(tidy.metricNames == std::vector<std::string>{"loss"});
}

// Found by fuzz_import_csv (UBSan: index into an empty header): a forced TensorBoard layout on
// a file with no columns.
TEST_CASE("a forced layout on a file without its columns is an error", "[import][hardening]") {
    data::ImportConfig tensorboard;
    tensorboard.format = data::ImportFormat::TensorBoard;
    tensorboard.delimiter = '\t';
    tensorboard.decimal = ',';
    const auto r = parseText(" ", "in.csv", tensorboard);
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.error.empty());
}

TEST_CASE("a 50,000-character numeric cell does not overflow the stack", "[import][hardening]") {
    // Decimal-comma detection used std::regex, which recursed once per character.
    const auto r = parseText("run;loss\na;" + std::string(50000, '1') + "\n");
    REQUIRE(r.ok);
    CHECK(r.source.decimal == '.');
    REQUIRE(r.runs.size() == 1);
    CHECK(r.metrics.size() == 0);  // out of range: a warning, treated as missing
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message.find("is not a finite number") != std::string::npos);
    const auto comma = parseText("run;loss\na;" + std::string(50000, '1') + ",5\n");
    CHECK(comma.source.decimal == ',');
    // The scan still recognises ordinary decimal commas (with an exponent and spaces).
    const auto small = parseText("run;loss\na; -3,25e-1 \n");
    REQUIRE(small.ok);
    CHECK(small.source.decimal == ',');
    REQUIRE(small.metrics.size() == 1);
    CHECK(small.metrics.value[0] == Approx(-0.325).epsilon(1e-15));
    CHECK(parseText("run;loss\na;3,\n").source.decimal == '.');
    CHECK(parseText("run;loss\na;3,5e\n").source.decimal == '.');
}

TEST_CASE("a last record without newline that fills the read buffer is read safely",
          "[import][hardening]") {
    // 1 MiB (the reader's buffer) of letters and no newline: the buffer grew while the record
    // was still read through the old pointer (heap use-after-free).
    const auto r = parseText(std::string(1 << 20, 'a'));
    CHECK_FALSE(r.ok);
    CHECK(r.error == "in.csv: the file has a header line but no data rows");
}

TEST_CASE("a 1 MB line of commas and 200k duplicate headers take linear time",
          "[import][hardening]") {
    // Both took minutes (quadratic column-role lookup); linear they take well under a second.
    data::ImportResult r;
    const double commas = cpuSecondsFor([&] { r = parseText(std::string(1'000'000, ',') + "\n"); });
    CHECK(commas < 5.0 * kSlowdown);
    CHECK(r.error == "in.csv: the file has no data (only blank lines or empty cells)");
    std::string header, row;
    for (int c = 0; c < 200'000; ++c) {
        header += c ? ",loss" : "loss";
        row += c ? ",1" : "1";
    }
    const double dup = cpuSecondsFor([&] { r = parseText(header + "\n" + row + "\n"); });
    CHECK(dup < 5.0 * kSlowdown);
    REQUIRE(r.ok);
    // One warning per duplicate for the first five, then one summary line.
    REQUIRE(r.warnings.size() == 6);
    CHECK(r.warnings[0].message ==
          "in.csv:1:2: duplicate column name 'loss', using 'loss (2)' "
          "for this one");
    CHECK(r.warnings[5].message ==
          "in.csv:1: 199994 more duplicate column names, renamed the same way");
    CHECK(r.metricNames.size() == 200'000);
}

TEST_CASE("files without data rows are errors", "[import][hardening]") {
    CHECK(parseText("run,step,loss\n").error ==
          "in.csv: the file has a header line but no data rows");
    CHECK(parseText("run,params,loss\n").error ==
          "in.csv: the file has a header line but no data rows");
    CHECK(parseText(",,\n,\n").error ==
          "in.csv: the file has no data (only blank lines or empty cells)");
    CHECK(parseText("\n \n\t\n").error ==
          "in.csv: the file has no data (only blank lines or empty cells)");
}

// ---- encodings and junk -------------------------------------------------------------------

namespace {
std::string utf16(const std::string& ascii, bool bigEndian) {
    std::string out = bigEndian ? "\xFE\xFF" : "\xFF\xFE";
    for (char c : ascii) {
        if (bigEndian)
            out.push_back('\0');
        out.push_back(c);
        if (!bigEndian)
            out.push_back('\0');
    }
    return out;
}
}  // namespace

TEST_CASE("UTF-16 with a byte order mark is converted, without one it is refused",
          "[import][hardening][encoding]") {
    const std::string text = "run,params,loss\na,1e8,3.5\n";
    for (const bool be : {false, true}) {
        const auto r = parseText(utf16(text, be));
        INFO(r.error);
        REQUIRE(r.ok);
        REQUIRE(r.runs.size() == 1);
        CHECK(r.runs[0].name == "a");
        CHECK(*r.runs[0].totalParams == 1e8);
        REQUIRE(r.metrics.size() == 1);
        CHECK(r.metrics.value[0] == 3.5);
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].message ==
              std::string("in.csv: converted from UTF-16 ") + (be ? "BE" : "LE"));
    }
    // A non-ASCII name (U+00E9) survives the conversion as UTF-8.
    const auto e = parseText("\xFF\xFEr\0u\0n\0,\0l\0o\0s\0s\0\n\0\xE9\0,\0003\0\n\0"s);
    REQUIRE(e.ok);
    CHECK(e.runs[0].name == "\xC3\xA9");
    const std::string noBom = utf16(text, false).substr(2);
    CHECK(parseText(noBom).error ==
          "in.csv: the file contains NUL bytes: it is binary, or UTF-16 without a byte order "
          "mark (save it as UTF-8)");
    CHECK(parseText("\xFF\xFEr\0u\0n"s).error.find("odd number of bytes") != std::string::npos);
}

TEST_CASE("UTF-8 with and without a byte order mark read the same",
          "[import][hardening][encoding]") {
    const auto plain = parseText("run,loss\na,3.5\n");
    const auto bom = parseText("\xEF\xBB\xBFrun,loss\na,3.5\n");
    REQUIRE(plain.ok);
    REQUIRE(bom.ok);
    CHECK(bom.runs[0].name == plain.runs[0].name);
    CHECK(bom.metricNames == plain.metricNames);
}

TEST_CASE("binary junk, other 8-bit encodings and JSON are refused",
          "[import][hardening][encoding]") {
    CHECK(parseText(std::string("\x01\x02\0\xFF", 4)).error.find("contains NUL bytes") !=
          std::string::npos);
    CHECK(parseText("run,loss\n\xE9t\xE9,3\n").error ==
          "in.csv: the file is not UTF-8 text (byte 0xE9 at offset 9); save it as UTF-8 or "
          "UTF-16 with a byte order mark");
    const std::string json =
        "in.csv: the file looks like JSON; ScaleLens imports CSV tables (for W&B, export the run "
        "history or chart as CSV)";
    CHECK(parseText("{\"_step\": 1, \"loss\": 3.5").error == json);
    CHECK(parseText("  [{\"_step\": 1}]\n").error == json);
}

TEST_CASE("CR-only line endings are read as line breaks", "[import][hardening][encoding]") {
    const auto r = parseText("run,params,loss\ra,1e8,3.5\rb,2e8,3.1\r");
    INFO(r.error);
    REQUIRE(r.ok);
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[1].name == "b");
    CHECK(r.metrics.value == std::vector<double>{3.5, 3.1});
}

TEST_CASE("only finite numbers are stored: scaled overflow and C = 6ND", "[import][hardening]") {
    const auto scaled = parseText("run,params_b,loss\na,1e300,3\n");
    REQUIRE(scaled.ok);
    CHECK_FALSE(scaled.runs[0].totalParams);
    REQUIRE(scaled.warnings.size() == 1);
    CHECK(scaled.warnings[0].message ==
          "in.csv:2:2: '1e300' in column 'params_b' overflows when scaled; treated as missing");
    const auto derived = parseText("run,params,tokens,loss\na,1e200,1e200,3\n");
    REQUIRE(derived.ok);
    CHECK_FALSE(derived.runs[0].flops);  // 6e400 is not a double: not derived, not Inf
    CHECK_FALSE(derived.runs[0].isDerived(data::RunField::Flops));
    const auto normal = parseText("run,params,tokens,loss\na,1e8,2e9,3\n");
    CHECK(*normal.runs[0].flops == Approx(1.2e18).epsilon(1e-15));
}

// ---- MLflow folders --------------------------------------------------------------------------

namespace {
// mlruns/1/r1 with a loss curve, a learning_rate param and a run name tag.
std::string mlrunsIn(const test::TempDir& tmp) {
    namespace fs = std::filesystem;
    const fs::path run = fs::path(tmp.path("mlruns")) / "1" / "r1";
    fs::create_directories(run / "metrics");
    fs::create_directories(run / "params");
    fs::create_directories(run / "tags");
    std::ofstream(run / "metrics" / "loss") << "1000 3.5 1\n2000 3.0 2\n";
    std::ofstream(run / "params" / "learning_rate") << "0.001";
    std::ofstream(run / "tags" / "mlflow.runName") << "tiny";
    return tmp.path("mlruns");
}
}  // namespace

TEST_CASE("MLflow: links out of the folder are not followed", "[import][hardening][mlflow]") {
    namespace fs = std::filesystem;
    test::TempDir tmp;
    const std::string root = mlrunsIn(tmp);
    std::ofstream(tmp.path("secret.txt")) << "root:x:0:0";
    const fs::path tag = fs::path(root) / "1" / "r1" / "tags" / "mlflow.runName";
    fs::remove(tag);
    fs::create_symlink(tmp.path("secret.txt"), tag);
    fs::create_symlink(tmp.path("secret.txt"), fs::path(root) / "1" / "r1" / "metrics" / "leak");
    const auto r = data::parseImport(root, {});
    INFO(r.error);
    REQUIRE(r.ok);
    REQUIRE(r.runs.size() == 1);
    CHECK(r.runs[0].name == "r1");  // the folder name, not the linked file's text
    CHECK(r.metricNames == std::vector<std::string>{"loss"});
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].message.find("is a link out of the imported folder; ignored") !=
          std::string::npos);
    // A link that stays inside the folder is followed.
    fs::remove(tag);
    std::ofstream(fs::path(root) / "1" / "name.txt") << "inside";
    fs::create_symlink(fs::path(root) / "1" / "name.txt", tag);
    CHECK(data::parseImport(root, {}).runs[0].name == "inside");
}

TEST_CASE("MLflow: inf steps and timestamps are dropped with a warning",
          "[import][hardening][mlflow]") {
    test::TempDir tmp;
    const std::string root = mlrunsIn(tmp);
    std::ofstream(root + "/1/r1/metrics/loss") << "1000 3.5 1\n2000 3.0 inf\ninf 2.5 3\n";
    const auto r = data::parseImport(root, {});
    REQUIRE(r.ok);
    CHECK(r.metrics.value == std::vector<double>{3.5});
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].message ==
          "mlruns/1/r1/metrics/loss:2:3: 'inf' is not a finite step; row dropped");
    CHECK(r.warnings[1].message ==
          "mlruns/1/r1/metrics/loss:3:1: 'inf' is not a finite timestamp; row dropped");
}

TEST_CASE("MLflow: a renamed run or a changed parameter is not 'already imported'",
          "[import][hardening][mlflow][duplicate]") {
    test::TempDir tmp;
    const std::string root = mlrunsIn(tmp);
    auto p = test::newProject(tmp);
    std::string error;
    data::ImportReport first, same, renamed, changed;
    REQUIRE(p->importFile(root, {}, &first, &error));
    REQUIRE(p->importFile(root, {}, &same, &error));
    CHECK(same.duplicateOfImport == first.importId);
    std::ofstream(root + "/1/r1/tags/mlflow.runName") << "tiny-v2";
    REQUIRE(p->importFile(root, {}, &renamed, &error));
    CHECK(renamed.duplicateOfImport == 0);
    CHECK(renamed.runsAdded == 1);
    std::ofstream(root + "/1/r1/params/learning_rate") << "0.002";
    // A changed given value is a conflict (issue 8): replace it explicitly here.
    data::ImportConfig replace;
    replace.onConflict = data::OnConflict::Replace;
    REQUIRE(p->importFile(root, replace, &changed, &error));
    CHECK(changed.duplicateOfImport == 0);
    CHECK(*p->runByName("1", "tiny-v2")->peakLr == 0.002);
}

#if defined(__unix__) || defined(__APPLE__)
TEST_CASE("MLflow: an unreadable subfolder is a clear error", "[import][hardening][mlflow]") {
    namespace fs = std::filesystem;
    test::TempDir tmp;
    const std::string root = mlrunsIn(tmp);
    fs::create_directories(root + "/2/r2/metrics");
    fs::permissions(tmp.path(""),
                    fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(root + "/2", fs::perms::none);
    const std::string expected =
        "mlruns: cannot read the folder '" + root + "/2': Permission denied";
    std::string error;
    if (geteuid() != 0) {
        error = data::parseImport(root, {}).error;
    } else {
        // Root reads every folder: check as an unprivileged user in a child process.
        int out[2];
        REQUIRE(pipe(out) == 0);
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(1);
            const std::string e = data::parseImport(root, {}).error;
            (void)!write(out[1], e.data(), e.size());
            _exit(0);
        }
        close(out[1]);
        char buf[512];
        ssize_t n;
        while ((n = read(out[0], buf, sizeof buf)) > 0)
            error.append(buf, static_cast<std::size_t>(n));
        int status = 0;
        waitpid(child, &status, 0);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 0);
    }
    fs::permissions(root + "/2", fs::perms::owner_all);
    CHECK(error == expected);
}
#endif
