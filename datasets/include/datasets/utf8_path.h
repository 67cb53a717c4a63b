// File names cross the library boundary as UTF-8 std::string (QString::toStdString, argv through
// QCoreApplication::arguments). std::filesystem::path(std::string) reads the bytes in the active
// code page on Windows, which breaks non-ASCII names; these two functions go through char8_t, which
// every platform reads as UTF-8. Open files with std::ifstream(pathFromUtf8(name)), never with the
// std::string itself (tests/portability checks this).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace scalelens::data {

inline std::filesystem::path pathFromUtf8(std::string_view utf8) {
    return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

inline std::string utf8FromPath(const std::filesystem::path& path) {
    const std::u8string u = path.u8string();
    return std::string(u.begin(), u.end());
}

// With '/' separators on every platform (for names shown to the user and stored in projects).
inline std::string genericUtf8FromPath(const std::filesystem::path& path) {
    const std::u8string u = path.generic_u8string();
    return std::string(u.begin(), u.end());
}

}  // namespace scalelens::data
