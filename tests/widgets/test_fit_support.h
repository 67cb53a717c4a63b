// Helpers shared by the fit-panel, calculator and report tests.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QString>
#include <functional>

#include "scalelens_catch.h"

namespace Catch {
// Readable QString values in failure messages.
template <>
struct StringMaker<QString> {
    static std::string convert(const QString& value) { return '"' + value.toStdString() + '"'; }
};
}  // namespace Catch

namespace scalelens::test {
// QTRY-style wait: processes events until `done` is true or `ms` elapse.
inline bool waitUntil(const std::function<bool()>& done, int ms = 10000) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}
}  // namespace scalelens::test
