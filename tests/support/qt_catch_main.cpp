// Catch2 main for widget and app tests: one QApplication for the whole run, offscreen by
// default, and settings / data folders private to this process. ctest runs test cases in
// parallel processes; without private folders one test's saved window layout, current view or
// recent files leak into another that runs at the same time.
#define CATCH_CONFIG_RUNNER
#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>
#include "scalelens_catch.h"

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir home;
    if (home.isValid()) {
        // QStandardPaths reads these on Linux; QSettings::setPath covers every platform. HOME
        // too: tests that call QStandardPaths::setTestModeEnabled get ~/.qttest, which two test
        // processes would otherwise share (one deleted the example project the other had open).
        for (const char* var : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
            qputenv(var, home.path().toLocal8Bit());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, home.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, home.path());
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ScaleLensTest"));
    QApplication::setOrganizationName(QStringLiteral("ScaleLensTest"));
    return Catch::Session().run(argc, argv);
}
