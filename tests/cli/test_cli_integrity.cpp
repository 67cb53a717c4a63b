// scalelens-cli on files that are not projects, damaged projects and locked projects (issue 14):
// exit 3 with a message, never a silent empty result, never a change to the file; exit 6 when
// another process holds the project.
#include <sqlite3.h>

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "scalelens_catch.h"

namespace {

using scalelens::test::runCli;

QString fixture(const char* name) {
    return QStringLiteral(SCALELENS_SOURCE_DIR "/tests/datasets/data/") + QString::fromUtf8(name);
}

std::string bytes(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void sql(const QString& path, const char* text) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
    const int rc = sqlite3_exec(db, text, nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

// A project with the long_quirks fixture, in rollback mode so the file holds every page.
QString project(const QTemporaryDir& tmp, const char* name = "p.scalelens") {
    const QString path = tmp.filePath(name);
    const auto r = runCli({"import", fixture("long_quirks.csv"), "--project", path});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    sql(path, "PRAGMA journal_mode = DELETE");
    return path;
}

}  // namespace

TEST_CASE("check: a sound project is ok, read-only", "[cli][check]") {
    QTemporaryDir tmp;
    const QString path = project(tmp);
    const std::string before = bytes(path);
    const auto r = runCli({"check", "--project", path});
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 0);
    CHECK(r.out == (path + ": ok\n").toUtf8());
    CHECK(bytes(path) == before);
    CHECK_FALSE(QFile::exists(path + "-wal"));
    const auto json = scalelens::test::parseJson(runCli({"check", "--project", path, "--json"}));
    CHECK(json["ok"].toBool());
    CHECK(json["problems"].toArray().isEmpty());
}

TEST_CASE("a foreign SQLite file and a 0-byte file: exit 3, unchanged", "[cli][check][exit]") {
    QTemporaryDir tmp;
    const QString foreign = tmp.filePath("foreign.scalelens");
    sql(foreign, "CREATE TABLE notes (x TEXT); PRAGMA user_version = 2;");
    const QString empty = tmp.filePath("empty.scalelens");
    QFile(empty).open(QIODevice::WriteOnly);
    const std::string before = bytes(foreign);
    for (const QString& file : {foreign, empty}) {
        for (const QStringList& args :
             {QStringList{"runs", "--project", file}, QStringList{"check", "--project", file},
              QStringList{"fit", "--law", "chinchilla", "--project", file},
              QStringList{"plot", "--project", file, "--view", "loss-vs-compute", "--out",
                          tmp.filePath("x.png")},
              QStringList{"import", fixture("long_quirks.csv"), "--project", file}}) {
            INFO(args.join(' ').toStdString());
            const auto r = runCli(args);
            INFO(r.err.toStdString());
            CHECK(r.exitCode == 3);
            CHECK(r.err.contains("not a ScaleLens project"));
        }
    }
    CHECK(bytes(foreign) == before);
    CHECK(QFileInfo(empty).size() == 0);
    CHECK_FALSE(QFile::exists(foreign + "-wal"));
    CHECK_FALSE(QFile::exists(empty + "-wal"));
}

TEST_CASE("a damaged project: exit 3 naming the damage, not '0 runs'", "[cli][check][exit]") {
    QTemporaryDir tmp;
    const QString path = project(tmp);
    {
        std::fstream f(path.toStdString(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(16384);  // every page after the header page
        const std::string junk(std::filesystem::file_size(path.toStdString()) - 16384, '\xA5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto r = runCli({"runs", "--project", path});
    CHECK(r.exitCode == 3);
    CHECK(r.out.isEmpty());
    CHECK(r.err.contains("database disk image is malformed"));
    r = runCli({"check", "--project", path});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("scalelens-cli check: "));
    r = runCli({"import", fixture("summary_derived.csv"), "--project", path});
    CHECK(r.exitCode == 3);

    // A dropped table is named.
    const QString dropped = project(tmp, "dropped.scalelens");
    sql(dropped, "DROP TABLE metrics");
    r = runCli({"runs", "--project", dropped});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("the project is damaged: table 'metrics' missing"));
}

TEST_CASE("exit 6 when another process is writing to the project", "[cli][exit][locks]") {
    QTemporaryDir tmp;
    const QString path = tmp.filePath("p.scalelens");  // WAL, as ScaleLens leaves it
    REQUIRE(runCli({"import", fixture("long_quirks.csv"), "--project", path}).exitCode == 0);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    const auto r = runCli({"import", fixture("summary_derived.csv"), "--project", path});
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 6);
    CHECK(r.err.contains(QStringLiteral("is busy: another process is writing to it (held by pid %1")
                             .arg(QCoreApplication::applicationPid())
                             .toUtf8()));
    // Readers are not blocked by a writer (WAL): runs still works during an import.
    CHECK(runCli({"runs", "--project", path}).exitCode == 0);
    CHECK(runCli({"runs", "--help"}).out.contains("6 project busy"));
}

TEST_CASE("control characters in run names are escaped when printed", "[cli][runs]") {
    QTemporaryDir tmp;
    const QString csv = tmp.filePath("ansi.csv");
    {
        QFile f(csv);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("run,params,loss\n\x1b[31mred\x1b[0m,1e8,3.5\n");
    }
    const QString path = tmp.filePath("p.scalelens");
    REQUIRE(runCli({"import", csv, "--project", path}).exitCode == 0);
    const auto r = runCli({"runs", "--project", path});
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("\\x1B[31mred\\x1B[0m"));
    CHECK_FALSE(r.out.contains('\x1b'));
}
