// Untrusted input (issue 14): each case is the smallest input that showed a crash, a write into
// the wrong run, quadratic time or a junk import. All must give a clear error or a correct import.
#include <ctime>
#include <fstream>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;

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
    CHECK(commas < 5.0);
    CHECK(r.error == "in.csv: the file has no data (only blank lines or empty cells)");
    std::string header, row;
    for (int c = 0; c < 200'000; ++c) {
        header += c ? ",loss" : "loss";
        row += c ? ",1" : "1";
    }
    const double dup = cpuSecondsFor([&] { r = parseText(header + "\n" + row + "\n"); });
    CHECK(dup < 5.0);
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
