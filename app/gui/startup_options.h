// Command-line options of the `scalelens` GUI.
//
//   scalelens                       open the last project, else create and open the example
//   scalelens FILE.scalelens        open FILE
//   scalelens --example             open the example project (created on first use)
//   scalelens --screenshot out.png  render the window to a PNG after the first paint and quit
//                                   (also: environment variable SCALELENS_SCREENSHOT)
//   scalelens --quit-after-first-paint   quit as soon as the window has painted (start-up bench)
//   scalelens --view ID             show plot tab ID (see `scalelens-cli plot --list-views`)
//   scalelens --import FILE...      open the import dialog for run logs (repeatable)
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

namespace scalelens::app {

struct StartupOptions {
    bool example = false;              // --example
    QString file;                      // positional project file
    QString screenshot;                // --screenshot PATH (or $SCALELENS_SCREENSHOT)
    bool quitAfterFirstPaint = false;  // --quit-after-first-paint
    QString view;                      // --view ID: plot tab shown first
    QSize size;                        // --size WxH: window size (screenshots); empty = saved
    bool resetSettings = false;        // --reset-settings: ignore saved layout and theme
    QString theme;                     // --theme system|light|dark (not saved)
    QStringList imports;               // --import FILE (repeatable): files for the import dialog
};

// Parses QCoreApplication::arguments(). On --help/--version prints and returns false with
// *exitCode 0; on bad arguments prints the error and returns false with *exitCode 2.
bool parseStartupOptions(const QStringList& arguments, StartupOptions* options, int* exitCode);

}  // namespace scalelens::app
