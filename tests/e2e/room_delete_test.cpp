// Room deletion (Beeper's "yeet"): POST /_matrix/client/unstable/com.beeper.yeet/rooms/{roomId}/delete.
// Who may delete which room, that every row naming the room goes (checked in the database file
// over every table with a room_id column) while other rooms keep theirs, what /sync says
// afterwards, and that the room answers like one that never existed.

#include "e2e/room_delete_fixture.hpp"
#include "support/fake_bridge.hpp"

#include <algorithm>

namespace ravenous::test::deletion {
namespace {

using namespace std::chrono_literals;

class RoomDelete : public DeletionFixture
{
protected:
    // A room with something in every table that can name a room: messages sent with txn ids
    // (txn_ids), a reply (relations), receipts, an alias, room account data and a tag, a room
    // push rule, typing; and alice joined, unless `other` is the owner (then the whatsapp
    // bridge has no user in the room).
    std::string busy_room(const std::string& name, const Actor* other = nullptr)
    {
        const Actor& member = other ? *other : alice_;
        const std::string room = create_room({{"name", name}});
        if (member.user_id != owner_id) {
            invite(room, owner_, member);
            join(room, member);
        }
        const std::string first = text(room, owner_, "hello from " + name);
        send(room, member,
             {{"msgtype", "m.text"},
              {"body", "a reply"},
              {"m.relates_to", {{"m.in_reply_to", {{"event_id", first}}}}}});
        send(room, member, {{"m.relates_to", {{"rel_type", "m.annotation"}, {"event_id", first}, {"key", "+1"}}}},
             "m.reaction");
        EXPECT_EQ(post(room_path(room, "/receipt/m.read/" + enc(first)), json::object(), owner_).status, 200);
        EXPECT_EQ(post(room_path(room, "/receipt/m.read.private/" + enc(first)), json::object(), member).status, 200);
        EXPECT_EQ(put(v3 + "/directory/room/" + enc("#" + name + ":test.local"), {{"room_id", room}}, owner_).status, 200);
        const std::string user_rooms = v3 + "/user/" + enc(owner_id) + "/rooms/" + enc(room);
        EXPECT_EQ(put(user_rooms + "/account_data/com.example.note", {{"n", 1}}, owner_).status, 200);
        EXPECT_EQ(put(user_rooms + "/tags/m.favourite", {{"order", 0.5}}, owner_).status, 200);
        EXPECT_EQ(put(v3 + "/pushrules/global/room/" + enc(room), {{"actions", json::array()}}, owner_).status, 200);
        EXPECT_EQ(put(room_path(room, "/typing/" + enc(member.user_id)), {{"typing", true}, {"timeout", 30000}}, member).status, 200);
        return room;
    }

