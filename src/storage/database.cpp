// Database: opens the file, sets the pragmas, migrates, then starts the writer and the readers.
#include "ravenous/storage/database.hpp"

#include "ravenous/storage/migrate.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <filesystem>
#include <system_error>

namespace ravenous::storage {

namespace {

// How long a connection waits on a lock held by another before SQLITE_BUSY. With one writer
// this only covers checkpoints and external tools (backup, sqlite3 shell).
constexpr int busy_timeout_ms = 5000;

void create_parent_directory(const std::string& path)
{
    const auto parent = std::filesystem::path{path}.parent_path();
    if (parent.empty()) {
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
        throw Error(SQLITE_CANTOPEN, SQLITE_CANTOPEN,
                    "cannot create the database directory " + parent.string() + ": "
                        + ec.message());
    }
}

std::string pragma_text(Connection& conn, std::string_view sql)
{
    auto& stmt = conn.prepare(sql);
    std::string value = stmt.step() ? stmt.column_text(0) : std::string{};
    stmt.run();
    return value;
}

} // namespace

void apply_connection_pragmas(Connection& conn, bool read_only)
{
    conn.exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms));
    if (read_only) {
        return; // the journal mode is the file's; synchronous and foreign keys concern writes
    }
    // WAL: readers never block the writer nor the writer them. synchronous=NORMAL: in WAL mode
    // a commit is durable against an application crash; a power loss may lose the last
    // commits (never corrupt the file). The README states this trade-off.
    const auto mode = pragma_text(conn, "PRAGMA journal_mode = WAL");
    if (mode != "wal") {
        throw Error(SQLITE_ERROR, SQLITE_ERROR,
                    "cannot switch the database to WAL mode (journal_mode is " + mode + ")");
    }
    conn.exec("PRAGMA synchronous = NORMAL");
    conn.exec("PRAGMA foreign_keys = ON");
}

Database::Database(const DatabaseOptions& options)
{
    create_parent_directory(options.path);
    auto conn = std::make_unique<Connection>(options.path, Connection::Mode::read_write);
    apply_connection_pragmas(*conn, false);
    const auto report = migrate(*conn, embedded_schema_files(), RAVENOUS_VERSION);
    if (report.from_version != report.to_version) {
        spdlog::info("storage: migrated {} from schema version {} to {}", options.path,
                     report.from_version, report.to_version);
    }
    schema_version_ = report.to_version;
    writer_ = std::make_unique<Writer>(std::move(conn), options.writer);
    readers_ = std::make_unique<ReaderPool>(options.path, options.reader_threads);
}

Database::~Database()
{
    try {
        close();
    } catch (const std::exception& e) {
        spdlog::error("storage: closing the database failed: {}", e.what());
    }
}

void Database::close()
{
    // Readers first, so that the writer's final checkpoint finds no snapshot in its way.
    if (readers_) {
        readers_->stop();
    }
    if (writer_) {
        writer_->stop();
    }
}

} // namespace ravenous::storage
