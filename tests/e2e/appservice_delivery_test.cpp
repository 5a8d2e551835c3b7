// Delivery to bridges: the pusher sends what an appservice wants, in order, in transactions of
// at most 100 events, retries with the same id until a 2xx, catches up after an outage in full
// batches, and loses or reorders nothing across a restart. The bridge is a FakeBridge.

#include "room_fixture.hpp"
#include "support/fake_bridge.hpp"

#include <chrono>
#include <set>
#include <thread>

namespace ravenous::test::room {
namespace {

using namespace std::chrono_literals;

class Delivery : public RoomFixture
{
protected:
    void SetUp() override
    {
        bridge_ = std::make_unique<FakeBridge>("wa-hs-token");
        RoomFixture::SetUp();
    }

    std::string registration() override
    {
        return "id: whatsapp\nurl: " + bridge_->url() +
               "\nas_token: wa-as-token\nhs_token: wa-hs-token\nsender_localpart: whatsappbot\n"
               "receive_ephemeral: true\norg.matrix.msc3202: true\n"
               "namespaces:\n  users:\n    - exclusive: true\n      regex: '@whatsapp_.+:test\\.local'\n";
    }

    // A room of the owner's with alice (a puppet) joined.
    std::string bridged_room()
    {
        const std::string room = create_room({{"preset", "private_chat"}});
        invite(room, owner_, alice_);
        join(room, alice_);
        return room;
    }

    // Event ids of the bridge's delivered events of this type in this room, in order.
    std::vector<std::string> delivered(const std::string& room, std::string_view type)
    {
        std::vector<std::string> ids;
        for (const auto& event : bridge_->events())
            if (event.value("room_id", "") == room && event.value("type", "") == type)
                ids.push_back(event.at("event_id").get<std::string>());
        return ids;
    }

    bool wait_delivered(const std::string& event_id, std::chrono::milliseconds timeout = 10s)
    {
        return bridge_->wait_for(
            [&](const FakeBridge& bridge) {
                for (const auto& event : bridge.events())
                    if (event.value("event_id", "") == event_id)
                        return true;
                return false;
            },
            timeout);
    }

    // Sends `count` messages from `who` and returns their ids in order.
    std::vector<std::string> flood(const std::string& room, const Actor& who, int count)
    {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i)
            ids.push_back(text(room, who, "message " + std::to_string(i)));
        return ids;
    }

    void ping_bridge()
    {
        auto res = client_->post("/_matrix/client/v1/appservice/whatsapp/ping",
                                 {{"transaction_id", "wake"}}, as_token);
        EXPECT_EQ(res.status, 200) << res.body;
    }

