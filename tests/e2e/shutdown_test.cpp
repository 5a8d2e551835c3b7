// SIGTERM drains: a request in flight when the signal arrives still gets its whole answer and
// its write is kept; then the process exits 0.

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

namespace ravenous::test {
namespace {

// A blocking socket whose reads wait at most `timeout_ms` (a deadline on every wait).
class RawSocket
{
public:
    explicit RawSocket(std::uint16_t port)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throw std::runtime_error("connect failed");
    }
    ~RawSocket() { ::close(fd_); }

    void send(std::string_view bytes)
    {
        while (!bytes.empty()) {
            auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0)
                throw std::runtime_error("send failed");
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    // Reads until `marker` has been seen (or the peer closes / the deadline passes).
    std::string read_until(std::string_view marker, int timeout_ms = 10000)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (received_.find(marker) == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now()).count();
            pollfd p{fd_, POLLIN, 0};
            if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0)
                break;
            char buf[4096];
            auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            received_.append(buf, static_cast<std::size_t>(n));
        }
        return received_;
    }

private:
    int fd_ = -1;
    std::string received_;
};

TEST(Shutdown, SigtermLetsTheRequestInFlightFinish)
{
    TestServer::Options options;
    options.keep_dir = true;
    TestServer server(options);
    server.start();
    auto client = server.client();
    const auto token = login_owner(client);

    const std::string body = R"({"displayname":"Written during shutdown"})";
    RawSocket socket(server.port());
    socket.send("PUT /_matrix/client/v3/profile/" + std::string(default_owner_user_id) +
                "/displayname HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n");
    // "100 Continue" proves the server has read the header: the request is in flight.
    ASSERT_NE(socket.read_until("100 Continue").find("100 Continue"), std::string::npos);

    ASSERT_EQ(::kill(server.pid(), SIGTERM), 0);
    socket.send(body);
    const std::string answer = socket.read_until("\r\n\r\n{}");
    EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;

    auto status = server.stop();
    EXPECT_EQ(status, 0) << server.log_tail();

    TestServer::Options again;
    again.dir = server.dir().string();
    again.port = server.port();
    TestServer reopened(again);
    reopened.start();
    auto check = reopened.client();
    auto name = check.get("/_matrix/client/v3/profile/" + std::string(default_owner_user_id) + "/displayname");
    EXPECT_EQ(name.json().value("displayname", ""), "Written during shutdown");
}

} // namespace
} // namespace ravenous::test
