// scalelens: the desktop explorer.
#include <QApplication>
#include <QIcon>

#include "main_window.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ScaleLens"));
    QApplication::setOrganizationName(QStringLiteral("ScaleLens"));
    QApplication::setApplicationVersion(QStringLiteral(SCALELENS_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/scalelens/icons/scalelens.svg")));
    scalelens::app::MainWindow window;
    window.show();
    return QApplication::exec();
}
