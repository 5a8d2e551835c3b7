#pragma once

// Shared by the room end-to-end tests (rooms_*_test.cpp, directory_test.cpp): a server with a
// mautrix-style appservice (exclusive '@whatsapp_.+:test\.local', sender whatsappbot), the
// owner logged in and three puppets registered. Every request is made by an Actor: the owner
// with their access token, or a puppet through the as_token and ?user_id=.

#include "bad_requests.hpp"
#include "support/spec_assert.hpp"
#include "support/test_server.hpp"
#include "support/url.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::test::room {

using nlohmann::json;

inline constexpr std::string_view whatsapp_registration = R"(id: whatsapp
url: null
as_token: wa-as-token
hs_token: wa-hs-token
sender_localpart: whatsappbot
rate_limited: false
namespaces:
  users:
    - exclusive: true
      regex: '@whatsapp_.+:test\.local'
  aliases: []
  rooms: []
)";
inline constexpr std::string_view as_token = "wa-as-token";
inline const std::string v3 = "/_matrix/client/v3";
inline const std::string owner_id{default_owner_user_id};

inline std::string enc(std::string_view text)
{
    return url_encode(text);
}

// Who makes a request: `token` alone (the owner, the appservice sender), or the appservice
// asserting a puppet's identity with ?user_id=.
struct Actor
{
    std::string user_id;
    std::string token;
    bool asserted = false;
};

inline std::string room_path(const std::string& room, std::string_view rest = {})
{
    return v3 + "/rooms/" + enc(room) + std::string(rest);
}

