// Sync filters: POST/GET /user/{userId}/filter, filters by id and inline, event_fields.

#include "support/spec_assert.hpp"
#include "sync_fixture.hpp"

namespace ravenous::test::sync {
namespace {

class SyncFilterTest : public SyncFixture
{
protected:
    std::string filter_path(const std::string& user, const std::string& id = {})
    {
        return v3 + "/user/" + enc(user) + "/filter" + (id.empty() ? "" : "/" + enc(id));
    }
};

TEST_F(SyncFilterTest, StoredFiltersComeBackAndApply)
{
    const json filter = {{"room", {{"timeline", {{"limit", 2}, {"not_types", {"m.room.member"}}}}}},
                         {"event_fields", {"type", "content.body", "event_id"}}};
    auto res = post(filter_path(owner_id), filter, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", filter_path(owner_id));
    const std::string id = res.json().at("filter_id");
    auto again = post(filter_path(owner_id), filter, owner_);
    EXPECT_NE(again.json().at("filter_id"), id);

    auto got = get(filter_path(owner_id, id), owner_);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_SPEC(got, "GET", filter_path(owner_id, id));
    EXPECT_EQ(got.json(), filter);

    const std::string room = shared_room();
    text(room, alice_, "one");
    text(room, alice_, "two");
    text(room, alice_, "three");
    for (const std::string& used : {id, filter.dump()}) {
        const json body = sync_unchecked("filter=" + enc(used));
        const json events = timeline_events(room_of(body, room));
        ASSERT_EQ(events.size(), 2u) << body.dump();
        EXPECT_EQ(events[1], json({{"type", "m.room.message"},
                                   {"content", {{"body", "three"}}},
                                   {"event_id", events[1].at("event_id")}}));
    }
}

TEST_F(SyncFilterTest, RoomsAndSendersFilter)
{
    const std::string shown = shared_room("Shown");
    const std::string hidden = shared_room("Hidden");
    text(shown, alice_, "from alice");
    text(shown, owner_, "from owner");
    const json filter = {
        {"room", {{"not_rooms", {hidden}}, {"timeline", {{"senders", {alice_.user_id}}}}}}};
    const json body = sync("filter=" + enc(filter.dump()));
    EXPECT_TRUE(room_of(body, hidden).is_null());
    const json events = timeline_events(room_of(body, shown));
    for (const auto& event : events)
        EXPECT_EQ(event.at("sender"), alice_.user_id);
    EXPECT_EQ(bodies(events), std::vector<std::string>{"from alice"});
}

TEST_F(SyncFilterTest, ErrorsOfFilters)
{
    // Someone else's filters.
    expect_error(post(filter_path(alice_.user_id), json::object(), owner_), 403, "M_FORBIDDEN");
    expect_error(get(filter_path(alice_.user_id, "0"), owner_), 403, "M_FORBIDDEN");
    // Unknown.
    expect_error(get(filter_path(owner_id, "12345"), owner_), 404, "M_NOT_FOUND");
    // Wrong types.
    expect_error(post(filter_path(owner_id),
                      {{"room", {{"timeline", {{"types", "m.room.message"}}}}}}, owner_),
                 400, "M_BAD_JSON");
    expect_error(post(filter_path(owner_id), {{"event_fields", "type"}}, owner_), 400,
                 "M_BAD_JSON");
    expect_error(post(filter_path(owner_id), {{"room", {{"include_leave", "yes"}}}}, owner_), 400,
                 "M_BAD_JSON");
    auto raw = unchecked_->request(
        "POST", filter_path(owner_id), std::string("{not json"),
        {{"Authorization", "Bearer " + owner_.token}, {"Content-Type", "application/json"}});
    expect_error(raw, 400, "M_NOT_JSON");
    // In /sync.
    expect_error(sync_raw("filter=" + enc("{not json"), owner_), 400, "M_NOT_JSON");
    expect_error(sync_raw("filter=" + enc(R"({"room": {"timeline": {"limit": "ten"}}})"), owner_),
                 400, "M_BAD_JSON");
    expect_error(sync_raw("filter=777", owner_), 400, "M_INVALID_PARAM");
}

} // namespace
} // namespace ravenous::test::sync
