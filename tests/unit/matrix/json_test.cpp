#include "ravenous/matrix/json.hpp"

#include "ravenous/matrix/errors.hpp"

#include <gtest/gtest.h>

namespace ravenous::matrix {
namespace {

ErrCode code_of(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const MatrixError& e) {
        return e.code();
    }
    ADD_FAILURE() << "no MatrixError thrown";
    return ErrCode::M_UNKNOWN;
}

TEST(Json, ParseObjectSortsNotJsonFromBadJson)
{
    EXPECT_EQ(code_of([] { json::parse_object("{"); }), ErrCode::M_NOT_JSON);
    EXPECT_EQ(code_of([] { json::parse_object(""); }), ErrCode::M_NOT_JSON);
    EXPECT_EQ(code_of([] { json::parse_object("\"\xff\""); }), ErrCode::M_NOT_JSON);
    EXPECT_EQ(code_of([] { json::parse_object("[]"); }), ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of([] { json::parse_object("3"); }), ErrCode::M_BAD_JSON);
    EXPECT_TRUE(json::parse_object("", true).empty());
    EXPECT_EQ(json::parse_object(R"({"a":1})").at("a"), 1);
}

TEST(Json, FieldHelpersNameTheField)
{
    const auto body = json::parse_object(R"({"s":"x","n":1,"b":true,"o":{},"a":[],"z":null})");
    EXPECT_EQ(json::require_string(body, "s"), "x");
    EXPECT_EQ(json::optional_int(body, "n"), 1);
    EXPECT_EQ(json::optional_bool(body, "b"), true);
    EXPECT_NE(json::optional_object(body, "o"), nullptr);
    EXPECT_NE(json::optional_array(body, "a"), nullptr);
    EXPECT_FALSE(json::optional_string(body, "z"));  // null counts as absent
    EXPECT_FALSE(json::optional_string(body, "missing"));

    try {
        json::require_string(body, "n");
        FAIL();
    } catch (const MatrixError& e) {
        EXPECT_EQ(e.code(), ErrCode::M_BAD_JSON);
        EXPECT_NE(e.message().find("'n'"), std::string::npos);
    }
    EXPECT_EQ(code_of([&] { json::require_string(body, "missing"); }), ErrCode::M_MISSING_PARAM);
    EXPECT_EQ(code_of([&] { json::optional_bool(body, "s"); }), ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of([&] { json::optional_int(body, "s"); }), ErrCode::M_BAD_JSON);
    EXPECT_EQ(code_of([&] { json::optional_object(body, "a"); }), ErrCode::M_BAD_JSON);
}

} // namespace
} // namespace ravenous::matrix
