// Connection: one sqlite3 handle and its cache of prepared statements.
#include "ravenous/storage/sqlite.hpp"

#include <sqlite3.h>

namespace ravenous::storage {

namespace {

[[noreturn]] void throw_connection_error(sqlite3* db, int rc, std::string_view sql)
{
    const int extended = db ? sqlite3_extended_errcode(db) : rc;
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw Error(rc & 0xff, extended, std::move(message), std::string{sql});
}

// True if `rest` (what follows the first statement) holds another statement, not just
// whitespace, semicolons or comments.
bool holds_statement(sqlite3* db, std::string_view rest)
{
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, rest.data(), static_cast<int>(rest.size()), &stmt, nullptr)
        != SQLITE_OK) {
        return true;
    }
    const bool found = stmt != nullptr;
    sqlite3_finalize(stmt);
    return found;
}

} // namespace

Connection::Connection(const std::string& path, Mode mode)
{
    // NOMUTEX: every connection is used by one thread at a time (the writer thread, or the
    // reader job that borrowed it), so SQLite's own locking would be pure overhead.
    const int flags = SQLITE_OPEN_NOMUTEX
        | (mode == Mode::read_only ? SQLITE_OPEN_READONLY
                                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const int extended = db_ ? sqlite3_extended_errcode(db_) : rc;
        std::string message = "cannot open database " + path + ": "
            + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(rc & 0xff, extended, std::move(message));
    }
    sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection()
{
    statements_.clear(); // finalize before closing
    sqlite3_close_v2(db_);
}

void Connection::exec(std::string_view sql)
{
    // sqlite3_exec needs a NUL-terminated string.
    const std::string text{sql};
    char* errmsg = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &errmsg);
    if (rc != SQLITE_OK) {
        std::string message = errmsg ? errmsg : sqlite3_errstr(rc);
        sqlite3_free(errmsg);
        throw Error(rc & 0xff, sqlite3_extended_errcode(db_), std::move(message), text);
    }
}

Statement& Connection::prepare(std::string_view sql)
{
    if (auto it = statements_.find(sql); it != statements_.end()) {
        sqlite3_stmt* stmt = it->second->raw();
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        return *it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
        throw_connection_error(db_, rc, sql);
    }
    auto owned = std::make_unique<Statement>(stmt);
    if (stmt == nullptr) {
        throw Error(SQLITE_MISUSE, SQLITE_MISUSE, "empty statement", std::string{sql});
    }
    const auto used = static_cast<std::size_t>(tail - sql.data());
    if (used < sql.size() && holds_statement(db_, sql.substr(used))) {
        throw Error(SQLITE_MISUSE, SQLITE_MISUSE, "prepare() takes exactly one statement",
                    std::string{sql});
    }
    auto [it, inserted] = statements_.emplace(std::string{sql}, std::move(owned));
    return *it->second;
}

void Connection::reset_all() noexcept
{
    sqlite3_stmt* stmt = nullptr;
    while ((stmt = sqlite3_next_stmt(db_, stmt)) != nullptr) {
        if (sqlite3_stmt_busy(stmt)) {
            sqlite3_reset(stmt);
        }
    }
}

bool Connection::in_transaction() const noexcept
{
    return sqlite3_get_autocommit(db_) == 0;
}

std::int64_t Connection::last_insert_rowid() const
{
    return sqlite3_last_insert_rowid(db_);
}

int Connection::changes() const
{
    return sqlite3_changes(db_);
}

} // namespace ravenous::storage
