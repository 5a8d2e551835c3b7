#pragma once

// Runs the real `ravenous` binary for end-to-end tests: a fresh directory under /tmp, a free
// port on 127.0.0.1, a YAML config written from Options, stdout+stderr in <dir>/server.log.
// No GoogleTest here (ravenous-bench reuses it): problems are thrown as std::runtime_error
// carrying the tail of server.log. Include support/spec_assert.hpp in tests to get the log tail
// printed when a test fails.
//
//   TestServer server;            // prepares the directory and port; nothing runs yet
//   server.start();               // returns once GET /_matrix/client/versions answers 200
//   auto client = server.client();
//   auto token = login_owner(client);
//
// Environment: RAVENOUS_TEST_LOG_LEVEL sets the server's log_level (default "warn");
// RAVENOUS_TEST_KEEP=1 keeps every test directory (its path is printed). Inherited RAVENOUS_*
// variables are not passed to the server (Options::env is).

#include "support/http_client.hpp"
#include "support/process.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace ravenous::test {

inline constexpr std::string_view default_owner_user_id = "@owner:test.local";
inline constexpr std::string_view default_owner_password = "owner-password-1";
inline constexpr std::string_view default_admin_token = "admin-secret";

class TestServer
{
public:
    struct Options
    {
        std::string server_name = "test.local";
        std::string owner_user_id{default_owner_user_id};
        std::string owner_password{default_owner_password};
        std::string admin_token{default_admin_token};
        std::optional<std::string> log_level; // default: $RAVENOUS_TEST_LOG_LEVEL or "warn"
        // Raw YAML appended to the generated config (top-level keys not generated above).
        std::string extra_yaml;
        // Appservice registration files (YAML text), written to <dir>/appservices/<n>.yaml and
        // listed in app_service_config_files.
        std::vector<std::string> appservices;
        // Environment variables for the server (e.g. RAVENOUS_* overrides).
        EnvVars env;
        // Use this directory (e.g. one kept by an earlier TestServer) instead of a fresh one;
        // its ravenous.yaml is rewritten, its database is kept. Removed at the end like a fresh
        // one unless keep_dir.
        std::string dir;
        // 0: pick a free port. Set it to come back on the port of an earlier server.
        std::uint16_t port = 0;
        // Keep the directory when this object is destroyed (for a later TestServer on it).
        bool keep_dir = false;
    };

    static constexpr std::chrono::seconds start_deadline{15};
    static constexpr std::chrono::seconds stop_deadline{15};

    TestServer();
    explicit TestServer(Options options);
    ~TestServer(); // stops the server, removes the directory (see keep_dir, RAVENOUS_TEST_KEEP)
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    // Writes the config from options(), starts the binary and waits until it serves
    // /_matrix/client/versions (deadline 15 s). Throws with the log tail if it exits or times out.
    void start();
    // SIGTERM, wait up to 15 s for the exit and return its status (ExitStatus: an exit code, or
    // -signal). If it does not exit in time: SIGKILL, then throw with the log tail.
    ExitStatus stop();
    // SIGKILL (a crash, as far as the server can tell) and reap; returns the status (-9).
    ExitStatus kill();
    // stop() (which must give exit code 0, else it throws) then start(): same directory, port
    // and database.
    void restart();

    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; }
    std::string base_url() const; // "http://127.0.0.1:<port>"
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path config_path() const { return dir_ / "ravenous.yaml"; }
    std::filesystem::path log_path() const { return dir_ / "server.log"; }
    // Changes apply at the next start()/restart().
    Options& options() { return options_; }
    const Options& options() const { return options_; }

    // A new client on this server with automatic spec validation on.
    HttpClient client() const;
    // The last `lines` lines of server.log (all runs of this directory).
    std::string log_tail(std::size_t lines = 50) const;

    // Runs the binary with `args` to completion (no server kept): exit status and stdout+stderr.
    // Inherited RAVENOUS_* variables are dropped, `env` is added.
    static ProcessResult run_binary(std::vector<std::string> args, const EnvVars& env = {},
                                    std::chrono::milliseconds timeout = std::chrono::seconds(15));
    // `ravenous check-config --config <config>`.
    static ProcessResult check_config(const std::filesystem::path& config);
    // RAVENOUS_BINARY (the build's), or $RAVENOUS_TEST_BINARY when set.
    static std::string binary_path();

    // Set by support/spec_assert.hpp: "has the current test failed?" (prints the log tail then).
    static void set_failure_probe(std::function<bool()> probe);

    // Writes <dir>/ravenous.yaml (and the appservice files) from options(); start() does it too.
    void write_config() const;

private:
    std::string failure(const std::string& what) const;

    Options options_;
    std::filesystem::path dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

// Logs in as the owner with m.login.password; returns the access token. Throws with the
// response when the login does not answer 200 with an access_token.
std::string login_owner(HttpClient& client, std::string_view user_id = default_owner_user_id,
                        std::string_view password = default_owner_password);

// Picks a port that was free a moment ago: binds 127.0.0.1:0, reads the port, closes. Another
// process may take it before the server binds it (a small race we accept: the server then fails
// to start, and start() says so with the log).
std::uint16_t pick_free_port();

} // namespace ravenous::test
