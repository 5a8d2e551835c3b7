// The smaller things Beeper-configured bridges and clients use: GET /state/{type}/{key}?format=
// event, redactions sent as events (MSC4169), com.beeper.timesync and message send status
// events.
#include "sync_fixture.hpp"

#include <chrono>

namespace ravenous::test::sync {
namespace {

std::int64_t now_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

class BeeperTouches : public SyncFixture
{
protected:
    void SetUp() override
    {
        SyncFixture::SetUp();
        room_ = shared_room("Chat");
        invite(room_, owner_, bob_);
        join(room_, bob_);
    }
    json event(const std::string& id, const Actor& who)
    {
        auto res = get(room_path(room_, "/event/" + enc(id)), who);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json() : json();
    }
    HttpResponse redact_as_event(const Actor& who, const json& content, const std::string& txn)
    {
        return send_raw(room_, who, content, txn, "m.room.redaction");
    }

    std::string room_;
};

TEST_F(BeeperTouches, StateFormatEventIsTheWholeStoredEvent)
{
    // A second member event of alice's has unsigned (replaces_state, prev_content).
    ASSERT_EQ(put(v3 + "/profile/" + enc(alice_.user_id) + "/displayname",
                  {{"displayname", "Alice"}}, alice_)
                  .status,
              200);
    auto res = get_state_event(room_, "m.room.member", alice_.user_id, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    const json whole = res.json();
    const std::string id = whole.at("event_id");
    // As GET /event/{eventId} gives it (but for unsigned.age, counted at each read).
    json stored = event(id, owner_);
    json compared = whole;
    stored["unsigned"].erase("age");
    compared["unsigned"].erase("age");
    EXPECT_EQ(compared, stored);
    EXPECT_TRUE(whole.at("unsigned").contains("age"));
    EXPECT_EQ(whole.at("type"), "m.room.member");
    EXPECT_EQ(whole.at("state_key"), alice_.user_id);
    EXPECT_EQ(whole.at("sender"), alice_.user_id);
    EXPECT_EQ(whole.at("room_id"), room_);
    EXPECT_TRUE(whole.at("origin_server_ts").is_number_integer());
    EXPECT_EQ(whole.at("content").value("displayname", ""), "Alice");
    EXPECT_EQ(whole.at("unsigned").at("prev_content").value("membership", ""), "join");
    EXPECT_TRUE(whole.at("unsigned").contains("replaces_state")) << whole.dump();

    // m.room.create, as bridges read it for the room's creator and version.
    auto create = get_state_event(room_, "m.room.create", "", alice_);
    ASSERT_EQ(create.status, 200) << create.body;
    EXPECT_EQ(create.json().at("sender"), owner_id);
    EXPECT_TRUE(create.json().at("content").contains("room_version"));

    // format=content and no format: the content alone.
    const std::string path = room_path(room_, "/state/m.room.member/" + enc(alice_.user_id));
    for (const std::string query : {"", "?format=content"}) {
        auto content = get(path + query, owner_);
        ASSERT_EQ(content.status, 200) << content.body;
        EXPECT_EQ(content.json(), whole.at("content")) << query;
    }
    expect_error(get(path + "?format=full", owner_), 400, "M_INVALID_PARAM");
    expect_error(get(room_path(room_, "/state/m.room.topic/?format=event"), owner_), 404,
                 "M_NOT_FOUND");
}

TEST_F(BeeperTouches, RedactionSentAsAnEventRedactsItsTarget)
{
    const std::string target = text(room_, alice_, "oops");
    const json content = {{"redacts", target}, {"reason", "typo"}};
    auto res = redact_as_event(alice_, content, "r1");
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "PUT", room_path(room_, "/send/m.room.redaction/r1"));
    const std::string redaction_id = res.json().at("event_id");

    // Idempotent by transaction id.
    auto again = redact_as_event(alice_, content, "r1");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json().at("event_id"), redaction_id);

    const json redacted = event(target, owner_);
    EXPECT_EQ(redacted.at("content"), json::object());
    EXPECT_EQ(redacted.at("unsigned").at("redacted_because").at("event_id"), redaction_id);
    // Stored as /redact stores it: redacts in the content (v11) and at the top level.
    const json redaction = event(redaction_id, owner_);
    EXPECT_EQ(redaction.at("type"), "m.room.redaction");
    EXPECT_EQ(redaction.at("redacts"), target);
    EXPECT_EQ(redaction.at("content"), content);

