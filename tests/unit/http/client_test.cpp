// The outbound client against a small scripted server on loopback: answers, keep-alive
// reuse, a stale kept-alive connection, refused connections, timeouts, the body limit, and
// URL parsing.

#include "ravenous/http/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ravenous::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// What the scripted server does with each request.
enum class Script { answer, answer_then_close_silently, never_answer, huge_body };

class ScriptedServer
{
public:
    explicit ScriptedServer(asio::io_context& ioc)
        : acceptor_(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))
    {
        asio::co_spawn(ioc, accept_loop(), asio::detached);
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    std::atomic<Script> script{Script::answer};
    std::atomic<int> connections{0};
    std::atomic<int> requests{0};
    std::string last_body;
    std::string last_target;
    std::string last_authorization;

private:
    asio::awaitable<void> accept_loop()
    {
        for (;;) {
            auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
            ++connections;
            asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }
    asio::awaitable<void> serve(tcp::socket socket)
    {
        boost::beast::flat_buffer buffer;
        for (;;) {
            bhttp::request<bhttp::string_body> request;
            co_await bhttp::async_read(socket, buffer, request, asio::use_awaitable);
            ++requests;
            last_body = request.body();
            last_target = std::string(request.target());
            last_authorization = std::string(request[bhttp::field::authorization]);
            const Script now = script;
            if (now == Script::never_answer) {
                asio::steady_timer wait(socket.get_executor(), 10s);
                co_await wait.async_wait(asio::use_awaitable);
                co_return;
            }
            bhttp::response<bhttp::string_body> response{
                request.target().ends_with("/fail") ? bhttp::status::internal_server_error
                                            : bhttp::status::ok,
                11};
            response.body() = now == Script::huge_body ? std::string(4096, 'x') : "{\"ok\":true}";
            response.keep_alive(true);
            response.prepare_payload();
            co_await bhttp::async_write(socket, response, asio::use_awaitable);
            if (now == Script::answer_then_close_silently)
                co_return;  // the socket closes with no "Connection: close"
        }
    }
    tcp::acceptor acceptor_;
};

class ClientTest : public ::testing::Test
{
protected:
    ClientTest() : server_(ioc_), work_(asio::make_work_guard(ioc_)), thread_([this] { ioc_.run(); })
    {
    }
    ~ClientTest() override
    {
        client_.reset();
        work_.reset();
        ioc_.stop();
        thread_.join();
    }

    Client& client(std::uint16_t port = 0, std::size_t limit = 1 << 20)
    {
        client_ = std::make_unique<Client>(
            ioc_.get_executor(), Url{"127.0.0.1", port ? port : server_.port(), "/base"}, limit);
        return *client_;
    }

    // Runs one request on the io_context thread and waits for it here.
    OutboundResponse send(Client& c, OutboundRequest request)
    {
        return asio::co_spawn(ioc_, c.send(std::move(request)), asio::use_future).get();
    }
    static OutboundRequest put(std::string target, std::chrono::milliseconds timeout = 5s)
    {
        OutboundRequest r;
        r.method = Method::PUT;
        r.target = std::move(target);
        r.body = "{\"events\":[]}";
        r.headers.emplace_back("Authorization", "Bearer secret");
        r.timeout = timeout;
        return r;
    }

    asio::io_context ioc_;
    ScriptedServer server_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;
    std::unique_ptr<Client> client_;
};

TEST_F(ClientTest, SendsTheRequestUnderTheBasePathAndReturnsTheAnswer)
{
    auto response = send(client(), put("/_matrix/app/v1/transactions/1"));
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.body, "{\"ok\":true}");
    EXPECT_EQ(server_.last_target, "/base/_matrix/app/v1/transactions/1");
    EXPECT_EQ(server_.last_body, "{\"events\":[]}");
    EXPECT_EQ(server_.last_authorization, "Bearer secret");
}

TEST_F(ClientTest, AnErrorStatusIsAnAnswerNotAnException)
{
    EXPECT_EQ(send(client(), put("/fail")).status, 500u);
}

TEST_F(ClientTest, ReusesOneConnection)
{
    auto& c = client();
    send(c, put("/a"));
    send(c, put("/b"));
    send(c, put("/c"));
    EXPECT_EQ(server_.requests, 3);
    EXPECT_EQ(server_.connections, 1);
}

TEST_F(ClientTest, AStaleKeptAliveConnectionIsReplacedOnce)
{
    auto& c = client();
    server_.script = Script::answer_then_close_silently;
    send(c, put("/a"));
    std::this_thread::sleep_for(50ms);  // the server has closed it by now
    server_.script = Script::answer;
    EXPECT_EQ(send(c, put("/b")).status, 200u);
    EXPECT_EQ(server_.connections, 2);
}

TEST_F(ClientTest, ARefusedConnectionThrows)
{
    std::uint16_t closed_port = 0;
    {
        tcp::acceptor probe(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        closed_port = probe.local_endpoint().port();
    }
    auto& c = client(closed_port);
    try {
        send(c, put("/a"));
        ADD_FAILURE() << "no exception";
    } catch (const ClientError& e) {
        EXPECT_FALSE(e.timed_out()) << e.what();
    }
}

TEST_F(ClientTest, NoAnswerInTimeThrows)
{
    server_.script = Script::never_answer;
    auto& c = client();
    const auto start = std::chrono::steady_clock::now();
    try {
        send(c, put("/a", 300ms));
        ADD_FAILURE() << "no exception";
    } catch (const ClientError& e) {
        EXPECT_TRUE(e.timed_out()) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(ClientTest, AResponseOverTheLimitThrows)
{
    server_.script = Script::huge_body;
    auto& c = client(0, 1000);
    EXPECT_THROW(send(c, put("/a")), ClientError);
}

TEST(ParseHttpUrl, AcceptsHttpUrlsOnly)
{
    auto url = parse_http_url("http://127.0.0.1:29318");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->host, "127.0.0.1");
    EXPECT_EQ(url->port, 29318);
    EXPECT_EQ(url->base_path, "");

    url = parse_http_url("HTTP://bridge.svc.cluster.local/prefix/");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->host, "bridge.svc.cluster.local");
    EXPECT_EQ(url->port, 80);
    EXPECT_EQ(url->base_path, "/prefix");

    url = parse_http_url("http://[::1]:8080/");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->host, "::1");
    EXPECT_EQ(url->port, 8080);

    for (const char* bad : {"https://example.org", "ftp://x", "http://", "http://:80",
                            "http://a:0", "http://a:65536", "http://a:x", "http://user@a",
                            "http://a/?q=1", "http://a/#f", "websocket", ""})
        EXPECT_FALSE(parse_http_url(bad)) << bad;
}

} // namespace
} // namespace ravenous::http
