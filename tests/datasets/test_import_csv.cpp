// CSV importers on committed fixtures with real-world quirks.
#include <cmath>
#include <sstream>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using data::ImportConfig;
using data::ImportFormat;

namespace {
std::size_t countRows(const data::ImportResult& r, const std::string& run,
                      const std::string& metric) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < r.metrics.size(); ++i)
        if (r.runs[static_cast<std::size_t>(r.metrics.run[i])].name == run &&
            r.metricNames[static_cast<std::size_t>(r.metrics.metric[i])] == metric)
            ++n;
    return n;
}
}  // namespace

TEST_CASE("long CSV: BOM, CRLF, quoted delimiters, NaN/inf, empty cells, resumed steps",
          "[import][long]") {
    const auto r = data::parseImport(test::fixture("long_quirks.csv"), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::Long);
    CHECK(r.source.delimiter == ',');
    CHECK(r.source.hasHeader);
    CHECK(r.source.mapping.at("run") == "run");  // the BOM is not part of the first name
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[0].name == "small, v2");
    CHECK(r.runs[1].name == "big");
    // NaN (line 6) and inf (line 9) are missing values with a warning; the empty value is skipped.
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].message ==
          "long_quirks.csv:6:6: 'NaN' in column 'value' is not a finite number; treated as "
          "missing");
    CHECK(r.warnings[1].line == 9);
    CHECK(r.warnings[1].column == 6);
    CHECK(countRows(r, "small, v2", "loss") == 4);  // both step-300 rows parsed
    for (double v : r.metrics.value)
        CHECK(std::isfinite(v));

    // Writing keeps the later of the two step-300 rows (a resumed run) and sorts the steps.
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    REQUIRE(p->applyImport(r, &report, &error));
    CHECK(report.runsAdded == 2);
    const auto run = p->runByName("", "small, v2");
    REQUIRE(run);
    const auto curve = p->metrics(run->id, "loss");
    CHECK(curve.step == std::vector<double>{100, 200, 300});
    CHECK(curve.value == std::vector<double>{4.5, 4.1, 3.8});
    CHECK(curve.tokens == std::vector<double>{1e8, 2e8, 3e8});
    CHECK(curve.flops[2] == 1.8e17);
    const auto big = p->runByName("", "big");
    const auto val = p->metrics(big->id, "val_loss");
    REQUIRE(val.size() == 1);
    CHECK(val.value[0] == 4.05);
    CHECK(std::isnan(p->metrics(big->id, "loss").flops[0]));  // empty cell -> NULL
    CHECK(p->metricNames() == std::vector<std::string>{"loss", "val_loss"});
    const auto finals = p->finalValues("loss");
    REQUIRE(finals.size() == 2);
}

TEST_CASE("summary CSV: semicolons, decimal commas, quoted delimiter and quotes",
          "[import][summary]") {
    const auto r = data::parseImport(test::fixture("summary_semicolon_comma.csv"), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::Summary);
    CHECK(r.source.delimiter == ';');
    CHECK(r.source.decimal == ',');
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[0].name == "Model; big");
    CHECK(*r.runs[0].totalParams == 1.5e9);
    CHECK(*r.runs[0].tokens == 3.0e10);
    CHECK(*r.runs[0].peakLr == 3.0e-4);
    CHECK(r.runs[0].notes == "say \"hi\"");
    // C = 6 N D, derived and marked (Kaplan et al. 2020).
    CHECK(*r.runs[0].flops == Approx(6 * 1.5e9 * 3.0e10).epsilon(1e-12));
    CHECK(r.runs[0].isDerived(data::RunField::Flops));
    CHECK(r.runs[1].name == "small");
    CHECK(*r.runs[1].totalParams == 1.25e8);
    CHECK_FALSE(r.runs[1].peakLr);  // empty cell
    REQUIRE(r.metricNames == std::vector<std::string>{"loss"});
    CHECK(r.metrics.value == std::vector<double>{2.75, 3.125});
    CHECK(std::isnan(r.metrics.step[0]));
}

