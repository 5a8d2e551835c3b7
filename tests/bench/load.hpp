#pragma once

// The load generator: N keep-alive HTTP/1.1 connections to the server, each a coroutine that
// sends a request, waits for its response, records the latency and sends the next, all on one
// io_context in the calling thread (a 2-core machine has no core to spare for more client
// threads: the server needs them). Bounded by time, by request count and by error count.

#include "bench/histogram.hpp"
#include "bench/scenario.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ravenous::bench {

using LoadRequest = boost::beast::http::request<boost::beast::http::string_body>;
using LoadResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct LoadOptions
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::size_t connections = 16;
    // Requests started before warm-up ends are sent but not measured (connections, caches and
    // the server's allocator settle first).
    std::chrono::milliseconds warmup{0};
    // Measured time after the warm-up: no request starts after it.
    std::chrono::milliseconds duration{1000};
    // No request starts after this many were started (warm-up included).
    std::uint64_t max_requests = 1'000'000;
    // Every connect, write and read.
    std::chrono::milliseconds request_timeout{10'000};
    // After this many failures (any phase) no request starts: a broken server ends the run
    // quickly instead of spinning until the deadline.
    std::uint64_t max_errors = 100;
};

// Request number `seq` (0-based over the whole run) on connection `connection`. Host,
// keep-alive and Content-Length are set by the generator.
using RequestMaker = std::function<LoadRequest(std::size_t connection, std::uint64_t seq)>;
// Whether a response counts as a success; default: a 2xx status.
using ResponseCheck = std::function<bool(const LoadResponse&)>;

struct LoadResult
{
    Histogram latency_us;     // measured successful requests, send to full response
    std::uint64_t ok = 0;     // measured successes
    std::uint64_t errors = 0; // failures, warm-up included (a failure is never fine)
    std::uint64_t warmup_requests = 0;
    std::uint64_t connections_opened = 0;
    double seconds = 0; // from the end of the warm-up to the last measured response
    std::map<int, std::uint64_t> statuses;  // every response by status; 0: transport error
    std::vector<std::string> error_samples; // the first few failures, for the report

    double per_second() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0.0; }
};

LoadResult run_load(const LoadOptions& options, const RequestMaker& make_request,
                    const ResponseCheck& check = {});

// The metric of a load run: successes/s, their latencies, the errors; and the notes that
// quote the first failures.
Metric load_metric(std::string name, std::string unit, const LoadResult& load);
void add_error_notes(ScenarioResult& result, const LoadResult& load);

// A request with the given method and target, and a JSON body when `json_body` is not empty.
LoadRequest make_request(boost::beast::http::verb method, std::string target,
                         std::string json_body = {}, std::string_view bearer_token = {});

} // namespace ravenous::bench
