#include "widgets/import/import_paths.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace scalelens::ui {
namespace {

// A TensorBoard log folder: event files (events.out.tfevents.*) somewhere below it. The whole
// folder is one source: the importer names runs after its subfolders.
bool isTensorBoardFolder(const QString& path) {
    QDirIterator it(path, {QStringLiteral("*tfevents*")}, QDir::Files,
                    QDirIterator::Subdirectories);
    return it.hasNext();
}

bool isMlflowFolder(const QString& path) {
    const QDir dir(path);
    if (dir.dirName() == QLatin1String("mlruns"))
        return true;
    if (dir.exists(QStringLiteral("meta.yaml")) || dir.exists(QStringLiteral("metrics")))
        return true;
    return false;
}

}  // namespace

QStringList expandImportPaths(const QStringList& paths) {
    QStringList result;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            continue;
        if (!info.isDir()) {
            result << info.absoluteFilePath();
            continue;
        }
        if (isMlflowFolder(info.absoluteFilePath()) ||
            isTensorBoardFolder(info.absoluteFilePath())) {
            result << info.absoluteFilePath();
            continue;
        }
        QStringList files;
        QDirIterator it(info.absoluteFilePath(),
                        {QStringLiteral("*.csv"), QStringLiteral("*.tsv"), QStringLiteral("*.txt")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            files << it.next();
        }
        files.sort();
        result << files;
    }
    result.removeDuplicates();
    return result;
}

}  // namespace scalelens::ui
