#include "main_window.h"

namespace scalelens::app {
MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("ScaleLens"));
    resize(1280, 800);
}
}  // namespace scalelens::app
