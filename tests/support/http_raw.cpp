#include "support/http_client.hpp"
#include "support/http_client_impl.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>

namespace ravenous::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

} // namespace

RawResult HttpClient::raw(std::string_view bytes, bool half_close)
{
    auto& d = *impl_;
    auto stream = d.connect();
    auto deadline = std::chrono::steady_clock::now() + d.timeout;
    beast::error_code ec;
    stream.expires_at(deadline);
    asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()),
                      [&](beast::error_code e, std::size_t) { ec = e; });
    d.run();
    // A write error (the server closed early) still leaves its answer to read.
    if (!ec && half_close) {
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
    RawResult result;
    char chunk[4096];
    for (;;) {
        std::size_t n = 0;
        stream.expires_at(deadline);
        stream.async_read_some(asio::buffer(chunk), [&](beast::error_code e, std::size_t got) {
            ec = e;
            n = got;
        });
        d.run();
        result.data.append(chunk, n);
        if (ec == beast::error::timeout) {
            break;
        }
        if (ec) { // eof, reset: the server is done with us
            result.closed_by_server = true;
            break;
        }
    }
    stream.socket().close(ec);
    return result;
}

std::optional<HttpResponse> RawResult::first_response() const
{
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(detail::max_body);
    beast::error_code ec;
    auto remaining = asio::buffer(data.data(), data.size());
    while (!parser.is_done() && remaining.size() > 0) {
        auto used = parser.put(remaining, ec);
        remaining += used;
        if (ec == http::error::need_more) {
            ec = {};
            break;
        }
        if (ec || used == 0) {
            break;
        }
    }
    if (!ec && !parser.is_done() && closed_by_server && parser.got_some()) {
        parser.put_eof(ec); // a body delimited by the end of the connection
    }
    if (ec || !parser.is_done()) {
        return std::nullopt;
    }
    return detail::to_response(parser.release());
}

} // namespace ravenous::test