    std::int64_t txn_records_of(const std::string& room)
    {
        return database().count(
            "SELECT count(*) FROM txn_ids WHERE event_id IN "
            "(SELECT event_id FROM events WHERE room_id = ?)",
            room);
    }
    std::int64_t room_push_rules(const std::string& room)
    {
        return database().count("SELECT count(*) FROM push_rules WHERE rule_id = ?", room);
    }
};

TEST_F(RoomDelete, OwnerDeletesARoomAndNoRowNamesItAfterwards)
{
    const std::string doomed = busy_room("doomed");
    const std::string kept = busy_room("kept");
    const auto before = room_rows(doomed);
    // The set-up reached every table it meant to (else the check below proves little).
    for (const char* table : {"events", "current_state", "memberships", "receipts", "room_aliases",
                              "account_data", "rooms"})
        EXPECT_GT(before.at(table), 0) << table;
    EXPECT_GT(txn_records_of(doomed), 0);
    EXPECT_EQ(room_push_rules(doomed), 1);
    const auto kept_before = room_rows(kept);
    const auto kept_fingerprint = fingerprint(kept);

    expect_deleted(doomed, owner_);

    EXPECT_EQ(nonzero(room_rows(doomed)), std::set<std::string>{}) << "rows left of the room";
    EXPECT_EQ(database().count("SELECT count(*) FROM deleted_rooms WHERE room_id = ?", doomed), 1);
    EXPECT_EQ(room_push_rules(doomed), 0);
    // The send-transaction records went with the events: none is left pointing at an event
    // that no longer exists.
    EXPECT_EQ(database().count("SELECT count(*) FROM txn_ids WHERE event_id NOT IN "
                               "(SELECT event_id FROM events)"),
              0);
    EXPECT_EQ(room_rows(kept), kept_before);
    EXPECT_GT(txn_records_of(kept), 0);
    EXPECT_EQ(room_push_rules(kept), 1);
    EXPECT_EQ(fingerprint(kept), kept_fingerprint);
    expect_error(client_->get(v3 + "/directory/room/" + enc("#doomed:test.local")), 404, "M_NOT_FOUND");
    EXPECT_EQ(client_->get(v3 + "/directory/room/" + enc("#kept:test.local")).status, 200);
    const json body = sync("timeout=0");
    EXPECT_TRUE(room_of(body, doomed).is_null());
    EXPECT_FALSE(room_of(body, kept).is_null());
}

TEST_F(RoomDelete, AppserviceDeletesRoomsOfItsBotAndOfItsPuppets)
{
    // The bot's portal with the owner in it, deleted with the bare as_token.
    const std::string portal = create_room({{"name", "portal"}, {"invite", {owner_id}}}, bot_);
    join(portal, owner_);
    text(portal, owner_, "hi");
    // A room a puppet created, deleted by the appservice asserting that puppet.
    const std::string by_puppet = create_room({{"name", "dm"}}, alice_);
    // The owner's room with a puppet joined: the appservice's too.
    const std::string owners = create_room({{"name", "owner's"}});
    invite(owners, owner_, bob_);
    join(owners, bob_);
    // ... and one where a puppet is only invited.
    const std::string invited = create_room({{"name", "invited"}});
    invite(invited, owner_, carol_);

    expect_deleted(portal, bot_);
    expect_deleted(by_puppet, alice_);
    expect_deleted(owners, bot_);
    expect_deleted(invited, carol_);
    for (const auto& room : {portal, by_puppet, owners, invited})
        EXPECT_EQ(total(room_rows(room)), 0) << room;
}

TEST_F(RoomDelete, OthersAreRefusedAndNothingChanges)
{
    register_signal();
    const Actor signal_puppet_dan = signal_puppet("dan");
    // The owner's own room: no user of the whatsapp bridge in it.
    const std::string owners = busy_room("private", &owner_);
    EXPECT_EQ(room_rows(owners).at("receipts"), 2);
    // whatsapp's portal, which the owner never entered.
    const std::string portal = create_room({{"name", "portal"}}, bot_);
    text(portal, bot_, "bridged");
    // A room where a whatsapp puppet was, and left.
    const std::string left = create_room({{"name", "left"}});
    invite(left, owner_, bob_);
    join(left, bob_);
    EXPECT_EQ(member_op(left, "leave", bob_).status, 200);

    const auto owners_rows = room_rows(owners);
    const auto portal_rows = room_rows(portal);
    const auto left_rows = room_rows(left);
    const auto since = sync_token();

    // whatsapp, by its bot or a puppet, on rooms that are not its.
    expect_error(yeet(owners, bot_), 403, "M_FORBIDDEN");
    expect_error(yeet(owners, alice_), 403, "M_FORBIDDEN");
    expect_error(yeet(left, bot_), 403, "M_FORBIDDEN");
    // Another bridge on whatsapp's portal: with its bot, a puppet, or asserting the owner.
    expect_error(yeet(portal, signal_bot_), 403, "M_FORBIDDEN");
    expect_error(yeet(portal, signal_puppet_dan), 403, "M_FORBIDDEN");
    expect_error(yeet(portal, Actor{owner_id, std::string(signal_as_token), true}), 403, "M_FORBIDDEN");
    // The owner on a room they were never in.
    expect_error(yeet(portal, owner_), 403, "M_FORBIDDEN");
    // A puppet with an access token of its own is not the appservice.
    auto login = client_->post(v3 + "/login",
                               {{"type", "m.login.application_service"},
                                {"identifier", {{"type", "m.id.user"}, {"user", alice_.user_id}}}},
                               as_token);
    ASSERT_EQ(login.status, 200) << login.body;
    const Actor alice_device{alice_.user_id, login.json().at("access_token").get<std::string>(), false};
    expect_error(yeet(portal, alice_device), 403, "M_FORBIDDEN");

    EXPECT_EQ(room_rows(owners), owners_rows);
    EXPECT_EQ(room_rows(portal), portal_rows);
    EXPECT_EQ(room_rows(left), left_rows);
    EXPECT_EQ(database().count("SELECT count(*) FROM deleted_rooms"), 0);
    const json after = sync_since(since);
    EXPECT_TRUE(after.at("rooms").at("leave").empty()) << after.dump();
}

TEST_F(RoomDelete, UnknownDeletedAndMalformedRoomIds)
{
    expect_error(yeet("!nowhere:test.local", owner_), 404, "M_NOT_FOUND");
    expect_error(yeet("!nowhere:test.local", bot_), 404, "M_NOT_FOUND");
    expect_error(yeet("not-a-room-id", owner_), 400, "M_INVALID_PARAM");
    expect_error(yeet("#an-alias:test.local", owner_), 400, "M_INVALID_PARAM");

    const std::string room = create_room();
    const auto before = room_rows(room);
    expect_error(client_->post(yeet_path(room), json::object()), 401, "M_MISSING_TOKEN");
    expect_error(client_->post(yeet_path(room), json::object(), "not-a-token"), 401, "M_UNKNOWN_TOKEN");
    auto not_json = unchecked_->request("POST", yeet_path(room), "{nope",
                                        {{"Authorization", "Bearer " + owner_.token},
                                         {"Content-Type", "application/json"}});
    expect_error(not_json, 400, "M_NOT_JSON");
    EXPECT_EQ(room_rows(room), before);
    // No body at all, as bridges send it.
    auto bare = unchecked_->request("POST", yeet_path(room), "",
                                    {{"Authorization", "Bearer " + owner_.token}});
    EXPECT_EQ(bare.status, 200) << bare.body;
    EXPECT_EQ(total(room_rows(room)), 0);
    // Once deleted, it is not found, for everyone.
    expect_error(yeet(room, owner_), 404, "M_NOT_FOUND");
    expect_error(yeet(room, bot_), 404, "M_NOT_FOUND");
}

TEST_F(RoomDelete, SyncShowsTheLeaveOnceThenNever)
{
    const std::string room = shared_room("going");
    const std::string other = shared_room("staying");
    text(room, alice_, "last words");
    const std::string since = sync_token();
    expect_deleted(room, bot_);

    const json first = sync_since(since);
    const json left = room_of(first, room, "leave");
    ASSERT_TRUE(left.is_object()) << first.dump();
    EXPECT_EQ(left.at("timeline").at("events"), json::array());
    EXPECT_EQ(left.at("state").at("events"), json::array());
    EXPECT_TRUE(room_of(first, room, "join").is_null());
    EXPECT_TRUE(room_of(first, other, "leave").is_null());

    const json next = sync_since(first.at("next_batch").get<std::string>());
    EXPECT_TRUE(room_of(next, room, "leave").is_null()) << next.dump();
    EXPECT_TRUE(room_of(next, room, "join").is_null());

    // An initial sync, even one asking for left rooms, knows nothing of it.
    for (const std::string& query : std::vector<std::string>{
             "timeout=0", "timeout=0&filter=" + enc(R"({"room":{"include_leave":true}})")}) {
        const json initial = sync(query);
        for (const char* section : {"join", "invite", "leave"})
            EXPECT_TRUE(room_of(initial, room, section).is_null()) << query << " " << section;
        EXPECT_FALSE(room_of(initial, other, "join").is_null());
    }
    // The room's members who were the appservice's puppets are told too, if they sync.
    const json alices = sync("since=" + enc(since) + "&timeout=0", &alice_);
    EXPECT_TRUE(room_of(alices, room, "leave").is_object()) << alices.dump();
}

// A client that has not synced since it was kicked hears of the room as left; one that saw
// its own leave before hears nothing more.
TEST_F(RoomDelete, SyncTellsOfALeaveTheClientHadNotSeen)
{
    const std::string known = shared_room("left long ago");
    EXPECT_EQ(member_op(known, "leave", owner_).status, 200);
    const std::string kicked = create_room({{"name", "portal"}, {"invite", {owner_id}}}, bot_);
    join(kicked, owner_);
    const std::string since = sync_token();
    EXPECT_EQ(member_op(kicked, "kick", bot_, {{"user_id", owner_id}}).status, 200);
    expect_deleted(known, alice_);
    expect_deleted(kicked, bot_);

    const json body = sync_since(since);
    EXPECT_TRUE(room_of(body, kicked, "leave").is_object()) << body.dump();
    EXPECT_TRUE(room_of(body, known, "leave").is_null()) << body.dump();
}

TEST_F(RoomDelete, WaitingSyncWakesAtTheDeletion)
{
    const std::string room = shared_room("woken");
    const std::string since = sync_token();
    auto polled = long_poll(since, owner_.token, [&] { expect_deleted(room, alice_); });
    ASSERT_EQ(polled.response.status, 200) << polled.response.body;
    EXPECT_LT(polled.after_act, 10s);
    EXPECT_TRUE(room_of(polled.response.json(), room, "leave").is_object())
        << polled.response.body;
}

// Every request on a deleted room gets what the same request gets on a room that never
// existed (404 M_NOT_FOUND, in practice), except writes of room account data, which a deleted
// room refuses (404) so that nothing names it again.
TEST_F(RoomDelete, LaterRequestsOnTheRoomAnswerAsForAnUnknownRoom)
{
    const std::string room = busy_room("gone");
    const json events = timeline(room);
    const std::string event_id = events.back().at("event_id").get<std::string>();
    expect_deleted(room, owner_);

    const auto requests = [&](const std::string& target) {
        const std::string user_rooms = v3 + "/user/" + enc(owner_id) + "/rooms/" + enc(target);
        return std::vector<std::pair<std::string, HttpResponse>>{
            {"send", send_raw(target, owner_, {{"msgtype", "m.text"}, {"body", "x"}}, "late")},
            {"send as the bot", send_raw(target, bot_, {{"msgtype", "m.text"}, {"body", "x"}}, "late")},
            {"state", put_state_raw(target, owner_, "m.room.topic", "", {{"topic", "x"}})},
            {"get state", get(room_path(target, "/state"), owner_)},
            {"get a state event", get(room_path(target, "/state/m.room.name/"), owner_)},
            {"messages", get(room_path(target, "/messages?dir=b"), owner_)},
            {"context", get(room_path(target, "/context/" + enc(event_id)), owner_)},
            {"event", get(room_path(target, "/event/" + enc(event_id)), owner_)},
            {"members", get(room_path(target, "/members"), owner_)},
            {"joined_members", get(room_path(target, "/joined_members"), owner_)},
            {"join", member_op(target, "join", owner_)},
            {"join as a puppet", member_op(target, "join", alice_)},
            {"leave", member_op(target, "leave", owner_)},
            {"forget", member_op(target, "forget", owner_)},
            {"invite", member_op(target, "invite", owner_, {{"user_id", bob_.user_id}})},
            {"redact", put(room_path(target, "/redact/" + enc(event_id) + "/r1"), json::object(), owner_)},
            {"receipt", post(room_path(target, "/receipt/m.read/" + enc(event_id)), json::object(), owner_)},
            {"read_markers", post(room_path(target, "/read_markers"), {{"m.fully_read", event_id}}, owner_)},
            {"typing", put(room_path(target, "/typing/" + enc(owner_id)), {{"typing", true}}, owner_)},
            {"aliases", get(room_path(target, "/aliases"), owner_)},
            {"relations", get("/_matrix/client/v1/rooms/" + enc(target) + "/relations/" + enc(event_id), owner_)},
            {"threads", get("/_matrix/client/v1/rooms/" + enc(target) + "/threads", owner_)},
            {"room account data", get(user_rooms + "/account_data/com.example.note", owner_)},
            {"tags", get(user_rooms + "/tags", owner_)},
        };
    };
    const auto deleted = requests(room);
    const auto never = requests("!never:test.local");
    ASSERT_EQ(deleted.size(), never.size());
    for (std::size_t i = 0; i < deleted.size(); ++i) {
        const auto& [what, res] = deleted[i];
        const auto& expected = never[i].second;
        EXPECT_EQ(res.status, expected.status) << what << ": " << res.body << " vs " << expected.body;
        if (expected.status >= 400) {
            EXPECT_EQ(res.json().value("errcode", ""), expected.json().value("errcode", ""))
                << what << ": " << res.body;
        }
        // Nothing of the room is readable (tags answer {} as for any room without tags).
        if (what != "tags") {
            EXPECT_GE(res.status, 400) << what << ": " << res.body;
        }
    }
    const std::string user_rooms = v3 + "/user/" + enc(owner_id) + "/rooms/" + enc(room);
    expect_error(put(user_rooms + "/account_data/com.example.note", {{"n", 2}}, owner_), 404, "M_NOT_FOUND");
    expect_error(put(user_rooms + "/tags/u.work", json::object(), owner_), 404, "M_NOT_FOUND");
    EXPECT_EQ(nonzero(room_rows(room)), std::set<std::string>{});
    EXPECT_FALSE(joined_rooms(owner_).contains(room));
}

// The bridge's delivery goes on past a deletion: nothing of the deleted room is sent after
// it, and the next event of another room arrives.
class RoomDeleteDelivery : public RoomDelete
{
protected:
    void SetUp() override
    {
        bridge_ = std::make_unique<FakeBridge>("wa-hs-token");
        RoomDelete::SetUp();
    }
    std::string registration() override
    {
        std::string yaml(whatsapp_registration);
        yaml.replace(yaml.find("url: null"), 9, "url: " + bridge_->url());
        return yaml + "receive_ephemeral: true\n";
    }

