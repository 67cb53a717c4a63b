// Writes the seed projects for fuzz_project_open: an empty project and one with two runs,
// curves, a summary metric and an evaluation, so mutations start from real SQLite pages.
#include <datasets/import.h>
#include <datasets/project.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

using namespace scalelens;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_make_project_seeds OUTPUT_FOLDER\n");
        return 2;
    }
    const std::filesystem::path out = argv[1];
    std::filesystem::create_directories(out);
    std::string error;
    const auto empty = out / "empty.scalelens";
    std::filesystem::remove(empty);
    if (!data::Project::create(empty.string(), &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    const auto small = out / "two_runs.scalelens";
    std::filesystem::remove(small);
    auto project = data::Project::create(small.string(), &error);
    if (!project) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::istringstream curves(
        "run,step,tokens,flops,metric,value\n"
        "a,1,1000,6e9,loss,4.5\na,2,2000,1.2e10,loss,4.1\na,2,2000,1.2e10,lr,3e-4\n"
        "b,1,1000,6e9,loss,4.4\nb,2,2000,1.2e10,loss,3.9\n");
    data::ImportConfig config;
    config.sourceName = "curves.csv";
    data::ImportReport report;
    if (!project->applyImport(data::parseImport(curves, config), &report, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::istringstream summary("name,N,D,loss,mmlu\na,1e6,2000,4.1,0.25\nb,2e6,2000,3.9,0.27\n");
    config.sourceName = "summary.csv";
    config.format = data::ImportFormat::Summary;
    if (!project->applyImport(data::parseImport(summary, config), &report, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    project.reset();  // closes and checkpoints the WAL into the file
    std::filesystem::remove(small.string() + "-wal");
    std::filesystem::remove(small.string() + "-shm");
    return 0;
}
