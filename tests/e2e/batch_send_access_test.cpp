// Batch send, who may send what: appservices into rooms of theirs, as their bot, their puppets
// (created on first use) or the owner when they may double-puppet them; the owner with their
// own token as themselves; every refused or malformed request answered with its errcode and
// changing nothing.

#include "batch_send_fixture.hpp"

namespace ravenous::test::batch {
namespace {

class BatchSendAccess : public BatchFixture
{
};

TEST_F(BatchSendAccess, TheOwnerIsASenderOnlyThroughAnAppserviceThatMayDoublePuppet)
{
    const std::string room = portal();
    const auto before = fingerprint(room);
    // whatsapp's namespace does not hold the owner (a file registration): refused.
    expect_error(batch_raw(room, {{"events", {message(owner_id, "as the owner")}}}, bot_), 403,
                 "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(room), before);

    // An appservice whose namespace holds the owner may, once one of its users is in the room.
    const Actor personal = register_appservice("personal", {}, {"@owner:test\\.local"});
    invite(room, owner_, personal);
    join(room, personal);
    const auto sent = batch(room, {{"events", {message(owner_id, "double puppeted")}}}, &personal);
    ASSERT_EQ(sent.size(), 1u);
    auto event = get(room_path(room, "/event/" + enc(sent[0])), owner_);
    ASSERT_EQ(event.status, 200) << event.body;
    EXPECT_EQ(event.json().at("sender"), owner_id);
    // Its puppets exist from their first batch on; another appservice's puppets are not its.
    const std::string dan = "@personal_dan:test.local";
    EXPECT_EQ(get(v3 + "/profile/" + enc(dan), owner_).status, 404);
    batch(room, {{"events", {message(dan, "new puppet")}}}, &personal);
    EXPECT_EQ(get(v3 + "/profile/" + enc(dan), owner_).status, 200);
    expect_error(batch_raw(room, {{"events", {message(alice_.user_id, "not yours")}}}, personal),
                 403, "M_FORBIDDEN");
}

TEST_F(BatchSendAccess, TheOwnersTokenSendsTheOwnersOwnEventsIntoTheirRooms)
{
    const std::string room = portal();
    const auto sent = batch(room, {{"events", messages({owner_id}, "mine ", 2)}}, &owner_);
    EXPECT_EQ(sent.size(), 2u);
    const auto before = fingerprint(room);
    expect_error(batch_raw(room, {{"events", {message(alice_.user_id, "not mine")}}}, owner_), 403,
                 "M_FORBIDDEN");
    // A puppet's own device token is no appservice token either.
    auto login = client_->post(v3 + "/login",
                               {{"type", "m.login.application_service"},
                                {"identifier", {{"type", "m.id.user"}, {"user", alice_.user_id}}}},
                               as_token);
    ASSERT_EQ(login.status, 200) << login.body;
    const Actor alice_device{alice_.user_id, login.json().at("access_token"), false};
    expect_error(batch_raw(room, {{"events", {message(bob_.user_id, "bob")}}}, alice_device), 403,
                 "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(room), before);

    // A room the owner is not in.
    const std::string foreign = create_room({{"preset", "private_chat"}}, bot_);
    expect_error(batch_raw(foreign, {{"events", {message(owner_id, "x")}}}, owner_), 403,
                 "M_FORBIDDEN");
}

TEST_F(BatchSendAccess, AnAppserviceMaySendOnlyIntoRoomsOfItsOwn)
{
    const std::string room = portal();
    const auto before = fingerprint(room);
    const Actor telegram = register_appservice("telegram");
    const Actor tom = as_user(telegram, "@telegram_tom:test.local");
    expect_error(batch_raw(room, {{"events", {message(tom.user_id, "intruder")}}}, telegram), 403,
                 "M_FORBIDDEN");
    expect_error(batch_raw(room, {{"events", {message(tom.user_id, "intruder")}}}, tom), 403,
                 "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(room), before);
    // A room its bot created is its own, with nobody of its own in it any more.
    const std::string created = create_room({{"preset", "private_chat"}}, telegram);
    ASSERT_EQ(member_op(created, "leave", telegram).status, 200);
    batch(created, {{"events", {message(tom.user_id, "history")}}}, &telegram);

    expect_error(batch_raw("!unknown:test.local", {{"events", json::array()}}, bot_), 404,
                 "M_NOT_FOUND");
    expect_error(batch_raw("not-a-room", {{"events", json::array()}}, bot_), 400,
                 "M_INVALID_PARAM");
}

TEST_F(BatchSendAccess, TokensAreRequired)
{
    const std::string room = portal();
    const auto before = fingerprint(room);
    const std::string path = backfill_prefix + enc(room) + "/batch_send";
    const json body = {{"events", {message(alice_.user_id, "x")}}};
    expect_error(unchecked_->post(path, body), 401, "M_MISSING_TOKEN");
    expect_error(unchecked_->post(path, body, "wrong-token"), 401, "M_UNKNOWN_TOKEN");
    expect_error(unchecked_->post(msc2716_prefix + enc(room) + "/batch_send", body), 401,
                 "M_MISSING_TOKEN");
    EXPECT_EQ(fingerprint(room), before);
}

TEST_F(BatchSendAccess, MalformedRequestsGetTheirErrcodeAndChangeNothing)
{
    const std::string room = portal();
    const auto before = fingerprint(room);
    const std::string path = backfill_prefix + enc(room) + "/batch_send";
    auto raw = client_->request("POST", path, std::string("{not json"),
                                {{"Content-Type", "application/json"},
                                 {"Authorization", "Bearer " + std::string(as_token)}});
    expect_error(raw, 400, "M_NOT_JSON");

    const std::string alice = alice_.user_id;
    json no_content = message(alice, "x");
    no_content.erase("content");
    json bad_ts = message(alice, "x");
    bad_ts["origin_server_ts"] = "yesterday";
    json other_room = message(alice, "x");
    other_room["room_id"] = "!elsewhere:test.local";
    json big = message(alice, std::string(70'000, 'x'));
    json too_many = json::array();
    for (int i = 0; i < 1001; ++i)
        too_many.push_back(message(alice, "m" + std::to_string(i)));
    struct Case
    {
        json body;
        int status;
        const char* errcode;
    };
    const Case cases[] = {
        {json::array(), 400, "M_BAD_JSON"},
        {json::object(), 400, "M_BAD_JSON"},
        {{{"events", "all of them"}}, 400, "M_BAD_JSON"},
        {{{"events", {42}}}, 400, "M_BAD_JSON"},
        {{{"events", {no_content}}}, 400, "M_BAD_JSON"},
        {{{"events", {bad_ts}}}, 400, "M_BAD_JSON"},
        {{{"events", {message(alice, "x")}}, {"forward", "yes"}}, 400, "M_BAD_JSON"},
        {{{"events", {message("alice", "x")}}}, 400, "M_INVALID_PARAM"},
        {{{"events", {other_room}}}, 400, "M_INVALID_PARAM"},
        {{{"events", {message(alice, "x")}}, {"mark_read_by", "owner"}}, 400, "M_INVALID_PARAM"},
        {{{"events", {{{"type", "m.room.redaction"}, {"sender", alice},
                       {"content", {{"redacts", "$x"}}}}}}}, 400, "M_INVALID_PARAM"},
        {{{"events", {{{"type", "m.room.member"}, {"sender", alice}, {"state_key", "nobody"},
                       {"content", {{"membership", "join"}}}}}}}, 400, "M_INVALID_PARAM"},
        {{{"events", {big}}}, 413, "M_TOO_LARGE"},
        {{{"events", too_many}}, 413, "M_TOO_LARGE"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body.dump().substr(0, 200));
        expect_error(batch_raw(room, c.body, bot_), c.status, c.errcode);
        json forward = c.body;
        if (forward.is_object() && !forward.contains("forward"))
            forward["forward"] = true;
        expect_error(batch_raw(room, forward, bot_), c.status, c.errcode);
    }
    EXPECT_EQ(fingerprint(room), before);
}

} // namespace
} // namespace ravenous::test::batch
