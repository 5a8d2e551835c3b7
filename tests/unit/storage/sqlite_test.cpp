#include "ravenous/storage/sqlite.hpp"

#include "unit/storage/storage_test_support.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace ravenous::storage {
namespace {

class Sqlite : public ::testing::Test
{
protected:
    Sqlite() : conn_(dir_.file("db.sqlite"), Connection::Mode::read_write)
    {
        conn_.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, b BLOB) STRICT");
    }

    test::TempDir dir_;
    Connection conn_;
};

TEST_F(Sqlite, PreparedStatementsAreCachedBySqlText)
{
    auto& a = conn_.prepare("SELECT 1");
    auto& b = conn_.prepare(std::string{"SELECT 1"});
    EXPECT_EQ(&a, &b);
    EXPECT_NE(&a, &conn_.prepare("SELECT 2"));
}

TEST_F(Sqlite, BindAndReadEveryType)
{
    conn_.prepare("INSERT INTO t (k, v, b) VALUES (?, ?, ?)")
        .bind_all("a", std::int64_t{1} << 40, std::optional<std::string>{})
        .run();
    conn_.prepare("INSERT INTO t (k, v, b) VALUES (?, ?, ?)")
        .bind(1, std::string{"b"})
        .bind_null(2)
        .bind_blob(3, std::string_view{"\0\1\2", 3})
        .run();
    auto& stmt = conn_.prepare("SELECT k, v, b FROM t ORDER BY k");
    ASSERT_TRUE(stmt.step());
    EXPECT_EQ(stmt.column_text(0), "a");
    EXPECT_EQ(stmt.column_int(1), std::int64_t{1} << 40);
    EXPECT_TRUE(stmt.is_null(2));
    ASSERT_TRUE(stmt.step());
    EXPECT_EQ(stmt.column_optional_int(1), std::nullopt);
    EXPECT_EQ(stmt.column_blob(2), std::string(std::string_view{"\0\1\2", 3}));
    EXPECT_FALSE(stmt.step());
}

TEST_F(Sqlite, ReusedStatementStartsFresh)
{
    conn_.prepare("INSERT INTO t (k, v) VALUES (?, ?)").bind_all("a", 1).run();
    conn_.prepare("INSERT INTO t (k, v) VALUES (?, ?)").bind_all("b", 2).run();
    auto& first = conn_.prepare("SELECT k FROM t ORDER BY k");
    ASSERT_TRUE(first.step()); // left mid-way on purpose
    auto& again = conn_.prepare("SELECT k FROM t ORDER BY k");
    ASSERT_TRUE(again.step());
    EXPECT_EQ(again.column_text(0), "a");
}

TEST_F(Sqlite, ErrorCarriesCodesAndStatement)
{
    conn_.prepare("INSERT INTO t (k, v) VALUES (?, ?)").bind_all("a", 1).run();
    try {
        conn_.prepare("INSERT INTO t (k, v) VALUES (?, ?)").bind_all("a", 2).run();
        FAIL() << "duplicate key accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), SQLITE_CONSTRAINT);
        EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_PRIMARYKEY);
        EXPECT_TRUE(e.is_unique_violation());
        EXPECT_EQ(e.statement(), "INSERT INTO t (k, v) VALUES (?, ?)");
    }
    // STRICT tables refuse the wrong type.
    EXPECT_THROW(conn_.prepare("INSERT INTO t (k, v) VALUES (?, ?)").bind_all("c", "x").run(),
                 Error);
    EXPECT_THROW(conn_.prepare("SELECT * FROM missing"), Error);
    EXPECT_THROW(conn_.exec("NOT SQL"), Error);
}

TEST_F(Sqlite, PrepareTakesExactlyOneStatement)
{
    EXPECT_THROW(conn_.prepare("SELECT 1; SELECT 2"), Error);
    EXPECT_NO_THROW(conn_.prepare("SELECT 3; -- trailing comment"));
    EXPECT_THROW(conn_.prepare("   "), Error);
}

TEST_F(Sqlite, OpeningAMissingFileReadOnlyFails)
{
    EXPECT_THROW(Connection(dir_.file("missing.sqlite"), Connection::Mode::read_only), Error);
}

} // namespace
} // namespace ravenous::storage
