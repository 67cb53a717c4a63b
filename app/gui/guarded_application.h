// The QApplication of the `scalelens` GUI, with one guard: a read of a damaged project throws
// data::ProjectError (datasets/project.h) from wherever the read happens (a model refresh, a
// view, a fit's result arriving). Qt cannot unwind an exception through its event loop, so
// without this guard the app would end with std::terminate; with it, the event that hit the
// damaged file is dropped and the user is told what happened and how to check the file.
#pragma once

#include <QApplication>

namespace scalelens::app {

class GuardedApplication : public QApplication {
  public:
    GuardedApplication(int& argc, char** argv);
    bool notify(QObject* receiver, QEvent* event) override;

    // Shows `message` about a project that could not be read, once until the dialog closes.
    static void reportProjectError(const QString& message);
};

}  // namespace scalelens::app
