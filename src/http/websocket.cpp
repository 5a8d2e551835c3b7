#include "ravenous/http/websocket.hpp"

#include "ravenous/http/limits.hpp"
#include "websocket_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <mutex>

namespace ravenous::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
// A close frame's payload is at most 125 bytes, two of them the code.
constexpr std::size_t max_close_reason = 123;

char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether the comma-separated header value lists `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token)
{
    while (!value.empty()) {
        const auto comma = value.find(',');
        auto item = value.substr(0, comma);
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
            item.remove_suffix(1);
        if (item.size() != token.size())
            continue;
        bool same = true;
        for (std::size_t i = 0; i < item.size() && same; ++i)
            same = ascii_lower(item[i]) == ascii_lower(token[i]);
        if (same)
            return true;
    }
    return false;
}

} // namespace

struct WebSocket::Impl : std::enable_shared_from_this<Impl>
{
    Impl(std::shared_ptr<detail::Connection> connection_, std::size_t max_queued_)
        : connection(std::move(connection_)), ws(connection->stream), max_queued(max_queued_)
    {
    }

    // Keeps the socket the stream refers to alive until the last operation has completed.
    std::shared_ptr<detail::Connection> connection;
    websocket::stream<beast::tcp_stream&> ws;
    beast::flat_buffer read_buffer;
    const std::size_t max_queued;

    mutable std::mutex mutex; // the fields below
    std::deque<std::string> queue;
    std::optional<websocket::close_reason> close_frame; // to send once the queue is written
    bool writing = false;
    bool closing = false; // a close frame is queued or sent: no more messages
    bool ended = false;   // a read or write failed: the connection is gone

    // Mutex held. The writer starts from a post, never inline: the caller holds locks.
    void start_writer()
    {
        if (writing)
            return;
        writing = true;
        asio::post(connection->stream.get_executor(), [self = shared_from_this()] {
            asio::co_spawn(self->connection->stream.get_executor(), write_loop(self),
                           asio::detached);
        });
    }

    void end()
    {
        std::lock_guard lock(mutex);
        ended = true;
        queue.clear();
    }

    // The one writer: queued messages in order, then the close frame.
    static asio::awaitable<void> write_loop(std::shared_ptr<Impl> self)
    {
        for (;;) {
            std::string message;
            std::optional<websocket::close_reason> close;
            {
                std::lock_guard lock(self->mutex);
                if (self->ended || (self->queue.empty() && !self->close_frame)) {
                    self->writing = false;
                    co_return;
                }
                if (!self->queue.empty()) {
                    message = std::move(self->queue.front());
                    self->queue.pop_front();
                } else {
                    close = std::exchange(self->close_frame, std::nullopt);
                }
            }
            if (close) {
                // The reader sees the peer's answer (or the closing handshake's timeout).
                co_await self->ws.async_close(*close, asio::as_tuple(asio::use_awaitable));
                continue;
            }
            auto [ec, bytes] =
                co_await self->ws.async_write(asio::buffer(message), tuple_awaitable);
            if (ec) {
                self->end();
                std::lock_guard lock(self->mutex);
                self->writing = false;
                co_return;
            }
        }
    }
};

WebSocket::WebSocket(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebSocket::~WebSocket() = default;

asio::awaitable<std::optional<std::string>> WebSocket::read()
{
    for (;;) {
        {
            std::lock_guard lock(impl_->mutex);
            if (impl_->ended)
                co_return std::nullopt;
        }
        impl_->read_buffer.clear();
        auto [ec, bytes] = co_await impl_->ws.async_read(impl_->read_buffer, tuple_awaitable);
        if (ec) {
            if (ec != websocket::error::closed)
                spdlog::debug("websocket with {}: {}", remote_address(), ec.message());
            impl_->end();
            co_return std::nullopt;
        }
        if (impl_->ws.got_text())
            co_return beast::buffers_to_string(impl_->read_buffer.data());
    }
}

bool WebSocket::send(std::string text)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->closing || impl_->ended)
        return false;
    if (impl_->queue.size() >= impl_->max_queued) {
        spdlog::warn("websocket with {}: {} messages unread, closing", remote_address(),
                     impl_->queue.size());
        impl_->queue.clear();
        impl_->closing = true;
        impl_->close_frame = websocket::close_reason(
            websocket::close_code{close_code::policy_violation}, "Too many unread messages");
        impl_->start_writer();
        return false;
    }
    impl_->queue.push_back(std::move(text));
    impl_->start_writer();
    return true;
}

void WebSocket::close(std::uint16_t code, std::string reason)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->closing || impl_->ended)
        return;
    impl_->closing = true;
    if (reason.size() > max_close_reason)
        reason.resize(max_close_reason);
    impl_->close_frame = websocket::close_reason(websocket::close_code{code}, reason);
    impl_->start_writer();
}

bool WebSocket::is_open() const
{
    std::lock_guard lock(impl_->mutex);
    return !impl_->closing && !impl_->ended;
}

const std::string& WebSocket::remote_address() const
{
    return impl_->connection->remote_address;
}

bool is_websocket_upgrade(const Request& request)
{
    auto upgrade = request.header("upgrade");
    auto connection = request.header("connection");
    return request.method == Method::GET && upgrade && has_token(*upgrade, "websocket") &&
           connection && has_token(*connection, "upgrade") &&
           request.header("sec-websocket-key").has_value() &&
           request.header("sec-websocket-version") == "13";
}

namespace detail {

asio::awaitable<std::shared_ptr<WebSocket>> accept_websocket(
    std::shared_ptr<Connection> connection, const BeastRequest& message,
    const WebSocketUpgrade& upgrade, const ConnectionRegistry& registry)
{
    auto impl = std::make_shared<WebSocket::Impl>(connection, upgrade.max_queued);
    // The WebSocket keeps its own time (handshakes, idle pings): the TCP stream's must not
    // cut it off.
    connection->stream.expires_never();
    // Frames are small and answered one by one (a transaction, then its acknowledgement):
    // Nagle's algorithm would hold each behind the peer's delayed ACK.
    boost::system::error_code ignored;
    connection->stream.socket().set_option(boost::asio::ip::tcp::no_delay(true), ignored);
    impl->ws.set_option(websocket::stream_base::timeout{
        limits::websocket_handshake_timeout, limits::websocket_idle_timeout, true});
    impl->ws.read_message_max(upgrade.max_message);
    impl->ws.text(true);
    auto [ec] = co_await impl->ws.async_accept(message, tuple_awaitable);
    if (ec) {
        spdlog::debug("websocket handshake with {} failed: {}", connection->remote_address,
                      ec.message());
        co_return nullptr;
    }
    auto socket = std::make_shared<WebSocket>(impl);
    std::weak_ptr<WebSocket> weak = socket;
    connection->on_drain_upgraded = [weak, code = upgrade.shutdown_code,
                                     reason = upgrade.shutdown_reason] {
        if (auto alive = weak.lock())
            alive->close(code, reason);
    };
    // A drain that began during the handshake found no hook to call.
    if (registry.draining())
        socket->close(upgrade.shutdown_code, upgrade.shutdown_reason);
    co_return socket;
}

asio::awaitable<void> run_websocket(std::shared_ptr<WebSocket> socket,
                                    std::shared_ptr<const WebSocketUpgrade> upgrade)
{
    try {
        co_await upgrade->run(socket);
    } catch (const std::exception& e) {
        spdlog::error("websocket with {} failed: {}", socket->remote_address(), e.what());
    }
    if (socket->is_open())
        socket->close(close_code::normal, "");
    while (co_await socket->read()) {
        // what the peer still sends before its close frame is dropped
    }
}

} // namespace detail

} // namespace ravenous::http
