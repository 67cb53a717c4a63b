#include "analysis/loss_metric.h"

#include <datasets/project.h>
#include <algorithm>
#include <cctype>

namespace scalelens::analysis {

const std::vector<std::string>& lossMetricPreference() {
    static const std::vector<std::string> order = {"val_loss",   "eval/loss",       "loss",
                                                   "val/loss",   "validation_loss", "eval_loss",
                                                   "valid/loss", "train_loss",      "train/loss"};
    return order;
}

std::string defaultLossMetric(const std::vector<std::string>& names) {
    for (const std::string& preferred : lossMetricPreference()) {
        if (std::find(names.begin(), names.end(), preferred) != names.end())
            return preferred;
    }
    for (const std::string& n : names) {
        std::string lower = n;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower.find("loss") != std::string::npos)
            return n;
    }
    return {};
}

std::string LossMetric::label() const {
    if (name.empty())
        return "(no loss metric)";
    return chosen ? name : name + " (default)";
}

LossMetric lossMetric(const data::Project& project) {
    const std::vector<std::string> names = project.metricNames();
    LossMetric m;
    if (const auto stored = project.setting(kLossMetricSetting)) {
        if (!stored->empty() && std::find(names.begin(), names.end(), *stored) != names.end()) {
            m.name = *stored;
            m.chosen = true;
            return m;
        }
    }
    m.name = defaultLossMetric(names);
    return m;
}

bool setLossMetric(data::Project& project, const std::string& name, std::string* error) {
    if (!name.empty()) {
        const std::vector<std::string> names = project.metricNames();
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            if (error)
                *error = "the project has no metric '" + name + "'";
            return false;
        }
    }
    return project.setSetting(kLossMetricSetting, name, error);
}

}  // namespace scalelens::analysis
