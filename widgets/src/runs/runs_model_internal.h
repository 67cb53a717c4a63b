// Internal helpers of the run models (runs_model.cpp), shared by runs_tree_model.cpp and
// runs_table_model.cpp.
#pragma once

#include <QString>
#include <map>
#include <string>

#include <datasets/run.h>

namespace scalelens::data {
class Project;
}

namespace scalelens::ui::runs_detail {

QString qs(const std::string& s);
// Final value of `metric` per run id (data::Project::finalValues).
std::map<qint64, double> finalValuesOf(const data::Project* project, const QString& metric);
// Parameters, tokens, batch and sequence length are counts (K/M/B suffixes).
bool isCountField(data::RunField field);
// Tooltip of a derived value, naming how it was derived.
QString derivedTooltip(data::RunField field);

}  // namespace scalelens::ui::runs_detail
