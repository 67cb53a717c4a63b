// Numbers as the scaling-law literature writes them, shared by fit summaries (analysis/) and
// every widget that prints a number (widgets/base/number_format.h).
#pragma once

#include <QString>
#include <optional>
#include <string>
#include <string_view>

namespace scalelens::analysis {

// %.{digits}g, but in scientific form written as papers and users write it: no "+", no leading
// zeros in the exponent, no trailing zeros in the mantissa (1e21, 5.76e23, 9.1656e-4). Values in
// [1e-3, 1e4) are printed plainly (0.0125, 50.1); a non-finite value is an en dash.
QString compactNumber(double value, int digits = 4);

// Text from imported files made safe for a terminal or a one-line message: control characters
// (ANSI escape sequences, carriage returns, ...) become \xNN.
std::string printable(std::string_view text);

// The whole text as a finite double, parsed with the C locale whatever the system locale (a
// leading '+' allowed; 1e21, 5.76E+23). Nothing for partial, non-finite or empty text.
std::optional<double> parseNumber(const std::string& text);

}  // namespace scalelens::analysis
