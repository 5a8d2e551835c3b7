// The outbound appservice ping's failure mapping, where an end-to-end test would be slow or
// cannot arrange the failure: a bridge that never answers (15 s in the server), an https url,
// an answer that is not UTF-8.

#include "ravenous/appservice/ping.hpp"

#include "ravenous/appservice/registration.hpp"
#include "ravenous/matrix/errors.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::appservice {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

std::shared_ptr<const Registration> registration(std::optional<std::string> url)
{
    auto reg = std::make_shared<Registration>();
    reg->id = "whatsapp";
    reg->url = std::move(url);
    reg->hs_token = "hs";
    return reg;
}

// Runs one ping to completion; the MatrixError it threw, or nullopt when it succeeded.
std::optional<matrix::MatrixError> ping_error(asio::io_context& ioc,
                                              std::shared_ptr<const Registration> reg,
                                              std::chrono::milliseconds timeout = 5s)
{
    std::optional<matrix::MatrixError> error;
    bool done = false;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            try {
                co_await ping(ioc.get_executor(), reg, std::string("t1"), timeout);
            } catch (const matrix::MatrixError& e) {
                error = e;
            }
            done = true;
        },
        asio::detached);
    ioc.run_for(20s);
    EXPECT_TRUE(done) << "the ping did not end";
    return error;
}

std::string url_of(const tcp::acceptor& acceptor)
{
    return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

// Reads one request's header and answers with these raw bytes.
asio::awaitable<void> answer_once(tcp::acceptor& acceptor, std::string response)
{
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    asio::streambuf buffer;
    co_await asio::async_read_until(socket, buffer, "\r\n\r\n", asio::use_awaitable);
    co_await asio::async_write(socket, asio::buffer(response), asio::use_awaitable);
}

TEST(AppservicePing, NoAnswerWithinTheTimeoutIsConnectionTimeout)
{
    asio::io_context ioc;
    // Listening but never accepting: the connection completes in the backlog, no answer comes.
    tcp::acceptor silent{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
    auto error = ping_error(ioc, registration(url_of(silent)), 300ms);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), matrix::ErrCode::M_CONNECTION_TIMEOUT);
    EXPECT_EQ(error->status(), 504);
}

TEST(AppservicePing, ARefusedConnectionIsConnectionFailed)
{
    asio::io_context ioc;
    std::string url;
    {
        tcp::acceptor closed{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
        url = url_of(closed);
    }
    auto error = ping_error(ioc, registration(url));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), matrix::ErrCode::M_CONNECTION_FAILED);
    EXPECT_EQ(error->status(), 502);
}

TEST(AppservicePing, UrlsItCannotUse)
{
    asio::io_context ioc;
    auto none = ping_error(ioc, registration(std::nullopt));
    ASSERT_TRUE(none);
    EXPECT_EQ(none->code(), matrix::ErrCode::M_URL_NOT_SET);
    EXPECT_EQ(none->status(), 400);

    ioc.restart();
    auto https = ping_error(ioc, registration("https://bridge.example"));
    ASSERT_TRUE(https);
    EXPECT_EQ(https->code(), matrix::ErrCode::M_CONNECTION_FAILED);
}

TEST(AppservicePing, ABadStatusCarriesTheBodyOnlyWhenItIsText)
{
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
    asio::co_spawn(ioc,
                   answer_once(acceptor, "HTTP/1.1 418 No\r\nContent-Length: 2\r\n"
                                         "Connection: close\r\n\r\n\xff\xfe"),
                   asio::detached);
    auto error = ping_error(ioc, registration(url_of(acceptor)));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), matrix::ErrCode::M_BAD_STATUS);
    EXPECT_EQ(error->status(), 502);
    const auto body = error->body();
    EXPECT_EQ(body.at("status"), 418);
    EXPECT_FALSE(body.contains("body"));
    EXPECT_NO_THROW((void)body.dump());
}

TEST(AppservicePing, ATwoHundredIsTheDuration)
{
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
    asio::co_spawn(ioc,
                   answer_once(acceptor, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                                         "Connection: close\r\n\r\n{}"),
                   asio::detached);
    EXPECT_FALSE(ping_error(ioc, registration(url_of(acceptor))));
}

} // namespace
} // namespace ravenous::appservice
