#include "connections.hpp"

namespace ravenous::http::detail {

namespace {

std::string describe_remote(const boost::asio::ip::tcp::socket& socket)
{
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec)
        return "unknown";
    return endpoint.address().to_string();
}

} // namespace

Connection::Connection(boost::asio::ip::tcp::socket socket)
    : remote_address(describe_remote(socket)), stream(std::move(socket))
{
}

void Connection::on_drain()
{
    if (on_drain_upgraded)
        on_drain_upgraded();
    else if (awaiting_header && buffer.size() == 0)
        stream.cancel(); // the pending header read completes with operation_aborted
    else
        cancel.emit(boost::asio::cancellation_type::total);
}

void Connection::force_close()
{
    cancel.emit(boost::asio::cancellation_type::terminal);
    boost::system::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream.close();
}

bool ConnectionRegistry::add(const std::shared_ptr<Connection>& connection)
{
    std::lock_guard lock{mutex_};
    if (draining_.load() || live_.size() >= max_)
        return false;
    live_.emplace(connection.get(), connection);
    return true;
}

void ConnectionRegistry::remove(const Connection* connection)
{
    std::function<void()> done;
    {
        std::lock_guard lock{mutex_};
        live_.erase(connection);
        if (draining_.load() && live_.empty())
            done = std::exchange(on_empty_, nullptr);
    }
    if (done)
        done();
}

std::vector<std::shared_ptr<Connection>>
ConnectionRegistry::begin_drain(std::function<void()> on_empty)
{
    std::vector<std::shared_ptr<Connection>> alive;
    {
        std::lock_guard lock{mutex_};
        draining_.store(true);
        if (!live_.empty()) {
            on_empty_ = std::move(on_empty);
            for (const auto& [key, weak] : live_) {
                if (auto connection = weak.lock())
                    alive.push_back(std::move(connection));
            }
            return alive;
        }
    }
    on_empty();
    return alive;
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::snapshot() const
{
    std::vector<std::shared_ptr<Connection>> alive;
    std::lock_guard lock{mutex_};
    for (const auto& [key, weak] : live_) {
        if (auto connection = weak.lock())
            alive.push_back(std::move(connection));
    }
    return alive;
}

std::size_t ConnectionRegistry::size() const
{
    std::lock_guard lock{mutex_};
    return live_.size();
}

} // namespace ravenous::http::detail
