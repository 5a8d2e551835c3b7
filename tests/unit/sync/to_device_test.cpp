#include "ravenous/sync/to_device.hpp"

#include "ravenous/matrix/errors.hpp"

#include <gtest/gtest.h>

namespace ravenous::sync::to_device {
namespace {

using matrix::ErrCode;
using nlohmann::json;

ErrCode error_of(const json& body)
{
    try {
        parse_messages(body);
    } catch (const matrix::MatrixError& e) {
        return e.code();
    }
    ADD_FAILURE() << "accepted: " << body.dump();
    return ErrCode::M_UNKNOWN;
}

TEST(ToDeviceMessages, FlattensUsersAndDevicesKeepingContent)
{
    const json body = {{"messages",
                        {{"@a:x", {{"D1", {{"k", 1}}}, {"*", json::object()}}},
                         {"@b:y", {{"D2", {{"k", "v"}}}}}}}};
    const auto messages = parse_messages(body);
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[0].user_id, "@a:x");
    EXPECT_EQ(messages[0].device_id, "*");
    EXPECT_EQ(messages[0].content, json::object());
    EXPECT_EQ(messages[1].device_id, "D1");
    EXPECT_EQ(messages[1].content, json({{"k", 1}}));
    EXPECT_EQ(messages[2].user_id, "@b:y");
    EXPECT_EQ(messages[2].content, json({{"k", "v"}}));
    EXPECT_TRUE(parse_messages({{"messages", json::object()}}).empty());
}

TEST(ToDeviceMessages, WrongShapesAreBadJsonAndBadUserIdsInvalidParam)
{
    EXPECT_EQ(error_of(json::object()), ErrCode::M_BAD_JSON);
    EXPECT_EQ(error_of({{"messages", nullptr}}), ErrCode::M_BAD_JSON);
    EXPECT_EQ(error_of({{"messages", json::array()}}), ErrCode::M_BAD_JSON);
    EXPECT_EQ(error_of({{"messages", {{"@a:x", 1}}}}), ErrCode::M_BAD_JSON);
    EXPECT_EQ(error_of({{"messages", {{"@a:x", {{"D", "text"}}}}}}), ErrCode::M_BAD_JSON);
    EXPECT_EQ(error_of({{"messages", {{"@a:x", {{"D", json::array()}}}}}}), ErrCode::M_BAD_JSON);
    EXPECT_EQ(error_of({{"messages", {{"a:x", {{"D", json::object()}}}}}}),
              ErrCode::M_INVALID_PARAM);
    EXPECT_EQ(error_of({{"messages", {{"@nocolon", json::object()}}}}), ErrCode::M_INVALID_PARAM);
}

} // namespace
} // namespace ravenous::sync::to_device
