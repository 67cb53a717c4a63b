// Start-up time of the `scalelens` GUI: launch to the first painted window on the example
// project (issue 5, item 8; target < 1 s), offscreen.
//
//   cmake --preset bench && cmake --build build-bench --target bench_startup scalelens
//   build-bench/bin/bench_startup
//
// Each iteration runs `scalelens --example --quit-after-first-paint` (which draws the visible
// plot right after the first frame, then quits) as a child process with
// QT_QPA_PLATFORM=offscreen and private XDG folders (so the user's settings and recent files
// play no part) and measures wall time from spawn to exit. The app prints the time from the
// start of main() to its first paint, reported as the counter `in_process_ms`; `child_cpu_ms`
// is the CPU time of the whole child process (a figure that does not depend on machine load).
//   Warm: the example project already exists in the app data folder (every later start).
//   Cold: the example project is created first (the very first start).
#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace {

fs::path appPath() {
    // The bench executable sits next to scalelens in <build>/bin.
    return fs::read_symlink("/proc/self/exe").parent_path() / "scalelens";
}

fs::path scratchDir() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / "scalelens-bench-startup";
        fs::remove_all(d);
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

// CPU seconds (user + system) used by finished child processes so far. On a loaded machine
// wall time mostly measures the wait for a core; this is the work the start-up itself does.
double childCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs the app once; returns wall seconds, and the in-process milliseconds it printed.
double launchOnce(double* inProcessMs, double* firstPlotMs) {
    const fs::path scratch = scratchDir();
    const std::string command = "env QT_QPA_PLATFORM=offscreen XDG_DATA_HOME='" +
                                (scratch / "data").string() + "' XDG_CONFIG_HOME='" +
                                (scratch / "config").string() + "' '" + appPath().string() +
                                "' --example --quit-after-first-paint --reset-settings 2>/dev/null";
    const auto start = std::chrono::steady_clock::now();
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return -1.0;
    char line[256];
    *inProcessMs = -1.0;
    while (std::fgets(line, sizeof line, pipe)) {
        long long ms = 0;
        if (std::sscanf(line, "first paint after %lld ms", &ms) == 1)
            *inProcessMs = double(ms);
        if (std::sscanf(line, "first plot drawn after %lld ms", &ms) == 1)
            *firstPlotMs = double(ms);
    }
    const int status = pclose(pipe);
    const auto end = std::chrono::steady_clock::now();
    if (status != 0)
        return -1.0;
    return std::chrono::duration<double>(end - start).count();
}

void runBenchmark(benchmark::State& state, bool cold) {
    if (!fs::exists(appPath())) {
        state.SkipWithError("build the scalelens target first");
        return;
    }
    const fs::path example =
        scratchDir() / "data" / "ScaleLens" / "ScaleLens" / "example.scalelens";
    double inProcessTotal = 0.0;
    double cpuTotal = 0.0;
    double plotTotal = 0.0;
    double dummy = 0.0;
    if (!cold && !fs::exists(example))
        launchOnce(&dummy, &dummy);  // creates the example project once
    for (auto _ : state) {
        if (cold) {
            state.PauseTiming();
            for (const char* suffix : {"", "-wal", "-shm"}) {
                fs::remove(example.string() + suffix);
            }
            state.ResumeTiming();
        }
        double inProcess = 0.0;
        double firstPlot = 0.0;
        const double cpuBefore = childCpuSeconds();
        const double seconds = launchOnce(&inProcess, &firstPlot);
        plotTotal += firstPlot;
        cpuTotal += childCpuSeconds() - cpuBefore;
        if (seconds < 0 || inProcess < 0) {
            state.SkipWithError("scalelens did not start or did not paint");
            return;
        }
        state.SetIterationTime(seconds);
        inProcessTotal += inProcess;
    }
    state.counters["in_process_ms"] =
        benchmark::Counter(inProcessTotal, benchmark::Counter::kAvgIterations);
    // From the start of main() until the visible plot (loss vs compute) has been drawn.
    state.counters["first_plot_ms"] =
        benchmark::Counter(plotTotal, benchmark::Counter::kAvgIterations);
    // Whole process (start, first paint, first plot, quit), user + system CPU.
    state.counters["child_cpu_ms"] =
        benchmark::Counter(cpuTotal * 1e3, benchmark::Counter::kAvgIterations);
}

void BM_StartupFirstPaint_Warm(benchmark::State& state) {
    runBenchmark(state, false);
}
void BM_StartupFirstPaint_Cold(benchmark::State& state) {
    runBenchmark(state, true);
}

}  // namespace

BENCHMARK(BM_StartupFirstPaint_Warm)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);
BENCHMARK(BM_StartupFirstPaint_Cold)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK_MAIN();
