#pragma once

// Shared by the room deletion and bridge erasure tests: the sync fixture (owner, the whatsapp
// appservice from a file, its puppets alice, bob and carol), the deletion calls, a second
// bridge registered at run time, and a read-only look into the database file.

#include "e2e/database_probe.hpp"
#include "e2e/sync_fixture.hpp"

#include <map>
#include <set>
#include <string>

namespace ravenous::test::deletion {

using namespace ravenous::test::sync;

inline const std::string admin_v1 = "/_ravenous/admin/v1";
inline const std::string admin_token{default_admin_token};
inline constexpr std::string_view signal_as_token = "signal-as";

inline std::string yeet_path(const std::string& room)
{
    return "/_matrix/client/unstable/com.beeper.yeet/rooms/" + enc(room) + "/delete";
}

class DeletionFixture : public SyncFixture
{
protected:
    HttpResponse yeet(const std::string& room, const Actor& who)
    {
        return post(yeet_path(room), json::object(), who);
    }
    void expect_deleted(const std::string& room, const Actor& who)
    {
        auto res = yeet(room, who);
        EXPECT_EQ(res.status, 200) << who.user_id << " deleting " << room << ": " << res.body;
        EXPECT_EQ(res.body.empty() ? json() : res.json(), json::object());
    }

    DatabaseProbe database() { return DatabaseProbe(server_->dir() / "ravenous.db"); }

    // Rows naming the room, per table with a room_id column, without the tombstone
    // (deleted_rooms: the one row meant to outlive the room).
    std::map<std::string, std::int64_t> room_rows(const std::string& room)
    {
        auto rows = database().rows_with("room_id", room);
        rows.erase("deleted_rooms");
        return rows;
    }
    static std::int64_t total(const std::map<std::string, std::int64_t>& rows)
    {
        std::int64_t sum = 0;
        for (const auto& [table, n] : rows)
            sum += n;
        return sum;
    }
    // Tables in which the room still has rows, "table=n" each (empty: none).
    static std::set<std::string> nonzero(const std::map<std::string, std::int64_t>& rows)
    {
        std::set<std::string> out;
        for (const auto& [table, n] : rows)
            if (n != 0)
                out.insert(table + "=" + std::to_string(n));
        return out;
    }

    // A second bridge, registered at run time through the operator API: bot @signalbot,
    // exclusive puppets @signal_.+, as_token "signal-as".
    void register_signal()
    {
        const json registration = {
            {"id", "signal"},
            {"url", nullptr},
            {"as_token", signal_as_token},
            {"hs_token", "signal-hs"},
            {"sender_localpart", "signalbot"},
            {"namespaces",
             {{"users", {{{"exclusive", true}, {"regex", "@signal_.+:test\\.local"}}}}}},
        };
        auto res = client_->put(admin_v1 + "/appservices/signal", registration, admin_token);
        ASSERT_EQ(res.status, 201) << res.body;
        signal_bot_ = {"@signalbot:test.local", std::string(signal_as_token), false};
    }
    // @signal_<name>, registered through the signal bridge.
    Actor signal_puppet(std::string_view name)
    {
        const std::string user = "signal_" + std::string(name);
        auto res = client_->post(v3 + "/register",
                                 {{"type", "m.login.application_service"}, {"username", user}},
                                 signal_as_token);
        EXPECT_EQ(res.status, 200) << res.body;
        return {"@" + user + ":test.local", std::string(signal_as_token), true};
    }

    // The incremental sync's next_batch now (nothing waited for).
    std::string sync_token() { return sync("timeout=0").at("next_batch").get<std::string>(); }

    Actor signal_bot_;
};

} // namespace ravenous::test::deletion
