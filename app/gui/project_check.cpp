#include "project_check.h"

#include <datasets/project.h>

namespace scalelens::app {

ProjectCheckResult checkProjectFile(const QString& path) {
    ProjectCheckResult result;
    std::string error;
    auto project =
        data::Project::open(path.toStdString(), &error, data::OpenMode::ReadOnly, &result.busy);
    if (!project) {
        result.problems << QString::fromStdString(error);
        return result;
    }
    try {
        for (const std::string& line : project->check())
            result.problems << QString::fromStdString(line);
    } catch (const data::ProjectError& e) {
        result.busy = e.kind() == data::ProjectError::Kind::Busy;
        result.problems << QString::fromStdString(e.what());
    }
    result.ok = result.problems.isEmpty();
    return result;
}

}  // namespace scalelens::app