    bool delivered(const std::string& event_id)
    {
        const auto has_it = [&](const FakeBridge& bridge) {
            const auto events = bridge.events();
            return std::any_of(events.begin(), events.end(), [&](const json& event) {
                return event.value("event_id", "") == event_id;
            });
        };
        return bridge_->wait_for(has_it, 10s);
    }

    std::unique_ptr<FakeBridge> bridge_;
};

TEST_F(RoomDeleteDelivery, BridgeDeliveryGoesOnAfterADeletion)
{
    const std::string portal = shared_room("portal");
    const std::string other = shared_room("other");
    ASSERT_TRUE(delivered(text(portal, owner_, "before")));
    // Typing in the portal is pending for the bridge when the room goes.
    EXPECT_EQ(put(room_path(portal, "/typing/" + enc(owner_id)), {{"typing", true}, {"timeout", 30000}}, owner_).status, 200);
    expect_deleted(portal, bot_);
    const std::size_t seen = bridge_->events().size();
    const std::string after = text(other, owner_, "after");
    ASSERT_TRUE(delivered(after));
    const auto events = bridge_->events();
    for (std::size_t i = seen; i < events.size(); ++i)
        EXPECT_NE(events[i].value("room_id", ""), portal) << events[i].dump();
    // The server is still whole: the bridge's own requests work.
    EXPECT_EQ(client_->get(v3 + "/account/whoami", as_token).status, 200);
}

} // namespace
} // namespace ravenous::test::deletion
