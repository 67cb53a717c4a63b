// The start of the app tests that look at the main window as a user would: a private copy of
// the example project (other app tests open the shared one in parallel), opened in a window
// with the default layout (no saved settings), shown.
#pragma once

#include <datasets/examples.h>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <string>

#include "main_window.h"
#include "scalelens_catch.h"

namespace scalelens::testing {

struct ExampleWindow {
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<app::MainWindow> window;

    ExampleWindow() {
        QStandardPaths::setTestModeEnabled(true);
        REQUIRE(dir.isValid());
        path = dir.filePath(QStringLiteral("example.scalelens"));
        std::string created;
        REQUIRE(data::createExampleProject(path.toStdString(), &created));
        window = std::make_unique<app::MainWindow>();
        window->restoreSettings(false);
        QString error;
        INFO(error.toStdString());
        REQUIRE(window->openProject(path, &error));
        window->show();
    }
};

}  // namespace scalelens::testing
