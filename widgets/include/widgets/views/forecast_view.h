// The "Curve forecast" view's pieces outside buildView (plot_views.h): which run it shows, the
// cached forecast (the fit runs once per run, held-out fraction and data, off the GUI thread in
// prefetchViewFits with progress and Cancel through ViewContext::forecast.progress), and the
// controls bar above the plot (held-out fraction, law, siblings, Forecast/Cancel, Schedule…,
// Store forecast, what-if schedules).
#pragma once

#include <QWidget>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <analysis/curve_forecast_job.h>
#include <fitting/lr_schedule.h>

#include "widgets/views/plot_views.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace scalelens::ui {

class ProjectDocument;

// The run the forecast view shows: the first selected run, else a run with a stored schedule,
// else a run with a logged LR curve (preferring one tagged stopped-mid-schedule); 0 when none.
qint64 forecastRunId(const ViewContext& ctx);

// The forecast the view shows for ctx (computed and kept when ctx.fitOnTheFly and not kept
// yet; `computeIfMissing` false only looks). nullopt when the run cannot be forecast (`why`).
std::optional<analysis::CurveForecastOutcome> curveForecast(const ViewContext& ctx,
                                                            bool computeIfMissing,
                                                            std::string* why = nullptr);

// The run the view drew for ctx and whether its forecast is usable: from the data step kept in
// ctx.prepared when there, else looked up (curveForecast(ctx, false)).
struct ShownForecast {
    qint64 runId = 0;
    bool usable = false;
    std::vector<std::string> siblingNames;        // analysis::forecastSiblings of the run
    std::optional<analysis::CurveWhatIf> whatIf;  // what-if forecasts drawn (what-if on)
};
ShownForecast shownForecast(const ViewContext& ctx);

// A PlotView property the window sets (true) on the forecast view while its what-if table is
// shown under it: the view then leaves the what-if final losses out of its note (the table
// has them), so the note keeps its room at 1366x768. Exports and the CLI keep the note.
inline constexpr const char* kWhatIfTableShownProperty = "scalelensWhatIfTableShown";

// How many forecast evaluations (run choice, curve reads, fit, forecast along the schedule,
// what-if) ran on the application's GUI thread so far. A view switch in the window runs them
// in the view's data step on a worker (prepareView), so it adds none; tests check that.
long long forecastEvaluationsOnGuiThread();

// The bar above the forecast view.
class ForecastControls : public QWidget {
    Q_OBJECT
  public:
    ForecastControls(ProjectDocument* document, QWidget* parent = nullptr);

    // Fills ctx.forecast from the controls.
    void applyTo(ViewContext* ctx) const;
    // The run shown (set by the tabs after each build, from forecastRunId) and its sibling
    // candidates (the "Siblings (N)" box names them; none disables it).
    void setShownRun(qint64 runId, bool hasForecast,
                     const std::vector<std::string>& siblingNames = {});

  signals:
    // The view must be redrawn (held-out fraction changed, re-run asked, what-if done).
    void changed();
    // The schedule dialog for this run was asked for.
    void scheduleRequested(qint64 runId);

  private:
    void poll();
    void storeForecast();

    ProjectDocument* m_document;
    QDoubleSpinBox* m_holdout;
    QComboBox* m_law;
    QCheckBox* m_siblings;
    QPushButton* m_rerun;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QPushButton* m_schedule;
    QPushButton* m_store;
    QPushButton* m_whatIf;
    QLabel* m_status;
    QTimer* m_timer;
    ViewContext::ForecastOptions m_options;
    qint64 m_runId = 0;
};

}  // namespace scalelens::ui
