#pragma once

// Private to the HttpClient sources (http_client.cpp, http_raw.cpp): the Beast side.

#include "support/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>

namespace ravenous::test {

struct HttpClient::Impl
{
    std::string host;
    std::uint16_t port = 0;
    Duration timeout = default_timeout;
    bool validate = false;
    std::size_t opened = 0;
    boost::asio::io_context ioc;
    std::optional<boost::beast::tcp_stream> stream; // the keep-alive connection
    boost::beast::flat_buffer buffer;

    // Runs the one pending asynchronous operation to completion (the deadline is the stream's:
    // Beast's timeouts apply to asynchronous operations only).
    void run();
    // A new connection (deadline: timeout); throws std::runtime_error.
    boost::beast::tcp_stream connect();
    // True when the idle keep-alive connection looks usable: nothing readable (no EOF, no
    // stray bytes) and nothing left in our buffer.
    bool idle_connection_usable();
    void reset();
};

namespace detail {

inline constexpr std::uint64_t max_body = 256ull * 1024 * 1024;

std::string lower(std::string_view s);
HttpResponse to_response(boost::beast::http::response<boost::beast::http::string_body>&& res);

} // namespace detail
} // namespace ravenous::test
