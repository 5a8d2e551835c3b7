#include "support/fake_bridge.hpp"

#include "ravenous/http/router.hpp"
#include "ravenous/http/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_set>

namespace ravenous::test {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

// The server decides how large a transaction is, not the bridge.
constexpr std::size_t max_transaction_body = 64 * 1024 * 1024;
constexpr std::chrono::seconds stop_deadline{10};

json error_body(std::string_view errcode, std::string_view message)
{
    return {{"errcode", errcode}, {"error", message}};
}

json parse_or_null(const std::string& text)
{
    auto parsed = json::parse(text, nullptr, false);
    return parsed.is_discarded() ? json(nullptr) : parsed;
}

} // namespace

struct FakeBridge::Impl
{
    const std::string hs_token;
    std::uint16_t port = 0;

    mutable std::mutex mutex; // everything below up to the server
    mutable std::condition_variable changed;
    std::uint64_t requests_seen = 0; // wakes wait_for() after every request
    std::vector<Transaction> received;
    std::vector<json> events;
    std::unordered_set<std::string> accepted_ids;
    std::vector<Ping> pings;
    int fail_count = 0;
    int fail_status = 500;
    std::chrono::milliseconds delay{0};
    int ping_status = 200;
    json ping_answer = json::object();

    std::mutex lifecycle; // stop() / restart() / destructor
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::thread thread;

    explicit Impl(std::string token) : hs_token(std::move(token)) {}

    // mautrix-go's check: the header only, never the access_token query parameter.
    std::optional<http::Response> refuse_unauthorised(const http::Request& request) const
    {
        auto header = request.header("authorization");
        constexpr std::string_view bearer = "Bearer ";
        if (!header || !header->starts_with(bearer))
            return http::Response::json(error_body("M_MISSING_TOKEN", "Missing access token"),
                                        401);
        if (header->substr(bearer.size()) != hs_token)
            return http::Response::json(error_body("M_UNKNOWN_TOKEN", "Invalid access token"),
                                        403);
        return std::nullopt;
    }

    void record(std::function<void()> change)
    {
        {
            std::lock_guard lock{mutex};
            change();
            ++requests_seen;
        }
        changed.notify_all();
    }

    // PUT /_matrix/app/v1/transactions/{txnId}
    // A member coroutine, not a capturing lambda: the Impl outlives every request.
    asio::awaitable<http::Response> put_transaction(http::Request& request)
    {
        std::chrono::milliseconds wait{0};
        {
            std::lock_guard lock{mutex};
            wait = delay;
        }
        if (wait.count() > 0) {
            asio::steady_timer timer{co_await asio::this_coro::executor};
            timer.expires_after(wait);
            co_await timer.async_wait(asio::use_awaitable);
        }

        Transaction txn;
        txn.txn_id = request.path_param("txnId");
        txn.body = parse_or_null(request.body);
        txn.authorization = std::string(request.header("authorization").value_or(""));
        txn.target = request.target;

        auto response = refuse_unauthorised(request);
        record([&] {
            if (!response && fail_count > 0) {
                --fail_count;
                response = http::Response::json(
                    error_body("M_UNKNOWN", "FakeBridge was told to fail this transaction"),
                    fail_status);
            }
            if (!response && !txn.body.is_object())
                response = http::Response::json(error_body("M_NOT_JSON", "Body is not JSON"), 400);
            if (!response)
                response = http::Response::json(json::object());
            txn.answered_status = response->status;
            if (response->status / 100 == 2 && accepted_ids.insert(txn.txn_id).second) {
                if (auto it = txn.body.find("events"); it != txn.body.end() && it->is_array())
                    events.insert(events.end(), it->begin(), it->end());
            }
            received.push_back(std::move(txn));
        });
        co_return std::move(*response);
    }

    // POST /_matrix/app/v1/ping
    asio::awaitable<http::Response> post_ping(http::Request& request)
    {
        Ping ping;
        ping.body = parse_or_null(request.body);
        ping.authorization = std::string(request.header("authorization").value_or(""));
        auto response = refuse_unauthorised(request);
        record([&] {
            if (!response)
                response = http::Response::json(ping_answer, ping_status);
            ping.answered_status = response->status;
            pings.push_back(std::move(ping));
        });
        co_return std::move(*response);
    }

