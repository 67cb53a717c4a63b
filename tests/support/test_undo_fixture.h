// Small projects for the explorer's widget tests (undo, runs panel, import, main window).
#pragma once

#include <datasets/import.h>
#include <datasets/project.h>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <memory>
#include <sstream>
#include <string>

namespace scalelens::testing {

// Two sweeps: "sweep-a" (a1, a2, a3) and "sweep-b" (b1). Run fields (N, D) come from a
// one-row-per-run summary, the loss curves (4 steps a run) from a tidy long file.
inline const char* kTwoSweepsSummaryCsv =
    "run,group,N,D\n"
    "a1,sweep-a,1e8,2e9\n"
    "a2,sweep-a,4e8,8e9\n"
    "a3,sweep-a,1.6e9,3.2e10\n"
    "b1,sweep-b,7e9,1.4e12\n";
inline const char* kTwoSweepsCurvesCsv =
    "run,group,step,metric,value\n"
    "a1,sweep-a,100,loss,4.0\n"
    "a1,sweep-a,200,loss,3.5\n"
    "a1,sweep-a,300,loss,3.2\n"
    "a1,sweep-a,400,loss,3.0\n"
    "a2,sweep-a,100,loss,3.8\n"
    "a2,sweep-a,200,loss,3.2\n"
    "a2,sweep-a,300,loss,2.9\n"
    "a2,sweep-a,400,loss,2.7\n"
    "a3,sweep-a,100,loss,3.6\n"
    "a3,sweep-a,200,loss,3.0\n"
    "a3,sweep-a,300,loss,2.6\n"
    "a3,sweep-a,400,loss,2.4\n"
    "b1,sweep-b,100,loss,3.1\n"
    "b1,sweep-b,200,loss,2.5\n"
    "b1,sweep-b,300,loss,2.2\n"
    "b1,sweep-b,400,loss,2.0\n";

// Creates <dir>/name.scalelens holding kTwoSweepsCsv. Returns its path; empty (and a Catch
// failure in the caller's REQUIRE) when the store refuses.
inline std::string makeTwoSweepsProject(const QTemporaryDir& dir, std::string* error,
                                        const char* name = "undo.scalelens") {
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    auto project = data::Project::create(path, error);
    if (!project)
        return {};
    const struct {
        const char* text;
        data::ImportFormat format;
        const char* name;
    } files[] = {{kTwoSweepsSummaryCsv, data::ImportFormat::Summary, "two_sweeps_runs.csv"},
                 {kTwoSweepsCurvesCsv, data::ImportFormat::Long, "two_sweeps_curves.csv"}};
    for (const auto& file : files) {
        std::istringstream in(file.text);
        data::ImportConfig config;
        config.format = file.format;
        config.sourceName = file.name;
        data::ImportResult parsed = data::parseImport(in, config);
        if (!parsed.ok) {
            *error = parsed.error;
            return {};
        }
        data::ImportReport report;
        if (!project->applyImport(parsed, &report, error))
            return {};
    }
    return path;
}

// Id of the run named `name` (0 when absent).
inline qint64 runIdByName(const data::Project& project, const std::string& name) {
    for (const auto& run : project.runs()) {
        if (run.name == name)
            return run.id;
    }
    return 0;
}

// Processes events until `done()` or `timeoutMs` passes (QTRY-style polling).
template <typename Pred>
bool waitFor(Pred done, int timeoutMs = 10000) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

}  // namespace scalelens::testing
