#include "bench/event_log.hpp"

#include "ravenous/storage/database.hpp"
#include "ravenous/storage/migrate.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace ravenous::bench {
namespace {

using nlohmann::json;

constexpr std::string_view insert_room_sql =
    "INSERT INTO rooms (room_id, room_version, creator, is_public, created_ts) "
    "VALUES (?, '10', ?, 0, ?)";
constexpr std::string_view insert_event_sql =
    "INSERT INTO events (stream_pos, room_id, topo, event_id, type, state_key, sender, "
    "origin_server_ts, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Events take their positions from the one global stream counter, as the server's do.
constexpr std::string_view read_stream_sql = "SELECT pos FROM stream_counter WHERE id = 1";
constexpr std::string_view write_stream_sql = "UPDATE stream_counter SET pos = ? WHERE id = 1";
constexpr std::string_view count_rooms_sql = "SELECT count(*) FROM rooms";
constexpr std::string_view insert_state_sql =
    "INSERT INTO current_state (room_id, type, state_key, stream_pos) VALUES (?, ?, ?, ?)";
constexpr std::string_view insert_membership_sql =
    "INSERT INTO memberships (room_id, user_id, membership, stream_pos) VALUES (?, ?, 'join', ?)";

constexpr std::int64_t base_ts = 1'700'000'000'000;
constexpr std::size_t puppets = 4700; // DESIGN.md's typical user

// splitmix64's finaliser: a bijection, so distinct counters give distinct, evenly spread ids
// (real event ids are hashes: sequential keys would flatter the UNIQUE index).
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// 11 characters of unpadded base64url per 64 bits, as room-version-4+ event ids look.
void append_base64(std::string& out, std::uint64_t bits, std::size_t chars)
{
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < chars; ++i, bits >>= 6) {
        out += alphabet[bits & 63];
    }
}

class Transaction
{
public:
    explicit Transaction(storage::Connection& conn) : conn_(conn) { conn_.exec("BEGIN IMMEDIATE"); }
    ~Transaction()
    {
        if (!committed_ && conn_.in_transaction()) {
            try {
                conn_.exec("ROLLBACK");
            } catch (const std::exception& e) { // never throw from a destructor
                std::cerr << "ravenous-bench: ROLLBACK failed: " << e.what() << "\n";
            }
        }
    }
    void commit()
    {
        conn_.exec("COMMIT");
        committed_ = true;
    }

private:
    storage::Connection& conn_;
    bool committed_ = false;
};

} // namespace

EventLog::EventLog(const std::string& path)
    : conn_(std::make_unique<storage::Connection>(path, storage::Connection::Mode::read_write))
{
    storage::apply_connection_pragmas(*conn_, false);
    storage::migrate(*conn_, storage::embedded_schema_files(), RAVENOUS_VERSION);
    auto& stmt = conn_->prepare(read_stream_sql);
    stream_pos_ = stmt.step() ? stmt.column_int(0) : 0;
    stmt.run();
    // Ids continue after what an earlier EventLog wrote to this file: every event took one
    // stream position and one id number.
    id_counter_ = static_cast<std::uint64_t>(stream_pos_);
    auto& rooms = conn_->prepare(count_rooms_sql);
    room_serial_ = rooms.step() ? static_cast<std::uint64_t>(rooms.column_int(0)) : 0;
    rooms.run();
}

void EventLog::commit_stream()
{
    conn_->prepare(write_stream_sql).bind_all(stream_pos_).run();
}

std::string EventLog::next_event_id()
{
    const auto n = ++id_counter_;
    std::string id = "$";
    append_base64(id, mix(n), 11);
    append_base64(id, mix(n ^ 0x5555555555555555ull), 11);
    append_base64(id, mix(n ^ 0xaaaaaaaaaaaaaaaaull), 11);
    append_base64(id, mix(n + 0x1234567ull), 10);
    return id;
}

