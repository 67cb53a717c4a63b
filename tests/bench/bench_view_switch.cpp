// The GUI thread's part of a view switch (issue 14, item 7: "no view switch blocks the GUI
// thread for more than 100 ms"), per view and per phase, on a shown 1280 x 800 PlotView
// (offscreen platform) after the view's data step ran (as on the GUI's worker):
//   build  - buildView(): series created and handed to Qt Charts,
//   layout - the event loop turn that follows (Qt Charts' layout requests, queued calls),
//   paint  - the whole view painted (QWidget::grab: what the first paint draws).
// CPU time of this thread (the machine is shared), on the example project and on the 1M-row
// project of bench_scale (100 runs; `bench_scale --make-projects` builds it). Each figure is
// printed beside the same view drawn the previous way (PlotView::setFastDrawing(false):
// one Qt Charts series per run), same run, and their ratio.
//
//   cmake --preset bench && cmake --build build-bench --target bench_view_switch
//   build-bench/bin/bench_view_switch            # both projects
//   build-bench/bin/bench_view_switch --example  # the example project only
//   build-bench/bin/bench_view_switch --view training-curves  # one view
//   build-bench/bin/bench_view_switch --10m --smoothing 0.9     # also 10M rows; EMA weight
#include <datasets/examples.h>
#include <datasets/project.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/curve_zoom.h>
#include <widgets/views/forecast_view.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QPixmap>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace scalelens;

double cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

fs::path benchDir() {
    const char* tmp = std::getenv("TMPDIR");
    return fs::path(tmp && *tmp ? tmp : "/tmp");
}

double gSmoothing = 0.6;  // --smoothing W: the training curves' EMA weight

struct Phases {
    double build = 0, layout = 0, paint = 0;
    int series = 0;
    double total() const { return build + layout + paint; }
};

// Draws one view (data step untimed) and times the GUI thread's phases; best of `repeats`.
Phases drawView(const data::Project& project, const QString& id,
                std::shared_ptr<ui::ViewFitCache> cache, int repeats) {
    Phases best{1e300, 1e300, 1e300, 0};
    for (int r = 0; r < repeats; ++r) {
        ui::ViewContext ctx;
        ctx.project = &project;
        ctx.useFitCache(cache);
        ctx.smoothing = gSmoothing;
        ctx.prepared = ui::prepareView(id, ctx);
        ui::PlotView view;
        view.resize(1280, 800);
        view.show();
        QCoreApplication::processEvents();
        Phases p;
        QString error;
        double t = cpuMs();
        ui::buildView(id, ctx, &view, &error);
        p.build = cpuMs() - t;
        t = cpuMs();
        QCoreApplication::processEvents();  // layout requests, queued calls
        p.layout = cpuMs() - t;
        t = cpuMs();
        const QPixmap shot = view.grab();  // what the first paint draws
        p.paint = cpuMs() - t;
        p.series = view.seriesCount();
        if (p.total() < best.total())
            best = p;
    }
    return best;
}

QString gOnly;  // --view ID: that view only

// The curve-forecast view's GUI-thread step with its evaluation in the data step on the worker
// (now: prepareView computes it) against the previous split (the data step only fitted; the
// build chose the run, read the curves and looked up the forecast and what-if, and the tabs
// looked them up again after the build): buildView + shownForecast, CPU ms, best of `repeats`.
void forecastSplit(const data::Project& project, std::shared_ptr<ui::ViewFitCache> cache,
                   int repeats) {
    const QString id = QStringLiteral("curve-forecast");
    for (const bool whatIf : {false, true}) {
        double now = 1e300, before = 1e300;
        for (int r = 0; r < repeats; ++r)
            for (const bool split : {true, false}) {
                ui::ViewContext ctx;
                ctx.project = &project;
                ctx.useFitCache(cache);
                ctx.forecast.whatIf = whatIf;
                if (split)
                    ctx.prepared = ui::prepareView(id, ctx);
                else
                    ui::prefetchViewFits(id, ctx);  // the fit only, kept in the cache
                ui::PlotView view;
                view.resize(1280, 800);
                QString error;
                const double t = cpuMs();
                ui::buildView(id, ctx, &view, &error);
                const ui::ShownForecast shown = ui::shownForecast(ctx);
                const double ms = cpuMs() - t;
                if (shown.runId == 0 && r == 0 && split)
                    std::fprintf(stderr, "bench_view_switch: no run to forecast\n");
                double& best = split ? now : before;
                best = std::min(best, ms);
            }
        std::printf(
            "curve-forecast%-9s build+tabs on the GUI thread: %8.1f ms now, %8.1f ms with "
            "the evaluation in the build | ratio %5.2f\n",
            whatIf ? " what-if" : "", now, before, now / before);
    }
}

