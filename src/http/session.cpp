#include "session.hpp"

#include "access_log.hpp"
#include "cors.hpp"
#include "ravenous/matrix/errors.hpp"
#include "websocket_session.hpp"
#include "wire.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <random>
#include <spdlog/spdlog.h>

namespace ravenous::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// What the connection does after an exchange.
enum class Next
{
    keep_alive,
    close,
    close_lingering
};

std::string make_prefix()
{
    static constexpr std::string_view alphabet =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::random_device device;
    std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1};
    std::string prefix;
    for (int i = 0; i < 4; ++i)
        prefix.push_back(alphabet[pick(device)]);
    return prefix + "-";
}

Request make_request(const bhttp::request<bhttp::string_body>& message,
                     const Connection& connection, SessionContext& context)
{
    Request request;
    request.method = method_from_string(message.method_string());
    request.target = message.target();
    request.remote_address = connection.remote_address;
    request.request_id = context.next_request_id();
    for (const auto& field : message) {
        std::string name{field.name_string()};
        for (char& c : name)
            c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        request.headers.emplace_back(std::move(name), std::string{field.value()});
    }
    return request;
}

// Everything but the handler's own answer: preflight, bad target, 404, 405, bad escapes.
// Null when the route was found.
std::optional<Response> routing_response(const Router::Match& match, Method method, bool target_ok)
{
    if (method == Method::OPTIONS && match.outcome != Router::Outcome::found)
        return cors::preflight(match.allowed);
    if (!target_ok)
        return Response::error(matrix::errors::invalid_param("Malformed request target"));
    switch (match.outcome) {
    case Router::Outcome::found:
        return std::nullopt;
    case Router::Outcome::not_found:
        return Response::error(matrix::errors::unrecognized());
    case Router::Outcome::method_not_allowed: {
        auto response = Response::error(matrix::errors::method_not_allowed());
        response.headers.emplace_back("Allow", cors::allow_header(match.allowed));
        return response;
    }
    case Router::Outcome::bad_path:
        break;
    }
    return Response::error(matrix::errors::invalid_param("Malformed path parameter"));
}

// The exception firewall: a MatrixError becomes its rendering, anything else a generic 500
// (the detail goes to the log with the request id, never to the client).
asio::awaitable<Response> call_handler(const Route& route, Request& request)
{
    try {
        co_return co_await route.handler(request);
    } catch (const matrix::MatrixError& error) {
        co_return Response::error(error);
    } catch (const std::exception& error) {
        spdlog::error("request {} ({} {}) failed: {}", request.request_id,
                      to_string(request.method), request.path, error.what());
        co_return Response::internal_error();
    }
}

// A route asked for a WebSocket: the handshake instead of a response, then the connection is
// the WebSocket's until it closes.
asio::awaitable<Next> serve_upgrade(SessionContext& context, Connection& connection,
                                    const Parser& parser, const Request& request,
                                    std::shared_ptr<const WebSocketUpgrade> upgrade,
                                    std::chrono::steady_clock::time_point started)
{
    auto socket = co_await accept_websocket(connection.shared_from_this(), parser.get(), *upgrade,
                                            context.connections);
    access_log::write({parser.get().method_string(), request.target, socket ? 101 : 400,
                       std::chrono::steady_clock::now() - started, request.request_id,
                       request.remote_address});
    if (socket)
        co_await run_websocket(std::move(socket), std::move(upgrade));
    co_return Next::close;
}

