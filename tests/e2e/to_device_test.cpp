// PUT /sendToDevice and /sync's to_device section: delivery to one device and to "*", the
// acknowledgement by a later since, idempotent txnIds, more than 100 pending across pages, long
// polls, refused bodies, appservice puppets, unknown recipients and device deletion.

#include "support/spec_assert.hpp"
#include "sync_fixture.hpp"

#include <chrono>

namespace ravenous::test::sync {
namespace {

const std::string other_owner_device = "OWNERPHONE";

class ToDevice : public SyncFixture
{
protected:
    void SetUp() override
    {
        SyncFixture::SetUp();
        owner_device_ = device_of(owner_.token);
        // The owner's second device, logged in separately.
        phone_ = {owner_id, login_device(other_owner_device), false};
    }

    // Logs the owner in with a chosen device id; returns the token.
    std::string login_device(const std::string& device_id)
    {
        auto res = client_->post(v3 + "/login",
                                 {{"type", "m.login.password"},
                                  {"identifier", {{"type", "m.id.user"}, {"user", owner_id}}},
                                  {"password", default_owner_password},
                                  {"device_id", device_id}});
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json().at("access_token").get<std::string>() : "";
    }
    std::string device_of(const std::string& token)
    {
        return client_->get(v3 + "/account/whoami", token).json().at("device_id");
    }

    static std::string path(const std::string& txn, std::string_view type = "m.test")
    {
        return v3 + "/sendToDevice/" + enc(type) + "/" + enc(txn);
    }
    HttpResponse send_raw(const Actor& who, const std::string& txn, const json& messages,
                          std::string_view type = "m.test")
    {
        auto res = put(path(txn, type), {{"messages", messages}}, who);
        if (res.status == 200) {
            EXPECT_SPEC(res, "PUT", path(txn, type));
            EXPECT_EQ(res.json(), json::object());
        }
        return res;
    }
    void send(const Actor& who, const std::string& txn, const json& messages,
              std::string_view type = "m.test")
    {
        EXPECT_EQ(send_raw(who, txn, messages, type).status, 200);
    }
    // One message to the owner's phone.
    void to_phone(const std::string& txn, const json& content, const Actor* who = nullptr)
    {
        send(who ? *who : owner_, txn, {{owner_id, {{other_owner_device, content}}}});
    }

    // The phone's sync from `since` (initial when empty).
    json phone_sync(const std::string& since = {})
    {
        return sync(since.empty() ? "timeout=0" : "timeout=0&since=" + enc(since), &phone_);
    }
    static json events_of(const json& body) { return body.at("to_device").at("events"); }
    // content.n of each to-device event.
    static std::vector<int> numbers(const json& body)
    {
        std::vector<int> out;
        for (const auto& event : events_of(body))
            out.push_back(event.at("content").value("n", -1));
        return out;
    }

