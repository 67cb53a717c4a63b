// Include this instead of Catch2 directly: Debian 12 ships Catch2 v2, Homebrew and vcpkg v3.
#pragma once
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
using Catch::Approx;
#else
#include <catch2/catch.hpp>
#endif
