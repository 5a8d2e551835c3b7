#include "bench/bench_server.hpp"

#include "bench/machine.hpp"
#include "support/process.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace ravenous::bench {
namespace {

// Between two probes while the server starts: the resolution of cold_start's figure.
constexpr std::chrono::microseconds probe_interval{250};
constexpr std::chrono::milliseconds probe_timeout{1000};

// The bridge's registration: pushes go to the receiver, puppets are @bridge_*:test.local.
std::string registration(const std::string& receiver_url)
{
    std::ostringstream yaml;
    yaml << "id: bench-bridge\n"
         << "url: \"" << receiver_url << "\"\n"
         << "as_token: \"" << bridge_as_token << "\"\n"
         << "hs_token: \"" << bridge_hs_token << "\"\n"
         << "sender_localpart: bridgebot\n"
         << "rate_limited: false\n"
         << "namespaces:\n"
         << "  users:\n"
         << "    - exclusive: true\n"
         << "      regex: '@" << bridge_user_prefix << ".+:test\\.local'\n";
    return yaml.str();
}

test::TestServer::Options server_options(std::string extra_yaml, const std::string& receiver_url)
{
    test::TestServer::Options options;
    options.extra_yaml = std::move(extra_yaml);
    options.appservices.push_back(registration(receiver_url));
    return options;
}

} // namespace

BenchServer::BenchServer() : BenchServer(Options{}) {}

BenchServer::BenchServer(Options options)
    : on_transaction_(std::move(options.on_transaction)),
      receiver_(std::make_unique<AppserviceReceiver>(std::string(bridge_hs_token),
                                                     on_transaction_)),
      server_(server_options(std::move(options.extra_yaml), receiver_->url())),
      env_(std::move(options.env))
{
    receiver_port_ = receiver_->port();
}

void BenchServer::stop_receiver()
{
    receiver_.reset();
}

void BenchServer::start_receiver()
{
    if (!receiver_) {
        receiver_ = std::make_unique<AppserviceReceiver>(std::string(bridge_hs_token),
                                                         on_transaction_, receiver_port_);
    }
}

BenchServer::~BenchServer()
{
    if (!running()) {
        return;
    }
    try {
        stop();
    } catch (const std::exception& e) {
        std::cerr << "ravenous-bench: " << e.what() << "\n";
    }
}

std::chrono::microseconds BenchServer::start()
{
    if (running()) {
        throw std::logic_error("BenchServer::start: already running");
    }
    server_.write_config();
    owner_token_.clear();
    int log_fd =
        ::open(server_.log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        throw std::system_error(errno, std::generic_category(), "open server.log");
    }
    test::SpawnOptions spawn;
    spawn.argv = {test::TestServer::binary_path(), "--config", server_.config_path().string()};
    spawn.drop_inherited_prefix = "RAVENOUS_";
    spawn.env = env_;
    spawn.cwd = server_.dir().string();
    spawn.stdout_fd = log_fd;
    spawn.stderr_fd = log_fd;
    const auto exec_at = Clock::now();
    try {
        pid_ = test::spawn_process(spawn);
    } catch (...) {
        ::close(log_fd);
        throw;
    }
    ::close(log_fd);

    const auto deadline = exec_at + test::TestServer::start_deadline;
    test::HttpClient probe("127.0.0.1", port());
    probe.set_timeout(probe_timeout);
    for (;;) {
        if (auto status = test::try_reap(pid_)) {
            pid_ = -1;
            throw std::runtime_error("ravenous exited during start-up (" +
                                     test::describe_exit(*status) + ")\n" + server_.log_tail(30));
        }
        try {
            if (probe.get("/_matrix/client/versions").status == 200) {
                const auto took =
                    std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - exec_at);
                after_start();
                return took;
            }
        } catch (const std::runtime_error&) {
            // not listening yet
        }
        if (Clock::now() >= deadline) {
            auto status = test::kill_and_reap(pid_);
            pid_ = -1;
            throw std::runtime_error("ravenous did not answer /versions in time (then " +
                                     test::describe_exit(status) + ")\n" + server_.log_tail(30));
        }
        std::this_thread::sleep_for(probe_interval);
    }
}

void BenchServer::after_start()
{
    startup_memory_ = memory();
    // "5" resets VmHWM to the current RSS (proc(5), clear_refs).
    std::ofstream clear("/proc/" + std::to_string(pid_) + "/clear_refs");
    clear << "5";
    peak_reset_ = static_cast<bool>(clear.flush());
}

void BenchServer::stop()
{
    if (!running()) {
        throw std::logic_error("BenchServer::stop: not running");
    }
    ::kill(pid_, SIGTERM);
    auto status = test::wait_for_exit(pid_, Clock::now() + test::TestServer::stop_deadline);
    if (!status) {
        auto killed = test::kill_and_reap(pid_);
        pid_ = -1;
        throw std::runtime_error("ravenous did not stop on SIGTERM (then " +
                                 test::describe_exit(killed) + ")\n" + server_.log_tail(30));
    }
    pid_ = -1;
    if (*status != 0) {
        throw std::runtime_error("ravenous stopped with " + test::describe_exit(*status) + "\n" +
                                 server_.log_tail(30));
    }
}

ProcessMemory BenchServer::memory() const
{
    auto memory = running() ? read_process_memory(pid_) : std::nullopt;
    if (!memory) {
        throw std::runtime_error("BenchServer::memory: the server is not running");
    }
    return *memory;
}

void BenchServer::report_memory(ScenarioResult& result) const
{
    result.server_memory = memory();
    if (!peak_reset_) {
        result.notes.push_back("peak RSS includes start-up (the kernel refused to reset VmHWM)");
    }
}

test::HttpClient BenchServer::client() const
{
    return test::HttpClient("127.0.0.1", port());
}

const std::string& BenchServer::owner_token()
{
    if (owner_token_.empty()) {
        auto http = client();
        owner_token_ = test::login_owner(http);
    }
    return owner_token_;
}

} // namespace ravenous::bench
