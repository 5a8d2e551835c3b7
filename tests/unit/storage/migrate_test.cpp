#include "ravenous/storage/migrate.hpp"

#include "ravenous/storage/database.hpp"
#include "ravenous/storage/sqlite.hpp"
#include "unit/storage/storage_test_support.hpp"

#include <gtest/gtest.h>

namespace ravenous::storage {
namespace {

using test::TempDir;

class Migrate : public ::testing::Test
{
protected:
    std::unique_ptr<Connection> open()
    {
        auto conn = std::make_unique<Connection>(dir_.file("db.sqlite"),
                                                 Connection::Mode::read_write);
        apply_connection_pragmas(*conn, false);
        return conn;
    }

    static std::int64_t query_int(Connection& conn, std::string_view sql)
    {
        auto& stmt = conn.prepare(sql);
        EXPECT_TRUE(stmt.step()) << sql;
        return stmt.column_int(0);
    }

    static int newest() { return embedded_schema_files().back().version; }

    DatabaseOptions options(const std::string& name)
    {
        DatabaseOptions options;
        options.path = dir_.file(name);
        return options;
    }

    TempDir dir_;
};

TEST_F(Migrate, EmbeddedFilesAreInVersionOrderStartingAtOne)
{
    const auto& files = embedded_schema_files();
    ASSERT_FALSE(files.empty());
    EXPECT_EQ(files.front().version, 1);
    EXPECT_EQ(files.front().name, "0001_init.sql");
    for (std::size_t i = 1; i < files.size(); ++i) {
        EXPECT_LT(files[i - 1].version, files[i].version);
    }
}

TEST_F(Migrate, FreshDatabaseGetsEveryVersionAndItsRows)
{
    auto conn = open();
    const auto report = migrate(*conn, embedded_schema_files(), "1.2.3-test");
    EXPECT_EQ(report.from_version, 0);
    EXPECT_EQ(report.to_version, newest());
    EXPECT_EQ(query_int(*conn, "PRAGMA user_version"), newest());

    auto& rows = conn->prepare(
        "SELECT version, name, applied_at, ravenous_version FROM schema_migrations ORDER BY version");
    std::size_t i = 0;
    const auto& files = embedded_schema_files();
    while (rows.step()) {
        ASSERT_LT(i, files.size());
        EXPECT_EQ(rows.column_int(0), files[i].version);
        EXPECT_EQ(rows.column_text(1), files[i].name);
        EXPECT_GT(rows.column_int(2), 1'600'000'000'000); // milliseconds since the epoch
        EXPECT_EQ(rows.column_text(3), "1.2.3-test");
        ++i;
    }
    EXPECT_EQ(i, files.size());
}

TEST_F(Migrate, ReopeningIsANoOp)
{
    {
        auto conn = open();
        migrate(*conn, embedded_schema_files(), "test");
    }
    auto conn = open();
    const auto report = migrate(*conn, embedded_schema_files(), "test");
    EXPECT_EQ(report.from_version, newest());
    EXPECT_EQ(report.to_version, newest());
    EXPECT_EQ(query_int(*conn, "SELECT count(*) FROM schema_migrations"),
              static_cast<std::int64_t>(embedded_schema_files().size()));
}

TEST_F(Migrate, DatabaseThroughTheDatabaseClassReopens)
{
    {
        Database db{options("sub/dir/db.sqlite")};
        EXPECT_EQ(db.schema_version(), newest());
    }
    Database db{options("sub/dir/db.sqlite")};
    EXPECT_EQ(db.schema_version(), newest());
}

TEST_F(Migrate, NewerDatabaseIsRefusedWithAClearMessage)
{
    {
        auto conn = open();
        migrate(*conn, embedded_schema_files(), "test");
        conn->exec("PRAGMA user_version = " + std::to_string(newest() + 1));
    }
    auto conn = open();
    try {
        migrate(*conn, embedded_schema_files(), "test");
        FAIL() << "a newer database was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(std::string{e.what()},
                  "database schema version " + std::to_string(newest() + 1)
                      + " is newer than this build supports (" + std::to_string(newest())
                      + ")");
    }
    EXPECT_EQ(query_int(*conn, "PRAGMA user_version"), newest() + 1);
    EXPECT_THROW(Database{options("db.sqlite")}, Error);
}

TEST_F(Migrate, FailingFileLeavesTheDatabaseAsItWas)
{
    auto files = embedded_schema_files();
    const int bad_version = newest() + 1;
    files.push_back({bad_version, "9999_bad.sql",
                     "CREATE TABLE half_done (x INTEGER) STRICT;\n"
                     "INSERT INTO meta (key, value) VALUES ('half', 'done');\n"
                     "INSERT INTO no_such_table VALUES (1);\n"});
    auto conn = open();
    try {
        migrate(*conn, files, "test");
        FAIL() << "the failing migration was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string{e.what()}.find("9999_bad.sql"), std::string::npos) << e.what();
    }
    // The good files before it are applied; nothing of the bad one is.
    EXPECT_EQ(query_int(*conn, "PRAGMA user_version"), newest());
    EXPECT_EQ(query_int(*conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'"), 0);
    EXPECT_EQ(query_int(*conn, "SELECT count(*) FROM meta"), 0);
    EXPECT_EQ(query_int(*conn, "SELECT count(*) FROM schema_migrations WHERE version = "
                                   + std::to_string(bad_version)),
              0);
    EXPECT_FALSE(conn->in_transaction());

    // Fixed, it applies on the next start.
    files.back().sql = "CREATE TABLE half_done (x INTEGER) STRICT;";
    const auto report = migrate(*conn, files, "test");
    EXPECT_EQ(report.from_version, newest());
    EXPECT_EQ(report.to_version, bad_version);
}

TEST_F(Migrate, CustomFileListFromScratch)
{
    const std::vector<SchemaFile> files = {
        {1, "0001_a.sql",
         "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
         "applied_at INTEGER NOT NULL, ravenous_version TEXT NOT NULL) STRICT;"
         "CREATE TABLE a (x INTEGER) STRICT;"},
        {3, "0003_b.sql", "CREATE TABLE b (y INTEGER) STRICT;"},
    };
    auto conn = open();
    const auto report = migrate(*conn, files, "test");
    EXPECT_EQ(report.to_version, 3);
    EXPECT_EQ(query_int(*conn, "SELECT count(*) FROM schema_migrations"), 2);
}

TEST_F(Migrate, FilesOutOfOrderAreRejected)
{
    const std::vector<SchemaFile> files = {{2, "0002_b.sql", "SELECT 1;"},
                                           {1, "0001_a.sql", "SELECT 1;"}};
    auto conn = open();
    EXPECT_THROW(migrate(*conn, files, "test"), Error);
    EXPECT_EQ(query_int(*conn, "PRAGMA user_version"), 0);
}

} // namespace
} // namespace ravenous::storage