    std::unique_ptr<FakeBridge> bridge_;
};

TEST_F(Delivery, EventsOfBridgedRoomsArriveInOrderWithTheHsTokenInTheHeader)
{
    const std::string room = bridged_room();
    auto sent = flood(room, owner_, 5);
    ASSERT_TRUE(wait_delivered(sent.back()));
    EXPECT_EQ(delivered(room, "m.room.message"), sent);
    for (const auto& txn : bridge_->accepted()) {
        EXPECT_EQ(txn.authorization, "Bearer wa-hs-token");
        EXPECT_EQ(txn.target.find("access_token"), std::string::npos) << txn.target;
        ASSERT_TRUE(txn.body.contains("events"));
        EXPECT_TRUE(txn.body.at("events").is_array());
    }
    // The puppet's membership events went too (their state_key is in the namespace).
    const auto members = delivered(room, "m.room.member");
    EXPECT_GE(members.size(), 2u);
}

TEST_F(Delivery, RoomsWithoutTheBridgesUsersAreNotDelivered)
{
    const std::string lonely = create_room({{"name", "not bridged"}});
    const std::string marker_room = bridged_room();
    text(lonely, owner_, "nobody from whatsapp sees this");
    const std::string marker = text(marker_room, owner_, "after");
    ASSERT_TRUE(wait_delivered(marker));
    for (const auto& event : bridge_->events())
        EXPECT_NE(event.value("room_id", ""), lonely) << event.dump();
}

TEST_F(Delivery, AnInviteOfAPuppetIsDeliveredBeforeItJoins)
{
    const std::string room = create_room({{"preset", "private_chat"}});
    auto res = member_op(room, "invite", owner_, {{"user_id", bob_.user_id}});
    ASSERT_EQ(res.status, 200) << res.body;
    ASSERT_TRUE(bridge_->wait_for(
        [&](const FakeBridge& bridge) {
            for (const auto& event : bridge.events())
                if (event.value("type", "") == "m.room.member" &&
                    event.value("state_key", "") == bob_.user_id &&
                    event.at("content").value("membership", "") == "invite")
                    return true;
            return false;
        },
        10s));
}

TEST_F(Delivery, LargeBacklogsGoInTransactionsOfAtMostAHundredEvents)
{
    const std::string room = bridged_room();
    auto sent = flood(room, alice_, 230);
    ASSERT_TRUE(wait_delivered(sent.back(), 30s));
    EXPECT_EQ(delivered(room, "m.room.message"), sent);
    std::set<std::string> ids;
    for (const auto& txn : bridge_->accepted()) {
        EXPECT_LE(txn.body.at("events").size(), 100u);
        EXPECT_TRUE(ids.insert(txn.txn_id).second) << "txn id reused: " << txn.txn_id;
    }
}

TEST_F(Delivery, AFailedTransactionIsRetriedWithTheSameIdAndContent)
{
    const std::string room = bridged_room();
    const std::string before = text(room, owner_, "before");
    ASSERT_TRUE(wait_delivered(before));
    const auto accepted_before = bridge_->accepted().size();

    bridge_->fail_next(2, 500);
    const std::string event_id = text(room, owner_, "retried");
    ASSERT_TRUE(wait_delivered(event_id, 15s));

    auto received = bridge_->received();
    ASSERT_GE(received.size(), accepted_before + 3);
    const auto& failed1 = received[received.size() - 3];
    const auto& failed2 = received[received.size() - 2];
    const auto& ok = received.back();
    EXPECT_EQ(failed1.answered_status, 500);
    EXPECT_EQ(failed2.answered_status, 500);
    EXPECT_EQ(failed1.txn_id, ok.txn_id);
    EXPECT_EQ(failed2.txn_id, ok.txn_id);
    EXPECT_EQ(failed1.body.at("events"), ok.body.at("events"));
    // Delivered once: the bridge's events (deduplicated by txn id) have it once.
    auto messages = delivered(room, "m.room.message");
    EXPECT_EQ(std::count(messages.begin(), messages.end(), event_id), 1);
}

TEST_F(Delivery, AfterAnOutageTheBacklogGoesOutInFullBatchesInOrder)
{
    const std::string room = bridged_room();
    const std::string first = text(room, owner_, "first");
    ASSERT_TRUE(wait_delivered(first));
    bridge_->stop();
    auto sent = flood(room, owner_, 250);
    const auto accepted_before = bridge_->accepted().size();
    bridge_->restart();
    ping_bridge();  // cuts the back-off short
    ASSERT_TRUE(wait_delivered(sent.back(), 30s));

    // The transaction in flight when the bridge went away (built from what had arrived by
    // then, perhaps one event) is retried as it was; everything after it goes in full
    // transactions of 100, so 250 events take at most 4 transactions, not 250.
    auto accepted = bridge_->accepted();
    std::vector<std::size_t> sizes;
    for (std::size_t i = accepted_before; i < accepted.size(); ++i)
        sizes.push_back(accepted[i].body.at("events").size());
    ASSERT_GE(sizes.size(), 3u);
    for (std::size_t i = 1; i + 1 < sizes.size(); ++i)
        EXPECT_EQ(sizes[i], 100u) << "transaction " << i << " after the outage";
    EXPECT_LE(accepted.size() - accepted_before, 4u);
    auto messages = delivered(room, "m.room.message");
    ASSERT_EQ(messages.size(), 251u);
    EXPECT_EQ(std::vector<std::string>(messages.begin() + 1, messages.end()), sent);
}

TEST_F(Delivery, ARestartMidBacklogLosesNothingAndKeepsOrder)
{
    const std::string room = bridged_room();
    bridge_->stop();
    auto sent = flood(room, alice_, 150);
    server_->restart();
    bridge_->restart();
    ping_bridge();
    ASSERT_TRUE(wait_delivered(sent.back(), 30s));
    EXPECT_EQ(delivered(room, "m.room.message"), sent);
}

TEST_F(Delivery, EventsCarryWhatBridgesRead)
{
    const std::string room = bridged_room();
    // Sent through the appservice's own token: unsigned.transaction_id comes back.
    auto res = send_raw(room, alice_,
                        {{"msgtype", "m.text"},
                         {"body", "from the bridge"},
                         {"fi.mau.double_puppet_source", "whatsapp"}},
                        "bridge-txn-1");
    ASSERT_EQ(res.status, 200) << res.body;
    const std::string from_bridge = res.json().at("event_id");
    const std::string from_owner = text(room, owner_, "from the owner");
    put_state(room, owner_, "m.room.topic", "", {{"topic", "one"}});
    const std::string second_topic = put_state(room, owner_, "m.room.topic", "", {{"topic", "two"}});
    auto redaction = put(room_path(room, "/redact/" + enc(from_owner) + "/r1"), json::object(), owner_);
    ASSERT_EQ(redaction.status, 200) << redaction.body;
    const std::string redaction_id = redaction.json().at("event_id");
    ASSERT_TRUE(wait_delivered(redaction_id));

    std::map<std::string, json> by_id;
    for (const auto& event : bridge_->events())
        by_id[event.at("event_id")] = event;
    const json& bridged = by_id.at(from_bridge);
    EXPECT_EQ(bridged.at("unsigned").value("transaction_id", ""), "bridge-txn-1");
    EXPECT_EQ(bridged.at("content").value("fi.mau.double_puppet_source", ""), "whatsapp");
    EXPECT_FALSE(by_id.at(from_owner).at("unsigned").contains("transaction_id"));
    EXPECT_EQ(by_id.at(second_topic).at("unsigned").at("prev_content"), json({{"topic", "one"}}));
    EXPECT_EQ(by_id.at(redaction_id).value("redacts", ""), from_owner);
}

TEST_F(Delivery, TypingAndReceiptsGoAsEphemeralEventsWithTheirRoom)
{
    const std::string room = bridged_room();
    const std::string message = text(room, alice_, "read me");
    ASSERT_TRUE(wait_delivered(message));
    auto typing = put(room_path(room, "/typing/" + enc(owner_.user_id)),
                      {{"typing", true}, {"timeout", 10000}}, owner_);
    ASSERT_EQ(typing.status, 200) << typing.body;
    auto receipt = post(room_path(room, "/receipt/m.read/" + enc(message)), json::object(), owner_);
    ASSERT_EQ(receipt.status, 200) << receipt.body;

    auto has_edu = [&](const FakeBridge& bridge, std::string_view type) {
        for (const auto& txn : bridge.accepted())
            for (const auto& edu : txn.body.value("ephemeral", json::array()))
                if (edu.value("type", "") == type && edu.value("room_id", "") == room)
                    return true;
        return false;
    };
    ASSERT_TRUE(bridge_->wait_for([&](const FakeBridge& b) { return has_edu(b, "m.typing"); }, 10s));
    ASSERT_TRUE(bridge_->wait_for([&](const FakeBridge& b) { return has_edu(b, "m.receipt"); }, 10s));
    for (const auto& txn : bridge_->accepted()) {
        for (const auto& edu : txn.body.value("ephemeral", json::array())) {
            if (edu.value("type", "") == "m.typing") {
                const json ids = edu.at("content").at("user_ids");
                EXPECT_EQ(ids, json::array({owner_.user_id}));
            }
            if (edu.value("type", "") == "m.receipt") {
                EXPECT_TRUE(edu.at("content").at(message).at("m.read").contains(owner_.user_id))
                    << edu.dump();
            }
        }
        // The unstable name carries the same list for older bridges.
        EXPECT_EQ(txn.body.value("ephemeral", json::array()),
                  txn.body.value("de.sorunome.msc2409.ephemeral", json::array()));
    }
}

// With MSC3202 the bridge gets the to-device messages for its users' devices (its crypto
// bot's, after appservice login), addressed, and each once.
TEST_F(Delivery, ToDeviceMessagesForItsDevicesGoInTheTransaction)
{
    auto login = client_->post(v3 + "/login",
                               {{"type", "m.login.application_service"},
                                {"identifier", {{"type", "m.id.user"}, {"user", alice_.user_id}}},
                                {"device_id", "BRIDGECRYPTO"}},
                               as_token);
    ASSERT_EQ(login.status, 200) << login.body;
    auto sent = put(v3 + "/sendToDevice/m.room.encrypted/td1",
                    {{"messages", {{alice_.user_id, {{"BRIDGECRYPTO", {{"ciphertext", "x"}}}}}}}},
                    owner_);
    ASSERT_EQ(sent.status, 200) << sent.body;
    auto has_it = [&](const FakeBridge& bridge) {
        for (const auto& txn : bridge.accepted())
            for (const auto& message : txn.body.value("to_device", json::array()))
                if (message.value("to_device_id", "") == "BRIDGECRYPTO")
                    return true;
        return false;
    };
    ASSERT_TRUE(bridge_->wait_for(has_it, 10s));
    int copies = 0;
    for (const auto& txn : bridge_->accepted()) {
        for (const auto& message : txn.body.value("to_device", json::array())) {
            ++copies;
            EXPECT_EQ(message.value("type", ""), "m.room.encrypted");
            EXPECT_EQ(message.value("sender", ""), owner_.user_id);
            EXPECT_EQ(message.value("to_user_id", ""), alice_.user_id);
            EXPECT_EQ(message.at("content"), json({{"ciphertext", "x"}}));
        }
        EXPECT_EQ(txn.body.value("to_device", json::array()),
                  txn.body.value("de.sorunome.msc2409.to_device", json::array()));
    }
    EXPECT_EQ(copies, 1);
    // Acknowledged by the bridge, so no longer waiting in the device's inbox: the removal is
    // written right after the bridge's 2xx, so it may land a moment after the bridge saw it.
    const std::string device_token = login.json().at("access_token");
    json pending;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    do {
        auto sync = client_->get(v3 + "/sync?timeout=0", device_token);
        ASSERT_EQ(sync.status, 200) << sync.body;
        const json body = sync.json();
        pending = body.value("to_device", json::object()).value("events", json::array());
        if (pending.empty())
            break;
        std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    EXPECT_TRUE(pending.empty()) << pending.dump();
}

} // namespace
} // namespace ravenous::test::room

