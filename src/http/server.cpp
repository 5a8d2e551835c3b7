#include "ravenous/http/server.hpp"

#include "ravenous/http/router.hpp"
#include "session.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include <system_error>
#include <vector>

namespace ravenous::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Server::Impl : std::enable_shared_from_this<Impl>
{
    Impl(asio::io_context& ioc_, const Router& router, ServerOptions options_)
        : ioc(ioc_), options(std::move(options_)), strand(asio::make_strand(ioc_)),
          acceptor(strand), grace_timer(strand),
          context(std::make_shared<detail::SessionContext>(router))
    {
    }

    asio::io_context& ioc;
    const ServerOptions options;
    asio::strand<asio::io_context::executor_type> strand; // acceptor, timer and the fields below
    tcp::acceptor acceptor;
    asio::steady_timer grace_timer;
    std::shared_ptr<detail::SessionContext> context;
    std::atomic<std::uint16_t> port{0};

    bool shutting_down = false;
    bool finished = false;
    std::vector<std::function<void()>> on_drained;

    static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self);
    void spawn_session(tcp::socket socket);
    void begin_shutdown(std::function<void()> callback);
    void force_close();
    void finish();
};

namespace {

asio::ip::address resolve_host(asio::io_context& ioc, const std::string& host)
{
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (!ec)
        return address;
    tcp::resolver resolver{ioc};
    auto results = resolver.resolve(host, "", ec);
    if (ec || results.empty())
        throw std::system_error(ec ? std::error_code(ec)
                                   : std::make_error_code(std::errc::invalid_argument),
                                "cannot resolve listen address '" + host + "'");
    return results.begin()->endpoint().address();
}

// The session coroutine catches what its requests throw; what escapes it is logged here.
void log_session_failure(std::exception_ptr error, const std::string& remote)
{
    if (!error)
        return;
    try {
        std::rethrow_exception(error);
    } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::operation_aborted)
            spdlog::debug("http: session with {} aborted", remote); // forced close
        else
            spdlog::error("http: session with {} failed: {}", remote, e.what());
    } catch (const std::exception& e) {
        spdlog::error("http: session with {} failed: {}", remote, e.what());
    }
}

} // namespace

asio::awaitable<void> Server::Impl::accept_loop(std::shared_ptr<Impl> self)
{
    asio::steady_timer backoff{self->strand};
    for (;;) {
        auto [ec, socket] = co_await self->acceptor.async_accept(
            asio::make_strand(self->ioc), asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !self->acceptor.is_open())
            co_return;
        if (ec) {
            // Out of file descriptors and the like: do not spin, try again shortly.
            spdlog::warn("http: accept failed: {}", ec.message());
            backoff.expires_after(std::chrono::milliseconds{100});
            co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        self->spawn_session(std::move(socket));
    }
}

void Server::Impl::spawn_session(tcp::socket socket)
{
    auto connection = std::make_shared<detail::Connection>(std::move(socket));
    if (!context->connections.add(connection)) {
        spdlog::warn("http: refusing connection from {}: {}", connection->remote_address,
                     context->connections.draining() ? "shutting down" : "too many connections");
        boost::system::error_code ignored;
        connection->stream.socket().close(ignored);
        return;
    }
    auto executor = connection->stream.get_executor();
    auto slot = connection->cancel.slot();
    asio::co_spawn(executor, detail::run_session(context, connection),
                   asio::bind_cancellation_slot(
                       slot, [context = context, connection](std::exception_ptr error) {
                           log_session_failure(error, connection->remote_address);
                           context->connections.remove(connection.get());
                       }));
}

void Server::Impl::begin_shutdown(std::function<void()> callback)
{
    if (callback)
        on_drained.push_back(std::move(callback));
    if (finished) {
        for (auto& done : std::exchange(on_drained, {}))
            asio::post(ioc, std::move(done));
        return;
    }
    if (shutting_down)
        return;
    shutting_down = true;

    boost::system::error_code ignored;
    acceptor.close(ignored);
    std::weak_ptr<Impl> weak = shared_from_this();
    auto alive = context->connections.begin_drain([weak] {
        if (auto self = weak.lock())
            asio::post(self->strand, [self] { self->finish(); });
    });
    spdlog::info("http: shutting down, draining {} connection(s)", alive.size());
    for (auto& connection : alive) {
        auto executor = connection->stream.get_executor();
        asio::post(executor, [connection = std::move(connection)] { connection->on_drain(); });
    }
    grace_timer.expires_after(options.shutdown_grace);
    grace_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec)
            self->force_close();
    });
}

void Server::Impl::force_close()
{
    auto remaining = context->connections.snapshot();
    spdlog::warn("http: grace period over, closing {} connection(s)", remaining.size());
    for (auto& connection : remaining) {
        auto executor = connection->stream.get_executor();
        asio::post(executor, [connection = std::move(connection)] { connection->force_close(); });
    }
    finish();
}

void Server::Impl::finish()
{
    if (finished)
        return;
    finished = true;
    grace_timer.cancel();
    spdlog::info("http: drained");
    for (auto& done : std::exchange(on_drained, {}))
        asio::post(ioc, std::move(done));
}

Server::Server(asio::io_context& ioc, const Router& router, ServerOptions options)
    : impl_(std::make_shared<Impl>(ioc, router, std::move(options)))
{
}

Server::~Server()
{
    asio::post(impl_->strand, [impl = impl_] {
        boost::system::error_code ignored;
        impl->acceptor.close(ignored);
    });
}

void Server::start()
{
    const tcp::endpoint endpoint{resolve_host(impl_->ioc, impl_->options.host),
                                 impl_->options.port};
    try {
        auto& acceptor = impl_->acceptor;
        acceptor.open(endpoint.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(asio::socket_base::max_listen_connections);
        impl_->port = acceptor.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
        throw std::system_error(std::error_code(e.code()), "cannot listen on " +
                                                               impl_->options.host + ":" +
                                                               std::to_string(impl_->options.port));
    }
    spdlog::info("http: listening on {}:{}", impl_->options.host, impl_->port.load());
    asio::co_spawn(impl_->strand, Impl::accept_loop(impl_), asio::detached);
}

std::uint16_t Server::port() const
{
    return impl_->port.load();
}

void Server::shutdown(std::function<void()> on_drained)
{
    asio::post(impl_->strand, [impl = impl_, callback = std::move(on_drained)]() mutable {
        impl->begin_shutdown(std::move(callback));
    });
}

std::size_t Server::active_connections() const
{
    return impl_->context->connections.size();
}

} // namespace ravenous::http
