#pragma once

// An outbound HTTP/1.1 client for talking to bridges (appservice transactions and pings) and,
// later, to push gateways. Plain http:// only: bridges and gateways sit next to the server
// (same pod or cluster). Beast stays inside src/http/client.cpp.

#include "ravenous/http/request.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::http {

// "http://host[:port][/base/path]" split into its parts; nullopt for anything else (https,
// userinfo, fragments, bad ports).
struct Url
{
    std::string host;
    std::uint16_t port = 80;
    std::string base_path;  // without a trailing '/'; "" for the root
};
std::optional<Url> parse_http_url(std::string_view url);

struct OutboundRequest
{
    Method method = Method::GET;
    std::string target;  // origin-form path and query, appended to the Url's base_path
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // sent with Content-Type: application/json when not empty
    std::chrono::milliseconds timeout{30'000};  // connect + write + read, in all
};

struct OutboundResponse
{
    unsigned status = 0;
    std::string body;
};

// Thrown when no HTTP answer came: connection refused, timeout, closed mid-response,
// a response larger than the limit. `what()` says which; timed_out() whether it was the
// request's deadline (callers answer that differently, e.g. M_CONNECTION_TIMEOUT).
class ClientError : public std::runtime_error
{
public:
    explicit ClientError(const std::string& what, bool timed_out = false)
        : std::runtime_error(what), timed_out_(timed_out)
    {
    }
    bool timed_out() const noexcept { return timed_out_; }

private:
    bool timed_out_;
};

// Keeps one idle keep-alive connection to its target and reuses it; a request on a stale
// connection is retried once on a fresh one only if nothing of the response was received.
// Not thread-safe: one request at a time (callers keep one in flight per target).
class Client
{
public:
    Client(boost::asio::any_io_executor executor, Url target,
           std::size_t max_response_body = 1 << 20);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    boost::asio::awaitable<OutboundResponse> send(OutboundRequest request);

    const Url& target() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::http
