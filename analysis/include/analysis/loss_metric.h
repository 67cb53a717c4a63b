// The loss metric: which metric's final value is "the loss" of a run, for every view and fit.
//
// The user chooses it once per project (the fit panel's metric box, `scalelens-cli fit
// --loss-metric NAME`); the choice is stored in the project's settings under
// kLossMetricSetting and used by every view and every fit of that project. When the user chose
// none (or the chosen metric is no longer in the project), the default is the first metric of
// lossMetricPreference() the project has, else the first metric whose name contains "loss":
//
//   val_loss, eval/loss, loss, val/loss, validation_loss, eval_loss, valid/loss, train_loss,
//   train/loss
//
// (validation before training loss: a scaling law is fitted to held-out loss when a run logs it.)
//
//   analysis::LossMetric m = analysis::lossMetric(project);   // m.name, m.chosen
//   analysis::setLossMetric(project, "val_loss", &error);
#pragma once

#include <string>
#include <vector>

namespace scalelens::data {
class Project;
}

namespace scalelens::analysis {

inline constexpr const char* kLossMetricSetting = "analysis/loss_metric";

// The documented default order (see above).
const std::vector<std::string>& lossMetricPreference();

// The default among `metricNames`: the first of lossMetricPreference() present, else the first
// name containing "loss" (case-insensitive), else "".
std::string defaultLossMetric(const std::vector<std::string>& metricNames);

struct LossMetric {
    std::string name;     // "" when the project has no metric at all
    bool chosen = false;  // true: the user's stored choice; false: the default order
    // "val_loss" or "val_loss (default)", for view titles and notes.
    std::string label() const;
};

// The project's loss metric: the stored choice when the project still has that metric, else
// defaultLossMetric(project.metricNames()).
LossMetric lossMetric(const data::Project& project);

// Stores the user's choice (empty clears it). False with a message when `name` is not a metric
// of the project or the write fails.
bool setLossMetric(data::Project& project, const std::string& name, std::string* error);

}  // namespace scalelens::analysis
