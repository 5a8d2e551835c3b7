#include "ravenous/http/router.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace ravenous::http {
namespace {

boost::asio::awaitable<Response> ok(Request&)
{
    co_return Response::empty();
}

Route route(Method method, std::string path_template, std::size_t max_body = 1024,
            bool legacy_r0 = true)
{
    return Route{method, std::move(path_template), max_body, &ok, legacy_r0};
}

std::string param(const Router::Match& match, std::string_view name)
{
    for (const auto& [key, value] : match.params)
        if (key == name)
            return value;
    ADD_FAILURE() << "no parameter " << name;
    return {};
}

bool allows(const Router::Match& match, Method method)
{
    return std::find(match.allowed.begin(), match.allowed.end(), method) != match.allowed.end();
}

class RouterTest : public ::testing::Test
{
protected:
    RouterTest()
    {
        router.add(route(Method::PUT, "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}",
                         65536));
        router.add(route(Method::GET, "/_matrix/client/v3/profile/{userId}/{keyName}"));
        router.add(route(Method::PUT, "/_matrix/client/v3/profile/{userId}/{keyName}"));
        router.add(route(Method::GET, "/_matrix/client/v3/profile/{userId}/displayname"));
        router.add(route(Method::GET, "/_matrix/client/v3/pushrules/"));
        router.add(route(Method::GET, "/_matrix/client/versions"));
        router.add(route(Method::POST, "/_matrix/client/v3/login", 1024, false));
        router.add(route(Method::HEAD, "/_matrix/media/v3/download/{server}/{id}"));
        router.add(route(Method::GET, "/_matrix/media/v3/download/{server}/{id}", 2048));
    }
    Router router;
};

TEST_F(RouterTest, MatchesTemplateAndDecodesParams)
{
    const auto match = router.match(
        Method::PUT, "/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/t1");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(match.route->max_body, 65536u);
    EXPECT_EQ(param(match, "roomId"), "!abc:example.org");
    EXPECT_EQ(param(match, "eventType"), "m.room.message");
    EXPECT_EQ(param(match, "txnId"), "t1");
}

TEST_F(RouterTest, EncodedSlashStaysInsideItsParameter)
{
    const auto match =
        router.match(Method::PUT, "/_matrix/client/v3/rooms/!r%2Fx/send/a%2Fb/txn%2F1");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(param(match, "roomId"), "!r/x");
    EXPECT_EQ(param(match, "eventType"), "a/b");
    EXPECT_EQ(param(match, "txnId"), "txn/1");
}

TEST_F(RouterTest, DecodesOnlyOnce)
{
    const auto match = router.match(Method::PUT, "/_matrix/client/v3/rooms/%2521/send/t/x");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(param(match, "roomId"), "%21");
}

TEST_F(RouterTest, PlusInPathIsNotSpace)
{
    const auto match = router.match(Method::GET, "/_matrix/client/v3/profile/a+b/avatar_url");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(param(match, "userId"), "a+b");
}

TEST_F(RouterTest, EmptySegmentIsAnEmptyParameter)
{
    const auto match = router.match(Method::GET, "/_matrix/client/v3/profile//avatar_url");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(param(match, "userId"), "");
}

TEST_F(RouterTest, TrailingSlashIsSignificant)
{
    EXPECT_EQ(router.match(Method::GET, "/_matrix/client/v3/pushrules/").outcome,
              Router::Outcome::found);
    EXPECT_EQ(router.match(Method::GET, "/_matrix/client/v3/pushrules").outcome,
              Router::Outcome::not_found);
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter)
{
    const auto match = router.match(Method::GET, "/_matrix/client/v3/profile/@a:b/displayname");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(match.route->path_template, "/_matrix/client/v3/profile/{userId}/displayname");
    // PUT exists only on the generic template, which still serves it.
    const auto put = router.match(Method::PUT, "/_matrix/client/v3/profile/@a:b/displayname");
    ASSERT_EQ(put.outcome, Router::Outcome::found);
    EXPECT_EQ(param(put, "keyName"), "displayname");
}

TEST_F(RouterTest, LiteralSegmentsCompareRaw)
{
    EXPECT_EQ(router.match(Method::GET, "/_matrix/client/%76ersions").outcome,
              Router::Outcome::not_found);
}

TEST_F(RouterTest, R0IsAnAliasOfV3)
{
    const auto match = router.match(Method::PUT, "/_matrix/client/r0/rooms/!r/send/t/1");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(param(match, "roomId"), "!r");
    EXPECT_EQ(router.match(Method::GET, "/_matrix/client/r0/pushrules/").outcome,
              Router::Outcome::found);
}

TEST_F(RouterTest, R0AliasCanBeTurnedOff)
{
    EXPECT_EQ(router.match(Method::POST, "/_matrix/client/v3/login").outcome,
              Router::Outcome::found);
    EXPECT_EQ(router.match(Method::POST, "/_matrix/client/r0/login").outcome,
              Router::Outcome::not_found);
}

TEST_F(RouterTest, UnknownPathIsNotFound)
{
    const auto match = router.match(Method::GET, "/_matrix/client/v3/nope");
    EXPECT_EQ(match.outcome, Router::Outcome::not_found);
    EXPECT_TRUE(match.allowed.empty());
    EXPECT_EQ(router.match(Method::GET, "").outcome, Router::Outcome::not_found);
    EXPECT_EQ(router.match(Method::GET, "/").outcome, Router::Outcome::not_found);
}

TEST_F(RouterTest, WrongMethodIsMethodNotAllowedWithAllowedList)
{
    const auto match = router.match(Method::DELETE, "/_matrix/client/v3/profile/@a:b/x");
    EXPECT_EQ(match.outcome, Router::Outcome::method_not_allowed);
    EXPECT_EQ(match.route, nullptr);
    EXPECT_TRUE(allows(match, Method::GET));
    EXPECT_TRUE(allows(match, Method::PUT));
    EXPECT_TRUE(allows(match, Method::HEAD));
    EXPECT_FALSE(allows(match, Method::DELETE));
}

TEST_F(RouterTest, OptionsReportsTheAllowedMethods)
{
    const auto match = router.match(Method::OPTIONS, "/_matrix/client/v3/login");
    EXPECT_EQ(match.outcome, Router::Outcome::method_not_allowed);
    EXPECT_TRUE(allows(match, Method::POST));
}

TEST_F(RouterTest, HeadFallsBackToGet)
{
    const auto match = router.match(Method::HEAD, "/_matrix/client/versions");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(match.route->method, Method::GET);
}

TEST_F(RouterTest, HeadRouteWinsOverGet)
{
    const auto match = router.match(Method::HEAD, "/_matrix/media/v3/download/s/i");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(match.route->method, Method::HEAD);
}

TEST_F(RouterTest, MalformedEscapeIsBadPath)
{
    for (const char* path :
         {"/_matrix/client/v3/rooms/%zz/send/t/1", "/_matrix/client/v3/rooms/%4/send/t/1",
          "/_matrix/client/v3/rooms/!r/send/t/%"}) {
        const auto match = router.match(Method::PUT, path);
        EXPECT_EQ(match.outcome, Router::Outcome::bad_path) << path;
        EXPECT_TRUE(match.params.empty());
    }
}

TEST_F(RouterTest, InvalidUtf8ParamIsBadPath)
{
    EXPECT_EQ(router.match(Method::PUT, "/_matrix/client/v3/rooms/%FF%FE/send/t/1").outcome,
              Router::Outcome::bad_path);
    EXPECT_EQ(router.match(Method::PUT, "/_matrix/client/v3/rooms/%C3%A9/send/t/1").outcome,
              Router::Outcome::found);
}

TEST_F(RouterTest, LargestBodyLimitIsTheMaximumOverRoutes)
{
    EXPECT_EQ(router.largest_body_limit(), 65536u);
}

TEST(Router, RejectsTemplatesWithoutLeadingSlashOrHandler)
{
    Router router;
    EXPECT_THROW(router.add(route(Method::GET, "no/slash")), std::invalid_argument);
    EXPECT_THROW(router.add(Route{Method::GET, "/x", 1, Handler{}}), std::invalid_argument);
}

} // namespace
} // namespace ravenous::http
