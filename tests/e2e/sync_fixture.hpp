#pragma once

// Shared by the /sync end-to-end tests: the room fixture (owner, appservice puppets) plus
// /sync requests validated against the spec.

#include "room_fixture.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace ravenous::test::sync {

using namespace ravenous::test::room;

class SyncFixture : public RoomFixture
{
protected:
    // GET /sync?<query> as `who`; a 200 is checked against the spec.
    HttpResponse sync_raw(const std::string& query, const Actor& who)
    {
        auto res = get(v3 + "/sync" + (query.empty() ? "" : "?" + query), who);
        if (res.status == 200) {
            EXPECT_SPEC(res, "GET", v3 + "/sync");
        }
        return res;
    }
    json sync(const std::string& query = {}, const Actor* who = nullptr)
    {
        auto res = sync_raw(query, who ? *who : owner_);
        EXPECT_EQ(res.status, 200) << res.body.substr(0, 500);
        return res.status == 200 ? res.json() : json::object();
    }
    // The same without spec validation: for filters with event_fields, whose events lack
    // fields the spec's schema requires.
    json sync_unchecked(const std::string& query)
    {
        auto res = unchecked_->get(acting(v3 + "/sync?" + query, owner_), owner_.token);
        EXPECT_EQ(res.status, 200) << res.body.substr(0, 500);
        return res.status == 200 ? res.json() : json::object();
    }
    json sync_since(const std::string& since, const std::string& extra = {})
    {
        return sync("since=" + enc(since) + "&timeout=0" + (extra.empty() ? "" : "&" + extra));
    }

    // rooms.<section>.<room> of a response (null when absent).
    static json room_of(const json& body, const std::string& room,
                        const std::string& section = "join")
    {
        if (!body.contains("rooms") || !body.at("rooms").contains(section))
            return json();
        const json& rooms = body.at("rooms").at(section);
        return rooms.contains(room) ? rooms.at(room) : json();
    }
    static json timeline_events(const json& room)
    {
        return room.is_object() ? room.at("timeline").at("events") : json::array();
    }

    // A 30 s long poll (GET /sync?since=) as `token` on its own connection; `act` runs once the
    // poll is waiting (300 ms in). The response, and how long after `act` began it came back.
    struct Polled
    {
        HttpResponse response;
        std::chrono::steady_clock::duration after_act{};
    };
    Polled long_poll(const std::string& since, const std::string& token,
                     const std::function<void()>& act)
    {
        using Clock = std::chrono::steady_clock;
        HttpClient poller = server_->client();
        poller.set_timeout(std::chrono::milliseconds(40'000));
        Polled polled;
        Clock::time_point returned;
        std::thread thread([&] {
            polled.response = poller.get(v3 + "/sync?timeout=30000&since=" + enc(since), token);
            returned = Clock::now();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const auto acted = Clock::now();
        act();
        thread.join();
        polled.after_act = returned - acted;
        if (polled.response.status == 200) {
            EXPECT_SPEC(polled.response, "GET", v3 + "/sync");
        }
        return polled;
    }

    // A room of the owner's that alice joined: owner creates it with a name, invites alice.
    std::string shared_room(const std::string& name = "Shared")
    {
        const std::string room = create_room({{"name", name}});
        invite(room, owner_, alice_);
        join(room, alice_);
        return room;
    }
};

inline std::vector<std::string> bodies(const json& events)
{
    std::vector<std::string> out;
    for (const auto& event : events)
        if (event.value("type", "") == "m.room.message")
            out.push_back(event.at("content").value("body", ""));
    return out;
}

} // namespace ravenous::test::sync
