// Placeholder main window until the explorer lands (issue 5).
#pragma once
#include <QMainWindow>

namespace scalelens::app {
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};
}  // namespace scalelens::app
