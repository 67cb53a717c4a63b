// How much slower this test build runs than a release build, for the limits that guard against
// hangs and quadratic time (minutes) rather than against a sanitizer's constant factor.
// AddressSanitizer + UBSan at -O1 runs the Ceres fits and bootstraps 5-10x slower.
#pragma once

namespace scalelens::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr int kSlowdown = 10;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr int kSlowdown = 10;
#else
inline constexpr int kSlowdown = 1;
#endif
#else
inline constexpr int kSlowdown = 1;
#endif

// A child process's time limit in milliseconds: `releaseMs` in a release build.
inline constexpr int processTimeoutMs(int releaseMs) {
    return releaseMs * kSlowdown;
}

}  // namespace scalelens::test
