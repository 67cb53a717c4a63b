// Tests that read verification data from ../shared/datasets (never committed) skip, with the
// reason, when it is missing: a WARN that starts with "SKIPPED:" and an early return. ctest
// reports such a test as skipped (SKIP_REGULAR_EXPRESSION in tests/CMakeLists.txt), never as
// a pass or a misleading failure.
#pragma once

#include <filesystem>
#include <string>

#include "scalelens_catch.h"

namespace scalelens::testdata {

// Absolute path of a file or folder under ../shared/datasets.
inline std::string sharedPath(const std::string& relative) {
    return std::string(SCALELENS_SHARED_DIR "/datasets/") + relative;
}

inline bool sharedExists(const std::string& relative) {
    std::error_code ec;
    return std::filesystem::exists(sharedPath(relative), ec);
}

}  // namespace scalelens::testdata

// Use at the top of a TEST_CASE: returns from it (skipped) when the shared file is missing.
#define SCALELENS_REQUIRE_SHARED(relative)                                                    \
    do {                                                                                      \
        if (!::scalelens::testdata::sharedExists(relative)) {                                 \
            WARN("SKIPPED: verification data " << ::scalelens::testdata::sharedPath(relative) \
                                               << " is missing (../shared is not checked "    \
                                                  "out next to the source tree)");            \
            return;                                                                           \
        }                                                                                     \
    } while (false)