inline void expect_error(const HttpResponse& res, int status, std::string_view errcode)
{
    EXPECT_EQ(res.status, status) << res.body.substr(0, 500);
    const json body = json::parse(res.body, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(body.is_object() && body.value("errcode", "") == errcode)
        << "expected errcode " << errcode << ", got: " << res.body.substr(0, 500);
}

// The state event of `type` and `key` in a list of events (the last one); null if none.
inline json find_state(const json& events, std::string_view type, std::string_view key = {})
{
    json found;
    for (const auto& event : events)
        if (event.value("type", "") == type && event.contains("state_key") &&
            event.at("state_key") == key)
            found = event;
    return found;
}

// "type" or "type/state_key" of each event, in order.
inline std::vector<std::string> kinds(const json& events)
{
    std::vector<std::string> out;
    for (const auto& event : events) {
        std::string kind = event.value("type", "");
        if (event.contains("state_key") && !event.at("state_key").get<std::string>().empty())
            kind += "/" + event.at("state_key").get<std::string>();
        out.push_back(kind);
    }
    return out;
}

class RoomFixture : public ::testing::Test
{
protected:
    void SetUp() override
    {
        TestServer::Options options;
        options.appservices = {registration()};
        options.extra_yaml = extra_yaml();
        server_ = std::make_unique<TestServer>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->client());
        unchecked_ = std::make_unique<HttpClient>(server_->client());
        unchecked_->set_spec_validation(false);
        owner_ = {owner_id, login_owner(*client_), false};
        bot_ = {"@whatsappbot:test.local", std::string(as_token), false};
        alice_ = puppet("alice");
        bob_ = puppet("bob");
        carol_ = puppet("carol");
    }

    // The appservice's registration file: override to give it a url or other options.
    virtual std::string registration() { return std::string(whatsapp_registration); }
    // Appended to the server's config.
    virtual std::string extra_yaml() { return {}; }

    // Registers @whatsapp_<name>:test.local through the appservice.
    Actor puppet(std::string_view name)
    {
        const std::string user = "whatsapp_" + std::string(name);
        auto res = client_->post(v3 + "/register",
                                 {{"type", "m.login.application_service"}, {"username", user}},
                                 as_token);
        EXPECT_EQ(res.status, 200) << res.body;
        return {"@" + user + ":test.local", std::string(as_token), true};
    }

    static std::string acting(const std::string& target, const Actor& who)
    {
        if (!who.asserted)
            return target;
        return target + (target.find('?') == std::string::npos ? "?" : "&") +
               "user_id=" + enc(who.user_id);
    }

    HttpResponse get(const std::string& target, const Actor& who)
    {
        return client_->get(acting(target, who), who.token);
    }
    HttpResponse post(const std::string& target, const json& body, const Actor& who)
    {
        return client_->post(acting(target, who), body, who.token);
    }
    HttpResponse put(const std::string& target, const json& body, const Actor& who)
    {
        return client_->put(acting(target, who), body, who.token);
    }
    // The body as it is (malformed JSON included).
    HttpResponse patch(const std::string& target, const std::string& body, const Actor& who)
    {
        return raw_json_request(*client_, "PATCH", acting(target, who), body, who.token);
    }
    HttpResponse del(const std::string& target, const Actor& who)
    {
        return client_->del(acting(target, who), json::object(), who.token);
    }

    HttpResponse create(const json& body, const Actor& who)
    {
        return post(v3 + "/createRoom", body, who);
    }
    std::string create_room(const json& body, const Actor& who)
    {
        auto res = create(body, who);
        EXPECT_EQ(res.status, 200) << body.dump() << " -> " << res.body;
        return res.status == 200 ? res.json().at("room_id").get<std::string>() : std::string();
    }
    std::string create_room(const json& body = json::object()) { return create_room(body, owner_); }

    // POST /rooms/{room}/{verb} (join, leave, forget, invite, kick, ban, unban).
    HttpResponse member_op(const std::string& room, std::string_view verb, const Actor& who,
                           const json& body = json::object())
    {
        return post(room_path(room, "/" + std::string(verb)), body, who);
    }
    void join(const std::string& room, const Actor& who)
    {
        auto res = member_op(room, "join", who);
        EXPECT_EQ(res.status, 200) << who.user_id << " joining -> " << res.body;
    }
    void invite(const std::string& room, const Actor& who, const Actor& target)
    {
        auto res = member_op(room, "invite", who, {{"user_id", target.user_id}});
        EXPECT_EQ(res.status, 200) << res.body;
    }

    HttpResponse send_raw(const std::string& room, const Actor& who, const json& content,
                          const std::string& txn, std::string_view type = "m.room.message")
    {
        return put(room_path(room, "/send/" + enc(type) + "/" + enc(txn)), content, who);
    }
    std::string send(const std::string& room, const Actor& who, const json& content,
                     std::string_view type = "m.room.message")
    {
        auto res = send_raw(room, who, content, "txn" + std::to_string(++txn_), type);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json().at("event_id").get<std::string>() : std::string();
    }
    std::string text(const std::string& room, const Actor& who, std::string_view body)
    {
        return send(room, who, {{"msgtype", "m.text"}, {"body", body}});
    }

    HttpResponse put_state_raw(const std::string& room, const Actor& who, std::string_view type,
                               std::string_view key, const json& content)
    {
        return put(room_path(room, "/state/" + enc(type) + "/" + enc(key)), content, who);
    }
    std::string put_state(const std::string& room, const Actor& who, std::string_view type,
                          std::string_view key, const json& content)
    {
        auto res = put_state_raw(room, who, type, key, content);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json().at("event_id").get<std::string>() : std::string();
    }

    // The content of a state event as `who` sees it; null when the read is not a 200.
    json state_content(const std::string& room, std::string_view type, std::string_view key = {},
                       const Actor* who = nullptr)
    {
        auto res = get(room_path(room, "/state/" + enc(type) + "/" + enc(key)), who ? *who : owner_);
        return res.status == 200 ? res.json() : json();
    }
    // GET /state/{type}/{key}?format=event. Not validated automatically: the spec's schema for
    // this response is oneOf [any object, state event], and a state event matches both
    // branches, so it never passes. The event is checked against the schema of GET
    // /rooms/{roomId}/event/{eventId} (a ClientEvent) instead.
    HttpResponse get_state_event(const std::string& room, std::string_view type,
                                 std::string_view key, const Actor& who)
    {
        const std::string target =
            room_path(room, "/state/" + enc(type) + "/" + enc(key) + "?format=event");
        auto res = unchecked_->get(acting(target, who), who.token);
        if (res.status == 200) {
            const std::string id = res.json().value("event_id", "");
            EXPECT_SPEC(res, "GET", room_path(room, "/event/" + enc(id)));
        }
        return res;
    }

    // m.room.member's membership of `user` ("" when there is none).
    std::string membership(const std::string& room, const std::string& user)
    {
        const json content = state_content(room, "m.room.member", user);
        return content.is_object() ? content.value("membership", "") : std::string();
    }
    json full_state(const std::string& room, const Actor& who)
    {
        auto res = get(room_path(room, "/state"), who);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json() : json::array();
    }
    json full_state(const std::string& room) { return full_state(room, owner_); }

    // Every event of the room, oldest first, through /messages as `who` (a member).
    json timeline(const std::string& room, const Actor& who)
    {
        auto res = get(room_path(room, "/messages?dir=f&limit=1000"), who);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json().at("chunk") : json::array();
    }

    json timeline(const std::string& room) { return timeline(room, owner_); }

    // What a refused request must leave alone: the ids of the current state events and of
    // every event in the timeline, as a member `who` sees them.
    std::set<std::string> fingerprint(const std::string& room, const Actor& who)
    {
        std::set<std::string> ids;
        const json state = full_state(room, who);
        for (const auto& event : state)
            ids.insert("state " + event.at("event_id").get<std::string>());
        const json events = timeline(room, who);
        for (const auto& event : events)
            ids.insert("event " + event.at("event_id").get<std::string>());
        EXPECT_FALSE(ids.empty());
        return ids;
    }
    std::set<std::string> fingerprint(const std::string& room) { return fingerprint(room, owner_); }

    std::set<std::string> joined_rooms(const Actor& who)
    {
        auto res = get(v3 + "/joined_rooms", who);
        EXPECT_EQ(res.status, 200) << res.body;
        const json body = res.json();
        std::set<std::string> rooms;
        for (const auto& id : body.value("joined_rooms", json::array()))
            rooms.insert(id.get<std::string>());
        return rooms;
    }

    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> client_;
    std::unique_ptr<HttpClient> unchecked_;  // spec validation off (see get_state_event)
    Actor owner_, bot_, alice_, bob_, carol_;
    int txn_ = 0;
};

} // namespace ravenous::test::room
