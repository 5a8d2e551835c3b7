// Room history: bundled edits, relations, threads, timestamp_to_event and history visibility.

#include "e2e/history_fixture.hpp"
#include "support/spec_assert.hpp"

namespace ravenous::test::history {
namespace {

using HistoryRelations = HistoryTest;
using HistoryVisibility = HistoryTest;

json edit_of(const std::string& original, const std::string& body)
{
    return {{"msgtype", "m.text"},
            {"body", "* " + body},
            {"m.new_content", {{"msgtype", "m.text"}, {"body", body}}},
            {"m.relates_to", {{"rel_type", "m.replace"}, {"event_id", original}}}};
}

json thread_reply(const std::string& root, const std::string& body)
{
    return {{"msgtype", "m.text"},
            {"body", body},
            {"m.relates_to",
             {{"rel_type", "m.thread"},
              {"event_id", root},
              {"is_falling_back", true},
              {"m.in_reply_to", {{"event_id", root}}}}}};
}

TEST_F(HistoryRelations, LatestEditByTheSenderIsBundled)
{
    const auto c = converse(2);
    const std::string original = text(c.room, c.alice, "helo", base_ts + 10'000);
    const std::string first = send(c.room, c.alice, edit_of(original, "hello"), base_ts + 11'000);
    const std::string second = send(c.room, c.alice, edit_of(original, "hello!"), base_ts + 12'000);
    // Someone else's "edit" is not a replacement of alice's message.
    send(c.room, c.bob, edit_of(original, "hijacked"), base_ts + 13'000);

    const std::string path = v3 + "/rooms/" + c.room + "/event/" + original;
    auto res = get(path);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", path);
    const json event = res.json();
    EXPECT_EQ(event.at("content").at("body"), "helo") << "the original content is kept";
    const json replace = event.at("unsigned").at("m.relations").at("m.replace");
    EXPECT_EQ(replace.at("event_id"), second);
    EXPECT_EQ(replace.at("content").at("m.new_content").at("body"), "hello!");

    // The same in /messages and /context.
    auto page = get(messages(c.room, "dir=b&limit=20"));
    bool seen = false;
    const json page_body = page.json();
    for (const auto& e : page_body.at("chunk")) {
        if (e.at("event_id") == original) {
            seen = true;
            EXPECT_EQ(e.at("unsigned").at("m.relations").at("m.replace").at("event_id"), second);
        }
        if (e.at("event_id") == first || e.at("event_id") == second) {
            EXPECT_FALSE(e.at("unsigned").contains("m.relations")) << "edits get no aggregations";
        }
    }
    EXPECT_TRUE(seen);
    auto context = get(v3 + "/rooms/" + c.room + "/context/" + original + "?limit=2");
    EXPECT_EQ(
        context.json().at("event").at("unsigned").at("m.relations").at("m.replace").at("event_id"),
        second);

    // A redacted event gets no edit bundled.
    auto redact = put(v3 + "/rooms/" + c.room + "/redact/" + original + "/r1", json::object());
    ASSERT_EQ(redact.status, 200) << redact.body;
    auto redacted = get(path);
    ASSERT_EQ(redacted.status, 200) << redacted.body;
    EXPECT_SPEC(redacted, "GET", path);
    EXPECT_TRUE(redacted.json().at("unsigned").contains("redacted_because")) << redacted.body;
    EXPECT_FALSE(redacted.json().at("unsigned").contains("m.relations")) << redacted.body;
}

TEST_F(HistoryRelations, RelationsPageTheChildren)
{
    const auto c = converse(2);
    const std::string root = text(c.room, c.alice, "root");
    const std::string r1 = send(c.room, c.bob, thread_reply(root, "r1"));
    const std::string r2 = send(c.room, "", thread_reply(root, "r2"));
    const std::string r3 = send(c.room, c.bob, thread_reply(root, "r3"));
    const std::string like =
        send(c.room, c.bob,
             {{"m.relates_to", {{"rel_type", "m.annotation"}, {"event_id", root}, {"key", "👍"}}}},
             std::nullopt, "m.reaction");
    const std::string base = v1 + "/rooms/" + c.room + "/relations/" + root;

    auto all = get(base);
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_SPEC(all, "GET", base);
    EXPECT_EQ(ids_of(all.json().at("chunk")), (std::vector<std::string>{like, r3, r2, r1}));
    EXPECT_FALSE(all.json().contains("next_batch"));
    EXPECT_FALSE(all.json().contains("recursion_depth"));

    auto first = get(base + "/m.thread?limit=2");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_SPEC(first, "GET", base + "/m.thread");
    EXPECT_EQ(ids_of(first.json().at("chunk")), (std::vector<std::string>{r3, r2}));
    const std::string next = first.json().at("next_batch");
    auto second = get(base + "/m.thread?limit=2&from=" + enc(next));
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(ids_of(second.json().at("chunk")), std::vector<std::string>{r1});
    EXPECT_FALSE(second.json().contains("next_batch"));
    EXPECT_EQ(second.json().at("prev_batch"), next);

    auto forward = get(base + "/m.thread/m.room.message?dir=f");
    ASSERT_EQ(forward.status, 200) << forward.body;
    EXPECT_SPEC(forward, "GET", base + "/m.thread/m.room.message");
    EXPECT_EQ(ids_of(forward.json().at("chunk")), (std::vector<std::string>{r1, r2, r3}));
    EXPECT_EQ(ids_of(get(base + "/m.annotation/m.reaction").json().at("chunk")),
              std::vector<std::string>{like});
    EXPECT_TRUE(get(base + "/m.annotation/m.room.message").json().at("chunk").empty());

    auto recursed = get(base + "?recurse=true");
    ASSERT_EQ(recursed.status, 200) << recursed.body;
    EXPECT_EQ(recursed.json().at("recursion_depth"), 1);

    expect_error(get(v1 + "/rooms/" + c.room + "/relations/$unknown"), 404, "M_NOT_FOUND");
    expect_error(get(base + "?dir=up"), 400, "M_INVALID_PARAM");
    expect_error(get(base + "?recurse=maybe"), 400, "M_INVALID_PARAM");
    expect_error(get(base + "?limit=0"), 400, "M_INVALID_PARAM");
}

TEST_F(HistoryRelations, ThreadsListRootsWithSummaries)
{
    const auto c = converse(2);
    const std::string root = text(c.room, c.alice, "root one");
    send(c.room, c.bob, thread_reply(root, "a"));
    send(c.room, "", thread_reply(root, "b"));
    const std::string latest = send(c.room, c.bob, thread_reply(root, "c"));
    const std::string other = text(c.room, c.alice, "root two");
    const std::string other_reply = send(c.room, c.bob, thread_reply(other, "d"));

    const std::string path = v1 + "/rooms/" + c.room + "/threads";
    auto res = get(path);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", path);
    const json chunk = res.json().at("chunk");
    ASSERT_EQ(ids_of(chunk), (std::vector<std::string>{other, root})) << "by latest reply";
    const json summary = chunk.at(1).at("unsigned").at("m.relations").at("m.thread");
    EXPECT_EQ(summary.at("count"), 3);
    EXPECT_EQ(summary.at("latest_event").at("event_id"), latest);
    EXPECT_EQ(summary.at("current_user_participated"), true);
    EXPECT_EQ(
        chunk.at(0).at("unsigned").at("m.relations").at("m.thread").at("current_user_participated"),
        false);

    auto mine = get(path + "?include=participated");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(ids_of(mine.json().at("chunk")), std::vector<std::string>{root});

    auto page = get(path + "?limit=1");
    EXPECT_EQ(ids_of(page.json().at("chunk")), std::vector<std::string>{other});
    auto rest = get(path + "?limit=1&from=" + enc(page.json().at("next_batch").get<std::string>()));
    ASSERT_EQ(rest.status, 200) << rest.body;
    EXPECT_EQ(ids_of(rest.json().at("chunk")), std::vector<std::string>{root});
    EXPECT_FALSE(rest.json().contains("next_batch"));

    // Thread roots carry their summary everywhere; replies do not.
    auto event = get(v3 + "/rooms/" + c.room + "/event/" + other);
    EXPECT_EQ(event.json()
                  .at("unsigned")
                  .at("m.relations")
                  .at("m.thread")
                  .at("latest_event")
                  .at("event_id"),
              other_reply);

    expect_error(get(path + "?include=mine"), 400, "M_INVALID_PARAM");
    expect_error(get(path + "?from=bad"), 400, "M_INVALID_PARAM");
}

TEST_F(HistoryRelations, TimestampToEvent)
{
    const auto c = converse(20);
    const std::string path = v1 + "/rooms/" + c.room + "/timestamp_to_event";
    auto back = get(path + "?dir=b&ts=" + std::to_string(base_ts + 10'500));
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_SPEC(back, "GET", path);
    EXPECT_EQ(back.json().at("event_id"), c.ids[10]);
    EXPECT_EQ(back.json().at("origin_server_ts"), base_ts + 10'000);
    auto fwd = get(path + "?dir=f&ts=" + std::to_string(base_ts + 10'500));
    EXPECT_EQ(fwd.json().at("event_id"), c.ids[11]);
    auto exact = get(path + "?dir=f&ts=" + std::to_string(base_ts + 4'000));
    EXPECT_EQ(exact.json().at("event_id"), c.ids[4]);

    expect_error(get(path + "?dir=b&ts=1"), 404, "M_NOT_FOUND");
    expect_error(get(path + "?dir=f&ts=99999999999999"), 404, "M_NOT_FOUND");
    expect_error(get(path + "?dir=b"), 400, "M_MISSING_PARAM");
    expect_error(get(path + "?ts=1"), 400, "M_MISSING_PARAM");
    expect_error(get(path + "?dir=x&ts=1"), 400, "M_INVALID_PARAM");
    expect_error(get(path + "?dir=b&ts=soon"), 400, "M_INVALID_PARAM");
}

TEST_F(HistoryVisibility, LateJoinerWithJoinedVisibilitySeesOnlyFromTheirJoin)
{
    const std::string room = create_room({{"preset", "public_chat"},
                                          {"initial_state",
                                           {{{"type", "m.room.history_visibility"},
                                             {"state_key", ""},
                                             {"content", {{"history_visibility", "joined"}}}}}}});
    const std::string alice = puppet("alice");
    const std::string carol = puppet("carol");
    join(room, alice);
    const std::string early = text(room, alice, "before carol", base_ts + 1000);
    text(room, alice, "also before", base_ts + 2000);
    join(room, carol);
    text(room, alice, "after carol 1", base_ts + 3000);
    text(room, alice, "after carol 2", base_ts + 4000);

    auto res = get(messages(room, "dir=b&limit=50"), carol);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", messages(room, "dir=b"));
    const json chunk = res.json().at("chunk");
    EXPECT_EQ(bodies_of(chunk), (std::vector<std::string>{"after carol 2", "after carol 1"}));
    ASSERT_GE(chunk.size(), 3u) << res.body;
    EXPECT_EQ(chunk.at(2).at("type"), "m.room.member");
    EXPECT_EQ(chunk.at(2).at("state_key"), carol);
    // Alice's join came after "joined" was set and before carol joined: hidden. The room's
    // first events, sent before any history_visibility, count as "shared" (as in Synapse):
    // carol, joined now, sees them.
    for (const auto& event : chunk) {
        if (event.at("type") == "m.room.member") {
            EXPECT_NE(event.at("state_key"), alice) << event.dump();
        }
    }
    EXPECT_EQ(chunk.back().at("type"), "m.room.create");
    EXPECT_FALSE(res.json().contains("end")) << "nothing older is visible";

    auto forward = get(messages(room, "dir=f&limit=50"), carol);
    EXPECT_EQ(bodies_of(forward.json().at("chunk")),
              (std::vector<std::string>{"after carol 1", "after carol 2"}));

    expect_error(get(v3 + "/rooms/" + room + "/event/" + early, carol), 404, "M_NOT_FOUND");
    expect_error(get(v3 + "/rooms/" + room + "/context/" + early, carol), 404, "M_NOT_FOUND");
    expect_error(get(v1 + "/rooms/" + room + "/relations/" + early, carol), 404, "M_NOT_FOUND");
    // The closest event carol may see.
    auto ts = get(v1 + "/rooms/" + room + "/timestamp_to_event?dir=f&ts=0", carol);
    ASSERT_EQ(ts.status, 200) << ts.body;
    EXPECT_EQ(ts.json().at("event_id"), chunk.at(2).at("event_id"));

    // The owner, joined from the start, sees everything.
    auto owner = get(messages(room, "dir=b&limit=50"));
    EXPECT_EQ(bodies_of(owner.json().at("chunk")).size(), 4u);
}

TEST_F(HistoryVisibility, LeaverSeesNothingAfterLeaving)
{
    const auto c = converse(3);
    const std::string dave = puppet("dave");
    join(c.room, dave);
    const std::string seen = text(c.room, c.alice, "dave is here");
    leave(c.room, dave);
    const std::string unseen = text(c.room, c.alice, "dave is gone");

    auto res = get(messages(c.room, "dir=b&limit=3"), dave);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", messages(c.room, "dir=b"));
    const json chunk = res.json().at("chunk");
    ASSERT_EQ(chunk.size(), 3u);
    EXPECT_EQ(chunk.at(0).at("type"), "m.room.member") << "their leave is the newest";
    EXPECT_EQ(chunk.at(0).at("content").at("membership"), "leave");
    EXPECT_EQ(chunk.at(1).at("event_id"), seen);

    expect_error(get(v3 + "/rooms/" + c.room + "/event/" + unseen, dave), 404, "M_NOT_FOUND");
    auto around = get(v3 + "/rooms/" + c.room + "/context/" + seen, dave);
    ASSERT_EQ(around.status, 200) << around.body;
    ASSERT_EQ(around.json().at("events_after").size(), 1u);
    EXPECT_EQ(around.json().at("events_after").at(0).at("content").at("membership"), "leave");

    // Forward paging stops at the leave.
    auto forward = get(messages(c.room, "dir=f&limit=100"), dave);
    const json all = forward.json().at("chunk");
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.back().at("content").value("membership", ""), "leave");
    auto after = get(
        messages(c.room, "dir=f&from=" + enc(forward.json().at("end").get<std::string>())), dave);
    EXPECT_TRUE(after.json().at("chunk").empty());
    EXPECT_FALSE(after.json().contains("end"));
}

} // namespace
} // namespace ravenous::test::history
