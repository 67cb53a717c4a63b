// fileSha256 (SHA extensions when available) against FIPS 180-4 vectors and QCryptographicHash.
#include <QCryptographicHash>
#include <cstdio>
#include <random>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;

namespace {
std::string writeFile(const test::TempDir& tmp, const std::string& bytes) {
    const std::string path = tmp.path("bytes.bin");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    return path;
}
}  // namespace

TEST_CASE("fileSha256 matches the FIPS 180-4 examples", "[import][sha256]") {
    test::TempDir tmp;
    std::string error;
    CHECK(data::fileSha256(writeFile(tmp, "abc"), &error) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(data::fileSha256(writeFile(tmp, ""), &error) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(data::fileSha256(
              writeFile(tmp, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), &error) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(data::fileSha256(tmp.path("missing.bin"), &error).empty());
    CHECK(error == "cannot read '" + tmp.path("missing.bin") + "'");
}

TEST_CASE("fileSha256 agrees with QCryptographicHash at block boundaries", "[import][sha256]") {
    test::TempDir tmp;
    std::mt19937 rng(7);
    for (std::size_t size : {1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 1000u, 3u * 1048576u + 7u}) {
        std::string bytes(size, '\0');
        for (auto& c : bytes)
            c = static_cast<char>(rng());
        const std::string expected =
            QCryptographicHash::hash(QByteArray::fromStdString(bytes), QCryptographicHash::Sha256)
                .toHex()
                .toStdString();
        std::string error;
        INFO("size " << size);
        CHECK(data::fileSha256(writeFile(tmp, bytes), &error) == expected);
    }
}
