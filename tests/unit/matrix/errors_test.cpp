#include "ravenous/matrix/errors.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::matrix {
namespace {

TEST(Errors, CodesAreSpelledAsInTheSpecWithTheirStatus)
{
    EXPECT_EQ(to_string(ErrCode::M_FORBIDDEN), "M_FORBIDDEN");
    EXPECT_EQ(default_status(ErrCode::M_FORBIDDEN), 403);
    EXPECT_EQ(default_status(ErrCode::M_UNKNOWN_TOKEN), 401);
    EXPECT_EQ(default_status(ErrCode::M_MISSING_TOKEN), 401);
    EXPECT_EQ(default_status(ErrCode::M_NOT_FOUND), 404);
    EXPECT_EQ(default_status(ErrCode::M_TOO_LARGE), 413);
    EXPECT_EQ(default_status(ErrCode::M_LIMIT_EXCEEDED), 429);
    EXPECT_EQ(default_status(ErrCode::M_CANNOT_OVERWRITE_MEDIA), 409);
    EXPECT_EQ(to_string(ErrCode::M_CONNECTION_FAILED), "M_CONNECTION_FAILED");
    // The appservice ping's (client-server appservice_ping.yaml).
    EXPECT_EQ(to_string(ErrCode::M_URL_NOT_SET), "M_URL_NOT_SET");
    EXPECT_EQ(default_status(ErrCode::M_URL_NOT_SET), 400);
    EXPECT_EQ(to_string(ErrCode::M_BAD_STATUS), "M_BAD_STATUS");
    EXPECT_EQ(default_status(ErrCode::M_BAD_STATUS), 502);
    EXPECT_EQ(to_string(ErrCode::M_CONNECTION_TIMEOUT), "M_CONNECTION_TIMEOUT");
    EXPECT_EQ(default_status(ErrCode::M_CONNECTION_TIMEOUT), 504);
}

TEST(Errors, BodyCarriesErrcodeErrorAndExtras)
{
    auto error = errors::limit_exceeded("slow down", 1500);
    EXPECT_EQ(error.status(), 429);
    const auto body = error.body();
    EXPECT_EQ(body.at("errcode"), "M_LIMIT_EXCEEDED");
    EXPECT_EQ(body.at("error"), "slow down");
    EXPECT_EQ(body.at("retry_after_ms"), 1500);
}

TEST(Errors, UnrecognizedIs404AndWrongMethodIs405)
{
    EXPECT_EQ(errors::unrecognized().status(), 404);
    EXPECT_EQ(errors::method_not_allowed().status(), 405);
    EXPECT_EQ(errors::method_not_allowed().code(), ErrCode::M_UNRECOGNIZED);
}

TEST(Errors, ExtrasDoNotLeakBetweenCopies)
{
    auto a = errors::forbidden("x");
    auto b = a;
    b.with("soft_logout", true);
    EXPECT_FALSE(a.body().contains("soft_logout"));
    EXPECT_TRUE(b.body().contains("soft_logout"));
}

} // namespace
} // namespace ravenous::matrix
