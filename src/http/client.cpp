// The outbound client: Beast over one kept-alive TCP connection per target.
#include "ravenous/http/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>

namespace ravenous::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

bhttp::verb to_verb(Method method)
{
    switch (method) {
    case Method::GET: return bhttp::verb::get;
    case Method::HEAD: return bhttp::verb::head;
    case Method::POST: return bhttp::verb::post;
    case Method::PUT: return bhttp::verb::put;
    case Method::DELETE: return bhttp::verb::delete_;
    case Method::PATCH: return bhttp::verb::patch;
    case Method::OPTIONS: return bhttp::verb::options;
    case Method::OTHER: break;
    }
    return bhttp::verb::get;
}

std::string describe(const boost::system::error_code& ec)
{
    if (ec == beast::error::timeout)
        return "timed out";
    return ec.message();
}

} // namespace

std::optional<Url> parse_http_url(std::string_view url)
{
    constexpr std::string_view scheme = "http://";
    if (url.size() < scheme.size() || !beast::iequals(url.substr(0, scheme.size()), scheme))
        return std::nullopt;
    url.remove_prefix(scheme.size());
    if (url.find_first_of("?#") != std::string_view::npos)
        return std::nullopt;
    const std::size_t slash = url.find('/');
    std::string_view authority = url.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? "" : url.substr(slash);
    if (authority.empty() || authority.find('@') != std::string_view::npos)
        return std::nullopt;

    Url out;
    std::string_view port_text;
    if (authority.front() == '[') {  // [IPv6]:port
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos || close == 1)
            return std::nullopt;
        out.host = std::string(authority.substr(1, close - 1));
        std::string_view rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                return std::nullopt;
            port_text = rest.substr(1);
        }
    } else {
        const std::size_t colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos)
            port_text = authority.substr(colon + 1);
    }
    if (out.host.empty())
        return std::nullopt;
    if (!port_text.empty() || authority.back() == ':') {
        unsigned port = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
            port > 65535)
            return std::nullopt;
        out.port = static_cast<std::uint16_t>(port);
    }
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    out.base_path = std::string(path);
    return out;
}

struct Client::Impl
{
    Impl(asio::any_io_executor executor, Url target, std::size_t max_body)
        : executor(executor), target(std::move(target)), max_body(max_body), resolver(executor)
    {
    }

    asio::awaitable<void> connect(std::chrono::steady_clock::time_point deadline)
    {
        stream.reset();
        // The resolver has no deadline of its own: a name that does not resolve fails fast
        // on a pod (cluster DNS), and literals never leave the process.
        auto [resolve_ec, endpoints] = co_await resolver.async_resolve(
            target.host, std::to_string(target.port), tuple_awaitable);
        if (resolve_ec)
            throw ClientError("cannot resolve " + target.host + ": " + resolve_ec.message());
        stream.emplace(executor);
        stream->expires_at(deadline);
        auto [ec, endpoint] = co_await stream->async_connect(endpoints, tuple_awaitable);
        if (ec) {
            stream.reset();
            throw ClientError("cannot connect to " + target.host + ":" +
                                  std::to_string(target.port) + ": " + describe(ec),
                              ec == beast::error::timeout);
        }
    }

    void close()
    {
        if (stream) {
            boost::system::error_code ignored;
            stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
            stream.reset();
        }
    }

    bhttp::request<bhttp::string_body> make(const OutboundRequest& request) const
    {
        bhttp::request<bhttp::string_body> out{to_verb(request.method),
                                               target.base_path + request.target, 11};
        out.set(bhttp::field::host, target.host + ":" + std::to_string(target.port));
        out.set(bhttp::field::user_agent, "Ravenous/" RAVENOUS_VERSION);
        for (const auto& [name, value] : request.headers)
            out.set(name, value);
        if (!request.body.empty()) {
            out.set(bhttp::field::content_type, "application/json");
            out.body() = request.body;
        }
        out.keep_alive(true);
        out.prepare_payload();
        return out;
    }

    asio::any_io_executor executor;
    Url target;
    std::size_t max_body;
    tcp::resolver resolver;
    std::optional<beast::tcp_stream> stream;
};

Client::Client(asio::any_io_executor executor, Url target, std::size_t max_response_body)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(target), max_response_body))
{
}

Client::~Client() = default;

const Url& Client::target() const
{
    return impl_->target;
}

asio::awaitable<OutboundResponse> Client::send(OutboundRequest request)
{
    auto& impl = *impl_;
    const auto deadline = std::chrono::steady_clock::now() + request.timeout;
    const auto message = impl.make(request);
    for (int attempt = 0;; ++attempt) {
        // A kept-alive connection may have been closed by the other end while idle; that
        // shows only when it is used. Then, and only if nothing came back, try a fresh one.
        const bool reused = impl.stream.has_value();
        if (!reused)
            co_await impl.connect(deadline);
        impl.stream->expires_at(deadline);
        auto [write_ec, written] = co_await bhttp::async_write(*impl.stream, message, tuple_awaitable);
        if (write_ec) {
            impl.close();
            if (reused && attempt == 0 && write_ec != beast::error::timeout)
                continue;
            throw ClientError("cannot send the request: " + describe(write_ec),
                              write_ec == beast::error::timeout);
        }
        beast::flat_buffer buffer;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(impl.max_body);
        auto [read_ec, read] = co_await bhttp::async_read(*impl.stream, buffer, parser, tuple_awaitable);
        if (read_ec) {
            const bool nothing_received = !parser.got_some() && buffer.size() == 0;
            impl.close();
            if (reused && attempt == 0 && nothing_received && read_ec != beast::error::timeout)
                continue;
            if (read_ec == bhttp::error::body_limit)
                throw ClientError("the response is larger than " + std::to_string(impl.max_body) +
                                  " bytes");
            throw ClientError("no response: " + describe(read_ec),
                              read_ec == beast::error::timeout);
        }
        auto response = parser.release();
        if (!response.keep_alive())
            impl.close();
        else
            impl.stream->expires_never();
        co_return OutboundResponse{response.result_int(), std::move(response.body())};
    }
}

} // namespace ravenous::http
