// The operator's deletions (admin_token): DELETE /_ravenous/admin/v1/rooms/{roomId}, and
// POST /_ravenous/admin/v1/appservices/{id}/erase, which removes a run-time bridge with its
// rooms and its users in one call and leaves the owner and other bridges alone.

#include "e2e/room_delete_fixture.hpp"

namespace ravenous::test::deletion {
namespace {

std::string admin_room(const std::string& room)
{
    return admin_v1 + "/rooms/" + enc(room);
}
std::string erase_path(std::string_view id)
{
    return admin_v1 + "/appservices/" + std::string(id) + "/erase";
}

class AdminErase : public DeletionFixture
{
protected:
    int whoami_status(std::string_view token, const std::string& user = {})
    {
        std::string target = v3 + "/account/whoami";
        if (!user.empty())
            target += "?user_id=" + enc(user);
        return client_->get(target, token).status;
    }

    // Rows of the user in every table with a user_id column, "table=n" each.
    std::set<std::string> user_rows(const std::string& user)
    {
        return nonzero(database().rows_with("user_id", user));
    }
};

TEST_F(AdminErase, RoomDeleteNeedsTheAdminToken)
{
    const std::string room = create_room({{"name", "operator's target"}});
    text(room, owner_, "still here");
    const auto before = room_rows(room);

    expect_error(client_->del(admin_room(room), json::object()), 401, "M_MISSING_TOKEN");
    expect_error(client_->del(admin_room(room), json::object(), "wrong"), 401, "M_UNKNOWN_TOKEN");
    // Neither the owner's token nor an appservice's is the operator's.
    expect_error(client_->del(admin_room(room), json::object(), owner_.token), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->del(admin_room(room), json::object(), as_token), 401, "M_UNKNOWN_TOKEN");
    EXPECT_EQ(room_rows(room), before);

    expect_error(client_->del(admin_room("not-a-room"), json::object(), admin_token), 400,
                 "M_INVALID_PARAM");
    expect_error(client_->del(admin_room("!nowhere:test.local"), json::object(), admin_token), 404,
                 "M_NOT_FOUND");
    EXPECT_EQ(room_rows(room), before);

    // Any room: the operator need not be in it (the whatsapp bot's portal without the owner).
    const std::string portal = create_room({{"name", "portal"}}, bot_);
    for (const auto& target : {room, portal}) {
        auto res = client_->del(admin_room(target), json::object(), admin_token);
        EXPECT_EQ(res.status, 200) << res.body;
        EXPECT_EQ(res.json(), json::object());
        EXPECT_EQ(total(room_rows(target)), 0) << target;
    }
    expect_error(client_->del(admin_room(room), json::object(), admin_token), 404, "M_NOT_FOUND");
    expect_error(yeet(room, owner_), 404, "M_NOT_FOUND");
}

TEST_F(AdminErase, BridgeEraseRemovesRegistrationRoomsAndPuppets)
{
    register_signal();
    const Actor dan = signal_puppet("dan");
    const Actor eve = signal_puppet("eve");
    // What puppets own besides rooms: a profile, a device with its own token, account data,
    // a to-device message waiting in their inbox.
    ASSERT_EQ(put(v3 + "/profile/" + enc(dan.user_id) + "/displayname", {{"displayname", "Dan"}}, dan).status, 200);
    ASSERT_EQ(patch(v3 + "/profile/" + enc(dan.user_id), R"({"com.beeper.bridge.remote_id":"dan"})", dan).status, 200);
    auto login = client_->post(v3 + "/login",
                               {{"type", "m.login.application_service"},
                                {"identifier", {{"type", "m.id.user"}, {"user", dan.user_id}}},
                                {"device_id", "DANPHONE"}},
                               signal_as_token);
    ASSERT_EQ(login.status, 200) << login.body;
    const std::string dan_token = login.json().at("access_token").get<std::string>();
    ASSERT_EQ(put(v3 + "/user/" + enc(dan.user_id) + "/account_data/com.example.seen", {{"x", 1}}, dan).status, 200);
    ASSERT_EQ(put(v3 + "/sendToDevice/m.room.encrypted/td1",
                  {{"messages", {{dan.user_id, {{"DANPHONE", {{"ciphertext", "x"}}}}}}}}, owner_)
                  .status,
              200);

    // signal's rooms: its bot's portal with the owner and dan in it, and the owner's room
    // with eve joined.
    const std::string portal = create_room({{"name", "signal portal"}, {"invite", {owner_id, dan.user_id}}}, signal_bot_);
    join(portal, owner_);
    join(portal, dan);
    text(portal, dan, "from signal");
    ASSERT_EQ(post(room_path(portal, "/receipt/m.read/" + enc(text(portal, owner_, "read me"))), json::object(), dan).status, 200);
    const std::string dm = create_room({{"name", "dm with eve"}});
    invite(dm, owner_, eve);
    join(dm, eve);
    // Not signal's: the owner's own room and whatsapp's portal.
    const std::string mine = shared_room("mine");
    const std::string whatsapp_portal = create_room({{"name", "wa portal"}, {"invite", {owner_id}}}, bot_);
    join(whatsapp_portal, owner_);
    const auto mine_rows = room_rows(mine);
    const auto whatsapp_rows = room_rows(whatsapp_portal);
    const auto mine_fingerprint = fingerprint(mine);
    const std::string since = sync_token();
    ASSERT_FALSE(user_rows(dan.user_id).empty());

    auto res = client_->post(erase_path("signal"), json::object(), admin_token);
    ASSERT_EQ(res.status, 200) << res.body;
    const json counts = res.json();
    EXPECT_EQ(counts.value("appservice", ""), "signal");
    EXPECT_EQ(counts.value("rooms_deleted", -1), 2) << res.body;
    EXPECT_EQ(counts.value("users_deleted", -1), 3) << res.body;  // signalbot, dan, eve
    EXPECT_GT(counts.value("events_deleted", -1), 0) << res.body;

    // The registration, its token and its cursor are gone.
    expect_error(client_->get(admin_v1 + "/appservices/signal", admin_token), 404, "M_NOT_FOUND");
    EXPECT_EQ(whoami_status(signal_as_token), 401);
    EXPECT_EQ(database().count("SELECT count(*) FROM appservices WHERE id = 'signal'"), 0);
    EXPECT_EQ(database().count("SELECT count(*) FROM appservice_cursors WHERE appservice_id = 'signal'"), 0);
    // Its rooms are gone, row for row.
    for (const auto& room : {portal, dm})
        EXPECT_EQ(nonzero(room_rows(room)), std::set<std::string>{}) << room;
    // Its users are gone, row for row: tokens stop working, profiles are unknown.
    for (const auto& user : {dan.user_id, eve.user_id, signal_bot_.user_id}) {
        EXPECT_EQ(user_rows(user), std::set<std::string>{}) << user;
        expect_error(client_->get(v3 + "/profile/" + enc(user)), 404, "M_NOT_FOUND");
    }
    expect_error(client_->get(v3 + "/account/whoami", dan_token), 401, "M_UNKNOWN_TOKEN");

    // The owner and the other bridge are as they were.
    EXPECT_EQ(room_rows(mine), mine_rows);
    EXPECT_EQ(room_rows(whatsapp_portal), whatsapp_rows);
    EXPECT_EQ(fingerprint(mine), mine_fingerprint);
    EXPECT_EQ(whoami_status(owner_.token), 200);
    EXPECT_EQ(whoami_status(as_token), 200);
    EXPECT_EQ(whoami_status(as_token, alice_.user_id), 200);
    EXPECT_EQ(client_->get(v3 + "/profile/" + enc(owner_id)).status, 200);
    // The owner's next sync says both rooms are left.
    const json body = sync_since(since);
    EXPECT_TRUE(room_of(body, portal, "leave").is_object()) << body.dump();
    EXPECT_TRUE(room_of(body, dm, "leave").is_object()) << body.dump();
    EXPECT_TRUE(room_of(body, mine, "leave").is_null());
    // Gone for good: a second erase finds nothing.
    expect_error(client_->post(erase_path("signal"), json::object(), admin_token), 404, "M_NOT_FOUND");
}

TEST_F(AdminErase, RefusedErasuresChangeNothing)
{
    register_signal();
    const Actor dan = signal_puppet("dan");
    const std::string portal = create_room({{"name", "signal portal"}, {"invite", {owner_id}}}, signal_bot_);
    join(portal, owner_);
    const std::string whatsapp_portal = create_room({{"name", "wa portal"}}, bot_);
    const auto portal_rows = room_rows(portal);
    const auto whatsapp_rows = room_rows(whatsapp_portal);

    expect_error(client_->post(erase_path("signal"), json::object()), 401, "M_MISSING_TOKEN");
    expect_error(client_->post(erase_path("signal"), json::object(), "wrong"), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->post(erase_path("signal"), json::object(), signal_as_token), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->post(erase_path("nobody"), json::object(), admin_token), 404, "M_NOT_FOUND");
    // A registration from a file is the file's: remove it there.
    auto file = client_->post(erase_path("whatsapp"), json::object(), admin_token);
    expect_error(file, 409, "M_FORBIDDEN");
    EXPECT_NE(file.json().value("error", "").find("file"), std::string::npos) << file.body;

    EXPECT_EQ(room_rows(portal), portal_rows);
    EXPECT_EQ(room_rows(whatsapp_portal), whatsapp_rows);
    EXPECT_EQ(whoami_status(signal_as_token), 200);
    EXPECT_EQ(whoami_status(signal_as_token, dan.user_id), 200);
    EXPECT_EQ(whoami_status(as_token), 200);
    EXPECT_EQ(client_->get(admin_v1 + "/appservices/signal", admin_token).status, 200);
}

} // namespace
} // namespace ravenous::test::deletion