TEST_CASE("summary CSV: D = C / 6N is derived and marked", "[import][summary]") {
    const auto r = data::parseImport(test::fixture("summary_derived.csv"), {});
    REQUIRE(r.ok);
    REQUIRE(r.runs.size() == 1);
    CHECK(*r.runs[0].tokens == Approx(6e19 / (6 * 1e9)).epsilon(1e-12));  // 1e10
    CHECK(r.runs[0].isDerived(data::RunField::Tokens));
    CHECK_FALSE(r.runs[0].isDerived(data::RunField::Flops));
}

TEST_CASE("duplicate header names: the first keeps its meaning, the rest are renamed",
          "[import][summary]") {
    const auto r = data::parseImport(test::fixture("summary_dup_headers.csv"), {});
    INFO(r.error);
    REQUIRE(r.ok);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message ==
          "summary_dup_headers.csv:1:3: duplicate column name 'N', using 'N (2)' for this one");
    CHECK(*r.runs[0].totalParams == 1e8);
    // The renamed duplicate is an unknown numeric column: a summary metric.
    CHECK(r.metricNames == std::vector<std::string>{"N (2)", "loss"});
}

TEST_CASE("wide CSV with tabs: one column per run, empty cells skipped", "[import][wide]") {
    const auto r = data::parseImport(test::fixture("wide_tab.csv"), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::Wide);
    CHECK(r.source.delimiter == '\t');
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[0].name == "run-a");
    CHECK(r.metricNames == std::vector<std::string>{"loss"});
    CHECK(countRows(r, "run-a", "loss") == 3);
    CHECK(countRows(r, "run-b", "loss") == 2);
}

TEST_CASE("column overrides map unusual names, unknown override columns fail",
          "[import][mapping]") {
    std::istringstream in("experiment_tag,sz,tok,final_xent\nr1,1e8,2e9,3.25\n");
    ImportConfig config;
    config.sourceName = "custom.csv";
    config.format = ImportFormat::Summary;
    config.columnMap = {
        {"run", "experiment_tag"}, {"params", "sz"}, {"D", "TOK"}, {"loss", "final_xent"}};
    const auto r = data::parseImport(in, config);
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.runs[0].name == "r1");
    CHECK(*r.runs[0].totalParams == 1e8);
    CHECK(*r.runs[0].tokens == 2e9);
    CHECK(r.metricNames == std::vector<std::string>{"loss"});

    std::istringstream in2("a,b\n1,2\n");
    config.columnMap = {{"N", "nope"}};
    const auto bad = data::parseImport(in2, config);
    CHECK_FALSE(bad.ok);
    CHECK(bad.error == "custom.csv: --map N=nope: no column named 'nope'");
}

TEST_CASE("unit suffixes scale counts (params_b, train_tokens_t)", "[import][mapping]") {
    std::istringstream in("model,params_b,train_tokens_t,Training FLOP,mmlu\nm,6.7,1.0,,35.1\n");
    ImportConfig config;
    config.evaluationShots = {{"mmlu", 5}};
    const auto r = data::parseImport(in, config);
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(*r.runs[0].totalParams == Approx(6.7e9).epsilon(1e-12));
    CHECK(*r.runs[0].tokens == Approx(1e12).epsilon(1e-12));
    REQUIRE(r.evaluations.size() == 1);
    CHECK(r.evaluations[0].benchmark == "mmlu");
    CHECK(r.evaluations[0].shots == std::optional<int>(5));
    CHECK(r.evaluations[0].score == 35.1);
}

TEST_CASE("numbers parse without the locale, scientific notation included", "[import][numbers]") {
    std::istringstream in("run,step,value,metric\nr,1,5.76E+23,x\nr,2,+1e-3,x\nr,3,  42 ,x\n");
    const auto r = data::parseImport(in, {});
    REQUIRE(r.ok);
    CHECK(r.metrics.value == std::vector<double>{5.76e23, 1e-3, 42.0});
}

TEST_CASE("preview: detected format, delimiter, header, rows and mapping", "[import][preview]") {
    const auto p = data::previewImport(test::fixture("summary_semicolon_comma.csv"), {}, 1);
    REQUIRE(p.ok);
    CHECK(p.format == ImportFormat::Summary);
    CHECK(p.delimiter == ';');
    CHECK(p.decimal == ',');
    CHECK(p.hasHeader);
    CHECK(p.columns == std::vector<std::string>{"model", "N", "tokens", "loss", "lr", "notes"});
    REQUIRE(p.rows.size() == 1);
    CHECK(p.rows[0][0] == "Model; big");
    CHECK(p.suggestedMapping.at("run") == "model");
    CHECK(p.suggestedMapping.at("N") == "N");
    CHECK(p.suggestedMapping.at("lr") == "lr");
}

