// The catalogue of ScaleLens plots and the builders that draw them into a PlotView.
//
// One function draws each view from a project, so the main window (one tab per view),
// `scalelens-cli plot` (offscreen) and "export all views" show exactly the same figure:
//
//   ViewContext ctx;
//   ctx.project = &project;                 // data::Project, not owned
//   PlotView view;
//   QString error;
//   if (!buildView(QStringLiteral("loss-vs-compute"), ctx, &view, &error))
//       showError(error);                   // unknown id or no project; data problems are
//                                           // notes drawn in the plot, not errors
//
// Views that need a fitted law use, in order: the saved fit `fitId`, the project's latest
// fit of the right law, or (cheap fits only, never a bootstrap) a fit computed on the spot;
// when none is possible the plot says so in a note and still shows the data.
#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fitting/curve_law.h>

#include "widgets/document/view_fit_cache.h"

namespace scalelens::data {
class Project;
}

namespace scalelens::ui {

class PlotView;
// What a view's data step (prepareView) read: curves, kept for its drawing step. Opaque.
struct PreparedView;

struct ViewInfo {
    QString id;           // stable name used by the CLI and settings, e.g. "loss-vs-compute"
    QString title;        // tab title
    QString description;  // one sentence for tooltips and `plot --list-views`
};

// Every view, in tab order. Ids: loss-vs-compute, isoflop, loss-vs-n-d, iso-loss-contours,
// residuals, lr-batch-landscape, density-over-time, knowledge-bits, avg-param-collapse,
// training-curves, curve-forecast.
const std::vector<ViewInfo>& viewCatalog();
// The entry with this id, or nullptr.
const ViewInfo* findView(const QString& id);

// X axis of the training-curves view.
enum class CurveAxis { Step, Tokens, Flops, WallTime };
// "step", "tokens", "flops", "wall-time" (CLI option values) and back.
QString curveAxisKey(CurveAxis axis);
bool parseCurveAxis(const QString& key, CurveAxis* axis);

// Metrics the training-curves view can draw: every metric of the project (losses, the LR
// curve, anything logged), in the project's order.
QStringList trainingCurveMetrics(const data::Project& project);

// Run fields the training curves can be coloured by: {key, title}, e.g. {"total_params",
// "parameters N"}; keys are data::fieldKey() names. Aliases N, D, C, lr, batch are accepted
// by the builder and the CLI.
std::vector<std::pair<QString, QString>> curveColorFields();

struct ViewContext {
    const data::Project* project = nullptr;   // required; read only, not owned
    qint64 fitId = -1;                        // saved fit to draw; -1 = latest of the right law
    std::vector<qint64> selectedRunIds;       // training curves: these runs (empty = all);
                                              // other views highlight them
    CurveAxis curveAxis = CurveAxis::Tokens;  // x axis of training-curves
    double smoothing = 0.6;                   // EMA weight in [0, 1) (TensorBoard-style;
                                              // 0 = raw curve only; the GUI allows 0..0.999)
    // Training-curve metrics, drawn together (twin axes when their units differ: loss on the
    // left, learning rate on the right); empty = the project's loss metric.
    QStringList metrics;
    // Run field the curves are coloured by when there are many runs (curveColorFields();
    // empty = total_params, i.e. N).
    QString colorBy;
    bool fitOnTheFly = true;  // allow cheap fits when no saved fit exists
    // Curve forecast view (forecast_view.h): hide the last `holdout` of the run's logged steps
    // to test the forecast; `attempt` > 0 refits (after a Cancel); `whatIf` adds the what-if
    // schedules; `law` is the loss-curve law fitted; `siblings` fits it jointly with the
    // target's finished siblings (analysis::forecastSiblings); `progress` (shared with the
    // worker that fits) reports and cancels the fit.
    struct FitProgress {
        std::atomic<double> fraction{0};
        std::atomic<bool> cancel{false};
        std::atomic<bool> running{false};
    };
    struct ForecastOptions {
        double holdout = 0;
        int attempt = 0;
        bool whatIf = false;
        fit::CurveLawId law = fit::CurveLawId::MultiPower;
        bool siblings = false;
        std::shared_ptr<FitProgress> progress;
    };
    ForecastOptions forecast;
    // Where fits computed on the fly are kept (ProjectDocument::viewFitCache()); null = none
    // kept, every build fits again. Set both with useFitCache().
    std::shared_ptr<ViewFitCache> fitCache;
    ViewFitCache::Generation fitCacheGeneration = 0;  // the cache's generation at useFitCache()

    // Curves the view's data step read for this context (prepareView), so that buildView()
    // draws without reading them again; null = buildView() reads what it draws.
    std::shared_ptr<PreparedView> prepared;

    // Keeps on-the-fly fits in `cache`, for the data as they are now.
    void useFitCache(std::shared_ptr<ViewFitCache> cache) {
        fitCacheGeneration = cache ? cache->generation() : 0;
        fitCache = std::move(cache);
    }

    // False (naming the field) when a field is out of range.
    bool isValid(std::string* error = nullptr) const;
};

// Clears `view` and draws view `id`. Returns false with a message only for an unknown id,
// an invalid context or a missing project; data problems are shown as notes in the plot.
bool buildView(const QString& id, const ViewContext& ctx, PlotView* view, QString* error);

// True for views that fit a law on the fly when the project has no saved fit (a grid fit takes
// 0.4 s or more), so a caller can run prefetchViewFits() off the GUI thread first.
bool viewFitsOnTheFly(const QString& id);

// The data step of view `id`: reads what buildView() would read that can take long (the
// curves, from their overviews when the plot can show no more: datasets/curve_overview.h) and
// runs its fits on the fly (prefetchViewFits), so that buildView() with ctx.prepared set to the
// result only draws. Meant for a worker thread: give it a context whose project is that
// thread's own connection. `cancel` (may be null), when set, makes it return early with what
// it has read; buildView() reads anything missing itself.
std::shared_ptr<PreparedView> prepareView(const QString& id, const ViewContext& ctx,
                                          const std::atomic<bool>* cancel = nullptr);

// Runs the fits view `id` would compute on the fly and keeps their results, so that a
// following buildView() of the same data draws at once. Meant for a worker thread: give it a
// context whose project is that thread's own connection (data::Project is single-threaded).
// Cheap when the results are already kept or the view needs no fit.
void prefetchViewFits(const QString& id, const ViewContext& ctx);

}  // namespace scalelens::ui
