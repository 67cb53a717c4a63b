// Locating the bundled example files and building the example project from them.
#include "datasets/examples.h"

#include <QCoreApplication>
#include <filesystem>

#include "datasets/project.h"

namespace scalelens::data {

namespace fs = std::filesystem;

namespace {

fs::path executableDir() {
    if (QCoreApplication::instance())
        return fs::path(QCoreApplication::applicationDirPath().toStdString());
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
                return fs::weakly_canonical(candidate).string();
    }
#ifdef SCALELENS_EXAMPLES_SOURCE_DIR
    if (hasExamples(SCALELENS_EXAMPLES_SOURCE_DIR))
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
    if (fs::exists(path, ec)) {
        if (error)
            *error = "cannot create the example project '" + path + "': the file already exists";
        return false;
    }
    // Built under a temporary name and renamed at the end, so a failure or crash never leaves a
    // half-filled project at `path`.
    const std::string tmp = path + ".creating";
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(tmp + suffix, ec);
    static const ExampleFile files[] = {
        {"chinchilla_summary.csv", kChinchillaGroup, ImportFormat::Summary},
        {"chinchilla_curves.csv", kChinchillaGroup, ImportFormat::Long},
        {"lr_batch_sweep.csv", kLrBatchGroup, ImportFormat::Summary},
        {"base_models.csv", kModelZooGroup, ImportFormat::Summary},
        {"sparse_runs.csv", kSparseGroup, ImportFormat::Summary},
        {"knowledge_runs.csv", kKnowledgeGroup, ImportFormat::Summary},
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
            if (!project->importFile((fs::path(dir) / f.file).string(), config, &report, error)) {
                ok = false;
                break;
            }
        }
    }
    if (ok) {
        fs::rename(tmp, path, ec);
        if (ec) {
            ok = false;
            if (error)
                *error = "cannot create the example project '" + path + "': " + ec.message();
        }
    }
    if (!ok)
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(tmp + suffix, ec);
    return ok;
}

}  // namespace scalelens::data
