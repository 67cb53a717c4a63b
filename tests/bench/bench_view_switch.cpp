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
#include <datasets/examples.h>
#include <datasets/project.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QPixmap>
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
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen")
                                                                    : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    bool exampleOnly = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--example") == 0)
            exampleOnly = true;
        else if (std::strcmp(argv[i], "--view") == 0 && i + 1 < argc)
            gOnly = QString::fromUtf8(argv[++i]);
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
    fs::remove(example, ec);
    return 0;
}