namespace ravenous::test::room {
namespace {

// Registered at run time through the operator API: delivered at once, no restart; deleted:
// nothing more is delivered.
TEST_F(Delivery, ARegistrationMadeAtRunTimeIsDeliveredToAndADeletedOneIsNot)
{
    FakeBridge telegram("tg-hs-token");
    const json registration = {
        {"id", "telegram"},
        {"url", telegram.url()},
        {"as_token", "tg-as-token"},
        {"hs_token", "tg-hs-token"},
        {"sender_localpart", "telegrambot"},
        {"namespaces", {{"users", json::array({{{"exclusive", true}, {"regex", "@telegram_.+:test\\.local"}}})}}},
    };
    HttpClient admin = server_->client();
    admin.set_spec_validation(false);
    auto put_res = admin.put("/_ravenous/admin/v1/appservices/telegram", registration,
                             std::string(default_admin_token));
    ASSERT_TRUE(put_res.status == 200 || put_res.status == 201) << put_res.body;

    auto reg = client_->post(v3 + "/register",
                             {{"type", "m.login.application_service"}, {"username", "telegram_dan"}},
                             "tg-as-token");
    ASSERT_EQ(reg.status, 200) << reg.body;
    const std::string room = create_room({{"preset", "private_chat"}});
    invite(room, owner_, Actor{"@telegram_dan:test.local", "tg-as-token", true});
    join(room, Actor{"@telegram_dan:test.local", "tg-as-token", true});
    const std::string hello = text(room, owner_, "hello telegram");
    ASSERT_TRUE(telegram.wait_for(
        [&](const FakeBridge& bridge) {
            for (const auto& event : bridge.events())
                if (event.value("event_id", "") == hello)
                    return true;
            return false;
        },
        10s));

    auto del_res = admin.del("/_ravenous/admin/v1/appservices/telegram", json::object(),
                             std::string(default_admin_token));
    ASSERT_TRUE(del_res.status == 200 || del_res.status == 204) << del_res.body;
    const auto seen = telegram.received().size();
    text(room, owner_, "nobody should get this");
    // The whatsapp bridge still gets its events: wait for one as a marker of time passing.
    const std::string marker = text(bridged_room(), owner_, "marker");
    ASSERT_TRUE(wait_delivered(marker));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(telegram.received().size(), seen);
}

} // namespace
} // namespace ravenous::test::room
