#include "ravenous/http/request.hpp"

#include <gtest/gtest.h>
#include <stdexcept>

namespace ravenous::http {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

TEST(ParseTarget, SplitsPathAndDecodesQuery)
{
    std::string path;
    Query query;
    ASSERT_TRUE(
        parse_target("/_matrix/client/v3/sync?since=s1&timeout=30000&filter=%7B%7D", path, query));
    EXPECT_EQ(path, "/_matrix/client/v3/sync");
    EXPECT_EQ(query, (Query{{"since", "s1"}, {"timeout", "30000"}, {"filter", "{}"}}));
}

TEST(ParseTarget, PathStaysEncoded)
{
    std::string path;
    Query query;
    ASSERT_TRUE(parse_target("/rooms/%21a%3Ab/state", path, query));
    EXPECT_EQ(path, "/rooms/%21a%3Ab/state");
    EXPECT_TRUE(query.empty());
}

TEST(ParseTarget, PlusIsSpaceInQueryOnly)
{
    std::string path;
    Query query;
    ASSERT_TRUE(parse_target("/a+b?q=x+y%2B", path, query));
    EXPECT_EQ(path, "/a+b");
    EXPECT_EQ(query, (Query{{"q", "x y+"}}));
}

TEST(ParseTarget, KeepsDuplicatesEmptyValuesAndSkipsEmptyPairs)
{
    std::string path;
    Query query;
    ASSERT_TRUE(parse_target("/p?a=1&&a=2&flag&b=&", path, query));
    EXPECT_EQ(query, (Query{{"a", "1"}, {"a", "2"}, {"flag", ""}, {"b", ""}}));
    ASSERT_TRUE(parse_target("/p?", path, query));
    EXPECT_TRUE(query.empty());
}

TEST(ParseTarget, ValueMayContainEquals)
{
    std::string path;
    Query query;
    ASSERT_TRUE(parse_target("/p?k=a=b", path, query));
    EXPECT_EQ(query, (Query{{"k", "a=b"}}));
}

TEST(ParseTarget, RejectsMalformedQueryAndNonOriginForm)
{
    std::string path;
    Query query;
    EXPECT_FALSE(parse_target("/p?a=%zz", path, query));
    EXPECT_FALSE(parse_target("/p?a%=1", path, query));
    EXPECT_FALSE(parse_target("/p?a=%FF", path, query)); // not UTF-8
    EXPECT_FALSE(parse_target("*", path, query));
    EXPECT_FALSE(parse_target("http://example.org/p", path, query));
    EXPECT_FALSE(parse_target("", path, query));
}

TEST(PercentDecode, DecodesEscapesInBothCases)
{
    EXPECT_EQ(percent_decode("%21a%3ab%3A"), "!a:b:");
    EXPECT_EQ(percent_decode("%2F"), "/");
    EXPECT_EQ(percent_decode(""), "");
    EXPECT_EQ(percent_decode("%00"), std::string(1, '\0'));
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked)
{
    EXPECT_EQ(percent_decode("a+b"), "a+b");
    EXPECT_EQ(percent_decode("a+b", true), "a b");
}

TEST(PercentDecode, RejectsMalformedEscapes)
{
    EXPECT_EQ(percent_decode("%"), std::nullopt);
    EXPECT_EQ(percent_decode("%4"), std::nullopt);
    EXPECT_EQ(percent_decode("abc%"), std::nullopt);
    EXPECT_EQ(percent_decode("%G0"), std::nullopt);
    EXPECT_EQ(percent_decode("%0g"), std::nullopt);
}

TEST(Request, HeaderLookupIsCaseInsensitive)
{
    Request request;
    request.headers = {{"content-type", "application/json"}, {"x-dup", "1"}, {"x-dup", "2"}};
    EXPECT_EQ(request.header("Content-Type"), "application/json");
    EXPECT_EQ(request.header("CONTENT-TYPE"), "application/json");
    EXPECT_EQ(request.header("x-dup"), "1");
    EXPECT_EQ(request.header("authorization"), std::nullopt);
}

TEST(Request, QueryAndPathParams)
{
    Request request;
    request.query = {{"a", "1"}, {"a", "2"}};
    request.path_params = {{"roomId", "!r:x"}};
    EXPECT_EQ(request.query_param("a"), "1");
    EXPECT_EQ(request.query_param("b"), std::nullopt);
    EXPECT_EQ(request.path_param("roomId"), "!r:x");
    EXPECT_THROW(request.path_param("eventId"), std::out_of_range);
}

TEST(Method, RoundTripsAndIsCaseSensitive)
{
    for (const auto method : {Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::DELETE,
                              Method::PATCH, Method::OPTIONS})
        EXPECT_EQ(method_from_string(to_string(method)), method);
    EXPECT_EQ(method_from_string("get"), Method::OTHER);
    EXPECT_EQ(method_from_string("PROPFIND"), Method::OTHER);
}

} // namespace
} // namespace ravenous::http
