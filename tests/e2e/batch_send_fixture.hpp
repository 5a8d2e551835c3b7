#pragma once

// Shared by the batch send end-to-end tests: the sync fixture (owner, the whatsapp appservice
// and its puppets) with the appservice pushing to a FakeBridge, plus batch requests, events as
// bridges build them, and the room's whole history read back page by page.

#include "support/fake_bridge.hpp"
#include "sync_fixture.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::test::batch {

using namespace ravenous::test::sync;

inline const std::string backfill_prefix = "/_matrix/client/unstable/com.beeper.backfill/rooms/";
inline const std::string msc2716_prefix = "/_matrix/client/unstable/org.matrix.msc2716/rooms/";
inline constexpr std::int64_t history_ts = 1'500'000'000'000; // the imported messages' clock

// An m.text message as a bridge puts it in a batch.
inline json message(const std::string& sender, const std::string& body,
                    std::optional<std::string> event_id = std::nullopt, std::int64_t ts = 0)
{
    json event = {{"type", "m.room.message"},
                  {"sender", sender},
                  {"origin_server_ts", ts ? ts : history_ts},
                  {"content", {{"msgtype", "m.text"}, {"body", body}}}};
    if (event_id)
        event["event_id"] = *event_id;
    return event;
}

// `count` messages "<prefix>0".. from the senders in turn.
inline json messages(const std::vector<std::string>& senders, const std::string& prefix,
                     int count)
{
    json events = json::array();
    for (int i = 0; i < count; ++i)
        events.push_back(message(senders[i % senders.size()], prefix + std::to_string(i),
                                 std::nullopt, history_ts + i));
    return events;
}

// "<prefix><from>" .. "<prefix><to>", counting up or down.
inline std::vector<std::string> numbered(const std::string& prefix, int from, int to)
{
    std::vector<std::string> out;
    const int step = from <= to ? 1 : -1;
    for (int i = from; i != to + step; i += step)
        out.push_back(prefix + std::to_string(i));
    return out;
}

class BatchFixture : public SyncFixture
{
protected:
    void SetUp() override
    {
        bridge_ = std::make_unique<FakeBridge>("wa-hs-token");
        SyncFixture::SetUp();
    }

    std::string registration() override
    {
        return "id: whatsapp\nurl: " + bridge_->url() +
               "\nas_token: wa-as-token\nhs_token: wa-hs-token\nsender_localpart: whatsappbot\n"
               "namespaces:\n  users:\n    - exclusive: true\n      regex: '@whatsapp_.+:test\\.local'\n";
    }

    HttpResponse batch_raw(const std::string& room, const json& body, const Actor& who)
    {
        return post(backfill_prefix + enc(room) + "/batch_send", body, who);
    }
    // A batch that must succeed: its event ids.
    std::vector<std::string> batch(const std::string& room, const json& body,
                                   const Actor* who = nullptr)
    {
        auto res = batch_raw(room, body, who ? *who : bot_);
        EXPECT_EQ(res.status, 200) << res.body.substr(0, 500);
        if (res.status != 200)
            return {};
        const json ids = res.json().at("event_ids");
        EXPECT_EQ(ids.size(), body.at("events").size());
        return ids.get<std::vector<std::string>>();
    }
    std::vector<std::string> backward(const std::string& room, const json& events)
    {
        return batch(room, {{"events", events}, {"forward", false}});
    }

    // The room's events, newest first, through /messages?dir=b page after page of `limit`.
    json history(const std::string& room, int limit = 3, const std::string& filter = {})
    {
        json all = json::array();
        std::string from;
        for (int page = 0; page < 200; ++page) {
            std::string target = room_path(room, "/messages?dir=b&limit=" + std::to_string(limit));
            if (!from.empty())
                target += "&from=" + enc(from);
            if (!filter.empty())
                target += "&filter=" + enc(filter);
            auto res = get(target, owner_);
            EXPECT_EQ(res.status, 200) << res.body.substr(0, 500);
            if (res.status != 200)
                break;
            const json body = res.json();
            for (const auto& event : body.at("chunk"))
                all.push_back(event);
            if (!body.contains("end"))
                break;
            from = body.at("end").get<std::string>();
        }
        return all;
    }

    // unread_notifications of the room in an initial /sync.
    json unread(const std::string& room)
    {
        const json joined = room_of(sync("timeout=0"), room);
        return joined.is_object() ? joined.value("unread_notifications", json()) : json();
    }

    // A room of the owner's (private) with alice joined: what a portal looks like.
    std::string portal()
    {
        const std::string room = create_room({{"preset", "private_chat"}});
        invite(room, owner_, alice_);
        join(room, alice_);
        return room;
    }

    // Registers another appservice at run time (operator API): tokens "<id>-as"/"<id>-hs",
    // sender "@<id>bot:test.local", exclusive users "@<id>_.+:test.local" plus `more_users`
    // (non-exclusive regexes); pushed to `url` when given. Its sender, as an Actor.
    Actor register_appservice(const std::string& id, const std::string& url = {},
                              const std::vector<std::string>& more_users = {})
    {
        json users = json::array();
        users.push_back({{"exclusive", true}, {"regex", "@" + id + "_.+:test\\.local"}});
        for (const auto& regex : more_users)
            users.push_back({{"exclusive", false}, {"regex", regex}});
        const json registration = {{"id", id},
                                   {"url", url.empty() ? json() : json(url)},
                                   {"as_token", id + "-as"},
                                   {"hs_token", id + "-hs"},
                                   {"sender_localpart", id + "bot"},
                                   {"namespaces", {{"users", users}}}};
        auto res = client_->put("/_ravenous/admin/v1/appservices/" + id, registration,
                                default_admin_token);
        EXPECT_EQ(res.status, 201) << res.body;
        return {"@" + id + "bot:test.local", id + "-as", false};
    }
    // One of an appservice's users, acting through its token.
    static Actor as_user(const Actor& bot, const std::string& user)
    {
        return {user, bot.token, true};
    }

    std::unique_ptr<FakeBridge> bridge_;
};

} // namespace ravenous::test::batch
