// Where the GUI keeps its settings and files.
//
// QSettings (organisation "ScaleLens", application "ScaleLens") holds window geometry, dock
// layout, theme, recent files and remembered import mappings. The example project lives in
// the per-user application data folder, so a first start never writes next to the binary.
#pragma once

#include <QString>

namespace scalelens::app::settings {

// QSettings keys, in one place.
inline constexpr char kGeometry[] = "window/geometry";
inline constexpr char kWindowState[] = "window/state";
inline constexpr char kTheme[] = "view/theme";
inline constexpr char kRecentFiles[] = "files/recent";
inline constexpr char kLastDir[] = "files/lastDir";
inline constexpr char kLastImportDir[] = "files/lastImportDir";
inline constexpr char kLastExportDir[] = "files/lastExportDir";
inline constexpr char kCurrentView[] = "view/current";

// Bump when the dock layout changes incompatibly: restoreState() then ignores old layouts.
inline constexpr int kWindowStateVersion = 1;

// Per-user data folder (created on demand), e.g. ~/.local/share/ScaleLens/ScaleLens.
QString dataDir();
// <dataDir>/example.scalelens
QString exampleProjectPath();
// The folder file dialogs start in: the last one used, else the user's documents folder.
QString lastDir(const char* key);
void setLastDir(const char* key, const QString& pathInFolder);

}  // namespace scalelens::app::settings
