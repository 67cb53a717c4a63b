// Project > Check Integrity: the checks of `scalelens-cli check` (SQLite's integrity_check and
// foreign_key_check, the project's own rules) on a read-only connection of its own, so it can
// run on a worker thread while the window keeps using the document's connection.
#pragma once

#include <QString>
#include <QStringList>

namespace scalelens::app {

struct ProjectCheckResult {
    bool ok = false;       // opened and no problem found
    bool busy = false;     // another process held the file (the message names it when known)
    QStringList problems;  // one line per problem, or the reason it could not be checked
};

// Blocking; any thread. Never changes the file.
ProjectCheckResult checkProjectFile(const QString& path);

}  // namespace scalelens::app
