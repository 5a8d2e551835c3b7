// /sync's token codec and the sync filter parser.

#include "ravenous/matrix/errors.hpp"
#include "sync/sync_filter.hpp"
#include "sync/token.hpp"

#include <gtest/gtest.h>

namespace ravenous::sync {
namespace {

using nlohmann::json;

TEST(SyncToken, RoundTrips)
{
    const Position position{1234, 56};
    EXPECT_EQ(token::format(position), "s1234_56");
    auto parsed = token::parse("s1234_56");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->stream, 1234);
    EXPECT_EQ(parsed->ephemeral, 56);
}

TEST(SyncToken, BareStreamTokenHasNoEphemeralPart)
{
    auto parsed = token::parse("s77");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->stream, 77);
    EXPECT_EQ(parsed->ephemeral, 0);
}

TEST(SyncToken, MalformedTokensAreRefused)
{
    for (const char* bad : {"", "s", "t12", "s_1", "s1_", "s1_x", "s-1_0", "s1_-2", "s1_2_3",
                            "s99999999999999999999_0", "12_3", "s1 _2"})
        EXPECT_FALSE(token::parse(bad)) << bad;
}

TEST(SyncFilter, ParsesTheSections)
{
    const auto filter = SyncFilter::from_json(json::parse(R"({
        "event_fields": ["type", "content.body"],
        "event_format": "federation",
        "presence": {"not_types": ["*"]},
        "account_data": {"types": ["m.direct"]},
        "room": {
            "rooms": ["!a:x"], "not_rooms": ["!b:x"], "include_leave": true,
            "timeline": {"limit": 5, "not_senders": ["@spam:x"]},
            "state": {"lazy_load_members": true},
            "ephemeral": {"types": ["m.typing"]},
            "account_data": {"types": ["m.tag"]},
            "unknown": 1
        }
    })"));
    EXPECT_EQ(filter.event_format, "federation");
    EXPECT_TRUE(filter.room.include_leave);
    EXPECT_EQ(filter.room.timeline.limit, 5);
    EXPECT_TRUE(filter.room.state.lazy_load_members);
    EXPECT_TRUE(filter.includes_room("!a:x"));
    EXPECT_FALSE(filter.includes_room("!b:x"));
    EXPECT_FALSE(filter.includes_room("!c:x"));
    EXPECT_FALSE(filter.presence.matches("m.presence", "@u:x", "", false));
    EXPECT_TRUE(filter.account_data.matches("m.direct", "@u:x", "", false));
}

TEST(SyncFilter, WrongTypesAreBadJson)
{
    for (const char* bad :
         {R"([])", R"({"event_fields": "type"})", R"({"event_fields": [1]})",
          R"({"event_format": "xml"})", R"({"room": []})", R"({"room": {"rooms": "!a:x"}})",
          R"({"room": {"include_leave": 1}})", R"({"room": {"timeline": {"limit": "10"}}})",
          R"({"room": {"state": {"types": [1]}}})", R"({"presence": 3})"}) {
        try {
            SyncFilter::from_json(json::parse(bad));
            ADD_FAILURE() << "accepted " << bad;
        } catch (const matrix::MatrixError& e) {
            EXPECT_EQ(e.code(), matrix::ErrCode::M_BAD_JSON) << bad;
        }
    }
}

TEST(SyncFilter, EventFieldsKeepOnlyThosePaths)
{
    const auto filter = SyncFilter::from_json(json::parse(
        R"({"event_fields": ["type", "content.body", "content.m\\.rel", "missing.x"]})"));
    const json event = json::parse(
        R"({"type": "m.room.message", "sender": "@a:x", "content": {"body": "hi", "m.rel": 1, "other": 2}})");
    EXPECT_EQ(filter.project(event),
              json::parse(R"({"type": "m.room.message", "content": {"body": "hi", "m.rel": 1}})"));
    EXPECT_EQ(SyncFilter{}.project(event), event);
}

} // namespace
} // namespace ravenous::sync
