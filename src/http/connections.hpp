#pragma once

#include <atomic>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ravenous::http::detail {

// One accepted connection. Everything in it belongs to the connection's strand (the stream's
// executor); other threads reach it only by posting to that strand.
struct Connection : std::enable_shared_from_this<Connection>
{
    explicit Connection(boost::asio::ip::tcp::socket socket);

    std::string remote_address; // the peer's IP address, taken before the socket moves in
    boost::beast::tcp_stream stream;
    boost::beast::flat_buffer buffer;
    // Bound to the session coroutine: `total` asks an in-flight handler to finish early (only
    // handlers that opted in react), `terminal` aborts whatever the session awaits.
    boost::asio::cancellation_signal cancel;
    // True while the session waits for the next request header (with no byte buffered when
    // the wait began it is an idle keep-alive connection).
    bool awaiting_header = false;
    // Set once the connection is a WebSocket: what a drain does instead (a close frame).
    std::function<void()> on_drain_upgraded;

    // On the strand, when the server starts draining: an idle connection stops waiting now;
    // a busy one finishes its request (and then closes, as the session sees the drain).
    void on_drain();
    // On the strand, when the grace period is over.
    void force_close();
};

// The live connections: enforces max_connections and tells the server when a drain is done.
// Thread-safe; each critical section is a few map operations.
class ConnectionRegistry
{
public:
    explicit ConnectionRegistry(std::size_t max_connections) : max_(max_connections) {}

    // False when full or draining: the caller closes the socket.
    bool add(const std::shared_ptr<Connection>& connection);
    void remove(const Connection* connection);

    // Starts draining and returns the connections alive now. `on_empty` is called once, when
    // the last connection is removed (or right away, from here, if there is none).
    std::vector<std::shared_ptr<Connection>> begin_drain(std::function<void()> on_empty);
    std::vector<std::shared_ptr<Connection>> snapshot() const;

    bool draining() const noexcept { return draining_.load(); }
    std::size_t size() const;

private:
    const std::size_t max_;
    mutable std::mutex mutex_;
    std::unordered_map<const Connection*, std::weak_ptr<Connection>> live_;
    std::atomic<bool> draining_{false};
    std::function<void()> on_empty_;
};

} // namespace ravenous::http::detail
