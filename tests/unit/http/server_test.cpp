#include "ravenous/http/server.hpp"
#include "server_fixture.hpp"

namespace ravenous::http::testing {
namespace {

using ServerTest = ServerFixture;

void expect_cors(const BeastResponse& response)
{
    EXPECT_EQ(response["Access-Control-Allow-Origin"], "*");
    EXPECT_EQ(response["Access-Control-Allow-Methods"],
              "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
    EXPECT_EQ(response["Access-Control-Allow-Headers"],
              "X-Requested-With, Content-Type, Authorization, Date");
}

asio::awaitable<void> keep_alive(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/hello/%40alice%3Aexample.org?a=1&b=x+y"));
    auto first = co_await receive(*client);
    EXPECT_EQ(first.result_int(), 200);
    EXPECT_EQ(first[bhttp::field::content_type], "application/json");
    EXPECT_TRUE(first.keep_alive());
    expect_cors(first);
    EXPECT_EQ(body_json(first)["hello"], "@alice:example.org");
    EXPECT_EQ(body_json(first)["query"], (nlohmann::json{{"a", "1"}, {"b", "x y"}}));

    co_await send(*client, get("/_matrix/client/r0/hello/bob"));
    auto second = co_await receive(*client);
    EXPECT_EQ(second.result_int(), 200);
    EXPECT_EQ(body_json(second)["hello"], "bob");
    EXPECT_NE(body_json(first)["request_id"], body_json(second)["request_id"]);
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection)
{
    run(keep_alive(port));
}

asio::awaitable<void> pipelined(std::uint16_t port)
{
    auto client = co_await connect(port);
    // The first request is slow (a timer in the handler): answers must still come in order.
    co_await send(*client, get("/_matrix/client/v3/slow/one") +
                               "PUT /_matrix/client/v3/echo HTTP/1.1\r\nHost: t\r\n"
                               "Content-Length: 3\r\n\r\nabc" +
                               get("/_matrix/client/v3/hello/three"));
    auto one = co_await receive(*client);
    auto two = co_await receive(*client);
    auto three = co_await receive(*client);
    EXPECT_EQ(body_json(one)["slow"], "one");
    EXPECT_EQ(two.result_int(), 201);
    EXPECT_EQ(body_json(two)["body"], "abc");
    EXPECT_EQ(body_json(three)["hello"], "three");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder)
{
    run(pipelined(port));
}

asio::awaitable<void> not_found(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/nothing/here"));
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 404);
    EXPECT_EQ(body_json(response)["errcode"], "M_UNRECOGNIZED");
    expect_cors(response);
    EXPECT_TRUE(response.keep_alive());
}

TEST_F(ServerTest, UnknownPathIs404Unrecognized)
{
    run(not_found(port));
}

asio::awaitable<void> wrong_method(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, "DELETE /_matrix/client/v3/hello/x HTTP/1.1\r\nHost: t\r\n\r\n");
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 405);
    EXPECT_EQ(body_json(response)["errcode"], "M_UNRECOGNIZED");
    EXPECT_EQ(response[bhttp::field::allow], "GET, HEAD");
}

TEST_F(ServerTest, WrongMethodIs405Unrecognized)
{
    run(wrong_method(port));
}

asio::awaitable<void> bad_path_escape(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/hello/%zz"));
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_EQ(body_json(response)["errcode"], "M_INVALID_PARAM");
}

TEST_F(ServerTest, MalformedPathEscapeIs400InvalidParam)
{
    run(bad_path_escape(port));
}

asio::awaitable<void> too_large(std::uint16_t port)
{
    auto client = co_await connect(port);
    // Over the route's 1024 bytes: refused on the header, before any body is sent.
    co_await send(*client, "PUT /_matrix/client/v3/echo HTTP/1.1\r\nHost: t\r\n"
                           "Content-Length: 2048\r\n\r\n");
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_EQ(body_json(response)["errcode"], "M_TOO_LARGE");
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(co_await closed_by_server(*client));
}

TEST_F(ServerTest, ContentLengthOverRouteLimitIs413AndCloses)
{
    run(too_large(port));
}

asio::awaitable<void> chunked_too_large(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, "PUT /_matrix/client/v3/echo HTTP/1.1\r\nHost: t\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n800\r\n" +
                               std::string(2048, 'x') + "\r\n0\r\n\r\n");
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_EQ(body_json(response)["errcode"], "M_TOO_LARGE");
    EXPECT_TRUE(co_await closed_by_server(*client));
}

