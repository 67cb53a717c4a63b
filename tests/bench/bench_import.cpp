// Import throughput: a 1,000,000-row tidy long CSV into a new project (one transaction,
// prepared multi-row statements, WAL + synchronous=NORMAL). Target: >= 1,000,000 rows/s.
//
// The CSV is generated once into $TMPDIR (default /tmp) as scalelens_bench_1m.csv and kept, so
// tests/bench/pandas_import.py can read the very same file (see tests/bench/README.md).
#include <benchmark/benchmark.h>

#include <datasets/project.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace scalelens;

constexpr int kRuns = 100;
constexpr int kStepsPerRun = 10000;  // 100 x 10,000 = 1,000,000 rows

fs::path benchDir() {
    const char* tmp = std::getenv("TMPDIR");
    return fs::path(tmp && *tmp ? tmp : "/tmp");
}

// run, step, tokens, flops, metric, value: 100 runs, a loss curve of 10,000 steps each.
const std::string& csvPath() {
    static const std::string path = [] {
        const fs::path p = benchDir() / "scalelens_bench_1m.csv";
        std::error_code ec;
        if (fs::exists(p, ec) && fs::file_size(p, ec) > 40'000'000)
            return p.string();
        std::ofstream out(p, std::ios::binary);
        out << "run,step,tokens,flops,metric,value\n";
        char line[160];
        for (int r = 0; r < kRuns; ++r) {
            const double n = 1e8 * (1 + r);
            for (int s = 1; s <= kStepsPerRun; ++s) {
                const double tokens = s * 524288.0;
                const int len =
                    std::snprintf(line, sizeof line, "run-%03d,%d,%.0f,%.6g,loss,%.6f\n", r, s,
                                  tokens, 6 * n * tokens, 2.0 + 10.0 / std::pow(s, 0.3));
                out.write(line, len);
            }
        }
        return p.string();
    }();
    return path;
}

void removeProject(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(path + suffix, ec);
}

void BM_ImportLongCsv1M(benchmark::State& state) {
    const std::string csv = csvPath();
    const std::string project = (benchDir() / "scalelens_bench_import.scalelens").string();
    std::int64_t rows = 0;
    for (auto _ : state) {
        state.PauseTiming();
        removeProject(project);
        state.ResumeTiming();
        std::string error;
        auto p = data::Project::create(project, &error);
        data::ImportReport report;
        if (!p || !p->importFile(csv, {}, &report, &error)) {
            state.SkipWithError(error.c_str());
            break;
        }
        p.reset();  // includes the WAL checkpoint on close
        rows = report.metricRows;
    }
    removeProject(project);
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["rows_per_s"] = benchmark::Counter(
        static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ImportLongCsv1M)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Parse only (no SQLite), to show where the time goes.
void BM_ParseLongCsv1M(benchmark::State& state) {
    const std::string csv = csvPath();
    struct NullSink : data::ImportSink {
        bool addRun(const data::Run&, std::string*) override { return true; }
        bool addMetricName(const std::string&, std::string*) override { return true; }
        bool addMetrics(const data::MetricBatch&, std::string*) override { return true; }
        bool addEvaluation(const data::ParsedEvaluation&, std::string*) override { return true; }
    } sink;
    for (auto _ : state) {
        data::ImportResult result;
        result.source.sha256 = "skip";  // pre-filled: the parse does not hash the file
        data::parseImportTo(csv, {}, sink, result);
        if (!result.ok) {
            state.SkipWithError(result.error.c_str());
            break;
        }
    }
    state.counters["rows_per_s"] =
        benchmark::Counter(1e6, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ParseLongCsv1M)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
