#include "bench/receiver.hpp"

#include "ravenous/http/router.hpp"
#include "ravenous/http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

namespace ravenous::bench {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

// Transactions of a flooding bridge can be large; the server decides their size, not us.
constexpr std::size_t max_transaction_body = 64 * 1024 * 1024;
constexpr std::chrono::milliseconds shutdown_grace{2000};

std::size_t array_size(const json& body, const char* key)
{
    auto it = body.find(key);
    return it != body.end() && it->is_array() ? it->size() : 0;
}

} // namespace

struct AppserviceReceiver::Impl
{
    std::string hs_token;
    Observer observer;
    std::atomic<std::uint64_t> transactions{0};
    std::atomic<std::uint64_t> events{0};
    std::atomic<std::uint64_t> ephemeral{0};
    std::atomic<std::uint64_t> rejected{0};

    asio::io_context ioc{1};
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::thread thread;

    bool authorised(const http::Request& request) const
    {
        if (auto header = request.header("authorization")) {
            return *header == "Bearer " + hs_token;
        }
        auto query = request.query_param("access_token"); // the spec's older way
        return query && *query == hs_token;
    }

    // PUT /_matrix/app/v1/transactions/{txnId}
    // A member coroutine, not a capturing lambda: the handler outlives every request.
    asio::awaitable<http::Response> put_transaction(http::Request& request)
    {
        const auto received = Clock::now();
        if (!authorised(request)) {
            ++rejected;
            co_return http::Response::json({{"errcode", "M_FORBIDDEN"}, {"error", "bad hs_token"}},
                                           403);
        }
        auto body = json::parse(request.body, nullptr, false);
        if (!body.is_object()) {
            ++rejected;
            co_return http::Response::json({{"errcode", "M_NOT_JSON"}, {"error", "not JSON"}}, 400);
        }
        ++transactions;
        events += array_size(body, "events");
        ephemeral +=
            array_size(body, "ephemeral") + array_size(body, "de.sorunome.msc2409.ephemeral");
        if (observer) {
            observer(body, received);
        }
        co_return http::Response::json(json::object());
    }

    // POST /_matrix/app/v1/ping: the homeserver's connectivity check.
    asio::awaitable<http::Response> post_ping(http::Request& request)
    {
        if (!authorised(request)) {
            co_return http::Response::json({{"errcode", "M_FORBIDDEN"}, {"error", "bad hs_token"}},
                                           403);
        }
        co_return http::Response::json(json::object());
    }
};

AppserviceReceiver::AppserviceReceiver(std::string hs_token, Observer observer,
                                       std::uint16_t port)
    : impl_(std::make_unique<Impl>())
{
    auto& d = *impl_;
    d.hs_token = std::move(hs_token);
    d.observer = std::move(observer);
    d.router.add({http::Method::PUT, "/_matrix/app/v1/transactions/{txnId}", max_transaction_body,
                  [&d](http::Request& r) { return d.put_transaction(r); }, false});
    d.router.add({http::Method::POST, "/_matrix/app/v1/ping", http::limits::default_body,
                  [&d](http::Request& r) { return d.post_ping(r); }, false});
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.shutdown_grace = shutdown_grace;
    d.server = std::make_unique<http::Server>(d.ioc, d.router, options);
    d.server->start();
    d.thread = std::thread([&d] { d.ioc.run(); });
}

AppserviceReceiver::~AppserviceReceiver()
{
    auto& d = *impl_;
    // run() returns once the drained server leaves the io_context without work.
    d.server->shutdown({});
    d.thread.join();
    d.server.reset();
}

std::uint16_t AppserviceReceiver::port() const
{
    return impl_->server->port();
}

std::string AppserviceReceiver::url() const
{
    return "http://127.0.0.1:" + std::to_string(port());
}

AppserviceReceiver::Stats AppserviceReceiver::stats() const
{
    return {impl_->transactions.load(), impl_->events.load(), impl_->ephemeral.load(),
            impl_->rejected.load()};
}

} // namespace ravenous::bench