TEST_F(ServerTest, ChunkedBodyOverRouteLimitIs413)
{
    run(chunked_too_large(port));
}

asio::awaitable<void> expect_continue(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, "PUT /_matrix/client/v3/echo HTTP/1.1\r\nHost: t\r\n"
                           "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    auto interim = co_await receive(*client);
    EXPECT_EQ(interim.result_int(), 100);
    co_await send(*client, "hello");
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 201);
    EXPECT_EQ(body_json(response)["body"], "hello");
}

TEST_F(ServerTest, ExpectContinueIsAnswered)
{
    run(expect_continue(port));
}

asio::awaitable<void> malformed(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, "GET /_matrix/client/v3/hello/x HTTP/1.1\r\nBad Header\r\n\r\n");
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_EQ(body_json(response)["errcode"], "M_UNKNOWN");
    expect_cors(response);
    EXPECT_TRUE(co_await closed_by_server(*client));
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses)
{
    run(malformed(port));
}

asio::awaitable<void> header_too_large(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/hello/x",
                               "X-Big: " + std::string(20 * 1024, 'a') + "\r\n"));
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 431);
    EXPECT_TRUE(co_await closed_by_server(*client));
}

TEST_F(ServerTest, OversizedHeaderIs431)
{
    run(header_too_large(port));
}

asio::awaitable<void> preflight(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, "OPTIONS /_matrix/client/r0/echo HTTP/1.1\r\nHost: t\r\n"
                           "Origin: https://app.example\r\n"
                           "Access-Control-Request-Method: PUT\r\n"
                           "Access-Control-Request-Headers: authorization\r\n\r\n");
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 200);
    expect_cors(response);
    EXPECT_EQ(body_json(response), nlohmann::json::object());
    // Unknown paths are preflighted too, as Synapse does.
    co_await send(*client, "OPTIONS /_matrix/client/v3/unknown HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(co_await status_of(*client), 200);
}

TEST_F(ServerTest, CorsPreflightIsAnswered)
{
    run(preflight(port));
}

asio::awaitable<void> matrix_error(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/forbidden"));
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 403);
    EXPECT_EQ(body_json(response),
              (nlohmann::json{{"errcode", "M_FORBIDDEN"},
                              {"error", "You are not invited to this room."}}));
    EXPECT_TRUE(response.keep_alive());
}

TEST_F(ServerTest, MatrixErrorIsRenderedWithItsStatus)
{
    run(matrix_error(port));
}

asio::awaitable<void> internal_error(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/boom"));
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 500);
    EXPECT_EQ(body_json(response),
              (nlohmann::json{{"errcode", "M_UNKNOWN"}, {"error", "Internal server error"}}));
    // The connection survives the handler's exception.
    co_await send(*client, get("/_matrix/client/v3/hello/again"));
    EXPECT_EQ(co_await status_of(*client), 200);
}

TEST_F(ServerTest, UnexpectedExceptionIsGeneric500)
{
    run(internal_error(port));
}

asio::awaitable<void> head(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, "HEAD /_matrix/client/v3/hello/x HTTP/1.1\r\nHost: t\r\n\r\n");
    auto response = co_await receive(*client, true);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_NE(response[bhttp::field::content_length], "0");
    // No body bytes followed the header: the next response parses cleanly.
    co_await send(*client, get("/_matrix/client/v3/hello/y"));
    auto next = co_await receive(*client);
    EXPECT_EQ(body_json(next)["hello"], "y");
}

TEST_F(ServerTest, HeadIsServedByGetWithoutBody)
{
    run(head(port));
}

asio::awaitable<void> connection_close(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/hello/x", "Connection: close\r\n"));
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(co_await closed_by_server(*client));
}

TEST_F(ServerTest, ConnectionCloseClosesAfterResponse)
{
    run(connection_close(port));
}

asio::awaitable<void> http10(std::uint16_t port)
{
    auto client = co_await connect(port);
    co_await send(*client, "GET /_matrix/client/v3/hello/x HTTP/1.0\r\n\r\n");
    auto response = co_await receive(*client);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.version(), 10u);
    EXPECT_TRUE(co_await closed_by_server(*client));
}

TEST_F(ServerTest, Http10WithoutKeepAliveCloses)
{
    run(http10(port));
}

} // namespace
} // namespace ravenous::http::testing
