// Read receipts (m.read, m.read.private, threaded) and read markers, through /sync.
#include "sync_fixture.hpp"

namespace ravenous::test::sync {
namespace {

class Receipts : public SyncFixture
{
protected:
    std::string receipt_path(const std::string& room, std::string_view type,
                             const std::string& event)
    {
        return room_path(room, "/receipt/" + enc(type) + "/" + enc(event));
    }
    // The m.receipt content of a room in a sync response as `who` sees it (null if none).
    json receipts_in(const std::string& room, const Actor& who, const std::string& query = {})
    {
        const json joined = room_of(sync(query, &who), room);
        if (!joined.is_object())
            return json();
        json found;
        for (const auto& event : joined.at("ephemeral").at("events"))
            if (event.value("type", "") == "m.receipt")
                found = event.at("content");
        return found;
    }
    json read_receipt(const std::string& room, const std::string& event, std::string_view type,
                      const std::string& user, const Actor& who)
    {
        const json content = receipts_in(room, who);
        if (content.is_object() && content.contains(event) && content[event].contains(type) &&
            content[event][type].contains(user))
            return content[event][type][user];
        return json();
    }
};

TEST_F(Receipts, ReadReceiptIsSeenByOtherMembers)
{
    const std::string room = shared_room();
    const std::string event = text(room, owner_, "hi");
    auto res = post(receipt_path(room, "m.read", event), json::object(), alice_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", receipt_path(room, "m.read", event));
    const json receipt = read_receipt(room, event, "m.read", alice_.user_id, owner_);
    ASSERT_TRUE(receipt.is_object());
    EXPECT_TRUE(receipt.at("ts").is_number_integer());
    EXPECT_FALSE(receipt.contains("thread_id"));
}

TEST_F(Receipts, PrivateReceiptIsOnlySeenByItsUser)
{
    const std::string room = shared_room();
    const std::string event = text(room, owner_, "hi");
    ASSERT_EQ(post(receipt_path(room, "m.read.private", event), json::object(), alice_).status,
              200);
    EXPECT_TRUE(read_receipt(room, event, "m.read.private", alice_.user_id, alice_).is_object());
    EXPECT_TRUE(read_receipt(room, event, "m.read.private", alice_.user_id, owner_).is_null());
}

TEST_F(Receipts, ThreadedReceiptCarriesItsThreadId)
{
    const std::string room = create_room();
    const std::string root = text(room, owner_, "root");
    auto res = post(receipt_path(room, "m.read", root), {{"thread_id", "main"}}, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", receipt_path(room, "m.read", root));
    ASSERT_EQ(post(receipt_path(room, "m.read", root), {{"thread_id", root}}, owner_).status, 200);
    const json receipt = read_receipt(room, root, "m.read", owner_id, owner_);
    ASSERT_TRUE(receipt.is_object());
    EXPECT_TRUE(receipt.contains("thread_id"));
}

TEST_F(Receipts, ThreadIdMustMatchTheEventsThread)
{
    const std::string room = create_room();
    const std::string root = text(room, owner_, "root");
    const std::string reply =
        send(room, owner_,
             {{"msgtype", "m.text"},
              {"body", "reply"},
              {"m.relates_to", {{"rel_type", "m.thread"}, {"event_id", root}}}});
    const std::string plain = text(room, owner_, "plain");
    expect_error(post(receipt_path(room, "m.read", reply), {{"thread_id", "main"}}, owner_), 400,
                 "M_INVALID_PARAM");
    expect_error(post(receipt_path(room, "m.read", plain), {{"thread_id", root}}, owner_), 400,
                 "M_INVALID_PARAM");
    EXPECT_TRUE(receipts_in(room, owner_).is_null());
    ASSERT_EQ(post(receipt_path(room, "m.read", reply), {{"thread_id", root}}, owner_).status, 200);
    const json receipt = read_receipt(room, reply, "m.read", owner_id, owner_);
    ASSERT_TRUE(receipt.is_object());
    EXPECT_EQ(receipt.value("thread_id", ""), root);
}

TEST_F(Receipts, OlderEventDoesNotMoveTheReceiptBack)
{
    const std::string room = create_room();
    const std::string first = text(room, owner_, "one");
    const std::string second = text(room, owner_, "two");
    ASSERT_EQ(post(receipt_path(room, "m.read", second), json::object(), owner_).status, 200);
    ASSERT_EQ(post(receipt_path(room, "m.read", first), json::object(), owner_).status, 200);
    EXPECT_TRUE(read_receipt(room, second, "m.read", owner_id, owner_).is_object());
    EXPECT_TRUE(read_receipt(room, first, "m.read", owner_id, owner_).is_null());
}

TEST_F(Receipts, ErrorsChangeNothing)
{
    const std::string room = create_room();
    const std::string event = text(room, owner_, "hi");
    const std::string other_room = create_room();
    const std::string elsewhere = text(other_room, owner_, "elsewhere");
    expect_error(post(receipt_path(room, "m.unknown", event), json::object(), owner_), 400,
                 "M_INVALID_PARAM");
    expect_error(post(receipt_path(room, "m.read", event), json::object(), bob_), 403,
                 "M_FORBIDDEN");
    expect_error(post(receipt_path(room, "m.read", "$missing:test.local"), json::object(), owner_),
                 404, "M_NOT_FOUND");
    expect_error(post(receipt_path(room, "m.read", elsewhere), json::object(), owner_), 404,
                 "M_NOT_FOUND");
    expect_error(post(receipt_path(room, "m.read", event), {{"thread_id", ""}}, owner_), 400,
                 "M_INVALID_PARAM");
    expect_error(post(receipt_path(room, "m.read", event), {{"thread_id", 5}}, owner_), 400,
                 "M_INVALID_PARAM");
    expect_error(post(receipt_path(room, "m.fully_read", event), {{"thread_id", "main"}}, owner_),
                 400, "M_INVALID_PARAM");
    expect_error(post(receipt_path("not-a-room", "m.read", event), json::object(), owner_), 400,
                 "M_INVALID_PARAM");
    EXPECT_TRUE(receipts_in(room, owner_).is_null());
    expect_error(
        get(v3 + "/user/" + enc(owner_id) + "/rooms/" + enc(room) + "/account_data/m.fully_read",
            owner_),
        404, "M_NOT_FOUND");
}

TEST_F(Receipts, ReadMarkersSetFullyReadAndReceipts)
{
    const std::string room = create_room();
    const std::string event = text(room, owner_, "hi");
    const std::string markers = room_path(room, "/read_markers");
    auto res = post(markers, {{"m.fully_read", event}, {"m.read", event}}, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", markers);
    const std::string fully_read_path =
        v3 + "/user/" + enc(owner_id) + "/rooms/" + enc(room) + "/account_data/m.fully_read";
    auto marker = get(fully_read_path, owner_);
    ASSERT_EQ(marker.status, 200) << marker.body;
    EXPECT_EQ(marker.json(), json({{"event_id", event}}));
    EXPECT_TRUE(read_receipt(room, event, "m.read", owner_id, owner_).is_object());

    // The receipt endpoint with m.fully_read moves the same marker.
    const std::string later = text(room, owner_, "later");
    ASSERT_EQ(post(receipt_path(room, "m.fully_read", later), json::object(), owner_).status, 200);
    EXPECT_EQ(get(fully_read_path, owner_).json(), json({{"event_id", later}}));
    // ... never backwards.
    ASSERT_EQ(post(markers, {{"m.fully_read", event}}, owner_).status, 200);
    EXPECT_EQ(get(fully_read_path, owner_).json(), json({{"event_id", later}}));
}

TEST_F(Receipts, ReadMarkersErrorsChangeNothing)
{
    const std::string room = create_room();
    const std::string event = text(room, owner_, "hi");
    const std::string markers = room_path(room, "/read_markers");
    expect_error(post(markers, {{"m.fully_read", event}}, bob_), 403, "M_FORBIDDEN");
    // One unknown event refuses the whole request.
    expect_error(
        post(markers, {{"m.fully_read", event}, {"m.read", "$missing:test.local"}}, owner_), 404,
        "M_NOT_FOUND");
    expect_error(post(markers, {{"m.fully_read", 5}}, owner_), 400, "M_BAD_JSON");
    expect_error(
        get(v3 + "/user/" + enc(owner_id) + "/rooms/" + enc(room) + "/account_data/m.fully_read",
            owner_),
        404, "M_NOT_FOUND");
    EXPECT_TRUE(receipts_in(room, owner_).is_null());
}

} // namespace
} // namespace ravenous::test::sync
