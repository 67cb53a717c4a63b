// Calls a function once, right after a widget has painted for the first time: the moment a
// user sees the window. Used by --quit-after-first-paint (start-up benchmark) and --screenshot.
#pragma once

#include <QObject>
#include <functional>

class QWidget;

namespace scalelens::app {

class FirstPaintWatcher : public QObject {
    Q_OBJECT
  public:
    // Watches `window` (and its children); `done` runs once, on the event loop turn after the
    // first paint event. The watcher is a child of `window`.
    static void install(QWidget* window, std::function<void()> done);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    FirstPaintWatcher(QWidget* window, std::function<void()> done);
    std::function<void()> m_done;
    bool m_fired = false;
};

}  // namespace scalelens::app
