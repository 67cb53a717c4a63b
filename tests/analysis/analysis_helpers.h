// Helpers of the analysis tests: small projects written from CSV text.
#pragma once

#include <datasets/import.h>
#include <datasets/project.h>
#include <QTemporaryDir>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

namespace scalelens::test {

struct TempDir {
    QTemporaryDir dir;
    std::string path(const std::string& name) const {
        return (dir.path() + "/").toStdString() + name;
    }
};

// A new project holding `csv` (summary format: one row per run) in group `group`.
inline std::unique_ptr<data::Project> projectFromCsv(const TempDir& tmp, const std::string& csv,
                                                     const std::string& group = "sweep",
                                                     const std::string& name = "p.scalelens") {
    const std::string file = tmp.path(name + ".csv");
    std::ofstream(file) << csv;
    std::string error;
    auto p = data::Project::create(tmp.path(name), &error);
    if (!p)
        throw std::runtime_error("cannot create test project: " + error);
    data::ImportConfig config;
    config.format = data::ImportFormat::Summary;
    config.group = group;
    data::ImportReport report;
    if (!p->importFile(file, config, &report, &error))
        throw std::runtime_error("cannot import test data: " + error);
    return p;
}

}  // namespace scalelens::test
