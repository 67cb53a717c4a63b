// Numbers and names as messages print them: one parser and one escaper, shared by the CLI and the
// analysis layer (both used to carry their own copy).
#include <analysis/number_text.h>

#include <clocale>
#include <cmath>
#include <limits>

#include "scalelens_catch.h"

using namespace scalelens;

TEST_CASE("parseNumber reads the whole text as a finite number", "[analysis][number]") {
    CHECK(analysis::parseNumber("5.76E+23") == 5.76e23);
    CHECK(analysis::parseNumber("+1e21") == 1e21);
    CHECK(analysis::parseNumber("-0.0125") == -0.0125);
    CHECK_FALSE(analysis::parseNumber(""));
    CHECK_FALSE(analysis::parseNumber("+"));
    CHECK_FALSE(analysis::parseNumber("1.5x"));  // trailing junk
    CHECK_FALSE(analysis::parseNumber(" 1.5"));  // leading space is not a number
    CHECK_FALSE(analysis::parseNumber("1,5"));   // decimal comma is refused, not read as 1
    CHECK_FALSE(analysis::parseNumber("inf"));   // only finite numbers are values
    CHECK_FALSE(analysis::parseNumber("nan"));
    CHECK_FALSE(analysis::parseNumber("1e400"));  // overflows to inf
}

TEST_CASE("parseNumber ignores the system locale", "[analysis][number]") {
    // A German locale makes strtod read "1,5"; ours must still read "1.5" and refuse "1,5".
    const char* previous = std::setlocale(LC_NUMERIC, nullptr);
    const std::string saved = previous ? previous : "C";
    const bool haveGerman = std::setlocale(LC_NUMERIC, "de_DE.UTF-8") != nullptr;
    CHECK(analysis::parseNumber("1.5") == 1.5);
    CHECK_FALSE(analysis::parseNumber("1,5"));
    std::setlocale(LC_NUMERIC, saved.c_str());
    if (!haveGerman)
        WARN("de_DE.UTF-8 is not installed; checked in the C locale only");
}

TEST_CASE("printable escapes control characters only", "[analysis][number]") {
    CHECK(analysis::printable("run-\x1b[31mred") == "run-\\x1B[31mred");
    CHECK(analysis::printable("a\rb\nc\x7f") == "a\\x0Db\\x0Ac\\x7F");
    CHECK(analysis::printable("Läufe 1") == "Läufe 1");  // UTF-8 bytes are not control characters
    CHECK(analysis::printable("").empty());
}
