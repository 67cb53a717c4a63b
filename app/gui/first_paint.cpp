#include "first_paint.h"

#include <QEvent>
#include <QTimer>
#include <QWidget>

namespace scalelens::app {

FirstPaintWatcher::FirstPaintWatcher(QWidget* window, std::function<void()> done)
    : QObject(window), m_done(std::move(done)) {}

void FirstPaintWatcher::install(QWidget* window, std::function<void()> done) {
    auto* watcher = new FirstPaintWatcher(window, std::move(done));
    window->installEventFilter(watcher);
}

bool FirstPaintWatcher::eventFilter(QObject* watched, QEvent* event) {
    // The top-level widget's paint event is the window's first frame (children paint in the
    // same backing-store flush).
    if (!m_fired && event->type() == QEvent::Paint) {
        m_fired = true;
        watched->removeEventFilter(this);
        // Queued: the paint must finish (and be flushed) before we act on it.
        QTimer::singleShot(0, this, [this] { m_done(); });
    }
    return false;
}

}  // namespace scalelens::app