    std::string owner_device_;
    Actor phone_;
};

TEST_F(ToDevice, OneDeviceReceivesWhatIsSentToIt)
{
    to_phone("t1", {{"n", 1}, {"nested", {{"k", "v"}}}});
    const json body = phone_sync();
    ASSERT_EQ(events_of(body).size(), 1u) << body.dump();
    EXPECT_EQ(events_of(body)[0],
              json({{"sender", owner_id},
                    {"type", "m.test"},
                    {"content", {{"n", 1}, {"nested", {{"k", "v"}}}}}}));
    // Only the addressed device.
    EXPECT_TRUE(events_of(sync("timeout=0")).empty());
}

TEST_F(ToDevice, StarReachesEveryDeviceOfTheUser)
{
    const std::string since = phone_sync().at("next_batch");
    send(owner_, "star", {{owner_id, {{"*", {{"n", 7}}}}}}, "m.room_key_request");
    for (const json& body : {phone_sync(since), sync("timeout=0")}) {
        ASSERT_EQ(events_of(body).size(), 1u) << body.dump();
        EXPECT_EQ(events_of(body)[0].at("type"), "m.room_key_request");
        EXPECT_EQ(numbers(body), std::vector<int>{7});
    }
    // A device logged in after the send was not among "every device" then.
    Actor tablet{owner_id, login_device("TABLET"), false};
    EXPECT_TRUE(events_of(sync("timeout=0", &tablet)).empty());
}

TEST_F(ToDevice, ALaterSinceAcknowledgesAndTheOldSinceRedeliversUntilThen)
{
    const std::string start = phone_sync().at("next_batch");
    to_phone("a", {{"n", 1}});
    const json first = phone_sync(start);
    EXPECT_EQ(numbers(first), std::vector<int>{1});
    // Not acknowledged yet: the same since gives it again (the response was lost).
    const json again = phone_sync(start);
    EXPECT_EQ(numbers(again), std::vector<int>{1});
    EXPECT_EQ(again.at("next_batch"), first.at("next_batch"));

    to_phone("b", {{"n", 2}});
    // Syncing from the first response's token acknowledges message 1: only 2 comes.
    const json second = phone_sync(first.at("next_batch"));
    EXPECT_EQ(numbers(second), std::vector<int>{2});
    // Message 1 is gone for good: even the old since no longer brings it.
    EXPECT_EQ(numbers(phone_sync(start)), std::vector<int>{2});
    const json third = phone_sync(second.at("next_batch"));
    EXPECT_TRUE(events_of(third).empty()) << third.dump();
    EXPECT_TRUE(events_of(phone_sync(start)).empty());
}

TEST_F(ToDevice, ARetriedTxnIdStoresNothingAgain)
{
    to_phone("same", {{"n", 1}});
    to_phone("same", {{"n", 2}});
    // Another txnId, and the same txnId under another event type, are new requests.
    to_phone("other", {{"n", 3}});
    EXPECT_EQ(send_raw(owner_, "same", {{owner_id, {{other_owner_device, {{"n", 4}}}}}},
                       "m.other")
                  .status,
              200);
    // The same txnId from another device of the same user is another transaction.
    to_phone("same", {{"n", 5}}, &phone_);
    EXPECT_EQ(numbers(phone_sync()), (std::vector<int>{1, 3, 4, 5}));
}

TEST_F(ToDevice, MoreThanAHundredPendingComeInPagesWithNothingLostOrRepeated)
{
    const std::string room = shared_room();
    std::string since = phone_sync().at("next_batch");
    for (int i = 0; i < 150; ++i)
        to_phone("p" + std::to_string(i), {{"n", i}});
    // A room event between the to-device messages: it must come exactly once too.
    const std::string event_id = text(room, alice_, "in the middle");
    for (int i = 150; i < 250; ++i)
        to_phone("p" + std::to_string(i), {{"n", i}});

    std::vector<int> received;
    std::vector<std::size_t> page_sizes;
    int room_event_seen = 0;
    for (int page = 0; page < 10; ++page) {
        const json body = phone_sync(since);
        const auto got = numbers(body);
        for (const auto& event : timeline_events(room_of(body, room)))
            room_event_seen += event.at("event_id") == event_id;
        if (got.empty())
            break;
        page_sizes.push_back(got.size());
        received.insert(received.end(), got.begin(), got.end());
        since = body.at("next_batch");
    }
    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{100, 100, 50}));
    std::vector<int> expected(250);
    for (int i = 0; i < 250; ++i)
        expected[i] = i;
    EXPECT_EQ(received, expected);
    EXPECT_EQ(room_event_seen, 1);
}

TEST_F(ToDevice, ANewMessageWakesTheDevicesLongPoll)
{
    // Something on the stream first: a since of s0 counts as an initial sync for account data.
    shared_room();
    const std::string since = phone_sync().at("next_batch");
    // From a puppet: a request of the owner's would wake the poll first with their presence.
    const auto polled =
        long_poll(since, phone_.token, [&] { to_phone("wake", {{"n", 42}}, &alice_); });
    ASSERT_EQ(polled.response.status, 200) << polled.response.body;
    // Woken by the message, not by the 30 s timeout.
    EXPECT_LT(polled.after_act, std::chrono::seconds(5));
    EXPECT_EQ(numbers(polled.response.json()), std::vector<int>{42}) << polled.response.body;
}

TEST_F(ToDevice, BadBodiesAreRefusedAndStoreNothing)
{
    const std::string start = phone_sync().at("next_batch");
    const json good = {{other_owner_device, {{"n", 1}}}};
    const HeaderList headers = {{"Authorization", "Bearer " + owner_.token},
                                {"Content-Type", "application/json"}};
    expect_error(client_->request("PUT", path("bad"), std::string("{not json"), headers), 400,
                 "M_NOT_JSON");
    expect_error(client_->request("PUT", path("bad"), std::string("[1]"), headers), 400,
                 "M_BAD_JSON");
    struct Case
    {
        json body;
        const char* errcode;
    };
    const Case cases[] = {
        {json::object(), "M_BAD_JSON"},
        {{{"messages", json::array()}}, "M_BAD_JSON"},
        {{{"messages", "x"}}, "M_BAD_JSON"},
        {{{"messages", {{owner_id, "x"}}}}, "M_BAD_JSON"},
        {{{"messages", {{owner_id, json::array()}}}}, "M_BAD_JSON"},
        // A good message next to a bad one: the whole request is refused.
        {{{"messages", {{owner_id, {{other_owner_device, {{"n", 1}}}, {"X", "text"}}}}}},
         "M_BAD_JSON"},
        {{{"messages", {{owner_id, good}, {"@carol:test.local", {{"D", json::array()}}}}}},
         "M_BAD_JSON"},
        {{{"messages", {{owner_id, good}, {"not-a-user", {{"D", json::object()}}}}}},
         "M_INVALID_PARAM"},
    };
    for (const auto& c : cases)
        expect_error(put(path("bad"), c.body, owner_), 400, c.errcode);
    expect_error(client_->put(path("bad"), {{"messages", {{owner_id, good}}}}), 401,
                 "M_MISSING_TOKEN");
    expect_error(client_->put(path("bad"), {{"messages", {{owner_id, good}}}}, "nope"), 401,
                 "M_UNKNOWN_TOKEN");
    EXPECT_TRUE(events_of(phone_sync(start)).empty());

    // The refused requests recorded no transaction: the same txnId now goes through.
    to_phone("bad", {{"n", 9}});
    EXPECT_EQ(numbers(phone_sync(start)), std::vector<int>{9});
}

