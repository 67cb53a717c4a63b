// Helpers shared by the datasets tests: temporary project files and fixture paths.
#pragma once

#include <datasets/project.h>
#include <QTemporaryDir>
#include <memory>
#include <string>

namespace scalelens::test {

inline std::string fixture(const std::string& name) {
    return std::string(SCALELENS_TEST_DATA_DIR) + "/" + name;
}

// A fresh directory per test, removed afterwards.
struct TempDir {
    QTemporaryDir dir;
    std::string path(const std::string& name) const {
        return (dir.path() + "/").toStdString() + name;
    }
};

inline std::unique_ptr<data::Project> newProject(const TempDir& tmp,
                                                 const std::string& name = "p.scalelens") {
    std::string error;
    auto p = data::Project::create(tmp.path(name), &error);
    if (!p)
        throw std::runtime_error("cannot create test project: " + error);
    return p;
}

}  // namespace scalelens::test
