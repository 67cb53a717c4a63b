// Catch2 main for widget tests: one QApplication for the whole run, offscreen by default.
#define CATCH_CONFIG_RUNNER
#include <QApplication>
#include "scalelens_catch.h"

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ScaleLensTest"));
    QApplication::setOrganizationName(QStringLiteral("ScaleLensTest"));
    return Catch::Session().run(argc, argv);
}
