// How the widgets show a fit's diagnostics (fitting/diagnostics.h, analysis::FitSummary):
// a banner coloured by the worst severity, readable in the light and the dark theme, and
// per-parameter marks (an icon and a tooltip on a parameter at its bound or not identified).
#pragma once

#include <fitting/result.h>
#include <QIcon>
#include <QPalette>
#include <QString>

#include "widgets/fit/fit_summary.h"

class QLabel;

namespace scalelens::ui {

// Style sheet of a banner for `severity` on `palette`: tinted background, dark text on the
// light theme and light text on the dark theme (contrast >= 4.5, WCAG AA), a left border.
QString bannerStyle(fit::Severity severity, const QPalette& palette);

// Rich text of the banner: a title naming the status, then one line per diagnostic (worst
// first) with its code. Empty when the summary has no diagnostics.
QString diagnosticsHtml(const FitSummary& summary);

// Shows the summary's diagnostics in `banner` (hidden when there are none). Sets the dynamic
// property "severity" to "info", "warning" or "unreliable" for tests and style sheets.
void showDiagnostics(QLabel* banner, const FitSummary& summary);

// Tooltip text for a parameter's flags (fit::EstimateFlag bits); empty without flags.
QString flagToolTip(unsigned flags);
// The icon shown beside a flagged parameter.
QIcon flagIcon();

}  // namespace scalelens::ui
