// Number parsing and formatting shared by the calculators dock, the fit panel and fit reports.
//
// Parsing never uses the system locale: "1e21", "5.76E+23" and "0.5" mean the same on a German
// desktop as on an English one (a user pasting from a paper or a notebook expects that).
// Formatting uses the unit conventions of the scaling-law literature:
//   formatCount(1.824e9, "params")   -> "1.82 B params"
//   formatCount(9.136e10, "tokens")  -> "91.4 B tokens"
//   formatScientific(1e21, "FLOP")   -> "1e21 FLOP"
// and never prints "nan" or "inf": a non-finite value becomes an en dash.
#pragma once

#include <QString>
#include <optional>

namespace scalelens::ui {

// Parses a finite number in the C locale after trimming blanks; accepts scientific notation,
// a leading '+', and '_' or thin-space digit separators are NOT accepted (ambiguous). Returns
// nullopt for empty text, trailing garbage, nan and inf.
std::optional<double> parseNumber(const QString& text);

// Three significant digits with a K/M/B/T suffix (thousand, million, billion, trillion), as model
// cards write parameter and token counts; below 1000 the plain number; above 1e15 scientific.
// `unit` is appended after a space when not empty.
QString formatCount(double value, const QString& unit = {});

// Scientific notation with up to `digits` significant digits and no trailing zeros:
// 1e21, 5.76e23, 9.1656e-4. Values in [1e-3, 1e4) are printed plainly (0.0125, 50.1).
QString formatScientific(double value, const QString& unit = {}, int digits = 4);

// A plain number with `digits` significant digits (for ratios, losses and exponents): 2.3289.
QString formatPlain(double value, int digits = 5);

}  // namespace scalelens::ui
