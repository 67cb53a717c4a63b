// Numbers as the scaling-law literature writes them, shared by fit summaries (analysis/) and
// every widget that prints a number (widgets/base/number_format.h).
#pragma once

#include <QString>

namespace scalelens::analysis {

// %.{digits}g, but in scientific form written as papers and users write it: no "+", no leading
// zeros in the exponent, no trailing zeros in the mantissa (1e21, 5.76e23, 9.1656e-4). Values in
// [1e-3, 1e4) are printed plainly (0.0125, 50.1); a non-finite value is an en dash.
QString compactNumber(double value, int digits = 4);

}  // namespace scalelens::analysis
