// Locating the bundled example files and building the example project from them.
#include "datasets/examples.h"

#include <QCoreApplication>
#include <filesystem>

#include "datasets/project.h"
#include "datasets/utf8_path.h"

namespace scalelens::data {

namespace fs = std::filesystem;

namespace {

fs::path executableDir() {
    if (QCoreApplication::instance())
        return pathFromUtf8(QCoreApplication::applicationDirPath().toStdString());
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);  // Linux without a Qt app
    return ec ? fs::path() : exe.parent_path();
}

bool hasExamples(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "chinchilla_summary.csv", ec);
}

struct ExampleFile {
    const char* file;
    const char* group;
    ImportFormat format;
};

}  // namespace

std::string examplesDir() {
    const fs::path bin = executableDir();
    if (!bin.empty()) {
        // Installed layout (packaging/install.cmake), and macOS bundles (Contents/Resources).
        for (const fs::path& candidate : {bin / ".." / "share" / "scalelens" / "examples",
                                          bin / ".." / "Resources" / "examples"})
            if (hasExamples(candidate))
                return utf8FromPath(fs::weakly_canonical(candidate));
    }
#ifdef SCALELENS_EXAMPLES_SOURCE_DIR
    if (hasExamples(pathFromUtf8(SCALELENS_EXAMPLES_SOURCE_DIR)))
        return SCALELENS_EXAMPLES_SOURCE_DIR;
#endif
    return {};
}

bool createExampleProject(const std::string& path, std::string* error) {
    const std::string dir = examplesDir();
    if (dir.empty()) {
        if (error)
            *error = "cannot find the example data folder (share/scalelens/examples)";
        return false;
    }
    std::error_code ec;
    if (fs::exists(pathFromUtf8(path), ec)) {
        if (error)
            *error = "cannot create the example project '" + path + "': the file already exists";
        return false;
    }
    // Built under a temporary name and renamed at the end, so a failure or crash never leaves a
    // half-filled project at `path`.
    const std::string tmp = path + ".creating";
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(pathFromUtf8(tmp + suffix), ec);
    static const ExampleFile files[] = {
        {"chinchilla_summary.csv", kChinchillaGroup, ImportFormat::Summary},
        {"chinchilla_curves.csv", kChinchillaGroup, ImportFormat::Long},
        {"lr_batch_sweep.csv", kLrBatchGroup, ImportFormat::Summary},
        {"base_models.csv", kModelZooGroup, ImportFormat::Summary},
        {"sparse_runs.csv", kSparseGroup, ImportFormat::Summary},
        {"knowledge_runs.csv", kKnowledgeGroup, ImportFormat::Summary},
        {"curve_forecast.csv", kCurveForecastGroup, ImportFormat::Long},
    };
    bool ok = true;
    {
        auto project = Project::create(tmp, error);
        if (!project)
            return false;
        for (const auto& f : files) {
            ImportConfig config;
            config.format = f.format;
            config.group = f.group;
            // Nominal shot counts of the model-zoo table (see its README).
            config.evaluationShots = {
                {"mmlu", 5}, {"bbh", 3}, {"math", 4}, {"humaneval", 0}, {"mbpp", 3}};
            ImportReport report;
            if (!project->importFile(utf8FromPath(pathFromUtf8(dir) / f.file), config, &report,
                                     error)) {
                ok = false;
                break;
            }
        }
        // The stopped run's plan, as a user would set it (its log cannot pin the length).
        if (ok) {
            const auto stopped = project->runByName(kCurveForecastGroup, "cosine-24k-stopped");
            RunSchedule plan;
            plan.runId = stopped ? stopped->id : 0;
            plan.definition.shape = fit::ScheduleShape::Cosine;
            plan.definition.peakLr = 3e-4;
            plan.definition.finalLr = 3e-5;
            plan.definition.warmupSteps = 2160;
            plan.definition.totalSteps = 24000;
            plan.origin = ScheduleOrigin::User;
            plan.note = "planned schedule of the example run (generate_curve_forecast.cpp)";
            ok = stopped && project->setRunSchedule(plan, error);
        }
    }
    if (ok) {
        fs::rename(pathFromUtf8(tmp), pathFromUtf8(path), ec);
        if (ec) {
            ok = false;
            if (error)
                *error = "cannot create the example project '" + path + "': " + ec.message();
        }
    }
    if (!ok)
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(pathFromUtf8(tmp + suffix), ec);
    return ok;
}

}  // namespace scalelens::data