// A zoom into a twentieth of the training curves' x range (curve_zoom.h): the worker's read of
// the rows in view and the GUI thread's swap of the series' points (PlotView::BatchGuard +
// replaceSeriesData, as CurveZoom draws a read), CPU ms. Only curves drawn from overviews
// (longer than data::kOverviewMinRows rows) are re-read.
void zoomRead(const data::Project& project, std::shared_ptr<ui::ViewFitCache> cache) {
    const QString id = QStringLiteral("training-curves");
    ui::ViewContext ctx;
    ctx.project = &project;
    ctx.useFitCache(cache);
    ctx.smoothing = gSmoothing;
    ctx.prepared = ui::prepareView(id, ctx);
    ui::PlotView view;
    view.resize(1280, 800);
    view.show();
    QString error;
    ui::buildView(id, ctx, &view, &error);
    QCoreApplication::processEvents();
    const auto sources = ui::zoomableCurves(ctx);
    if (!sources) {
        std::printf("zoom: no curve drawn from an overview\n");
        return;
    }
    ui::PlotRange r = view.range(0);
    const bool logX = view.axisScale(0, Qt::Horizontal) == ui::AxisScale::Log;
    const double a = logX ? std::log10(r.xMin) : r.xMin, b = logX ? std::log10(r.xMax) : r.xMax;
    const double lo = a + 0.5 * (b - a), hi = lo + (b - a) / 20;
    r.xMin = logX ? std::pow(10.0, lo) : lo;
    r.xMax = logX ? std::pow(10.0, hi) : hi;
    view.setRange(0, r);
    double t = cpuMs();
    const auto read = ui::readZoomedCurves(project, *sources, r.xMin, r.xMax, 1200, {});
    const double readMs = cpuMs() - t;
    std::int64_t rows = 0;
    std::size_t points = 0;
    t = cpuMs();
    {
        ui::PlotView::BatchGuard batch(&view);
        for (const ui::CurveZoomRead::Series& s : read->series) {
            rows += s.rowsRead;
            points += s.x.size();
            view.replaceSeriesData(s.series, s.x, s.y);
        }
    }
    QCoreApplication::processEvents();
    const double swapMs = cpuMs() - t;
    std::printf(
        "zoom to 1/20 of x (%zu series re-read, %lld rows): worker read %.1f ms, GUI "
        "swap %.1f ms (%zu points)\n",
        read->series.size(), static_cast<long long>(rows), readMs, swapMs, points);
}

void runProject(const char* label, const std::string& path, int repeats) {
    std::string error;
    auto project = data::Project::open(path, &error, data::OpenMode::ReadOnly);
    if (!project) {
        std::fprintf(stderr, "bench_view_switch: %s: %s\n", path.c_str(), error.c_str());
        return;
    }
    std::printf("\n%s (%s), CPU ms of the GUI thread, best of %d:\n", label, path.c_str(), repeats);
    std::printf("%-20s %7s | %8s %8s %8s %8s | %8s %8s %8s %8s | %6s\n", "view", "series", "build",
                "layout", "paint", "total", "b.before", "l.before", "p.before", "t.before",
                "ratio");
    auto cache = std::make_shared<ui::ViewFitCache>();
    double longest = 0, longestBefore = 0;
    for (const ui::ViewInfo& info : ui::viewCatalog()) {
        if (!gOnly.isEmpty() && info.id != gOnly)
            continue;
        ui::PlotView::setFastDrawing(false);
        const Phases before = drawView(*project, info.id, cache, repeats);
        ui::PlotView::setFastDrawing(true);
        const Phases now = drawView(*project, info.id, cache, repeats);
        longest = std::max(longest, now.total());
        longestBefore = std::max(longestBefore, before.total());
        std::printf("%-20s %7d | %8.1f %8.1f %8.1f %8.1f | %8.1f %8.1f %8.1f %8.1f | %6.2f\n",
                    info.id.toUtf8().constData(), now.series, now.build, now.layout, now.paint,
                    now.total(), before.build, before.layout, before.paint, before.total(),
                    now.total() / before.total());
    }
    std::printf("%-20s %7s | %8s %8s %8s %8.1f | %8s %8s %8s %8.1f | %6.2f\n", "longest", "", "",
                "", "", longest, "", "", "", longestBefore, longest / longestBefore);
    if (gOnly.isEmpty() || gOnly == QLatin1String("curve-forecast"))
        forecastSplit(*project, cache, repeats);
    if (gOnly.isEmpty() || gOnly == QLatin1String("training-curves"))
        zoomRead(*project, cache);
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen")
                                                                    : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    bool exampleOnly = false;
    bool with10m = false;  // --10m: the 10M-row project too
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--example") == 0)
            exampleOnly = true;
        else if (std::strcmp(argv[i], "--view") == 0 && i + 1 < argc)
            gOnly = QString::fromUtf8(argv[++i]);
        else if (std::strcmp(argv[i], "--smoothing") == 0 && i + 1 < argc)
            gSmoothing = std::atof(argv[++i]);
        else if (std::strcmp(argv[i], "--10m") == 0)
            with10m = true;
    }
    const int repeats = 3;
    const fs::path example = benchDir() / "scalelens_view_switch_example.scalelens";
    std::error_code ec;
    fs::remove(example, ec);
    std::string error;
    if (!data::createExampleProject(example.string(), &error)) {
        std::fprintf(stderr, "bench_view_switch: %s\n", error.c_str());
        return 1;
    }
    runProject("example project", example.string(), repeats);
    const fs::path big = benchDir() / "scalelens_scale_1m.scalelens";
    if (!exampleOnly) {
        if (fs::exists(big, ec))
            runProject("1M rows, 100 runs", big.string(), repeats);
        else
            std::fprintf(stderr, "bench_view_switch: no %s (bench_scale --make-projects)\n",
                         big.string().c_str());
    }
    const fs::path big10 = benchDir() / "scalelens_scale_10m.scalelens";
    if (with10m) {
        if (fs::exists(big10, ec))
            runProject("10M rows, 100 runs", big10.string(), repeats);
        else
            std::fprintf(stderr, "bench_view_switch: no %s (bench_scale --make-projects)\n",
                         big10.string().c_str());
    }
    fs::remove(example, ec);
    return 0;
}
