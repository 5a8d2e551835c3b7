#pragma once

// Shared by the history end-to-end tests (history_test.cpp, history_relations_test.cpp): a
// server with one bridge appservice whose puppets talk in rooms the owner reads.

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"
#include "support/url.hpp"

#include <cctype>
#include <cstdint>
#include <gtest/gtest.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::test::history {

using nlohmann::json;

inline constexpr std::string_view bridge_registration = R"(id: bridge
url: null
as_token: bridge-as-token
hs_token: bridge-hs-token
sender_localpart: bridgebot
rate_limited: false
namespaces:
  users:
    - exclusive: true
      regex: '@bridge_.+:test\.local'
)";
inline constexpr std::string_view bridge_token = "bridge-as-token";
inline constexpr std::int64_t base_ts = 1'600'000'000'000; // the seeded messages' clock
inline const std::string v3 = "/_matrix/client/v3";
inline const std::string v1 = "/_matrix/client/v1";

inline std::string enc(std::string_view text)
{
    return url_encode(text);
}

inline std::vector<std::string> ids_of(const json& events)
{
    std::vector<std::string> ids;
    for (const auto& event : events)
        ids.push_back(event.at("event_id").get<std::string>());
    return ids;
}

// content.body of each m.room.message, in order.
inline std::vector<std::string> bodies_of(const json& events)
{
    std::vector<std::string> bodies;
    for (const auto& event : events)
        if (event.at("type") == "m.room.message")
            bodies.push_back(event.at("content").value("body", ""));
    return bodies;
}

class HistoryTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        TestServer::Options options;
        options.appservices = {std::string(bridge_registration)};
        server_ = std::make_unique<TestServer>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->client());
        owner_token_ = login_owner(*client_);
    }

    // GET as the owner (`user` empty) or as a puppet through the appservice.
    HttpResponse get(const std::string& target, std::string_view user = {})
    {
        return client_->get(acting(target, user), user.empty() ? owner_token_ : bridge_token);
    }
    HttpResponse post(const std::string& target, const json& body, std::string_view user = {})
    {
        return client_->post(acting(target, user), body,
                             user.empty() ? owner_token_ : bridge_token);
    }
    HttpResponse put(const std::string& target, const json& body, std::string_view user = {})
    {
        return client_->put(acting(target, user), body, user.empty() ? owner_token_ : bridge_token);
    }

    // Registers @bridge_<name>:test.local and returns its user id.
    std::string puppet(std::string_view name)
    {
        auto res = client_->post(
            v3 + "/register",
            {{"type", "m.login.application_service"}, {"username", "bridge_" + std::string(name)}},
            bridge_token);
        EXPECT_EQ(res.status, 200) << res.body;
        return "@bridge_" + std::string(name) + ":test.local";
    }

    std::string create_room(json body, std::string_view user = {})
    {
        auto res = post(v3 + "/createRoom", body, user);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.json().value("room_id", "");
    }

    void join(const std::string& room, std::string_view user)
    {
        auto res = post(v3 + "/rooms/" + room + "/join", json::object(), user);
        EXPECT_EQ(res.status, 200) << res.body;
    }

    void leave(const std::string& room, std::string_view user)
    {
        auto res = post(v3 + "/rooms/" + room + "/leave", json::object(), user);
        EXPECT_EQ(res.status, 200) << res.body;
    }

    // Sends an event and returns its id. `ts` (puppets only) sets origin_server_ts.
    std::string send(const std::string& room, std::string_view user, const json& content,
                     std::optional<std::int64_t> ts = std::nullopt,
                     std::string_view type = "m.room.message")
    {
        std::string target =
            v3 + "/rooms/" + room + "/send/" + std::string(type) + "/txn" + std::to_string(++txn_);
        if (ts)
            target += "?ts=" + std::to_string(*ts);
        auto res = put(target, content, user);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.json().value("event_id", "");
    }

    std::string text(const std::string& room, std::string_view user, std::string_view body,
                     std::optional<std::int64_t> ts = std::nullopt)
    {
        return send(room, user, {{"msgtype", "m.text"}, {"body", body}}, ts);
    }

    static std::string messages(const std::string& room, const std::string& query)
    {
        return v3 + "/rooms/" + room + "/messages?" + query;
    }

    // Every page of /messages in one direction (`query` without from), checking each page.
    json page_through(const std::string& room, const std::string& query, std::size_t page_size,
                      std::string_view user = {})
    {
        json all = json::array();
        std::optional<std::string> from;
        bool short_page = false;
        for (int pages = 0; pages < 100; ++pages) {
            auto res = get(messages(room, query + (from ? "&from=" + enc(*from) : "")), user);
            EXPECT_EQ(res.status, 200) << res.body;
            EXPECT_SPEC(res, "GET", messages(room, query));
            const json body = res.json();
            if (from) {
                EXPECT_EQ(body.at("start"), *from); // start echoes from
            }
            for (const auto& event : body.at("chunk"))
                all.push_back(event);
            if (short_page) {
                // Forward, a short page at the end of the room still has `end` (new events may
                // come); the page after it is empty and has none.
                EXPECT_TRUE(body.at("chunk").empty()) << "a short page was not the last";
            }
            if (!body.contains("end"))
                return all;
            short_page = body.at("chunk").size() < page_size;
            from = body.at("end").get<std::string>();
        }
        ADD_FAILURE() << "no end after 100 pages";
        return all;
    }

    // The owner's room with two puppets who sent m0..m49, alternating, at base_ts + i s.
    struct Conversation
    {
        std::string room;
        std::string alice;
        std::string bob;
        std::vector<std::string> ids; // of m0..m49
    };
    Conversation converse(int count = 50)
    {
        Conversation c;
        c.room = create_room({{"preset", "public_chat"}, {"name", "History"}});
        c.alice = puppet("alice");
        c.bob = puppet("bob");
        join(c.room, c.alice);
        join(c.room, c.bob);
        for (int i = 0; i < count; ++i)
            c.ids.push_back(text(c.room, i % 2 == 0 ? c.alice : c.bob, "m" + std::to_string(i),
                                 base_ts + i * 1000));
        return c;
    }

    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> client_;
    std::string owner_token_;
    int txn_ = 0;

private:
    static std::string acting(const std::string& target, std::string_view user)
    {
        if (user.empty())
            return target;
        return target + (target.find('?') == std::string::npos ? "?" : "&") +
               "user_id=" + enc(user);
    }
};

inline void expect_error(const HttpResponse& res, int status, std::string_view errcode)
{
    EXPECT_EQ(res.status, status) << res.body;
    EXPECT_EQ(res.json().value("errcode", ""), errcode) << res.body;
}

} // namespace ravenous::test::history
