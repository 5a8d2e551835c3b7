// The migration runner: schema/NNNN_name.sql files, PRAGMA user_version, one transaction each.
#include "ravenous/storage/migrate.hpp"

#include "ravenous/storage/sqlite.hpp"

#include <sqlite3.h>

#include <chrono>

namespace ravenous::storage {

namespace {

constexpr std::string_view insert_migration_sql =
    "INSERT INTO schema_migrations (version, name, applied_at, ravenous_version) "
    "VALUES (?, ?, ?, ?)";

int user_version(Connection& conn)
{
    auto& stmt = conn.prepare("PRAGMA user_version");
    const int version = stmt.step() ? static_cast<int>(stmt.column_int(0)) : 0;
    stmt.run();
    return version;
}

std::int64_t now_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void check_files(const std::vector<SchemaFile>& files)
{
    int previous = 0;
    for (const auto& file : files) {
        if (file.version <= previous) {
            throw Error(SQLITE_MISUSE, SQLITE_MISUSE,
                        "schema files out of order at " + std::string{file.name});
        }
        previous = file.version;
    }
}

void rollback(Connection& conn)
{
    conn.reset_all();
    if (conn.in_transaction()) {
        conn.exec("ROLLBACK");
    }
}

void apply(Connection& conn, const SchemaFile& file, std::string_view ravenous_version)
{
    conn.exec("BEGIN IMMEDIATE");
    try {
        conn.exec(file.sql);
        conn.exec("PRAGMA user_version = " + std::to_string(file.version));
        conn.prepare(insert_migration_sql)
            .bind_all(file.version, file.name, now_ms(), ravenous_version)
            .run();
        conn.exec("COMMIT");
    } catch (const Error& e) {
        rollback(conn);
        throw Error(e.code(), e.extended_code(),
                    "migration " + std::string{file.name} + " failed: " + e.what());
    } catch (...) {
        rollback(conn);
        throw;
    }
}

} // namespace

MigrationReport migrate(Connection& conn, const std::vector<SchemaFile>& files,
                        std::string_view ravenous_version)
{
    check_files(files);
    MigrationReport report;
    report.from_version = user_version(conn);
    const int newest = files.empty() ? 0 : files.back().version;
    if (report.from_version > newest) {
        throw Error(SQLITE_ERROR, SQLITE_ERROR,
                    "database schema version " + std::to_string(report.from_version)
                        + " is newer than this build supports (" + std::to_string(newest)
                        + ")");
    }
    for (const auto& file : files) {
        if (file.version > report.from_version) {
            apply(conn, file, ravenous_version);
        }
    }
    report.to_version = user_version(conn);
    return report;
}

} // namespace ravenous::storage
