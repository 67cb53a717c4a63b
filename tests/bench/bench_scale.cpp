// Reads of a big project (issue 14, item 7): the paths `scalelens-cli runs`, a Chinchilla fit,
// a training-curves plot and the GUI's start-up take, on a 1,000,000-row and a 10,000,000-row
// project of 100 runs (a loss and an LR curve each). Targets at 10M rows: runs < 0.3 s, fit
// input < 1 s, training-curves plot < 1 s, and no view's drawing step (the GUI thread's part
// of a view switch) over 100 ms.
//
// The projects are generated once through the real importer (a long CSV written to $TMPDIR,
// imported with Project::importFile, the CSV then deleted) and kept as
// $TMPDIR/scalelens_scale_1m.scalelens and scalelens_scale_10m.scalelens; a project written by
// an older schema is migrated when first opened. `bench_scale --make-projects` only builds them
// and prints their paths (for timing the GUI on them, see tests/bench/README.md).
#include <benchmark/benchmark.h>

#include <analysis/fit_jobs.h>
#include <datasets/project.h>
#include <QString>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <string>

#if __has_include(<widgets/views/plot_views.h>)
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QImage>
#include <QPainter>
#include <ctime>
#define SCALELENS_BENCH_VIEWS 1
#endif

namespace {

namespace fs = std::filesystem;
using namespace scalelens;

constexpr int kRuns = 100;

fs::path benchDir() {
    const char* tmp = std::getenv("TMPDIR");
    return fs::path(tmp && *tmp ? tmp : "/tmp");
}

// 100 runs in 4 sweeps; each logs loss and lr at every step (rows = 100 x steps x 2). Every
// tenth run stops at 60% of its schedule (its LR ends high: tagged stopped-mid-schedule).
void writeCsv(const fs::path& csv, int steps) {
    std::ofstream out(csv, std::ios::binary);
    out << "run,step,tokens,flops,metric,value\n";
    char line[200];
    for (int r = 0; r < kRuns; ++r) {
        const double n = 2e7 * std::pow(1.06, r);
        const int last = r % 10 == 9 ? steps * 6 / 10 : steps;
        for (int s = 1; s <= last; ++s) {
            const double tokens = s * 65536.0;
            const double loss = 1.7 + 400.0 / std::pow(n, 0.34) + 410.0 / std::pow(tokens, 0.28);
            const double lr = 3e-4 * 0.5 * (1.0 + std::cos(std::numbers::pi * s / steps)) + 3e-5;
            int len = std::snprintf(line, sizeof line, "g%d-run-%03d,%d,%.0f,%.6g,loss,%.6f\n",
                                    r % 4, r, s, tokens, 6.0 * n * tokens, loss);
            out.write(line, len);
            len = std::snprintf(line, sizeof line, "g%d-run-%03d,%d,%.0f,%.6g,lr,%.6g\n", r % 4, r,
                                s, tokens, 6.0 * n * tokens, lr);
            out.write(line, len);
        }
    }
}

// The cached project with `steps` steps per run; built on first use.
std::string projectPath(const char* tag, int steps) {
    const fs::path p = benchDir() / (std::string("scalelens_scale_") + tag + ".scalelens");
    std::error_code ec;
    std::string error;
    if (fs::exists(p, ec)) {
        // Opening read-write migrates a project from an older build once.
        if (auto project = data::Project::open(p.string(), &error))
            return p.string();
        fs::remove(p, ec);
    }
    const fs::path csv = benchDir() / (std::string("scalelens_scale_") + tag + ".csv");
    const auto t0 = std::chrono::steady_clock::now();
    writeCsv(csv, steps);
    auto project = data::Project::create(p.string(), &error);
    data::ImportReport report;
    if (!project || !project->importFile(csv.string(), {}, &report, &error)) {
        std::fprintf(stderr, "bench_scale: cannot build %s: %s\n", p.string().c_str(),
                     error.c_str());
        std::exit(1);
    }
    project.reset();
    fs::remove(csv, ec);
    std::fprintf(stderr, "bench_scale: built %s (%lld rows) in %.1f s\n", p.string().c_str(),
                 static_cast<long long>(report.metricRows),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return p.string();
}

const std::string& project1m() {
    static const std::string p = projectPath("1m", 5209);
    return p;
}
const std::string& project10m() {
    static const std::string p = projectPath("10m", 52084);
    return p;
}
const std::string& projectFor(const benchmark::State& state) {
    return state.range(0) == 10 ? project10m() : project1m();
}

std::unique_ptr<data::Project> openReadOnly(benchmark::State& state) {
    std::string error;
    auto p = data::Project::open(projectFor(state), &error, data::OpenMode::ReadOnly);
    if (!p)
        state.SkipWithError(error.c_str());
    return p;
}

// Opening read-only: header, application id, schema checks.
void BM_Open(benchmark::State& state) {
    for (auto _ : state)
        benchmark::DoNotOptimize(openReadOnly(state));
}

// `scalelens-cli runs`: open, the runs, each run's final loss.
void BM_Runs(benchmark::State& state) {
    std::size_t n = 0;
    for (auto _ : state) {
        auto p = openReadOnly(state);
        if (!p)
            break;
        const auto runs = p->runs();
        const auto loss = p->finalValues("loss");
        n = runs.size() + loss.size();
    }
    state.counters["runs+values"] = static_cast<double>(n);
}

// The input of a Chinchilla fit from a project, as `fit chinchilla --project` and the fit panel
// build it (analysis::prepareFitJob: the run table with every metric's final values, the law
// inputs and their digest), without the fit itself.
void BM_FitInput(benchmark::State& state) {
    std::size_t points = 0;
    for (auto _ : state) {
        auto p = openReadOnly(state);
        if (!p)
            break;
        analysis::FitJob job;
        QString error;
        if (!analysis::prepareFitJob(*p, QStringLiteral("chinchilla"), analysis::Selection{},
                                     analysis::FitJobOptions{}, &job, &error)) {
            state.SkipWithError(error.toStdString().c_str());
            break;
        }
        points = job.ndl.obs.size();
    }
    state.counters["points"] = static_cast<double>(points);
}

// Every run's whole loss curve (what the training-curves plot read before overviews).
void BM_TrainingCurvesFull(benchmark::State& state) {
    std::size_t points = 0;
    for (auto _ : state) {
        auto p = openReadOnly(state);
        if (!p)
            break;
        points = 0;
        for (const auto& run : p->runs())
            if (!run.excluded)
                points += p->metrics(run.id, "loss").size();
    }
    state.counters["points"] = static_cast<double>(points);
}

// What the GUI reads before its first paint besides the views: runs, final losses, saved fits
// with their staleness (the data fingerprint), the status bar's row count.
void BM_GuiOpenData(benchmark::State& state) {
    for (auto _ : state) {
        auto p = openReadOnly(state);
        if (!p)
            break;
        benchmark::DoNotOptimize(p->runs());
        benchmark::DoNotOptimize(p->finalValues("loss"));
        benchmark::DoNotOptimize(p->fits());
        benchmark::DoNotOptimize(p->metricRowCount());
    }
}

#ifdef SCALELENS_BENCH_VIEWS
// The data step of the training-curves view (what the GUI runs on a worker thread, and the
// reads of `plot --view training-curves`): every run's loss curve, from its smoothed overview
// where it has one.
void BM_TrainingCurvesData(benchmark::State& state) {
    for (auto _ : state) {
        auto p = openReadOnly(state);
        if (!p)
            break;
        ui::ViewContext ctx;
        ctx.project = p.get();
        benchmark::DoNotOptimize(ui::prepareView(QStringLiteral("training-curves"), ctx));
    }
}

// The drawing step of every view after its data step, as the GUI runs a view switch: the
// data step (untimed) on this thread's connection, then buildView() with what it read. Reports
// the longest drawing step over the views ("longest_ms", CPU time of this thread) and the
// view it belongs to, the figure behind "no view switch blocks the GUI thread for more than
// 100 ms". Fits on the fly are computed once, kept in a fit cache as the GUI keeps them.
void BM_ViewSwitchDraw(benchmark::State& state) {
    auto p = openReadOnly(state);
    if (!p)
        return;
    auto cache = std::make_shared<ui::ViewFitCache>();
    double longest = 0;
    std::string longestView;
    const auto cpuMs = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
    };
    for (auto _ : state) {
        double total = 0;
        for (const ui::ViewInfo& info : ui::viewCatalog()) {
            ui::ViewContext ctx;
            ctx.project = p.get();
            ctx.useFitCache(cache);
            ctx.prepared = ui::prepareView(info.id, ctx);
            ui::PlotView view;
            view.resize(1200, 800);
            QString error;
            const double t0 = cpuMs();
            ui::buildView(info.id, ctx, &view, &error);
            QImage image(1200, 800, QImage::Format_ARGB32_Premultiplied);
            QPainter painter(&image);
            view.renderFigure(&painter, QRectF(0, 0, 1200, 800), QSizeF(1200, 800));
            painter.end();
            const double ms = cpuMs() - t0;
            total += ms;
            if (ms > longest) {
                longest = ms;
                longestView = info.id.toStdString();
            }
        }
        state.SetIterationTime(total / 1e3);
    }
    state.counters["longest_ms"] = longest;
    state.SetLabel("longest: " + longestView);
}

// The whole training-curves view as `scalelens-cli plot --view training-curves` builds it.
void BM_TrainingCurvesView(benchmark::State& state) {
    for (auto _ : state) {
        auto p = openReadOnly(state);
        if (!p)
            break;
        ui::ViewContext ctx;
        ctx.project = p.get();
        ui::PlotView view;
        QString error;
        if (!ui::buildView(QStringLiteral("training-curves"), ctx, &view, &error)) {
            state.SkipWithError(error.toStdString().c_str());
            break;
        }
    }
}
#endif

void sizes(benchmark::internal::Benchmark* b) {
    b->ArgName("Mrows")->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK(BM_Open)->Apply(sizes);
BENCHMARK(BM_Runs)->Apply(sizes);
BENCHMARK(BM_FitInput)->Apply(sizes);
BENCHMARK(BM_TrainingCurvesFull)->Apply(sizes);
BENCHMARK(BM_GuiOpenData)->Apply(sizes);
#ifdef SCALELENS_BENCH_VIEWS
BENCHMARK(BM_TrainingCurvesData)->Apply(sizes);
BENCHMARK(BM_TrainingCurvesView)->Apply(sizes);
BENCHMARK(BM_ViewSwitchDraw)
    ->ArgName("Mrows")
    ->Arg(1)
    ->Arg(10)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(1);
#endif

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--make-projects") == 0) {
        std::printf("%s\n%s\n", project1m().c_str(), project10m().c_str());
        return 0;
    }
#ifdef SCALELENS_BENCH_VIEWS
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen")
                                                                    : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
#endif
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
