// libFuzzer target: the project open path on arbitrary bytes. The input is written as a
// .scalelens file and opened; when it opens, every read a user can trigger runs (runs, metric
// names, curves, final values, evaluations, fits, fingerprint). A damaged file must give an
// error, never a crash: open() fails with a message, or a read throws data::ProjectError with
// one (damage SQLite finds only when it reaches the page, datasets/project.h). Seeds are small
// valid projects and SQLite files.
#include <datasets/project.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_support.h"

using namespace scalelens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = fuzz::scratchDir() / "fuzz.scalelens";
    fuzz::removeTree(path);
    fuzz::removeTree(path.string() + "-wal");
    fuzz::removeTree(path.string() + "-shm");
    fuzz::writeFile(path, std::string_view(reinterpret_cast<const char*>(data), size));
    std::string error;
    auto project = data::Project::open(path.string(), &error);
    if (!project) {
        if (error.empty())
            std::abort();
        return 0;
    }
    try {
        const auto runs = project->runs();
        const auto names = project->metricNames();
        for (const auto& run : runs)
            for (const auto& metric : names)
                (void)project->metrics(run.id, metric);
        for (const auto& metric : names)
            (void)project->finalValues(metric);
        (void)project->evaluations();
        (void)project->fits();
        (void)project->imports();
        (void)project->dataFingerprint();
    } catch (const data::ProjectError& e) {
        if (std::string_view(e.what()).empty())
            std::abort();
    }
    return 0;
}
