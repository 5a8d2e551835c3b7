#include "ravenous/matrix/errors.hpp"
#include "ravenous/rooms/event_filter.hpp"
#include "rooms/history_scan.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::rooms {
namespace {

using nlohmann::json;

storage::EventRow row(std::string type, std::string sender, std::string content = "{}")
{
    storage::EventRow r;
    r.room_id = "!room:test.local";
    r.type = std::move(type);
    r.sender = std::move(sender);
    r.json = R"({"type":")" + r.type + R"(","content":)" + content + "}";
    return r;
}

matrix::ErrCode code_of(std::string_view text)
{
    try {
        RoomEventFilter::parse(text);
    } catch (const matrix::MatrixError& e) {
        EXPECT_EQ(e.status(), 400);
        return e.code();
    }
    ADD_FAILURE() << "no error for " << text;
    return matrix::ErrCode::M_UNKNOWN;
}

TEST(RoomEventFilter, WildcardsMatchAnyRun)
{
    EXPECT_TRUE(type_matches("m.room.*", "m.room.message"));
    EXPECT_TRUE(type_matches("*", ""));
    EXPECT_TRUE(type_matches("m.*.member", "m.room.member"));
    EXPECT_TRUE(type_matches("*.member", "m.room.member"));
    EXPECT_TRUE(type_matches("m.room.message", "m.room.message"));
    EXPECT_FALSE(type_matches("m.room.message", "m.room.messages"));
    EXPECT_FALSE(type_matches("m.room.*", "m.reaction"));
    EXPECT_FALSE(type_matches("m.*.x", "m.room.member"));
    EXPECT_TRUE(type_matches("a*b*c", "aXbYbZc"));
}

TEST(RoomEventFilter, EmptyFilterMatchesEverything)
{
    const auto filter = RoomEventFilter::parse("{}");
    EXPECT_TRUE(filter.matches_everything());
    EXPECT_TRUE(filter.matches(row("m.room.message", "@a:x")));
    EXPECT_EQ(filter.to_json(), json::object());
}

TEST(RoomEventFilter, NotListsWinOverLists)
{
    const auto filter = RoomEventFilter::parse(
        R"({"types":["m.room.*"],"not_types":["m.room.member"],"senders":["@a:x","@b:x"],
            "not_senders":["@b:x"],"not_rooms":["!other:x"]})");
    EXPECT_TRUE(filter.matches(row("m.room.message", "@a:x")));
    EXPECT_FALSE(filter.matches(row("m.room.member", "@a:x")));
    EXPECT_FALSE(filter.matches(row("m.reaction", "@a:x")));
    EXPECT_FALSE(filter.matches(row("m.room.message", "@b:x")));
    EXPECT_FALSE(filter.matches(row("m.room.message", "@c:x")));
    EXPECT_FALSE(filter.matches("m.room.message", "@a:x", "!other:x", false));
    EXPECT_TRUE(filter.matches_room("!room:test.local"));
}

TEST(RoomEventFilter, ContainsUrlLooksAtTheContent)
{
    const auto with = RoomEventFilter::parse(R"({"contains_url":true})");
    const auto without = RoomEventFilter::parse(R"({"contains_url":false})");
    const auto image = row("m.room.message", "@a:x", R"({"url":"mxc://x/y"})");
    const auto text = row("m.room.message", "@a:x", R"({"body":"hi"})");
    const auto not_a_string = row("m.room.message", "@a:x", R"({"url":5})");
    EXPECT_TRUE(with.matches(image));
    EXPECT_FALSE(with.matches(text));
    EXPECT_FALSE(with.matches(not_a_string));
    EXPECT_FALSE(without.matches(image));
    EXPECT_TRUE(without.matches(text));
}

TEST(RoomEventFilter, FlagsAndLimitRoundTrip)
{
    const auto filter = RoomEventFilter::parse(
        R"({"limit":20,"lazy_load_members":true,"include_redundant_members":true,
            "unread_thread_notifications":true,"types":["a"],"unknown_key":{"ignored":1}})");
    EXPECT_EQ(filter.limit, 20);
    EXPECT_TRUE(filter.lazy_load_members);
    EXPECT_TRUE(filter.include_redundant_members);
    EXPECT_TRUE(filter.unread_thread_notifications);
    EXPECT_EQ(RoomEventFilter::from_json(filter.to_json()).to_json(), filter.to_json());
    EXPECT_FALSE(filter.to_json().contains("unknown_key"));
}

TEST(RoomEventFilter, StrictTypesWithTheFieldNamed)
{
    EXPECT_EQ(code_of("{nope"), matrix::ErrCode::M_NOT_JSON);
    EXPECT_EQ(code_of("\"text\""), matrix::ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of(R"({"types":"m.room.message"})"), matrix::ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of(R"({"senders":[1]})"), matrix::ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of(R"({"limit":0})"), matrix::ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of(R"({"limit":1.5})"), matrix::ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of(R"({"limit":18446744073709551615})"), matrix::ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of(R"({"contains_url":"yes"})"), matrix::ErrCode::M_BAD_JSON);
    try {
        RoomEventFilter::from_json(json{{"not_rooms", {1}}}, "room.timeline");
        ADD_FAILURE();
    } catch (const matrix::MatrixError& e) {
        EXPECT_NE(e.message().find("'room.timeline.not_rooms'"), std::string::npos) << e.message();
    }
    // null counts as absent.
    EXPECT_FALSE(RoomEventFilter::parse(R"({"types":null})").types);
}

TEST(VisibleRanges, FindsTheNearestRangeEachWay)
{
    history::VisibleRanges visible;
    visible.add({1, 5});
    visible.add({5, 8}); // adjacent: merged
    visible.add({12, 13});
    visible.add({20, 30});
    ASSERT_EQ(visible.ranges().size(), 3u);
    EXPECT_TRUE(visible.contains(1));
    EXPECT_TRUE(visible.contains(7));
    EXPECT_FALSE(visible.contains(8));
    EXPECT_TRUE(visible.contains(12));
    EXPECT_FALSE(visible.contains(13));
    EXPECT_FALSE(visible.contains(0));

    auto below = visible.below(25);
    ASSERT_TRUE(below);
    EXPECT_EQ(below->begin, 20);
    EXPECT_EQ(below->end, 25);
    below = visible.below(20);
    ASSERT_TRUE(below);
    EXPECT_EQ(below->begin, 12);
    EXPECT_EQ(below->end, 13);
    EXPECT_FALSE(visible.below(1));

    auto above = visible.above(8);
    ASSERT_TRUE(above);
    EXPECT_EQ(above->begin, 12);
    above = visible.above(3);
    ASSERT_TRUE(above);
    EXPECT_EQ(above->begin, 3);
    EXPECT_EQ(above->end, 8);
    EXPECT_FALSE(visible.above(30));
}

} // namespace
} // namespace ravenous::rooms
