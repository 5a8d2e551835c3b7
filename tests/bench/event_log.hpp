#pragma once

// Event-shaped rows written straight into a database file, through the storage layer's own
// connection, pragmas (apply_connection_pragmas: WAL, synchronous=NORMAL) and migrations (the
// embedded schema/), so that "the same mode as the server" holds by construction.
//
// Used for the storage ceiling and to pre-fill a database before the server opens it. The
// rows are written through the storage layer's own functions (storage::rooms::insert,
// stream::next, events::next_topo/insert, current_state::set, memberships::set) inside
// BEGIN IMMEDIATE ... COMMIT, so the pre-filled log is what the server writes: events in
// client format (event_id, room_id, sender, type, origin_server_ts, content, state_key for
// state events), each room opened by m.room.create, the owner's join, m.room.power_levels,
// m.room.join_rules (invite) and m.room.history_visibility (shared).

#include "ravenous/storage/sqlite.hpp"

#include <nlohmann/json_fwd.hpp>

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

    // `count` rooms created by `owner`, each with its m.room.create, the owner's join, power
    // levels, join rules and history visibility "shared" as state events (current_state and
    // memberships rows included). One transaction.
    void create_rooms(std::size_t count, std::string_view owner);
    // Joins puppets @bridge_contact_0..count-1:test.local to every room (their own m.room.member
    // join events). One transaction.
    void join_puppets(std::size_t count);

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
    // Senders are puppets @bridge_contact_<n>:test.local with n < `senders`.
    std::vector<Row> make_messages(std::size_t count, std::size_t senders = default_senders);
    // Inserts the rows in one BEGIN IMMEDIATE ... COMMIT.
    void insert(const std::vector<Row>& rows);

    std::uint64_t events() const { return events_; }
    std::size_t rooms() const { return rooms_.size(); }
    const std::string& room_id(std::size_t room) const { return rooms_[room].id; }
    static std::string puppet(std::size_t n);
    storage::Connection& connection() { return *conn_; }

    static constexpr std::size_t event_bytes = 500;
    static constexpr std::size_t default_senders = 4700; // DESIGN.md's typical user

private:
    struct Room
    {
        std::string id;
    };
    // Allocates the stream position and topo, inserts the row; returns the stream position.
    std::int64_t insert_event(storage::WriteTxn& txn, std::size_t room, std::string_view event_id,
                              std::string_view type, const std::string* state_key,
                              std::string_view sender, std::int64_t ts, std::string_view json);
    // A state event: the event, its current_state row (and memberships row for members).
    void insert_state(storage::WriteTxn& txn, std::size_t room, std::string_view type,
                      const std::string& state_key, std::string_view sender, std::int64_t ts,
                      const nlohmann::json& content);
    std::string next_event_id();

    std::unique_ptr<storage::Connection> conn_;
    std::vector<Room> rooms_;
    std::uint64_t events_ = 0;
    std::uint64_t id_counter_ = 0;
    std::uint64_t room_serial_ = 0; // rooms in the file, for fresh room ids
    std::size_t next_room_ = 0;
};

} // namespace ravenous::bench
