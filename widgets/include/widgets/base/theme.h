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

}  // namespace scalelens::ui
