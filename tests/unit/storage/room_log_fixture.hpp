#pragma once
// A database with rooms and a way to append events to their logs the way the room service
// does (stream position, topo, insert, current state, memberships), for the room-log tests.

#include "ravenous/storage/rooms_table.hpp"

#include "ravenous/storage/database.hpp"
#include "unit/storage/storage_test_support.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace ravenous::storage::test {

inline const std::string alice = "@alice:example.org";
inline const std::string bob = "@bob:example.org";

// What a test says about an event; the rest is made up.
struct NewRow
{
    std::string type = "m.room.message";
    std::optional<std::string> state_key = std::nullopt;
    std::string sender = alice;
    nlohmann::json content = nlohmann::json::object();
    std::optional<std::int64_t> ts = std::nullopt; // default: topo * 1000
    std::optional<std::int64_t> topo =
        std::nullopt; // default: the end of the log (set it to backfill)
    std::optional<std::string> relates_to = std::nullopt;
    std::optional<std::string> rel_type = std::nullopt;
};

class RoomLog : public ::testing::Test
{
protected:
    RoomLog()
    {
        DatabaseOptions options;
        options.path = dir_.file("db.sqlite");
        db_ = std::make_unique<Database>(options);
    }

    void write(const std::function<void(WriteTxn&)>& fn) { db_->writer().run_blocking(fn); }

    template <class F> auto read(F fn)
    {
        std::optional<std::invoke_result_t<F, ReadTxn&>> result;
        db_->readers().run_blocking([&](ReadTxn& txn) { result.emplace(fn(txn)); });
        return std::move(*result);
    }

    // Runs the io_context until it is out of work (every submitted job has completed).
    void run_until_idle()
    {
        const auto until = std::chrono::steady_clock::now() + deadline;
        ioc_.restart();
        while (!ioc_.stopped()) {
            ASSERT_LT(std::chrono::steady_clock::now(), until) << "deadline passed";
            ioc_.run_for(std::chrono::milliseconds{100});
        }
    }

    static void add_room(WriteTxn& txn, const std::string& room_id)
    {
        rooms::insert(txn, RoomRow{room_id, "10", alice, false, 1});
    }
    void add_room(const std::string& room_id)
    {
        write([&](WriteTxn& txn) { add_room(txn, room_id); });
    }

    // Appends (or, with `topo`, inserts) an event as the room service does.
    EventRow append(WriteTxn& txn, const std::string& room_id, const NewRow& e)
    {
        EventRow row;
        row.stream_pos = stream::next(txn);
        row.topo = e.topo ? *e.topo : events::next_topo(txn, room_id);
        row.room_id = room_id;
        row.event_id = "$e" + std::to_string(++next_id_);
        row.type = e.type;
        row.state_key = e.state_key;
        row.sender = e.sender;
        row.origin_server_ts = e.ts ? *e.ts : row.topo * 1000;
        row.relates_to = e.relates_to;
        row.rel_type = e.rel_type;
        nlohmann::json content = e.content;
        if (e.relates_to) {
            content["m.relates_to"] = {{"event_id", *e.relates_to}};
            if (e.rel_type) {
                content["m.relates_to"]["rel_type"] = *e.rel_type;
            }
        }
        nlohmann::json json = {{"event_id", row.event_id},
                               {"room_id", room_id},
                               {"type", e.type},
                               {"sender", e.sender},
                               {"origin_server_ts", row.origin_server_ts},
                               {"content", content}};
        if (e.state_key) {
            json["state_key"] = *e.state_key;
        }
        row.json = json.dump();
        events::insert(txn, row);
        if (e.state_key && !e.topo) {
            current_state::set(txn, room_id, e.type, *e.state_key, row.stream_pos);
            if (e.type == "m.room.member") {
                memberships::set(txn, room_id, *e.state_key, e.content.value("membership", "join"),
                                 row.stream_pos);
            }
        }
        return row;
    }
    EventRow append(const std::string& room_id, const NewRow& e)
    {
        EventRow row;
        write([&](WriteTxn& txn) { row = append(txn, room_id, e); });
        return row;
    }

    EventRow message(const std::string& room_id, const std::string& sender = alice)
    {
        return append(room_id, NewRow{.sender = sender});
    }
    EventRow state(const std::string& room_id, const std::string& type, const std::string& key,
                   nlohmann::json content, const std::string& sender = alice)
    {
        return append(room_id, NewRow{.type = type,
                                      .state_key = key,
                                      .sender = sender,
                                      .content = std::move(content)});
    }
    EventRow member(const std::string& room_id, const std::string& user,
                    const std::string& membership)
    {
        return state(room_id, "m.room.member", user, {{"membership", membership}}, user);
    }

    static std::vector<std::string> ids(const std::vector<EventRow>& rows)
    {
        std::vector<std::string> out;
        for (const auto& row : rows) {
            out.push_back(row.event_id);
        }
        return out;
    }
    static std::vector<std::int64_t> topos(const std::vector<EventRow>& rows)
    {
        std::vector<std::int64_t> out;
        for (const auto& row : rows) {
            out.push_back(row.topo);
        }
        return out;
    }
    static std::vector<std::string> sorted_ids(const std::vector<EventRow>& rows)
    {
        auto out = ids(rows);
        std::sort(out.begin(), out.end());
        return out;
    }

    TempDir dir_;
    boost::asio::io_context ioc_; // outlives db_ (see test::run_coro)
    std::unique_ptr<Database> db_;
    int next_id_ = 0;
};

} // namespace ravenous::storage::test
