#include "wire.hpp"

#include "cors.hpp"
#include "ravenous/http/limits.hpp"
#include "ravenous/matrix/errors.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <tuple>

namespace ravenous::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

} // namespace

bool is_answerable_read_error(const beast::error_code& ec)
{
    // Every parser error (body_limit and header_limit included), but not the end of the
    // stream or a message the client abandoned half-way.
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

Response read_failure_response(const beast::error_code& ec)
{
    if (ec == bhttp::error::body_limit)
        return Response::error(matrix::errors::too_large("Request body too large"));
    if (ec == bhttp::error::header_limit)
        return Response::error(matrix::MatrixError(431, matrix::ErrCode::M_UNKNOWN,
                                                   "Request header fields too large"));
    return Response::error(
        matrix::MatrixError(400, matrix::ErrCode::M_UNKNOWN, "Malformed HTTP request"));
}

bool wants_continue(const BeastRequest& message)
{
    return message.version() >= 11 && beast::iequals(message[bhttp::field::expect], "100-continue");
}

asio::awaitable<bool> write_continue(Connection& connection, const BeastRequest& message)
{
    bhttp::response<bhttp::empty_body> interim{bhttp::status::continue_, message.version()};
    connection.stream.expires_after(limits::write_timeout);
    auto [ec, bytes] = co_await bhttp::async_write(connection.stream, interim, tuple_awaitable);
    co_return !ec;
}

asio::awaitable<bool> write_response(Connection& connection, Response response, unsigned version,
                                     bool keep_alive, bool head_only)
{
    bhttp::response<bhttp::string_body> out;
    out.version(version);
    out.result(static_cast<unsigned>(response.status));
    if (!response.content_type.empty())
        out.set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : cors::headers())
        out.set(name, value);
    for (const auto& [name, value] : response.headers)
        out.insert(name, value);
    out.keep_alive(keep_alive);
    // 1xx, 204 and 304 carry neither a body nor a Content-Length.
    const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
    if (!bodiless) {
        out.body() = std::move(response.body);
        out.prepare_payload();
    }

    connection.stream.expires_after(limits::write_timeout);
    beast::error_code ec;
    if (head_only) {
        bhttp::response_serializer<bhttp::string_body> serializer{out};
        std::tie(ec, std::ignore) =
            co_await bhttp::async_write_header(connection.stream, serializer, tuple_awaitable);
    } else {
        std::tie(ec, std::ignore) =
            co_await bhttp::async_write(connection.stream, out, tuple_awaitable);
    }
    co_return !ec;
}

asio::awaitable<void> close_connection(Connection& connection, bool linger)
{
    beast::error_code ignored;
    connection.stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    if (linger) {
        connection.stream.expires_after(limits::linger_timeout);
        std::array<char, 4096> scratch;
        std::size_t discarded = 0;
        while (discarded < limits::linger_bytes) {
            auto [ec, bytes] =
                co_await connection.stream.async_read_some(asio::buffer(scratch), tuple_awaitable);
            if (ec)
                break;
            discarded += bytes;
        }
    }
    connection.stream.close();
}

} // namespace ravenous::http::detail
