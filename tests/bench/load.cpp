#include "bench/load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <optional>
#include <stdexcept>

namespace ravenous::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t max_error_samples = 5;
// After a failed connect, so that a dead server costs a few hundred attempts, not millions.
constexpr std::chrono::milliseconds reconnect_backoff{10};

struct Run
{
    const LoadOptions& options;
    const RequestMaker& make_request;
    const ResponseCheck& check;
    tcp::endpoint endpoint;
    std::string host_header;
    Clock::time_point measure_from;
    Clock::time_point stop_at;
    Clock::time_point last_measured;
    std::uint64_t started = 0;
    LoadResult result;

    bool stopping() const
    {
        return Clock::now() >= stop_at || started >= options.max_requests ||
               result.errors >= options.max_errors;
    }

    void fail(int status, std::string what)
    {
        ++result.errors;
        ++result.statuses[status];
        if (result.error_samples.size() < max_error_samples) {
            result.error_samples.push_back(std::move(what));
        }
    }
};

bool is_success(const ResponseCheck& check, const LoadResponse& response)
{
    if (check) {
        return check(response);
    }
    return response.result_int() >= 200 && response.result_int() < 300;
}

asio::awaitable<void> connection_loop(Run& run, std::size_t index)
{
    auto executor = co_await asio::this_coro::executor;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    while (!run.stopping()) {
        if (!stream) {
            stream.emplace(executor);
            stream->expires_after(run.options.request_timeout);
            auto [ec] = co_await stream->async_connect(run.endpoint, tuple_awaitable);
            if (ec) {
                run.fail(0, "connect: " + ec.message());
                stream.reset();
                asio::steady_timer backoff(executor, reconnect_backoff);
                co_await backoff.async_wait(tuple_awaitable);
                continue;
            }
            ++run.result.connections_opened;
            buffer.clear();
        }
        auto request = run.make_request(index, run.started++);
        request.set(http::field::host, run.host_header);
        request.keep_alive(true);
        request.prepare_payload();
        LoadResponse response;
        const auto sent = Clock::now();
        stream->expires_after(run.options.request_timeout);
        auto [write_ec, written] = co_await http::async_write(*stream, request, tuple_awaitable);
        beast::error_code ec = write_ec;
        if (!ec) {
            auto [read_ec, read] =
                co_await http::async_read(*stream, buffer, response, tuple_awaitable);
            ec = read_ec;
        }
        const auto received = Clock::now();
        if (ec) {
            run.fail(0, std::string(to_string(request.method())) + " " +
                            std::string(request.target()) + ": " + ec.message());
            stream.reset();
            continue;
        }
        const int status = static_cast<int>(response.result_int());
        if (!is_success(run.check, response)) {
            run.fail(status, std::string(request.target()) + " -> " + std::to_string(status) + " " +
                                 response.body().substr(0, 200));
        } else {
            ++run.result.statuses[status];
            if (sent >= run.measure_from) {
                run.result.latency_us.record(static_cast<std::uint64_t>(
                    std::chrono::duration_cast<std::chrono::microseconds>(received - sent)
                        .count()));
                ++run.result.ok;
                run.last_measured = std::max(run.last_measured, received);
            } else {
                ++run.result.warmup_requests;
            }
        }
        if (!response.keep_alive()) {
            stream.reset();
        }
    }
    if (stream) {
        beast::error_code ignored;
        stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
}

} // namespace

LoadResult run_load(const LoadOptions& options, const RequestMaker& make_request,
                    const ResponseCheck& check)
{
    if (options.connections == 0 || options.port == 0) {
        throw std::invalid_argument("run_load: needs a port and at least one connection");
    }
    asio::io_context ioc(1);
    Run run{options, make_request, check, {}, {}, {}, {}, {}, 0, {}};
    run.endpoint = tcp::endpoint(asio::ip::make_address(options.host), options.port);
    run.host_header = options.host + ":" + std::to_string(options.port);
    const auto start = Clock::now();
    run.measure_from = start + options.warmup;
    run.stop_at = run.measure_from + options.duration;
    run.last_measured = run.measure_from;

    std::exception_ptr failure;
    for (std::size_t i = 0; i < options.connections; ++i) {
        asio::co_spawn(ioc, connection_loop(run, i), [&failure](std::exception_ptr e) {
            if (e && !failure) {
                failure = e;
            }
        });
    }
    // Bounded: every loop stops starting requests at stop_at, and every operation has a
    // deadline, so run() returns at most request_timeout after stop_at.
    ioc.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
    run.result.seconds =
        std::chrono::duration<double>(run.last_measured - run.measure_from).count();
    return std::move(run.result);
}

Metric load_metric(std::string name, std::string unit, const LoadResult& load)
{
    Metric metric;
    metric.name = std::move(name);
    metric.value = load.per_second();
    metric.unit = std::move(unit);
    metric.count = load.ok;
    metric.errors = load.errors;
    metric.latency = summarize_us_as_ms(load.latency_us);
    return metric;
}

void add_error_notes(ScenarioResult& result, const LoadResult& load)
{
    for (const auto& sample : load.error_samples) {
        result.notes.push_back("error: " + sample);
    }
}

LoadRequest make_request(http::verb method, std::string target, std::string json_body,
                         std::string_view bearer_token)
{
    LoadRequest request(method, target, 11);
    if (!json_body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = std::move(json_body);
    }
    if (!bearer_token.empty()) {
        request.set(http::field::authorization, "Bearer " + std::string(bearer_token));
    }
    return request;
}

} // namespace ravenous::bench
