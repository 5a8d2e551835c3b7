// Error and Statement: the exception carrying SQLite's codes, and a prepared statement.
#include "ravenous/storage/sqlite.hpp"

#include <sqlite3.h>

namespace ravenous::storage {

namespace {

constexpr std::size_t max_statement_in_message = 200;

std::string describe(const std::string& message, const std::string& statement)
{
    if (statement.empty()) {
        return message;
    }
    std::string text = message + " [sql: ";
    if (statement.size() > max_statement_in_message) {
        text.append(statement, 0, max_statement_in_message).append("...");
    } else {
        text += statement;
    }
    return text + "]";
}

std::string statement_text(sqlite3_stmt* stmt)
{
    const char* sql = stmt ? sqlite3_sql(stmt) : nullptr;
    return sql ? std::string{sql} : std::string{};
}

} // namespace

Error::Error(int code, int extended_code, std::string message, std::string statement)
    : std::runtime_error(describe(message, statement))
    , code_(code)
    , extended_code_(extended_code)
    , statement_(std::move(statement))
{
}

bool Error::is_unique_violation() const noexcept
{
    return extended_code_ == SQLITE_CONSTRAINT_UNIQUE
        || extended_code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
}

Statement::~Statement()
{
    sqlite3_finalize(stmt_);
}

namespace {

Error statement_error(sqlite3_stmt* stmt, int rc)
{
    sqlite3* db = sqlite3_db_handle(stmt);
    const int extended = db ? sqlite3_extended_errcode(db) : rc;
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return Error(rc & 0xff, extended, std::move(message), statement_text(stmt));
}

void check_bind(sqlite3_stmt* stmt, int rc)
{
    if (rc != SQLITE_OK) {
        throw statement_error(stmt, rc);
    }
}

} // namespace

Statement& Statement::bind(int index, std::int64_t value)
{
    check_bind(stmt_, sqlite3_bind_int64(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may go away before step().
    check_bind(stmt_, sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                                          SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes)
{
    check_bind(stmt_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(),
                                          SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind_null(int index)
{
    check_bind(stmt_, sqlite3_bind_null(stmt_, index));
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // Capture the message first, then reset so the statement is reusable.
    Error error = statement_error(stmt_, rc);
    sqlite3_reset(stmt_);
    throw error;
}

void Statement::run()
{
    while (step()) {
    }
}

bool Statement::is_null(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const
{
    const auto* text = sqlite3_column_text(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    return text ? std::string{reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)}
                : std::string{};
}

std::string Statement::column_blob(int column) const
{
    const auto* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::string{static_cast<const char*>(data), static_cast<std::size_t>(size)}
                : std::string{};
}

std::optional<std::string> Statement::column_optional_text(int column) const
{
    if (is_null(column)) {
        return std::nullopt;
    }
    return column_text(column);
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const
{
    if (is_null(column)) {
        return std::nullopt;
    }
    return column_int(column);
}

} // namespace ravenous::storage
