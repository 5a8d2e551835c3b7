#pragma once

// Event-shaped rows written straight into a database file, through the storage layer's own
// connection, pragmas (apply_connection_pragmas: WAL, synchronous=NORMAL) and migrations (the
// embedded schema/), so that "the same mode as the server" holds by construction.
//
// Used for the storage ceiling and to pre-fill a database before the server opens it. The
// rows are what the server's log holds per the schema (rooms, events, current_state,
// memberships); until the rooms issue ships its event writer, they are written here, by SQL
// that follows schema/0001_init.sql: update it when the log's format changes.

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::bench {

class EventLog
{
public:
    // Opens (creating) the file read-write, sets the pragmas, applies the migrations.
    explicit EventLog(const std::string& path);

    // `count` rooms created by `owner`, each with its m.room.create and the owner's join as
    // state events (current_state and memberships rows included). One transaction.
    void create_rooms(std::size_t count, std::string_view owner);

    // A batch of m.room.message events (about `event_bytes` of JSON each), spread round-robin
    // over the rooms. Building rows is separate from inserting them so that a measurement can
    // time the INSERTs alone.
    struct Row
    {
        std::size_t room;
        std::string event_id;
        std::string sender;
        std::int64_t ts;
        std::string json;
    };
    std::vector<Row> make_messages(std::size_t count);
    // Inserts the rows in one BEGIN IMMEDIATE ... COMMIT.
    void insert(const std::vector<Row>& rows);

    std::uint64_t events() const { return events_; }
    std::size_t rooms() const { return rooms_.size(); }
    storage::Connection& connection() { return *conn_; }

    static constexpr std::size_t event_bytes = 500;

private:
    struct Room
    {
        std::string id;
        std::int64_t next_topo = 0;
    };
    std::int64_t insert_event(std::size_t room, std::string_view event_id, std::string_view type,
                              const std::string* state_key, std::string_view sender,
                              std::int64_t ts, std::string_view json);
    std::string next_event_id();
    // Stores stream_pos_ in the stream counter (inside the open transaction).
    void commit_stream();

    std::unique_ptr<storage::Connection> conn_;
    std::vector<Room> rooms_;
    std::uint64_t events_ = 0;
    std::int64_t stream_pos_ = 0; // the last position handed out
    std::uint64_t id_counter_ = 0;
    std::uint64_t room_serial_ = 0; // rooms in the file, for fresh room ids
    std::size_t next_room_ = 0;
};

} // namespace ravenous::bench
