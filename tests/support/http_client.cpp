#include "support/http_client.hpp"

#include "support/http_client_impl.hpp"
#include "support/spec_validator.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <stdexcept>

namespace ravenous::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Connection errors after which a request that never got a byte back may be sent again.
bool is_stale_connection_error(const beast::error_code& ec)
{
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

bool is_idempotent(http::verb verb)
{
    return verb == http::verb::get || verb == http::verb::head || verb == http::verb::put ||
           verb == http::verb::delete_ || verb == http::verb::options;
}

} // namespace

void HttpClient::Impl::run()
{
    ioc.restart();
    ioc.run();
}

beast::tcp_stream HttpClient::Impl::connect()
{
    beast::tcp_stream s(ioc);
    tcp::resolver::results_type endpoints;
    beast::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) {
        endpoints = tcp::resolver(ioc).resolve(host, std::to_string(port));
    } else {
        endpoints = tcp::resolver::results_type::create(tcp::endpoint(address, port), host,
                                                        std::to_string(port));
    }
    s.expires_after(timeout);
    s.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec) {
        throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " +
                                 ec.message());
    }
    ++opened;
    return s;
}

bool HttpClient::Impl::idle_connection_usable()
{
    if (!stream || buffer.size() != 0) {
        return false;
    }
    pollfd pfd{stream->socket().native_handle(), POLLIN | POLLRDHUP, 0};
    return ::poll(&pfd, 1, 0) == 0;
}

void HttpClient::Impl::reset()
{
    if (stream) {
        beast::error_code ignored;
        stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream->socket().close(ignored);
    }
    stream.reset();
    buffer.consume(buffer.size());
}

std::string detail::lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

HttpResponse detail::to_response(http::response<http::string_body>&& res)
{
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
        auto [it, inserted] = out.headers.try_emplace(lower(field.name_string()), field.value());
        if (!inserted) {
            it->second += ", ";
            it->second += field.value();
        }
    }
    out.body = std::move(res.body());
    return out;
}

HttpClient::HttpClient(std::string host, std::uint16_t port) : impl_(std::make_unique<Impl>())
{
    impl_->host = std::move(host);
    impl_->port = port;
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 std::optional<std::string> body, HeaderList headers)
{
    auto& d = *impl_;
    auto verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) {
        throw std::invalid_argument("unknown HTTP method " + std::string(method));
    }
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, d.host + ":" + std::to_string(d.port));
    req.set(http::field::user_agent, "ravenous-tests");
    req.keep_alive(true);
    for (auto& [name, value] : headers) {
        req.set(name, value);
    }
    if (body) {
        req.body() = std::move(*body);
        req.prepare_payload();
    }
    auto where = std::string(method) + " " + std::string(target);

    for (int attempt = 0;; ++attempt) {
        bool reused = d.idle_connection_usable();
        if (!reused) {
            d.reset();
            d.stream.emplace(d.connect());
        }
        beast::error_code ec;
        d.stream->expires_after(d.timeout);
        http::async_write(*d.stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
        d.run();

        http::response_parser<http::string_body> parser;
        parser.body_limit(detail::max_body);
        parser.skip(verb == http::verb::head);
        if (!ec) {
            d.stream->expires_after(d.timeout);
            http::async_read(*d.stream, d.buffer, parser,
                             [&](beast::error_code e, std::size_t) { ec = e; });
            d.run();
        }
        if (ec) {
            d.reset();
            // The server may close an idle connection while our request is on the way.
            if (reused && attempt == 0 && !parser.got_some() && is_stale_connection_error(ec) &&
                is_idempotent(verb)) {
                continue;
            }
            throw std::runtime_error(where + " to " + d.host + ":" + std::to_string(d.port) + ": " +
                                     ec.message() +
                                     (ec == beast::error::timeout
                                          ? " (after " + std::to_string(d.timeout.count()) + " ms)"
                                          : ""));
        }
        bool keep_alive = parser.get().keep_alive();
        auto response = detail::to_response(parser.release());
        if (!keep_alive) {
            d.reset();
        }
        if (d.validate) {
            check_and_report(method, target, response);
        }
        return response;
    }
}

namespace {

HeaderList json_headers(bool has_body, std::string_view token)
{
    HeaderList headers;
    if (has_body) {
        headers.emplace_back("Content-Type", "application/json");
    }
    if (!token.empty()) {
        headers.emplace_back("Authorization", "Bearer " + std::string(token));
    }
    return headers;
}

std::optional<std::string> json_body(const nlohmann::json& body)
{
    if (body.is_null()) {
        return std::nullopt;
    }
    return body.dump();
}

} // namespace

HttpResponse HttpClient::get(std::string_view target, std::string_view token)
{
    return request("GET", target, std::nullopt, json_headers(false, token));
}

HttpResponse HttpClient::post(std::string_view target, const nlohmann::json& body,
                              std::string_view token)
{
    return request("POST", target, json_body(body), json_headers(!body.is_null(), token));
}

HttpResponse HttpClient::put(std::string_view target, const nlohmann::json& body,
                             std::string_view token)
{
    return request("PUT", target, json_body(body), json_headers(!body.is_null(), token));
}

HttpResponse HttpClient::del(std::string_view target, const nlohmann::json& body,
                             std::string_view token)
{
    return request("DELETE", target, json_body(body), json_headers(!body.is_null(), token));
}

void HttpClient::set_timeout(Duration timeout)
{
    impl_->timeout = timeout;
}
HttpClient::Duration HttpClient::timeout() const
{
    return impl_->timeout;
}
void HttpClient::set_spec_validation(bool on)
{
    impl_->validate = on;
}
bool HttpClient::spec_validation() const
{
    return impl_->validate;
}
void HttpClient::close()
{
    impl_->reset();
}
std::size_t HttpClient::connections_opened() const
{
    return impl_->opened;
}
const std::string& HttpClient::host() const
{
    return impl_->host;
}
std::uint16_t HttpClient::port() const
{
    return impl_->port;
}

nlohmann::json HttpResponse::json() const
{
    try {
        return nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error("response (status " + std::to_string(status) +
                                 ") is not JSON: " + e.what() + "\nbody: " + body);
    }
}

std::string HttpResponse::header(std::string_view name) const
{
    auto it = headers.find(detail::lower(name));
    return it == headers.end() ? std::string() : it->second;
}

} // namespace ravenous::test