    // The same as /redact/{eventId}: the same event shape from either path.
    const std::string other = text(room_, alice_, "second");
    auto classic = put(room_path(room_, "/redact/" + enc(other) + "/r2"), {{"reason", "typo"}},
                       alice_);
    ASSERT_EQ(classic.status, 200) << classic.body;
    const json through_redact = event(classic.json().at("event_id"), owner_);
    EXPECT_EQ(through_redact.at("redacts"), other);
    EXPECT_EQ(through_redact.at("content"), (json{{"redacts", other}, {"reason", "typo"}}));
}

TEST_F(BeeperTouches, RedactionEventsFollowTheRedactRules)
{
    const std::string target = text(room_, alice_, "alice's");
    const auto before = fingerprint(room_);
    // Bob (power 0) may not redact alice's message, whichever path he takes.
    expect_error(redact_as_event(bob_, {{"redacts", target}}, "b1"), 403, "M_FORBIDDEN");
    expect_error(put(room_path(room_, "/redact/" + enc(target) + "/b2"), json::object(), bob_),
                 403, "M_FORBIDDEN");
    expect_error(redact_as_event(alice_, {{"reason", "no target"}}, "b3"), 400, "M_BAD_JSON");
    expect_error(redact_as_event(alice_, {{"redacts", nullptr}}, "b4"), 400, "M_BAD_JSON");
    expect_error(redact_as_event(alice_, {{"redacts", "not-an-event"}}, "b5"), 400,
                 "M_INVALID_PARAM");
    EXPECT_EQ(fingerprint(room_), before);
    EXPECT_EQ(event(target, owner_).at("content").value("body", ""), "alice's");
    // The owner (power 100) may redact anyone's.
    auto res = redact_as_event(owner_, {{"redacts", target}}, "o1");
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(event(target, owner_).at("content"), json::object());
}

TEST_F(BeeperTouches, TimesyncGivesTheServerClock)
{
    const std::int64_t before = now_ms();
    auto res = get("/_matrix/client/unstable/com.beeper.timesync", owner_);
    const std::int64_t after = now_ms();
    ASSERT_EQ(res.status, 200) << res.body;
    const json body = res.json();
    ASSERT_TRUE(body.at("time_ms").is_number_integer()) << res.body;
    EXPECT_GE(body.at("time_ms").get<std::int64_t>(), before);
    EXPECT_LE(body.at("time_ms").get<std::int64_t>(), after);
    EXPECT_EQ(body.size(), 1u);
    // Any authenticated caller: a bridge's bot too.
    EXPECT_EQ(get("/_matrix/client/unstable/com.beeper.timesync", bot_).status, 200);

    expect_error(client_->get("/_matrix/client/unstable/com.beeper.timesync"), 401,
                 "M_MISSING_TOKEN");
    expect_error(client_->get("/_matrix/client/unstable/com.beeper.timesync", "bad"), 401,
                 "M_UNKNOWN_TOKEN");
}

TEST_F(BeeperTouches, MessageSendStatusEventsPassThrough)
{
    invite(room_, owner_, bot_);
    join(room_, bot_);
    const json start = sync();
    const std::string message = text(room_, owner_, "to whatsapp");
    const json status = {{"network", "whatsapp"},
                         {"m.relates_to", {{"rel_type", "m.reference"}, {"event_id", message}}},
                         {"status", "SUCCESS"},
                         {"delivered_to_users", {alice_.user_id}}};
    const std::string mss = send(room_, bot_, status, "com.beeper.message_send_status");

    EXPECT_EQ(event(mss, owner_).at("content"), status);
    const json next = sync_since(start.at("next_batch").get<std::string>());
    json synced;
    for (const auto& e : timeline_events(room_of(next, room_)))
        if (e.value("event_id", "") == mss)
            synced = e;
    ASSERT_TRUE(synced.is_object()) << next.dump().substr(0, 800);
    EXPECT_EQ(synced.at("type"), "com.beeper.message_send_status");
    EXPECT_EQ(synced.at("sender"), bot_.user_id);
    EXPECT_EQ(synced.at("content"), status);

    for (const std::string rest : {"", "/m.reference", "/m.reference/com.beeper.message_send_status"}) {
        const std::string path = "/_matrix/client/v1/rooms/" + enc(room_) + "/relations/" +
                                 enc(message) + rest;
        auto res = get(path, owner_);
        ASSERT_EQ(res.status, 200) << res.body;
        const json chunk = res.json().at("chunk");
        ASSERT_EQ(chunk.size(), 1u) << rest << ": " << res.body;
        EXPECT_EQ(chunk[0].at("event_id"), mss);
    }
}

} // namespace
} // namespace ravenous::test::sync
