// Bad input: the message names file, line and column, and the project is unchanged.
#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;

namespace {
// Imports `file` into a project that already holds data; checks the failure message and that
// nothing changed (fingerprint, runs, imports).
void expectRejected(const std::string& file, const std::string& message,
                    const data::ImportConfig& config = {}) {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    REQUIRE(p->importFile(test::fixture("summary_derived.csv"), {}, nullptr, &error));
    const auto fingerprint = p->dataFingerprint();
    const auto runs = p->runs().size();
    data::ImportReport report;
    CHECK_FALSE(p->importFile(test::fixture(file), config, &report, &error));
    CHECK(error == message);
    CHECK(p->dataFingerprint() == fingerprint);
    CHECK(p->runs().size() == runs);
    CHECK(p->imports().size() == 1);
    CHECK(p->metricNames() == std::vector<std::string>{"loss"});
    // The pure parser reports the same message.
    const auto parsed = data::parseImport(test::fixture(file), config);
    CHECK_FALSE(parsed.ok);
    CHECK(parsed.error == message);
}
}  // namespace

TEST_CASE("a non-numeric value names file, line and column", "[import][errors]") {
    expectRejected("bad_number.csv",
                   "bad_number.csv:4:6: expected a number in column 'value', got 'abc'");
}

TEST_CASE("a row wider than the header is rejected", "[import][errors]") {
    expectRejected("bad_width.csv", "bad_width.csv:3:5: expected 4 fields as in the header, got 5");
}

TEST_CASE("an unterminated quote is rejected", "[import][errors]") {
    expectRejected("bad_quote.csv",
                   "bad_quote.csv:2: a quoted field starting on this line is not closed before "
                   "the end of the file");
}

TEST_CASE("a missing file and an empty file are rejected", "[import][errors]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    CHECK_FALSE(p->importFile(tmp.path("nope.csv"), {}, nullptr, &error));
    CHECK(error == tmp.path("nope.csv") + ": no such file or folder");
    const std::string empty = tmp.path("empty.csv");
    std::fclose(std::fopen(empty.c_str(), "w"));
    CHECK_FALSE(p->importFile(empty, {}, nullptr, &error));
    CHECK(error == "empty.csv: the file is empty");
    CHECK(p->imports().empty());
}

TEST_CASE("a non-numeric loss column in a summary file is an error", "[import][errors]") {
    std::istringstream in("run,params,loss\na,1e8,3.1\nb,2e8,n/a?\n");
    data::ImportConfig config;
    config.sourceName = "runs.csv";
    const auto r = data::parseImport(in, config);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "runs.csv:3:3: expected a number in column 'loss', got 'n/a?'");
}

TEST_CASE("an empty run name in a long file is an error", "[import][errors]") {
    std::istringstream in("run,step,metric,value\na,1,loss,3\n,2,loss,2.5\n");
    data::ImportConfig config;
    config.sourceName = "runs.csv";
    const auto r = data::parseImport(in, config);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "runs.csv:3:1: expected a run name in column 'run', got an empty cell");
}

TEST_CASE("re-importing the same file adds nothing and is reported", "[import][duplicate]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::ImportReport first, second;
    REQUIRE(p->importFile(test::fixture("long_quirks.csv"), {}, &first, &error));
    const auto fingerprint = p->dataFingerprint();
    REQUIRE(p->importFile(test::fixture("long_quirks.csv"), {}, &second, &error));
    CHECK(second.duplicateOfImport == first.importId);
    CHECK(second.metricRows == 0);
    CHECK(p->dataFingerprint() == fingerprint);
    CHECK(p->runs().size() == 2);
    const auto records = p->imports();
    REQUIRE(records.size() == 1);
    CHECK(records[0].sha256.size() == 64);
    CHECK(records[0].format == "long");
    CHECK(records[0].runCount == 2);
    CHECK(records[0].metricRowCount == 6);  // rows written, including the replaced step 300
    // applyImport of the same parsed file is also a duplicate.
    const auto parsed = data::parseImport(test::fixture("long_quirks.csv"), {});
    data::ImportReport third;
    REQUIRE(p->applyImport(parsed, &third, &error));
    CHECK(third.duplicateOfImport == first.importId);
}
