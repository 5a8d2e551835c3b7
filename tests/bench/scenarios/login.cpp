// login: m.login.password logins/s for the owner. Each one verifies the password with
// Argon2id (libsodium's INTERACTIVE limits: 64 MiB and a few passes, on the server's
// one-thread compute pool) and creates a device and an access token. The hash is slow on
// purpose: this figure is reported, never "optimised".

#include "bench/bench_server.hpp"
#include "bench/load.hpp"
#include "bench/scenario.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::bench {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// More than the compute pool's one thread, so that it never idles between two logins; more
// would only queue.
constexpr std::size_t connections = 4;

class Login final : public Scenario
{
public:
    std::string_view name() const override { return "login"; }
    std::string_view description() const override
    {
        return "owner m.login.password logins/s (Argon2id INTERACTIVE, 4 concurrent clients)";
    }

    ScenarioResult run(const RunContext& ctx) override
    {
        BenchServer server;
        server.start();
        const nlohmann::json body{
            {"type", "m.login.password"},
            {"identifier", {{"type", "m.id.user"}, {"user", test::default_owner_user_id}}},
            {"password", test::default_owner_password},
            {"initial_device_display_name", "ravenous-bench"}};
        const std::string text = body.dump();

        LoadOptions options;
        options.port = server.port();
        options.connections = connections;
        options.warmup = ctx.quick ? 200ms : 1000ms;
        options.duration = ctx.quick ? 2500ms : 15000ms;
        options.max_requests = ctx.quick ? 200 : 2000;
        options.request_timeout = 30s; // queued behind the others' hashes
        options.max_errors = 10;
        ctx.progress("login: " + std::to_string(connections) + " clients for " +
                     std::to_string(options.duration.count()) + " ms");
        auto load = run_load(
            options,
            [&text](std::size_t, std::uint64_t) {
                return make_request(http::verb::post, "/_matrix/client/v3/login", text);
            },
            [](const LoadResponse& response) {
                return response.result_int() == 200 &&
                       response.body().find("\"access_token\"") != std::string::npos;
            });

        ScenarioResult result;
        server.report_memory(result);
        result.metrics.push_back(load_metric("password logins", "logins/s", load));
        result.notes.push_back("Argon2id INTERACTIVE (64 MiB per hash) on the server's one "
                               "compute thread; latency includes waiting for it");
        add_error_notes(result, load);
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<Login> registered;

} // namespace
} // namespace ravenous::bench
