// http_ceiling: how many GET /_matrix/client/versions this server answers per second on this
// machine over N keep-alive connections. /versions touches no storage and no auth, so this is
// the HTTP stack alone (and the client generating the load, which shares the machine): the
// bound of every scenario that is one cheap request per operation.

#include "bench/bench_server.hpp"
#include "bench/load.hpp"
#include "bench/scenario.hpp"

namespace ravenous::bench {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr std::size_t connections = 32;

class HttpCeiling final : public Scenario
{
public:
    std::string_view name() const override { return "http_ceiling"; }
    std::string_view description() const override
    {
        return "requests/s of GET /_matrix/client/versions over 32 keep-alive connections";
    }
    bool is_ceiling() const override { return true; }

    ScenarioResult run(const RunContext& ctx) override
    {
        BenchServer server;
        server.start();

        LoadOptions options;
        options.port = server.port();
        options.connections = connections;
        options.warmup = ctx.quick ? 300ms : 1000ms;
        options.duration = ctx.quick ? 2000ms : 10000ms;
        options.max_requests = ctx.quick ? 2'000'000 : 20'000'000;
        ctx.progress("http_ceiling: " + std::to_string(connections) + " connections for " +
                     std::to_string(options.duration.count()) + " ms");
        auto load = run_load(options, [](std::size_t, std::uint64_t) {
            return make_request(http::verb::get, "/_matrix/client/versions");
        });

        ScenarioResult result;
        server.report_memory(result);
        result.metrics.push_back(load_metric("GET /versions", "req/s", load));
        result.notes.push_back(std::to_string(connections) +
                               " keep-alive connections, one client thread; "
                               "server log_level warn (no access log lines)");
        add_error_notes(result, load);
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<HttpCeiling> registered;

} // namespace
} // namespace ravenous::bench
