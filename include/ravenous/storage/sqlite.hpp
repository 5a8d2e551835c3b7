#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

// A thin RAII layer over SQLite (SQLiteCpp's vocabulary): connections, cached prepared
// statements, and an exception carrying SQLite's codes. Used only inside storage/.
namespace ravenous::storage {

// What SQLite reported, with the statement it was running. For logs only: never shown to a
// client (the session renders a generic 500).
class Error : public std::runtime_error
{
public:
    Error(int code, int extended_code, std::string message, std::string statement = {});
    int code() const noexcept { return code_; }
    int extended_code() const noexcept { return extended_code_; }
    const std::string& statement() const noexcept { return statement_; }
    // SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY.
    bool is_unique_violation() const noexcept;

private:
    int code_;
    int extended_code_;
    std::string statement_;
};

class Statement
{
public:
    // Takes ownership of a prepared statement (finalized on destruction).
    explicit Statement(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Bind by 1-based index; std::nullopt binds NULL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view{text}); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view{text}); }
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bind_null(index);
    }
    // Binds every argument in order from index 1.
    template <class... Args>
    Statement& bind_all(const Args&... args)
    {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // Steps once: true if a row is available.
    bool step();
    // Steps to completion (for statements returning no rows).
    void run();

    bool is_null(int column) const;
    std::int64_t column_int(int column) const;
    std::string column_text(int column) const;
    std::optional<std::string> column_optional_text(int column) const;
    std::optional<std::int64_t> column_optional_int(int column) const;
    std::string column_blob(int column) const;

    sqlite3_stmt* raw() const noexcept { return stmt_; }

private:
    sqlite3_stmt* stmt_;
};

class Connection
{
public:
    enum class Mode { read_write, read_only };
    Connection(const std::string& path, Mode mode);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one or more statements without results (pragmas, DDL, BEGIN/COMMIT).
    void exec(std::string_view sql);

    // A prepared statement cached by its SQL text, reset and with bindings cleared, ready to
    // bind. The reference stays valid for the connection's lifetime. One user at a time.
    Statement& prepare(std::string_view sql);

    // Resets every statement still stepping (end of a job: releases what they hold).
    void reset_all() noexcept;
    // True between BEGIN and COMMIT/ROLLBACK (SQLite may roll back by itself on some errors).
    bool in_transaction() const noexcept;

    std::int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* raw() const noexcept { return db_; }

private:
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept
        {
            return std::hash<std::string_view>{}(s);
        }
    };
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<Statement>, Hash, std::equal_to<>> statements_;
};

// A read transaction: a consistent snapshot for one request.
class ReadTxn
{
public:
    explicit ReadTxn(Connection& conn) : conn_(conn) {}
    Connection& conn() { return conn_; }
    Statement& prepare(std::string_view sql) { return conn_.prepare(sql); }

private:
    Connection& conn_;
};

// The transaction a write job runs in. Each job runs in its own SAVEPOINT inside the batch's
// BEGIN IMMEDIATE ... COMMIT: a job that throws rolls back only itself. (Declared here rather
// than in writer.hpp so that table files need no Asio header; writer.hpp includes this.)
class WriteTxn : public ReadTxn
{
public:
    explicit WriteTxn(Connection& conn) : ReadTxn(conn) {}

    // Runs after the batch that holds this job has committed (on the writer thread, before the
    // job's awaiter resumes); dropped if this job or the commit fails. Keep it short: it is
    // for telling in-memory state (the sync notifier, caches) what is now durable.
    void on_commit(std::function<void()> fn) { pending_.push_back(std::move(fn)); }

    std::vector<std::function<void()>> take_commit_hooks()
    {
        // One notification per job, with its highest position: a batch of thousands of events
        // wakes /sync once, not once per event.
        if (max_stream_position_ && stream_listener_ && *stream_listener_)
            pending_.push_back([listener = stream_listener_, position = max_stream_position_] {
                (*listener)(position);
            });
        max_stream_position_ = 0;
        return std::move(pending_);
    }
    void drop_commit_hooks()
    {
        pending_.clear();
        max_stream_position_ = 0;
    }

    // The writer's listener for new stream positions (the sync notifier): told of each position
    // this job allocated, once the batch holding the job has committed.
    void set_stream_listener(const std::function<void(std::int64_t)>* listener)
    {
        stream_listener_ = listener;
    }
    void stream_position_allocated(std::int64_t position)
    {
        max_stream_position_ = std::max(max_stream_position_, position);
    }

private:
    std::vector<std::function<void()>> pending_;
    const std::function<void(std::int64_t)>* stream_listener_ = nullptr;
    std::int64_t max_stream_position_ = 0;
};

} // namespace ravenous::storage
