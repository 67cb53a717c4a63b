// Application colour theme: light, dark, or following the desktop.
//
// Qt 6.4 has no QStyleHints::colorScheme(), so "system" is inferred from the palette the
// platform gave the application at start-up (a dark window colour means a dark desktop).
// Light and dark both use the Fusion style so every platform renders the same, readable
// palette; plots read QApplication::palette() and therefore follow the theme.
//
//   ui::captureSystemPalette();          // once, right after QApplication is created
//   ui::applyTheme(ui::Theme::Dark);     // whenever the user picks a theme
#pragma once

#include <QPalette>
#include <QString>

namespace scalelens::ui {

enum class Theme {
    System,  // follow the desktop (inferred from the start-up palette)
    Light,   // Fusion with a light palette
    Dark,    // Fusion with a dark palette
};

// Stable names for settings files: "system", "light", "dark".
QString themeName(Theme theme);
// Parses themeName() output; unknown text gives Theme::System.
Theme themeFromName(const QString& name);

// Remembers the platform palette and style; call before the first applyTheme().
void captureSystemPalette();
// True when the palette captured at start-up looks dark (window lightness < 50%).
bool systemPrefersDark();
// True when the current application palette is dark (for views choosing colours).
bool isDarkPalette(const QPalette& palette);

// The palettes applied for Light and Dark.
QPalette lightPalette();
QPalette darkPalette();

// Sets style and palette on the QApplication. System resolves to Light or Dark from the
// captured palette so both cases get the same, tested Fusion look.
void applyTheme(Theme theme);
// The theme last passed to applyTheme() (System before any call).
Theme currentTheme();

// WCAG 2 relative luminance of an sRGB colour (alpha ignored): 0 for black, 1 for white.
double relativeLuminance(const QColor& color);

// WCAG 2 contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 (same colour) to 21 (black on white).
double contrastRatio(const QColor& a, const QColor& b);

// Minimum contrast of plotted data against the plot background (WCAG non-text contrast).
inline constexpr double kMinPlotContrast = 3.0;

// `color` if it has at least `minRatio` contrast against `background`, else the colour mixed
// towards white (dark background) or black (light background) just far enough. Alpha is kept.
// Series drawn in "ink" (near black) thus become light grey in the dark theme.
QColor withContrast(const QColor& color, const QColor& background,
                    double minRatio = kMinPlotContrast);

}  // namespace scalelens::ui
