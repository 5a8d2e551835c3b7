// Room history: /messages paging and filters, /context, /event, and their errors.

#include "e2e/history_fixture.hpp"
#include "support/spec_assert.hpp"

#include <algorithm>
#include <set>

namespace ravenous::test::history {
namespace {

using History = HistoryTest;

std::vector<std::string> expected_bodies(int from, int to_inclusive, int step)
{
    std::vector<std::string> out;
    for (int i = from; step > 0 ? i <= to_inclusive : i >= to_inclusive; i += step)
        out.push_back("m" + std::to_string(i));
    return out;
}

TEST_F(History, PagesBackwardAndForwardWithoutGapsOrDuplicates)
{
    const auto c = converse();

    const json backward = page_through(c.room, "dir=b&limit=7", 7);
    const auto back_ids = ids_of(backward);
    EXPECT_EQ(std::set<std::string>(back_ids.begin(), back_ids.end()).size(), back_ids.size())
        << "an event came twice";
    EXPECT_EQ(bodies_of(backward), expected_bodies(49, 0, -1));
    ASSERT_FALSE(backward.empty());
    EXPECT_EQ(backward.front().at("event_id"), c.ids.back());
    EXPECT_EQ(backward.back().at("type"), "m.room.create"); // the very start of the room
    for (const auto& event : backward)
        EXPECT_TRUE(event.at("unsigned").contains("age")) << event.dump();

    const json forward = page_through(c.room, "dir=f&limit=7", 7);
    auto fwd_ids = ids_of(forward);
    std::reverse(fwd_ids.begin(), fwd_ids.end());
    EXPECT_EQ(fwd_ids, back_ids) << "forward is backward reversed";
}

TEST_F(History, TokensWorkBothWaysAndToStopsThePage)
{
    const auto c = converse(20);

    auto first = get(messages(c.room, "dir=b&limit=7"));
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_SPEC(first, "GET", messages(c.room, "dir=b&limit=7"));
    const json page = first.json();
    EXPECT_EQ(bodies_of(page.at("chunk")), expected_bodies(19, 13, -1));
    const std::string end = page.at("end");

    // Forward from a backward page's end returns the same events, oldest first.
    auto again = get(messages(c.room, "dir=f&limit=7&from=" + enc(end)));
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(bodies_of(again.json().at("chunk")), expected_bodies(13, 19, 1));

    // The start token (a position at the end of the room) pages back the same way.
    auto from_start =
        get(messages(c.room, "dir=b&limit=7&from=" + enc(page.at("start").get<std::string>())));
    EXPECT_EQ(ids_of(from_start.json().at("chunk")), ids_of(page.at("chunk")));

    // `to` stops a page even when the limit allows more, and the page still says more exists.
    auto bounded = get(messages(c.room, "dir=b&limit=100&to=" + enc(end)));
    ASSERT_EQ(bounded.status, 200) << bounded.body;
    EXPECT_EQ(bodies_of(bounded.json().at("chunk")), expected_bodies(19, 13, -1));
    EXPECT_TRUE(bounded.json().contains("end"));

    // Forward past the last event: a non-empty chunk keeps `end`, the next page has none.
    auto tail = get(messages(c.room, "dir=f&limit=100&from=" + enc(end)));
    ASSERT_TRUE(tail.json().contains("end")) << tail.body;
    auto after =
        get(messages(c.room, "dir=f&from=" + enc(tail.json().at("end").get<std::string>())));
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_SPEC(after, "GET", messages(c.room, "dir=f"));
    EXPECT_TRUE(after.json().at("chunk").empty());
    EXPECT_FALSE(after.json().contains("end"));

    // limit defaults to 10; dir defaults to forward (Synapse's default).
    auto defaults = get(messages(c.room, "from=" + enc(end)));
    ASSERT_EQ(defaults.status, 200) << defaults.body;
    EXPECT_EQ(bodies_of(defaults.json().at("chunk")), expected_bodies(13, 19, 1));
    auto ten = get(messages(c.room, "dir=b"));
    EXPECT_EQ(ten.json().at("chunk").size(), 10u);
}

TEST_F(History, FiltersByTypeSenderAndUrl)
{
    const auto c = converse(12);
    const std::string image =
        send(c.room, c.bob,
             {{"msgtype", "m.image"}, {"body", "cat.png"}, {"url", "mxc://test.local/cat"}});
    const auto filtered = [&](const json& filter, const std::string& query = "dir=b&limit=100") {
        auto res = get(messages(c.room, query + "&filter=" + enc(filter.dump())));
        EXPECT_EQ(res.status, 200) << res.body;
        EXPECT_SPEC(res, "GET", messages(c.room, query));
        return res.json();
    };

    const json messages_only = filtered({{"types", {"m.room.message"}}});
    EXPECT_EQ(messages_only.at("chunk").size(), 13u);
    EXPECT_FALSE(messages_only.contains("state"));

    const json no_alice = filtered({{"not_senders", {c.alice}}});
    for (const auto& event : no_alice.at("chunk"))
        EXPECT_NE(event.at("sender"), c.alice);
    EXPECT_EQ(bodies_of(no_alice.at("chunk")).size(), 7u); // bob's six and the image

    const json state_only = filtered({{"types", {"m.room.*"}}, {"not_types", {"m.room.message"}}});
    ASSERT_FALSE(state_only.at("chunk").empty());
    for (const auto& event : state_only.at("chunk"))
        EXPECT_TRUE(event.contains("state_key")) << event.dump();

    const json urls = filtered({{"contains_url", true}});
    EXPECT_EQ(ids_of(urls.at("chunk")), std::vector<std::string>{image});

    // Owner-only events are all at the start of the room: the scan goes past every message.
    const json owner =
        filtered({{"senders", {std::string(default_owner_user_id)}}}, "dir=b&limit=3");
    ASSERT_EQ(owner.at("chunk").size(), 3u);
    for (const auto& event : owner.at("chunk"))
        EXPECT_EQ(event.at("sender"), default_owner_user_id);

    // A filter encoded twice is read as Synapse reads it.
    auto twice = get(messages(c.room, "dir=b&limit=100&filter=" +
                                          enc(enc(json{{"contains_url", true}}.dump()))));
    ASSERT_EQ(twice.status, 200) << twice.body;
    EXPECT_EQ(ids_of(twice.json().at("chunk")), std::vector<std::string>{image});

    // The filter's limit applies when the query has none.
    EXPECT_EQ(filtered({{"limit", 2}}, "dir=b").at("chunk").size(), 2u);
}

TEST_F(History, LazyLoadedMembersComeWithTheChunk)
{
    const auto c = converse(6);
    const json filter = {{"lazy_load_members", true}};
    auto res = get(messages(c.room, "dir=b&limit=4&filter=" + enc(filter.dump())));
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", messages(c.room, "dir=b"));
    const json body = res.json();
    ASSERT_TRUE(body.contains("state")) << res.body;
    std::multiset<std::string> members;
    for (const auto& event : body.at("state")) {
        EXPECT_EQ(event.at("type"), "m.room.member");
        EXPECT_EQ(event.at("content").at("membership"), "join");
        members.insert(event.at("state_key").get<std::string>());
    }
    EXPECT_EQ(members, (std::multiset<std::string>{c.alice, c.bob}));
}

TEST_F(History, ContextAroundAnEvent)
{
    const auto c = converse(40);
    const std::string path = v3 + "/rooms/" + c.room + "/context/" + c.ids[25];
    auto res = get(path + "?limit=6");
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", path);
    const json body = res.json();
    EXPECT_EQ(body.at("event").at("event_id"), c.ids[25]);
    EXPECT_EQ(bodies_of(body.at("events_before")), expected_bodies(24, 22, -1));
    EXPECT_EQ(bodies_of(body.at("events_after")), expected_bodies(26, 28, 1));

    // start and end continue exactly where the context stops.
    auto older =
        get(messages(c.room, "dir=b&limit=1&from=" + enc(body.at("start").get<std::string>())));
    EXPECT_EQ(ids_of(older.json().at("chunk")), std::vector<std::string>{c.ids[21]});
    auto newer =
        get(messages(c.room, "dir=f&limit=1&from=" + enc(body.at("end").get<std::string>())));
    EXPECT_EQ(ids_of(newer.json().at("chunk")), std::vector<std::string>{c.ids[29]});

    // The state at the last event returned: everything, or the senders' members only.
    std::set<std::string> types, members;
    for (const auto& event : body.at("state")) {
        types.insert(event.at("type").get<std::string>());
        if (event.at("type") == "m.room.member")
            members.insert(event.at("state_key").get<std::string>());
    }
    EXPECT_TRUE(types.contains("m.room.create"));
    EXPECT_EQ(members, (std::set<std::string>{std::string(default_owner_user_id), c.alice, c.bob}));

    const json lazy = {{"lazy_load_members", true}};
    auto lazy_res = get(path + "?limit=2&filter=" + enc(lazy.dump()));
    ASSERT_EQ(lazy_res.status, 200) << lazy_res.body;
    EXPECT_SPEC(lazy_res, "GET", path);
    members.clear();
    types.clear();
    const json lazy_body = lazy_res.json();
    for (const auto& event : lazy_body.at("state")) {
        types.insert(event.at("type").get<std::string>());
        if (event.at("type") == "m.room.member")
            members.insert(event.at("state_key").get<std::string>());
    }
    EXPECT_TRUE(types.contains("m.room.create"));
    EXPECT_EQ(members, (std::set<std::string>{c.alice, c.bob}));

    // limit 0: the event alone; the default limit is 10 (5 before, 5 after).
    auto alone = get(path + "?limit=0");
    EXPECT_TRUE(alone.json().at("events_before").empty());
    EXPECT_TRUE(alone.json().at("events_after").empty());
    auto ten = get(path);
    EXPECT_EQ(ten.json().at("events_before").size(), 5u);
    EXPECT_EQ(ten.json().at("events_after").size(), 5u);

    expect_error(get(v3 + "/rooms/" + c.room + "/context/$unknown"), 404, "M_NOT_FOUND");
}

TEST_F(History, EventByIdOnlyInItsRoom)
{
    const auto c = converse(4);
    const std::string path = v3 + "/rooms/" + c.room + "/event/" + c.ids[3];
    auto res = get(path);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", path);
    EXPECT_EQ(res.json().at("event_id"), c.ids[3]);
    EXPECT_EQ(res.json().at("content").at("body"), "m3");
    EXPECT_EQ(res.json().at("origin_server_ts"), base_ts + 3000);
    EXPECT_TRUE(res.json().at("unsigned").contains("age"));

    // The sender's own device sees its transaction id; others do not.
    auto mine = get(path, c.bob);
    EXPECT_TRUE(mine.json().at("unsigned").contains("transaction_id")) << mine.body;
    EXPECT_FALSE(res.json().at("unsigned").contains("transaction_id"));

    const std::string other = create_room({{"preset", "public_chat"}});
    const std::string elsewhere = text(other, "", "elsewhere");
    expect_error(get(v3 + "/rooms/" + c.room + "/event/" + elsewhere), 404, "M_NOT_FOUND");
    expect_error(get(v3 + "/rooms/" + c.room + "/event/$nope"), 404, "M_NOT_FOUND");
}

TEST_F(History, BadRequestsGetTheirErrors)
{
    const auto c = converse(3);
    const std::string rooms = v3 + "/rooms/";
    const std::string private_room = create_room({{"preset", "private_chat"}}, c.alice);
    const std::string secret = text(private_room, c.alice, "secret");

    struct Case
    {
        std::string target;
        int status;
        std::string errcode;
    };
    const Case cases[] = {
        {messages(c.room, "dir=x"), 400, "M_INVALID_PARAM"},
        {messages(c.room, "dir=b&limit=ten"), 400, "M_INVALID_PARAM"},
        {messages(c.room, "dir=b&limit=-1"), 400, "M_INVALID_PARAM"},
        {messages(c.room, "dir=b&from=nonsense"), 400, "M_INVALID_PARAM"},
        {messages(c.room, "dir=b&to=t"), 400, "M_INVALID_PARAM"},
        {messages(c.room, "dir=b&filter=" + enc("{not json")), 400, "M_NOT_JSON"},
        {messages(c.room, "dir=b&filter=" + enc("[1]")), 400, "M_BAD_JSON"},
        {messages(c.room, "dir=b&filter=" + enc(R"({"types":"m.room.message"})")), 400,
         "M_BAD_JSON"},
        {messages(c.room, "dir=b&filter=" + enc(R"({"limit":0})")), 400, "M_BAD_JSON"},
        {messages(c.room, "dir=b&filter=" + enc(R"({"lazy_load_members":"yes"})")), 400,
         "M_BAD_JSON"},
        {messages("notaroom", "dir=b"), 400, "M_INVALID_PARAM"},
        {messages("!unknown:test.local", "dir=b"), 404, "M_NOT_FOUND"},
        {messages(private_room, "dir=b"), 403, "M_FORBIDDEN"},
        {rooms + private_room + "/context/" + secret, 403, "M_FORBIDDEN"},
        {rooms + private_room + "/event/" + secret, 404, "M_NOT_FOUND"},
        {rooms + c.room + "/context/" + c.ids[0] + "?limit=x", 400, "M_INVALID_PARAM"},
        {rooms + c.room + "/context/" + c.ids[0] + "?filter=%7B", 400, "M_NOT_JSON"},
        {rooms + "notaroom/event/" + c.ids[0], 400, "M_INVALID_PARAM"},
    };
    for (const auto& bad : cases) {
        SCOPED_TRACE(bad.target);
        expect_error(get(bad.target), bad.status, bad.errcode);
    }
    // The filter error names the field.
    auto named = get(messages(c.room, "dir=b&filter=" + enc(R"({"not_senders":[1]})")));
    EXPECT_NE(named.json().value("error", "").find("not_senders"), std::string::npos) << named.body;
}

} // namespace
} // namespace ravenous::test::history
