// PUT /send/{type}/{txnId} (idempotent per device and endpoint, also across a restart),
// size limits, timestamp massaging, and PUT /redact/{eventId}/{txnId}.

#include "bad_requests.hpp"
#include "e2e/room_fixture.hpp"

#include <thread>

namespace ravenous::test::room {
namespace {

class RoomSend : public RoomFixture
{
protected:
    void SetUp() override
    {
        RoomFixture::SetUp();
        room_ = create_room({{"preset", "public_chat"}});
        join(room_, alice_);
    }

    std::vector<std::string> message_ids(const std::string& room)
    {
        std::vector<std::string> ids;
        const json events = timeline(room);
        for (const auto& event : events)
            if (event.at("type") == "m.room.message")
                ids.push_back(event.at("event_id"));
        return ids;
    }

    static json msg(std::string_view body) { return {{"msgtype", "m.text"}, {"body", body}}; }

    std::string room_;
};

TEST_F(RoomSend, SameTxnIdGivesTheSameEvent)
{
    auto first = send_raw(room_, owner_, msg("once"), "t1");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_SPEC(first, "PUT", room_path(room_, "/send/m.room.message/t1"));
    const std::string id = first.json().at("event_id");
    auto again = send_raw(room_, owner_, msg("once, retried"), "t1");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json().at("event_id"), id);
    EXPECT_EQ(message_ids(room_), std::vector<std::string>{id});

    const json event = timeline(room_).back();
    EXPECT_EQ(event.at("content").at("body"), "once");
    EXPECT_EQ(event.at("unsigned").value("transaction_id", ""), "t1");  // to the sending device

    // Puppets are idempotent too.
    auto puppet_first = send_raw(room_, alice_, msg("hi"), "wa-1");
    auto puppet_again = send_raw(room_, alice_, msg("hi"), "wa-1");
    ASSERT_EQ(puppet_first.status, 200) << puppet_first.body;
    EXPECT_EQ(puppet_again.json().value("event_id", ""), puppet_first.json().at("event_id"));
    EXPECT_EQ(message_ids(room_).size(), 2u);
}

TEST_F(RoomSend, AnotherDeviceWithTheSameTxnIdSendsANewEvent)
{
    const Actor second_device{owner_id, login_owner(*client_), false};
    auto one = send_raw(room_, owner_, msg("one"), "t1");
    auto two = send_raw(room_, second_device, msg("two"), "t1");
    ASSERT_EQ(one.status, 200) << one.body;
    ASSERT_EQ(two.status, 200) << two.body;
    EXPECT_NE(one.json().at("event_id"), two.json().at("event_id"));
    EXPECT_EQ(message_ids(room_).size(), 2u);
    // Only the sending device sees its transaction id.
    auto seen = get(room_path(room_, "/event/" + enc(one.json().at("event_id").get<std::string>())),
                    second_device);
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_FALSE(seen.json().value("unsigned", json::object()).contains("transaction_id"));
}

TEST_F(RoomSend, SameTxnIdReturnsSameEventIdAfterRestart)
{
    auto first = send_raw(room_, owner_, msg("before restart"), "restart-txn");
    auto puppet = send_raw(room_, alice_, msg("puppet before restart"), "wa-restart");
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_EQ(puppet.status, 200) << puppet.body;
    server_->restart();
    auto again = send_raw(room_, owner_, msg("after restart"), "restart-txn");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json().at("event_id"), first.json().at("event_id"));
    auto puppet_again = send_raw(room_, alice_, msg("puppet after restart"), "wa-restart");
    EXPECT_EQ(puppet_again.json().value("event_id", ""), puppet.json().at("event_id"));
    EXPECT_EQ(message_ids(room_).size(), 2u);
    // The room itself came back as it was.
    EXPECT_EQ(membership(room_, alice_.user_id), "join");
    EXPECT_EQ(joined_rooms(owner_), (std::set<std::string>{room_}));
}