// One request whose header has been read: body limit, body, handler, response, log line.
asio::awaitable<Next> serve_request(SessionContext& context, Connection& connection, Parser& parser)
{
    const auto started = std::chrono::steady_clock::now();
    Request request = make_request(parser.get(), connection, context);
    const bool target_ok = parse_target(request.target, request.path, request.query);
    Router::Match match;
    if (target_ok)
        match = context.router.match(request.method, request.path);

    // The route's body limit, enforced before any body octet is read.
    const std::size_t limit =
        match.outcome == Router::Outcome::found ? match.route->max_body : limits::default_body;
    std::optional<Response> failure;
    if (const auto length = parser.content_length(); length && *length > limit) {
        failure = read_failure_response(bhttp::error::body_limit);
    } else if (!parser.is_done()) {
        parser.body_limit(limit);
        if (wants_continue(parser.get())) {
            const bool sent = co_await write_continue(connection, parser.get());
            if (!sent)
                co_return Next::close;
        }
        connection.stream.expires_after(limits::body_timeout);
        auto [ec, bytes] = co_await bhttp::async_read(connection.stream, connection.buffer, parser,
                                                      tuple_awaitable);
        if (ec && !is_answerable_read_error(ec))
            co_return Next::close; // timeout or the client went away: nobody to answer
        if (ec)
            failure = read_failure_response(ec);
    }

    Response response;
    bool keep_alive = false;
    if (failure) {
        response = std::move(*failure);
    } else {
        request.body = std::move(parser.get().body());
        if (auto early = routing_response(match, request.method, target_ok)) {
            response = std::move(*early);
        } else {
            request.path_params = std::move(match.params);
            response = co_await call_handler(*match.route, request);
            // A handler that opted into `total` cancellation (shutdown) must not leave the
            // session's own writes cancelled.
            co_await asio::this_coro::reset_cancellation_state();
            if (response.upgrade)
                co_return co_await serve_upgrade(context, connection, parser, request,
                                                 std::move(response.upgrade), started);
        }
        keep_alive = parser.get().keep_alive() && !context.connections.draining();
    }

    const int status = response.status;
    const bool written =
        co_await write_response(connection, std::move(response), parser.get().version(), keep_alive,
                                request.method == Method::HEAD);
    access_log::write({parser.get().method_string(), request.target, status,
                       std::chrono::steady_clock::now() - started, request.request_id,
                       request.remote_address});
    if (!written)
        co_return Next::close;
    co_return keep_alive ? Next::keep_alive : Next::close_lingering;
}

// A header that could not be read: answer what can be answered (413, 431, 400), then close.
asio::awaitable<Next> answer_unreadable(SessionContext& context, Connection& connection,
                                        const Parser& parser, const beast::error_code& ec)
{
    if (!is_answerable_read_error(ec))
        co_return Next::close;
    const auto started = std::chrono::steady_clock::now();
    Response response = read_failure_response(ec);
    const int status = response.status;
    const auto request_id = context.next_request_id();
    const bool written = co_await write_response(connection, std::move(response), 11, false, false);
    // A Content-Length over every route's limit fails the header read itself; the header
    // is complete then and worth logging.
    const bool known = parser.is_header_done();
    access_log::write(
        {known ? parser.get().method_string() : "-", known ? parser.get().target() : "-", status,
         std::chrono::steady_clock::now() - started, request_id, connection.remote_address});
    co_return written ? Next::close_lingering : Next::close;
}

} // namespace

SessionContext::SessionContext(const Router& router_) : router(router_), prefix_(make_prefix()) {}

std::string SessionContext::next_request_id()
{
    const auto n = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
    return prefix_ + std::to_string(n);
}

asio::awaitable<void> run_session(std::shared_ptr<SessionContext> context,
                                  std::shared_ptr<Connection> connection)
{
    Connection& conn = *connection;
    const std::size_t header_phase_limit =
        std::max(context->router.largest_body_limit(), limits::default_body);
    bool first = true;
    Next next = Next::close;
    while (!context->connections.draining()) {
        Parser parser;
        parser.header_limit(limits::header_bytes);
        parser.body_limit(header_phase_limit);
        conn.stream.expires_after(first ? std::chrono::seconds{limits::header_timeout}
                                        : std::chrono::seconds{limits::idle_timeout});
        conn.awaiting_header = true;
        auto [ec, bytes] =
            co_await bhttp::async_read_header(conn.stream, conn.buffer, parser, tuple_awaitable);
        conn.awaiting_header = false;
        first = false;
        if (ec)
            next = co_await answer_unreadable(*context, conn, parser, ec);
        else
            next = co_await serve_request(*context, conn, parser);
        if (next != Next::keep_alive)
            break;
    }
    co_await close_connection(conn, next == Next::close_lingering);
}

} // namespace ravenous::http::detail