    void listen() // lifecycle held
    {
        http::ServerOptions options;
        options.host = "127.0.0.1";
        options.port = port;
        // An outage drops connections at once; nothing waits for a request in flight.
        options.shutdown_grace = std::chrono::milliseconds{0};
        server = std::make_unique<http::Server>(ioc, router, options);
        server->start();
        port = server->port();
    }

    void close() // lifecycle held
    {
        if (!server)
            return;
        // Shared: the callback may still run after a timed-out wait here.
        auto drained = std::make_shared<std::promise<void>>();
        auto done = drained->get_future();
        server->shutdown([drained] { drained->set_value(); });
        if (done.wait_for(stop_deadline) != std::future_status::ready)
            throw std::runtime_error("FakeBridge: the server did not stop");
        server.reset();
    }
};

FakeBridge::FakeBridge(std::string hs_token, std::uint16_t port)
    : impl_(std::make_unique<Impl>(std::move(hs_token)))
{
    auto& d = *impl_;
    d.port = port;
    d.router.add({http::Method::PUT, "/_matrix/app/v1/transactions/{txnId}", max_transaction_body,
                  [&d](http::Request& r) { return d.put_transaction(r); }, false});
    d.router.add({http::Method::POST, "/_matrix/app/v1/ping", http::limits::default_body,
                  [&d](http::Request& r) { return d.post_ping(r); }, false});
    std::lock_guard lock{d.lifecycle};
    d.listen();
    d.thread = std::thread([&d] { d.ioc.run(); });
}

FakeBridge::~FakeBridge()
{
    auto& d = *impl_;
    std::lock_guard lock{d.lifecycle};
    try {
        d.close();
    } catch (const std::exception&) {
        d.ioc.stop(); // a destructor must not throw; the io_context is abandoned instead
    }
    d.work.reset();
    d.thread.join();
}

std::uint16_t FakeBridge::port() const
{
    std::lock_guard lock{impl_->lifecycle};
    return impl_->port;
}

std::string FakeBridge::url() const
{
    return "http://127.0.0.1:" + std::to_string(port());
}

std::vector<FakeBridge::Transaction> FakeBridge::received() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->received;
}

std::vector<FakeBridge::Transaction> FakeBridge::accepted() const
{
    std::lock_guard lock{impl_->mutex};
    std::vector<Transaction> result;
    for (const auto& txn : impl_->received) {
        if (txn.answered_status / 100 == 2)
            result.push_back(txn);
    }
    return result;
}

std::vector<nlohmann::json> FakeBridge::events() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->events;
}

bool FakeBridge::wait_for(std::function<bool(const FakeBridge&)> predicate,
                          std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto& d = *impl_;
    for (;;) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock{d.mutex};
            seen = d.requests_seen;
        }
        if (predicate(*this))
            return true;
        std::unique_lock lock{d.mutex};
        if (!d.changed.wait_until(lock, deadline, [&] { return d.requests_seen != seen; }))
            return false;
    }
}

bool FakeBridge::wait_for_events(std::size_t count, std::chrono::milliseconds timeout) const
{
    return wait_for([count](const FakeBridge& bridge) { return bridge.events().size() >= count; },
                    timeout);
}

void FakeBridge::fail_next(int count, int status)
{
    std::lock_guard lock{impl_->mutex};
    impl_->fail_count = count;
    impl_->fail_status = status;
}

void FakeBridge::set_delay(std::chrono::milliseconds delay)
{
    std::lock_guard lock{impl_->mutex};
    impl_->delay = delay;
}

void FakeBridge::stop()
{
    std::lock_guard lock{impl_->lifecycle};
    impl_->close();
}

void FakeBridge::restart()
{
    std::lock_guard lock{impl_->lifecycle};
    if (!impl_->server)
        impl_->listen();
}

bool FakeBridge::listening() const
{
    std::lock_guard lock{impl_->lifecycle};
    return impl_->server != nullptr;
}

std::vector<nlohmann::json> FakeBridge::pings() const
{
    std::lock_guard lock{impl_->mutex};
    std::vector<json> bodies;
    for (const auto& ping : impl_->pings)
        bodies.push_back(ping.body);
    return bodies;
}

std::vector<FakeBridge::Ping> FakeBridge::ping_requests() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->pings;
}

void FakeBridge::set_ping_answer(int status, nlohmann::json body)
{
    std::lock_guard lock{impl_->mutex};
    impl_->ping_status = status;
    impl_->ping_answer = std::move(body);
}

} // namespace ravenous::test