TEST_F(ToDevice, AnAppservicePuppetSendsAndReceives)
{
    // A puppet, through the as_token without a device, to the owner's phone.
    to_phone("as1", {{"n", 1}}, &alice_);
    to_phone("as1", {{"n", 2}}, &alice_); // retried: the appservice is the device key
    to_phone("as1", {{"n", 3}}, &bob_);   // another puppet: another sender
    const json body = phone_sync();
    EXPECT_EQ(numbers(body), (std::vector<int>{1, 3}));
    ASSERT_EQ(events_of(body).size(), 2u);
    EXPECT_EQ(events_of(body)[0].at("sender"), alice_.user_id);
    EXPECT_EQ(events_of(body)[1].at("sender"), bob_.user_id);

    // The bridge's own device for the puppet (appservice login), reached by the owner, and
    // synced through device masquerading (MSC3202).
    auto login = client_->post(
        v3 + "/login",
        {{"type", "m.login.application_service"},
         {"identifier", {{"type", "m.id.user"}, {"user", alice_.user_id}}},
         {"device_id", "BRIDGEDEV"}},
        as_token);
    ASSERT_EQ(login.status, 200) << login.body;
    send(owner_, "to-bridge", {{alice_.user_id, {{"BRIDGEDEV", {{"n", 4}}}}}});
    auto res = client_->get(v3 + "/sync?timeout=0&user_id=" + enc(alice_.user_id) +
                                "&org.matrix.msc3202.device_id=BRIDGEDEV",
                            as_token);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", v3 + "/sync");
    EXPECT_EQ(numbers(res.json()), std::vector<int>{4});
    // Without a device the appservice gets no to-device messages.
    EXPECT_TRUE(events_of(sync("timeout=0", &alice_)).empty());
}

TEST_F(ToDevice, UnknownAndRemoteRecipientsAreSkipped)
{
    send(owner_, "mixed",
         {{owner_id, {{"NOSUCHDEVICE", {{"n", 1}}}, {other_owner_device, {{"n", 2}}}}},
          {"@nobody:test.local", {{"D", {{"n", 3}}}, {"*", {{"n", 4}}}}},
          {"@someone:elsewhere.example", {{"D", {{"n", 5}}}}},
          {carol_.user_id, {{"*", {{"n", 6}}}}}}); // a puppet with no device
    EXPECT_EQ(numbers(phone_sync()), std::vector<int>{2});
    EXPECT_TRUE(events_of(sync("timeout=0")).empty());
    // No device was created for the unknown ones.
    auto devices = client_->get(v3 + "/devices", owner_.token);
    ASSERT_EQ(devices.status, 200);
    EXPECT_EQ(devices.json().at("devices").size(), 2u) << devices.body;
}

TEST_F(ToDevice, DeletingOrLoggingOutADeviceDropsItsMessages)
{
    to_phone("gone", {{"n", 1}});
    ASSERT_EQ(client_->post(v3 + "/logout", json::object(), phone_.token).status, 200);
    // The same device id logged in again starts with an empty inbox.
    phone_.token = login_device(other_owner_device);
    EXPECT_TRUE(events_of(phone_sync()).empty());

    to_phone("gone2", {{"n", 2}});
    const std::string device_path = v3 + "/devices/" + other_owner_device;
    auto challenge = client_->del(device_path, json::object(), owner_.token);
    ASSERT_EQ(challenge.status, 401) << challenge.body;
    json auth = {{"type", "m.login.password"},
                 {"identifier", {{"type", "m.id.user"}, {"user", owner_id}}},
                 {"password", default_owner_password},
                 {"session", challenge.json().at("session")}};
    ASSERT_EQ(client_->del(device_path, {{"auth", auth}}, owner_.token).status, 200);
    phone_.token = login_device(other_owner_device);
    EXPECT_TRUE(events_of(phone_sync()).empty());
    // The owner's other device keeps its own messages.
    send(owner_, "mine", {{owner_id, {{owner_device_, {{"n", 3}}}}}});
    EXPECT_EQ(numbers(sync("timeout=0")), std::vector<int>{3});
}

} // namespace
} // namespace ravenous::test::sync