std::int64_t EventLog::insert_event(std::size_t room, std::string_view event_id,
                                    std::string_view type, const std::string* state_key,
                                    std::string_view sender, std::int64_t ts, std::string_view json)
{
    auto& r = rooms_[room];
    const auto pos = ++stream_pos_;
    auto& stmt = conn_->prepare(insert_event_sql);
    stmt.bind_all(pos, r.id, r.next_topo++, event_id, type);
    if (state_key != nullptr) {
        stmt.bind(6, *state_key);
    } else {
        stmt.bind_null(6);
    }
    stmt.bind(7, sender).bind(8, ts).bind(9, json);
    stmt.run();
    ++events_;
    return pos;
}

void EventLog::create_rooms(std::size_t count, std::string_view owner)
{
    Transaction txn(*conn_);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t index = rooms_.size();
        std::string room_id = "!";
        append_base64(room_id, mix(0xc0ffee0000ull + room_serial_++), 11);
        room_id += ":test.local";
        rooms_.push_back({room_id, 1});
        const std::int64_t ts = base_ts + static_cast<std::int64_t>(index);
        conn_->prepare(insert_room_sql).bind_all(room_id, owner, ts).run();

        const std::string empty_key;
        const std::string owner_key(owner);
        json create{
            {"type", "m.room.create"}, {"room_id", room_id},
            {"sender", owner},         {"state_key", ""},
            {"origin_server_ts", ts},  {"content", {{"creator", owner}, {"room_version", "10"}}}};
        const auto create_id = next_event_id();
        create["event_id"] = create_id;
        auto pos =
            insert_event(index, create_id, "m.room.create", &empty_key, owner, ts, create.dump());
        conn_->prepare(insert_state_sql).bind_all(room_id, "m.room.create", "", pos).run();

        json member{{"type", "m.room.member"}, {"room_id", room_id},
                    {"sender", owner},         {"state_key", owner},
                    {"origin_server_ts", ts},  {"content", {{"membership", "join"}}}};
        const auto member_id = next_event_id();
        member["event_id"] = member_id;
        pos = insert_event(index, member_id, "m.room.member", &owner_key, owner, ts, member.dump());
        conn_->prepare(insert_state_sql).bind_all(room_id, "m.room.member", owner, pos).run();
        conn_->prepare(insert_membership_sql).bind_all(room_id, owner, pos).run();
    }
    commit_stream();
    txn.commit();
}

std::vector<EventLog::Row> EventLog::make_messages(std::size_t count)
{
    std::vector<Row> rows;
    rows.reserve(count);
    for (std::size_t i = 0; i < count && !rooms_.empty(); ++i) {
        Row row;
        row.room = next_room_++ % rooms_.size();
        row.event_id = next_event_id();
        row.sender = "@" + std::string("bridge_contact_") +
                     std::to_string(mix(id_counter_) % puppets) + ":test.local";
        row.ts = base_ts + static_cast<std::int64_t>(id_counter_);
        json event{{"type", "m.room.message"},   {"room_id", rooms_[row.room].id},
                   {"sender", row.sender},       {"event_id", row.event_id},
                   {"origin_server_ts", row.ts}, {"content", {{"msgtype", "m.text"}, {"body", ""}}},
                   {"unsigned", json::object()}};
        // Pad the body so the whole event is about event_bytes, like a chat message with its
        // bridge metadata.
        const auto bare = event.dump().size();
        std::string body;
        for (std::uint64_t seed = id_counter_; body.size() + bare < event_bytes; seed = mix(seed)) {
            append_base64(body, seed, 10);
            body += ' ';
        }
        body.resize(event_bytes > bare ? event_bytes - bare : 0);
        event["content"]["body"] = std::move(body);
        row.json = event.dump();
        rows.push_back(std::move(row));
    }
    return rows;
}

void EventLog::insert(const std::vector<Row>& rows)
{
    Transaction txn(*conn_);
    for (const auto& row : rows) {
        insert_event(row.room, row.event_id, "m.room.message", nullptr, row.sender, row.ts,
                     row.json);
    }
    commit_stream();
    txn.commit();
}

} // namespace ravenous::bench