// A bridge that times out retries while the first request is still being handled: every
// retry of one transaction id, however they interleave, gives the one event.
TEST_F(RoomSend, ConcurrentRetriesOfOneTxnIdMakeOneEvent)
{
    constexpr int retries = 6;
    std::vector<HttpResponse> responses(retries);
    std::vector<std::thread> threads;
    for (int i = 0; i < retries; ++i) {
        threads.emplace_back([&, i] {
            HttpClient client(server_->client());
            client.set_spec_validation(false);  // checked below, on the test's thread
            try {
                responses[i] = client.put(acting(room_path(room_, "/send/m.room.message/race"), alice_),
                                          msg("racing"), alice_.token);
            } catch (const std::exception& e) {
                responses[i].body = e.what();
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    ASSERT_EQ(responses[0].status, 200) << responses[0].body;
    const std::string id = responses[0].json().at("event_id");
    for (const auto& res : responses) {
        ASSERT_EQ(res.status, 200) << res.body;
        EXPECT_EQ(res.json().at("event_id"), id);
    }
    EXPECT_EQ(message_ids(room_), std::vector<std::string>{id});
}

// Spec, "Transaction identifiers": a retransmission has the same transaction id *and* the
// same path; the scope is one device and one endpoint.
TEST_F(RoomSend, SameTxnIdOnAnotherPathIsANewEvent)
{
    const std::string other = create_room();
    auto here = send_raw(room_, owner_, msg("here"), "t1");
    auto there = send_raw(other, owner_, msg("there"), "t1");
    ASSERT_EQ(here.status, 200) << here.body;
    ASSERT_EQ(there.status, 200) << there.body;
    EXPECT_NE(there.json().at("event_id"), here.json().at("event_id"));
    EXPECT_EQ(message_ids(other).size(), 1u);
    // Another event type is another path too (Synapse keys its transaction cache on the path).
    auto reaction = send_raw(room_, owner_,
                             {{"m.relates_to", {{"rel_type", "m.annotation"},
                                                {"event_id", here.json().at("event_id")},
                                                {"key", "👍"}}}},
                             "t1", "m.reaction");
    ASSERT_EQ(reaction.status, 200) << reaction.body;
    EXPECT_NE(reaction.json().at("event_id"), here.json().at("event_id"));
    EXPECT_EQ(timeline(room_).back().value("type", ""), "m.reaction");
}

TEST_F(RoomSend, RedactTxnIdsAreScopedToTheRedactPath)
{
    const std::string target = text(room_, owner_, "to be redacted");
    auto sent = send_raw(room_, owner_, msg("other"), "shared");
    ASSERT_EQ(sent.status, 200) << sent.body;
    auto redaction = put(room_path(room_, "/redact/" + enc(target) + "/shared"), json::object(), owner_);
    ASSERT_EQ(redaction.status, 200) << redaction.body;
    EXPECT_NE(redaction.json().at("event_id"), sent.json().at("event_id"));
    auto redacted = get(room_path(room_, "/event/" + enc(target)), owner_);
    EXPECT_TRUE(redacted.json().value("unsigned", json::object()).contains("redacted_because"))
        << redacted.body;
    // The event id is part of the path: the same txnId redacting another event is new.
    const std::string second = text(room_, owner_, "also to be redacted");
    auto other = put(room_path(room_, "/redact/" + enc(second) + "/shared"), json::object(), owner_);
    ASSERT_EQ(other.status, 200) << other.body;
    EXPECT_NE(other.json().at("event_id"), redaction.json().at("event_id"));
    auto second_event = get(room_path(room_, "/event/" + enc(second)), owner_);
    EXPECT_TRUE(second_event.json().value("unsigned", json::object()).contains("redacted_because"))
        << second_event.body;
}

TEST_F(RoomSend, RedactionShowsInTheEvent)
{
    const std::string target = text(room_, alice_, "oops, wrong chat");
    const std::string path = room_path(room_, "/redact/" + enc(target) + "/r1");
    auto res = put(path, {{"reason", "wrong chat"}}, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "PUT", path);
    const std::string redaction_id = res.json().at("event_id");
    auto again = put(path, {{"reason", "wrong chat"}}, owner_);
    EXPECT_EQ(again.json().value("event_id", ""), redaction_id);  // idempotent

    const std::string event_path = room_path(room_, "/event/" + enc(target));
    auto event = get(event_path, alice_);
    ASSERT_EQ(event.status, 200) << event.body;
    EXPECT_SPEC(event, "GET", event_path);
    const json redacted = event.json();
    EXPECT_EQ(redacted.at("content"), json::object());
    EXPECT_EQ(redacted.at("sender"), alice_.user_id);
    const json because = redacted.at("unsigned").at("redacted_because");
    EXPECT_EQ(because.at("event_id"), redaction_id);
    EXPECT_EQ(because.at("type"), "m.room.redaction");
    EXPECT_EQ(because.at("sender"), owner_id);
    EXPECT_EQ(because.at("content").value("reason", ""), "wrong chat");
    EXPECT_EQ(because.value("redacts", because.at("content").value("redacts", "")), target);
}

TEST_F(RoomSend, RedactedStateEventKeepsNoContent)
{
    const std::string topic = put_state(room_, owner_, "m.room.topic", "", {{"topic", "secret"}});
    ASSERT_EQ(put(room_path(room_, "/redact/" + enc(topic) + "/r1"), json::object(), owner_).status, 200);
    EXPECT_EQ(state_content(room_, "m.room.topic"), json::object());
    auto whole = get_state_event(room_, "m.room.topic", "", owner_);
    ASSERT_EQ(whole.status, 200) << whole.body;
    EXPECT_EQ(whole.json().at("event_id"), topic);
    EXPECT_TRUE(whole.json().at("unsigned").contains("redacted_because")) << whole.body;
}

TEST_F(RoomSend, EventsOverTheSizeLimitAre413)
{
    const auto before = fingerprint(room_);
    // The body fits the request limit, the event with its envelope does not.
    auto big = send_raw(room_, owner_, msg(std::string(65'400, 'x')), "big");
    expect_error(big, 413, "M_TOO_LARGE");
    auto bigger = send_raw(room_, owner_, msg(std::string(70'000, 'x')), "bigger");
    expect_error(bigger, 413, "M_TOO_LARGE");
    auto state = put_state_raw(room_, owner_, "m.room.topic", "", {{"topic", std::string(65'400, 't')}});
    expect_error(state, 413, "M_TOO_LARGE");
    EXPECT_EQ(fingerprint(room_), before);
    // Just under the limit is fine.
    EXPECT_EQ(send_raw(room_, owner_, msg(std::string(60'000, 'y')), "fits").status, 200);
}

TEST_F(RoomSend, PuppetsMayMassageTheTimestamp)
{
    auto res = put(room_path(room_, "/send/m.room.message/backfill-1?ts=1500000000000"), msg("old"), alice_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(timeline(room_).back().at("origin_server_ts"), 1'500'000'000'000);
    // A user's ?ts is ignored.
    auto own = put(room_path(room_, "/send/m.room.message/t-ts?ts=1500000000000"), msg("now"), owner_);
    ASSERT_EQ(own.status, 200) << own.body;
    EXPECT_GT(timeline(room_).back().at("origin_server_ts").get<std::int64_t>(), 1'600'000'000'000);
}

TEST_F(RoomSend, BadRequestsSendNothing)
{
    const auto before = fingerprint(room_);
    const std::string& token = owner_.token;
    const std::string send = room_path(room_, "/send/m.room.message/");
    const BadRequest cases[] = {
        {send + "b1", "{", token, 400, "M_NOT_JSON"},
        {send + "b2", "[]", token, 400, "M_BAD_JSON"},
        {send + "b3", "", token, 400, "M_NOT_JSON"},
        {room_path(room_, "/send/m.room.redaction/b4"), R"({"redacts": 5})", token, 400, "M_BAD_JSON"},
        {v3 + "/rooms/not-a-room/send/m.room.message/b5", R"({"msgtype": "m.text", "body": "x"})", token, 400, "M_INVALID_PARAM"},
        {room_path("!unknown:test.local", "/send/m.room.message/b6"), R"({"msgtype": "m.text", "body": "x"})", token, 404, "M_NOT_FOUND"},
        {send + "b7", R"({"msgtype": "m.text", "body": "x"})", "", 401, "M_MISSING_TOKEN"},
        {send + "b8", R"({"msgtype": "m.text", "body": "x"})", "bad", 401, "M_UNKNOWN_TOKEN"},
        {room_path(room_, "/redact/not-an-event/b9"), "{}", token, 400, "M_INVALID_PARAM"},
        {room_path(room_, "/redact/$unknown/b10"), R"({"reason": 5})", token, 400, "M_BAD_JSON"},
    };
    expect_refused(*client_, "PUT", cases);
    EXPECT_EQ(fingerprint(room_), before);
}

} // namespace
} // namespace ravenous::test::room
