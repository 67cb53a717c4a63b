// Forecasting one run of a project with a loss-curve law (fitting/curve_forecast.h): the GUI's
// "Curve forecast" view and its tests go through here.
//
//   analysis::CurveForecastRequest req;
//   req.runId = id;                      // the run; its loss metric, logged LR and stored plan
//   req.holdoutFraction = 0.5;           // finished run: hide the last 50% to test the forecast
//   analysis::CurveForecastJob job;
//   if (!analysis::prepareCurveForecast(project, req, &job, &error)) show(error);  // GUI thread
//   analysis::CurveForecastOutcome out = analysis::runCurveForecast(job, {}, progress);  // any
//   // out.result.forecast: the law to the schedule's end with its band;
//   // out.hasEndError: predicted vs measured loss at the last measured step
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <datasets/project.h>
#include <fitting/curve_forecast.h>
#include <fitting/lr_schedule.h>

namespace scalelens::analysis {

struct CurveForecastRequest {
    std::int64_t runId = 0;
    std::string metric;           // loss metric; "" = the project's (analysis::lossMetric)
    std::string lrMetric = "lr";  // the logged LR curve
    // Hide the last fraction of the run's logged steps (keeping the schedule) and compare the
    // forecast with them: steps > (1 - f) * last logged step are held out. In [0, 0.9].
    double holdoutFraction = 0;
    fit::CurveLawId law = fit::CurveLawId::MultiPower;
    // Finished runs of the same set-up fitted jointly with the target (forecastSiblings(); the
    // caller chooses), read whole with the same metrics.
    std::vector<std::int64_t> siblingRunIds;
};

// Minimum points fitted (the Multi-Power Law has seven parameters).
inline constexpr std::size_t kMinForecastPoints = 8;

// A forecast ready to run: everything copied out of the project.
struct CurveForecastJob {
    CurveForecastRequest request;
    std::string runName;
    std::string metric;       // the metric read
    std::string scheduleHow;  // "stored (user): cosine ...", "inferred: ..."
    std::optional<fit::ScheduleDefinition> plan;
    std::vector<fit::LrPoint> loggedLr;  // as logged (may be empty when a plan is stored)
    fit::LossCurve target;               // fitted prefix; lr = the planned LR to the end
    std::vector<long> measuredSteps;     // every logged point, fitted and held out
    std::vector<double> measuredLoss;
    std::size_t fittedPoints = 0;          // the first fittedPoints of measured* are fitted
    std::vector<fit::LossCurve> siblings;  // request.siblingRunIds' curves, in that order
    std::vector<std::string> siblingNames;
};

// Reads the run. False with a message for the user when the run is missing, has no schedule
// (no logged LR and none stored: the message says how to set one), too few points, or a
// holdout that leaves too few.
bool prepareCurveForecast(const data::Project& project, const CurveForecastRequest& request,
                          CurveForecastJob* job, std::string* error);

struct CurveForecastOutcome {
    CurveForecastJob job;
    fit::ForecastResult result;  // status Cancelled when cancelled
    double bandLevel = 0.9;
    std::vector<double> fittedLaw;  // the law at target.steps (exact)
    // Held-out points (or a run logged to its end): the forecast against the measured loss at
    // the last measured step.
    bool hasEndError = false;
    long measuredEndStep = 0;
    double measuredEndLoss = 0;
    double predictedEndLoss = 0;
    double endError = 0;          // predicted - measured
    double relativeEndError = 0;  // endError / measured
    bool endInBand = false;       // measured within the forecast band at that step
};

// The default options of the view: the official procedure with 16 bootstrap resamples.
fit::ForecastOptions defaultCurveForecastOptions();

// Runs the fit and the forecast (blocking; any thread; no project access). `progress` may
// cancel. Never throws.
CurveForecastOutcome runCurveForecast(const CurveForecastJob& job,
                                      const fit::ForecastOptions& options,
                                      const fit::ProgressCallback& progress = {});

// What-if for a fitted forecast: the law along other schedules, and the best WSD cooldown
// fraction (0.05 .. 0.5) for the run's plan.
struct CurveWhatIf {
    std::vector<fit::ScheduleForecast> schedules;  // label = the schedule's describe()
    std::vector<std::string> names;                // short: "plan", "cosine", "WSD 10%"
    std::vector<double> fractions, fractionLoss;   // the cooldown search
    double bestFraction = 0, bestLoss = 0;
    bool searched = false;
    std::string message;  // why nothing could be compared, if so
};
// The comparison schedules: the run's plan, cosine, and WSD (geometric decay) with 10% and 20%
// cooldown, all with the plan's peak, final LR (a constant plan decays to peak/10), warm-up
// and length; duplicates of the plan are left out. `names` receives short names.
std::vector<fit::ScheduleDefinition> whatIfSchedules(const fit::ScheduleDefinition& plan,
                                                     std::vector<std::string>* names);
// Blocking; any thread. Needs a usable outcome with a plan.
CurveWhatIf computeWhatIf(const CurveForecastOutcome& outcome);

// The outcome as a stored forecast (data::RunForecast) of job.request.runId.
data::RunForecast toRunForecast(const CurveForecastOutcome& outcome);

}  // namespace scalelens::analysis
