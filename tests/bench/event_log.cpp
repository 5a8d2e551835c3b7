#include "bench/event_log.hpp"

#include "ravenous/storage/database.hpp"
#include "ravenous/storage/migrate.hpp"
#include "ravenous/storage/rooms_table.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace ravenous::bench {
namespace {

using nlohmann::json;

constexpr std::int64_t base_ts = 1'700'000'000'000;

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
    storage::ReadTxn txn(*conn_);
    // Ids continue after what an earlier EventLog wrote to this file: every event took one
    // stream position and one id number.
    id_counter_ = static_cast<std::uint64_t>(storage::stream::current(txn));
    auto& rooms = conn_->prepare("SELECT count(*) FROM rooms");
    room_serial_ = rooms.step() ? static_cast<std::uint64_t>(rooms.column_int(0)) : 0;
    rooms.run();
}

std::string EventLog::puppet(std::size_t n)
{
    return "@bridge_contact_" + std::to_string(n) + ":test.local";
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

std::int64_t EventLog::insert_event(storage::WriteTxn& txn, std::size_t room,
                                    std::string_view event_id, std::string_view type,
                                    const std::string* state_key, std::string_view sender,
                                    std::int64_t ts, std::string_view json)
{
    storage::EventRow row;
    row.stream_pos = storage::stream::next(txn);
    row.room_id = rooms_[room].id;
    row.topo = storage::events::next_topo(txn, row.room_id);
    row.event_id = event_id;
    row.type = type;
    if (state_key != nullptr) {
        row.state_key = *state_key;
    }
    row.sender = sender;
    row.origin_server_ts = ts;
    row.json = json;
    storage::events::insert(txn, row);
    ++events_;
    return row.stream_pos;
}

void EventLog::insert_state(storage::WriteTxn& txn, std::size_t room, std::string_view type,
                            const std::string& state_key, std::string_view sender,
                            std::int64_t ts, const json& content)
{
    const auto& room_id = rooms_[room].id;
    const auto event_id = next_event_id();
    json event{{"event_id", event_id},  {"room_id", room_id},
               {"sender", sender},      {"type", type},
               {"state_key", state_key}, {"origin_server_ts", ts},
               {"content", content}};
    const auto pos =
        insert_event(txn, room, event_id, type, &state_key, sender, ts, event.dump());
    storage::current_state::set(txn, room_id, type, state_key, pos);
    if (type == "m.room.member") {
        storage::memberships::set(txn, room_id, state_key, content.at("membership").get<std::string>(),
                                  pos);
    }
}

void EventLog::create_rooms(std::size_t count, std::string_view owner)
{
    Transaction transaction(*conn_);
    storage::WriteTxn txn(*conn_);
    const std::string owner_id(owner);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t index = rooms_.size();
        std::string room_id = "!";
        append_base64(room_id, mix(0xc0ffee0000ull + room_serial_++), 11);
        room_id += ":test.local";
        rooms_.push_back({room_id});
        const std::int64_t ts = base_ts + static_cast<std::int64_t>(index);
        storage::RoomRow room_row;
        room_row.room_id = room_id;
        room_row.room_version = "10";
        room_row.creator = owner_id;
        room_row.is_public = false;
        room_row.created_ts = ts;
        storage::rooms::insert(txn, room_row);

        json create_content = json::object();
        create_content["creator"] = owner_id;
        create_content["room_version"] = "10";
        insert_state(txn, index, "m.room.create", "", owner, ts, create_content);
        json member_content = json::object();
        member_content["membership"] = "join";
        insert_state(txn, index, "m.room.member", owner_id, owner, ts, member_content);
        json users = json::object();
        users[owner_id] = 100;
        json levels = json::object();
        levels["users"] = users;
        levels["users_default"] = 0;
        levels["events"] = json{{"m.room.name", 50},
                                {"m.room.power_levels", 100},
                                {"m.room.history_visibility", 100},
                                {"m.room.canonical_alias", 50},
                                {"m.room.avatar", 50},
                                {"m.room.tombstone", 100},
                                {"m.room.server_acl", 100},
                                {"m.room.encryption", 100}};
        levels["events_default"] = 0;
        levels["state_default"] = 50;
        levels["ban"] = 50;
        levels["kick"] = 50;
        levels["redact"] = 50;
        levels["invite"] = 0;
        levels["notifications"] = json{{"room", 50}};
        insert_state(txn, index, "m.room.power_levels", "", owner, ts, levels);
        json join_rule = json::object();
        join_rule["join_rule"] = "invite";
        insert_state(txn, index, "m.room.join_rules", "", owner, ts, join_rule);
        json visibility = json::object();
        visibility["history_visibility"] = "shared";
        insert_state(txn, index, "m.room.history_visibility", "", owner, ts, visibility);
    }
    transaction.commit();
}

void EventLog::join_puppets(std::size_t count)
{
    Transaction transaction(*conn_);
    storage::WriteTxn txn(*conn_);
    for (std::size_t room = 0; room < rooms_.size(); ++room) {
        for (std::size_t n = 0; n < count; ++n) {
            const auto user = puppet(n);
            json content = json::object();
            content["membership"] = "join";
            content["displayname"] = "Contact " + std::to_string(n);
            insert_state(txn, room, "m.room.member", user, user,
                         base_ts + static_cast<std::int64_t>(id_counter_), content);
        }
    }
    transaction.commit();
}

std::vector<EventLog::Row> EventLog::make_messages(std::size_t count, std::size_t senders)
{
    std::vector<Row> rows;
    rows.reserve(count);
    for (std::size_t i = 0; i < count && !rooms_.empty() && senders > 0; ++i) {
        Row row;
        row.room = next_room_++ % rooms_.size();
        row.event_id = next_event_id();
        row.sender = puppet(mix(id_counter_) % senders);
        row.ts = base_ts + static_cast<std::int64_t>(id_counter_);
        json event{{"type", "m.room.message"},   {"room_id", rooms_[row.room].id},
                   {"sender", row.sender},       {"event_id", row.event_id},
                   {"origin_server_ts", row.ts}, {"content", {{"msgtype", "m.text"}, {"body", ""}}}};
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
    Transaction transaction(*conn_);
    storage::WriteTxn txn(*conn_);
    for (const auto& row : rows) {
        insert_event(txn, row.room, row.event_id, "m.room.message", nullptr, row.sender, row.ts,
                     row.json);
    }
    transaction.commit();
}

} // namespace ravenous::bench