TEST_CASE("headerless files are detected and columns numbered", "[import][preview]") {
    test::TempDir tmp;
    const std::string path = tmp.path("plain.csv");
    {
        std::FILE* f = std::fopen(path.c_str(), "w");
        std::fputs("1,2.5\n2,2.25\n", f);
        std::fclose(f);
    }
    const auto p = data::previewImport(path);
    REQUIRE(p.ok);
    CHECK_FALSE(p.hasHeader);
    CHECK(p.columns == std::vector<std::string>{"column 1", "column 2"});
    CHECK(p.rows.size() == 2);
}

TEST_CASE("default import settings are valid, bad settings name the field", "[import][config]") {
    std::string error;
    CHECK(ImportConfig{}.isValid(&error));
    ImportConfig c;
    c.delimiter = '|';
    CHECK_FALSE(c.isValid(&error));
    CHECK(error == "delimiter: must be ',', ';' or a tab (or 0 to detect)");
    c = {};
    c.decimal = ',';
    c.delimiter = ',';
    CHECK_FALSE(c.isValid(&error));
    CHECK(error == "decimal: ',' cannot be the decimal separator when ',' is the delimiter");
    c = {};
    c.batchRows = 0;
    CHECK_FALSE(c.isValid(&error));
    CHECK(error == "batchRows: must be at least 1");
    CHECK(data::importFormatFromString("wandb") == ImportFormat::WandB);
    CHECK_FALSE(data::importFormatFromString("excel"));
}

TEST_CASE("progress is reported and cancel stops the import", "[import][progress]") {
    std::ostringstream text;
    text << "run,step,metric,value\n";
    for (int i = 0; i < 200000; ++i)
        text << "r," << i << ",loss," << 3.0 + 1.0 / (i + 1) << "\n";
    test::TempDir tmp;
    const std::string path = tmp.path("big.csv");
    {
        std::FILE* f = std::fopen(path.c_str(), "w");
        std::fputs(text.str().c_str(), f);
        std::fclose(f);
    }
    auto p = test::newProject(tmp);
    std::string error;
    int calls = 0;
    data::ImportReport report;
    const bool ok = p->importFile(path, {}, &report, &error, [&](double) { return ++calls < 2; });
    CHECK_FALSE(ok);
    CHECK(error == "big.csv: import cancelled");
    CHECK(p->runs().empty());
    CHECK(p->imports().empty());
    double last = 0.0;
    REQUIRE(p->importFile(path, {}, &report, &error, [&](double f) {
        last = f;
        return true;
    }));
    CHECK(last == 1.0);
    CHECK(report.metricRows == 200000);
}

TEST_CASE("curves keyed by FLOPs or wall time keep every point", "[import][long]") {
    std::istringstream in(
        "run,flops,metric,value\nr,1e18,loss,3.0\nr,2e18,loss,2.9\nr,4e18,loss,2.8\n");
    const auto r = data::parseImport(in, {});
    REQUIRE(r.ok);
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    REQUIRE(p->applyImport(r, nullptr, &error));
    const auto curve = p->metrics(p->runs()[0].id, "loss");
    CHECK(curve.flops == std::vector<double>{1e18, 2e18, 4e18});
    CHECK(curve.value == std::vector<double>{3.0, 2.9, 2.8});
    CHECK(p->finalValues("loss")[0].value == 2.8);
}

TEST_CASE("a run repeated in a summary file is reported", "[import][summary]") {
    std::istringstream in("run,params,loss\na,1e8,3.0\na,1e8,2.5\n");
    data::ImportConfig config;
    config.sourceName = "s.csv";
    const auto r = data::parseImport(in, config);
    REQUIRE(r.ok);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message ==
          "s.csv:3:1: run 'a' appeared on an earlier line; its fields there are kept, its values "
          "here replace the earlier ones");
    CHECK(r.runs.size() == 1);
}
