#include "recent_files.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

#include "app_settings.h"

namespace scalelens::app {

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {}

QStringList RecentFiles::files() const {
    QStringList existing;
    for (const QString& path :
         QSettings().value(QLatin1String(settings::kRecentFiles)).toStringList()) {
        if (QFileInfo::exists(path))
            existing << path;
    }
    return existing;
}

void RecentFiles::store(const QStringList& files) {
    QSettings().setValue(QLatin1String(settings::kRecentFiles), files);
    emit changed();
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxRecent) {
        list.removeLast();
    }
    store(list);
}

void RecentFiles::remove(const QString& path) {
    QStringList list = files();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    store(list);
}

void RecentFiles::clear() {
    store({});
}

void RecentFiles::populateMenu(QMenu* menu) {
    menu->clear();
    const QStringList list = files();
    int number = 1;
    for (const QString& path : list) {
        const QString label =
            number < 10 ? QStringLiteral("&%1  %2").arg(number).arg(QFileInfo(path).fileName())
                        : QFileInfo(path).fileName();
        QAction* action = menu->addAction(label);
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] { emit openRequested(path); });
        ++number;
    }
    if (list.isEmpty())
        menu->addAction(tr("No recent projects"))->setEnabled(false);
    menu->addSeparator();
    QAction* clearAction = menu->addAction(tr("Clear Recent Projects"), this, &RecentFiles::clear);
    clearAction->setEnabled(!list.isEmpty());
}

}  // namespace scalelens::app
