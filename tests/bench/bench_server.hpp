#pragma once

// The real `ravenous` binary as the benchmark runs it: TestServer's directory, free port and
// config (owner, admin token, temporary database), plus an appservice registration whose url
// is an AppserviceReceiver in this process. Unlike TestServer::start, start() polls tightly
// (every 0.25 ms, so it measures exec -> first 200 of /versions to the millisecond) and does
// not start the spec validator (node compiling the spec's schemas would take a core away from
// the first scenario).

#include "bench/receiver.hpp"
#include "bench/scenario.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace ravenous::bench {

inline constexpr std::string_view bridge_as_token = "bench-bridge-as-token";
inline constexpr std::string_view bridge_hs_token = "bench-bridge-hs-token";
// The registration's exclusive user namespace: @bridge_<anything>:test.local.
inline constexpr std::string_view bridge_user_prefix = "bridge_";

class BenchServer
{
public:
    using Clock = std::chrono::steady_clock;

    struct Options
    {
        std::string extra_yaml;                      // appended to the server's config
        AppserviceReceiver::Observer on_transaction; // see AppserviceReceiver
        test::EnvVars env;                           // RAVENOUS_* overrides for the server
    };

    BenchServer();
    explicit BenchServer(Options options);
    ~BenchServer(); // stops a running server (SIGTERM, then SIGKILL), removes the directory
    BenchServer(const BenchServer&) = delete;
    BenchServer& operator=(const BenchServer&) = delete;

    // Writes the config, execs the binary and returns the time from just before the exec to
    // its first 200 answer to GET /_matrix/client/versions. Throws (with the log tail) if it
    // exits or does not answer within TestServer::start_deadline.
    std::chrono::microseconds start();
    // SIGTERM and wait; throws unless it exits 0 within TestServer::stop_deadline.
    void stop();

    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return server_.port(); }
    const std::filesystem::path& dir() const { return server_.dir(); }
    std::filesystem::path database_path() const { return server_.dir() / "ravenous.db"; }
    AppserviceReceiver& receiver() { return *receiver_; } // not while the bridge is down

    // The bridge goes down: the receiver stops listening, so pushes to its url fail to
    // connect (as_push's outage) ...
    void stop_receiver();
    // ... and comes back on the same url with the same observer (its stats start at zero).
    void start_receiver();

    // VmHWM/VmRSS of the running server; throws if it is not running. start() resets the
    // peak once the server answers (when the kernel allows it, see peak_reset()), so the peak
    // is that of the work since then, not of start-up (which verifies the owner's password
    // with Argon2id: 64 MiB).
    ProcessMemory memory() const;
    // result.server_memory = memory(), with a note if the peak could not be reset.
    void report_memory(ScenarioResult& result) const;
    // The figures at the end of the last start (peak = start-up's).
    const ProcessMemory& startup_memory() const { return startup_memory_; }
    // Whether the last start could reset the peak (/proc/<pid>/clear_refs, Linux >= 4.0).
    bool peak_reset() const { return peak_reset_; }
    // A client without spec validation (the benchmark measures, the e2e tests check).
    test::HttpClient client() const;
    // The owner's access token (one m.login.password login, made on first use per start).
    const std::string& owner_token();

private:
    void after_start();

    AppserviceReceiver::Observer on_transaction_;
    std::uint16_t receiver_port_ = 0;
    std::unique_ptr<AppserviceReceiver> receiver_;
    test::TestServer server_;
    pid_t pid_ = -1;
    std::string owner_token_;
    test::EnvVars env_;
    ProcessMemory startup_memory_;
    bool peak_reset_ = false;
};

} // namespace ravenous::bench
