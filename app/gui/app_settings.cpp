#include "app_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace scalelens::app::settings {

QString dataDir() {
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::home().filePath(QStringLiteral(".scalelens"));
    QDir().mkpath(dir);
    return dir;
}

QString exampleProjectPath() {
    return QDir(dataDir()).filePath(QStringLiteral("example.scalelens"));
}

QString lastDir(const char* key) {
    const QString dir = QSettings().value(QLatin1String(key)).toString();
    if (!dir.isEmpty() && QFileInfo(dir).isDir())
        return dir;
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

void setLastDir(const char* key, const QString& pathInFolder) {
    const QFileInfo info(pathInFolder);
    QSettings().setValue(QLatin1String(key),
                         info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

}  // namespace scalelens::app::settings
