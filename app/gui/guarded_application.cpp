#include "guarded_application.h"

#include <datasets/project.h>
#include <QMessageBox>
#include <QTimer>
#include <cstdio>

namespace scalelens::app {

GuardedApplication::GuardedApplication(int& argc, char** argv) : QApplication(argc, argv) {}

bool GuardedApplication::notify(QObject* receiver, QEvent* event) {
    try {
        return QApplication::notify(receiver, event);
    } catch (const data::ProjectError& error) {
        reportProjectError(QString::fromStdString(error.what()));
    }
    return false;
}

void GuardedApplication::reportProjectError(const QString& message) {
    std::fprintf(stderr, "scalelens: %s\n", qPrintable(message));
    static bool showing = false;
    if (showing || QApplication::platformName() == QStringLiteral("offscreen"))
        return;
    showing = true;
    // Queued: the dialog's own event loop must not run inside the handler that failed.
    QTimer::singleShot(0, [message] {
        QMessageBox::critical(
            QApplication::activeWindow(), QObject::tr("ScaleLens"),
            QObject::tr("The project could not be read:\n%1\n\nThe file may be damaged. "
                        "`scalelens-cli check --project FILE` lists what is wrong; open a "
                        "backup or re-import the logs into a new project.")
                .arg(message));
        showing = false;
    });
}

}  // namespace scalelens::app
