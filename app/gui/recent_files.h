// The File > Recent list: most recent first, at most kMaxRecent, stored in QSettings, files
// that no longer exist dropped when the menu is shown.
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace scalelens::app {

class RecentFiles : public QObject {
    Q_OBJECT
  public:
    static constexpr int kMaxRecent = 10;

    explicit RecentFiles(QObject* parent = nullptr);

    // Existing files, most recent first.
    QStringList files() const;
    // Moves `path` to the top (absolute path).
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

    // Fills `menu` with one action per file (Ctrl+1..9 style mnemonics) plus "Clear".
    void populateMenu(QMenu* menu);

  signals:
    void changed();
    // A recent file was chosen in the menu.
    void openRequested(const QString& path);

  private:
    void store(const QStringList& files);
};

}  // namespace scalelens::app
