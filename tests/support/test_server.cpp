#include "support/test_server.hpp"

#include "support/spec_validator.hpp"

#include <cstdlib>
#include <deque>
#include <exception>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <signal.h>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unistd.h>

#ifndef RAVENOUS_BINARY
#error "RAVENOUS_BINARY must be defined (tests/CMakeLists.txt does it)"
#endif

namespace ravenous::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string env_or(const char* name, std::string fallback)
{
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
}

bool keep_all_dirs()
{
    return env_or("RAVENOUS_TEST_KEEP", "") == "1";
}

std::function<bool()>& failure_probe()
{
    static std::function<bool()> probe;
    return probe;
}

} // namespace

TestServer::TestServer() : TestServer(Options{}) {}

TestServer::TestServer(Options options) : options_(std::move(options))
{
    if (options_.dir.empty()) {
        std::string pattern = "/tmp/ravenous-test-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
        }
        dir_ = pattern;
    } else {
        dir_ = options_.dir;
        fs::create_directories(dir_);
    }
    port_ = options_.port != 0 ? options_.port : pick_free_port();
}

TestServer::~TestServer()
{
    // The test failed, or is being unwound by an exception (not yet recorded as a failure).
    bool failed = std::uncaught_exceptions() > 0 || (failure_probe() && failure_probe()());
    try {
        if (running()) {
            stop();
        }
    } catch (const std::exception& e) {
        std::cerr << "TestServer: " << e.what() << "\n";
        failed = false; // the exception message already carries the log
    }
    if (failed) {
        std::cerr << "---- tail of " << log_path().string() << " ----\n"
                  << log_tail(50) << "---- end of server log ----\n";
    }
    if (keep_all_dirs() || options_.keep_dir) {
        std::cerr << "TestServer: kept " << dir_.string() << "\n";
        return;
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

void TestServer::start()
{
    if (running()) {
        throw std::logic_error("TestServer::start: already running (pid " + std::to_string(pid_) +
                               ")");
    }
    write_config();
    // Let node load the spec schemas while the server starts (client() validates by default).
    SpecValidator::instance().available();
    int log_fd = ::open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        throw std::system_error(errno, std::generic_category(), "open " + log_path().string());
    }
    SpawnOptions spawn;
    spawn.argv = {binary_path(), "--config", config_path().string()};
    spawn.env = options_.env;
    spawn.drop_inherited_prefix = "RAVENOUS_";
    spawn.cwd = dir_.string();
    spawn.stdout_fd = log_fd;
    spawn.stderr_fd = log_fd;
    try {
        pid_ = spawn_process(spawn);
    } catch (...) {
        ::close(log_fd);
        throw;
    }
    ::close(log_fd);

    // The one poll loop of the test support: until /versions answers 200 or the deadline.
    auto deadline = Clock::now() + start_deadline;
    HttpClient probe("127.0.0.1", port_);
    probe.set_timeout(std::chrono::milliseconds(1000));
    for (;;) {
        if (auto status = try_reap(pid_)) {
            pid_ = -1;
            throw std::runtime_error(
                failure("ravenous exited during start-up (" + describe_exit(*status) + ")"));
        }
        try {
            if (probe.get("/_matrix/client/versions").status == 200) {
                return;
            }
        } catch (const std::runtime_error&) {
            // not listening yet (connection refused) or not answering yet
        }
        if (Clock::now() >= deadline) {
            auto status = kill_and_reap(pid_);
            pid_ = -1;
            throw std::runtime_error(
                failure("ravenous did not answer GET /_matrix/client/versions with 200 within " +
                        std::to_string(start_deadline.count()) + " s (then " +
                        describe_exit(status) + ")"));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

ExitStatus TestServer::stop()
{
    if (!running()) {
        throw std::logic_error("TestServer::stop: not running");
    }
    ::kill(pid_, SIGTERM);
    auto status = wait_for_exit(pid_, Clock::now() + stop_deadline);
    if (!status) {
        auto killed = kill_and_reap(pid_);
        pid_ = -1;
        throw std::runtime_error(
            failure("ravenous did not exit within " + std::to_string(stop_deadline.count()) +
                    " s of SIGTERM (then SIGKILL: " + describe_exit(killed) + ")"));
    }
    pid_ = -1;
    return *status;
}

ExitStatus TestServer::kill()
{
    if (!running()) {
        throw std::logic_error("TestServer::kill: not running");
    }
    auto status = kill_and_reap(pid_);
    pid_ = -1;
    return status;
}

void TestServer::restart()
{
    auto status = stop();
    if (status != 0) {
        throw std::runtime_error(
            failure("ravenous stopped with " + describe_exit(status) + " on SIGTERM"));
    }
    start();
}

std::string TestServer::base_url() const
{
    return "http://127.0.0.1:" + std::to_string(port_);
}

HttpClient TestServer::client() const
{
    HttpClient client("127.0.0.1", port_);
    client.set_spec_validation(true);
    return client;
}

std::string TestServer::log_tail(std::size_t lines) const
{
    std::ifstream in(log_path());
    std::deque<std::string> tail;
    for (std::string line; std::getline(in, line);) {
        tail.push_back(std::move(line));
        if (tail.size() > lines) {
            tail.pop_front();
        }
    }
    std::string out;
    for (const auto& line : tail) {
        out += line + "\n";
    }
    return out;
}

std::string TestServer::failure(const std::string& what) const
{
    return what + "\n(directory " + dir_.string() + ", port " + std::to_string(port_) +
           ")\n---- tail of server.log ----\n" + log_tail(50) + "---- end of server log ----";
}

ProcessResult TestServer::run_binary(std::vector<std::string> args, const EnvVars& env,
                                     std::chrono::milliseconds timeout)
{
    args.insert(args.begin(), binary_path());
    return run_process(std::move(args), env, timeout, "RAVENOUS_");
}

ProcessResult TestServer::check_config(const std::filesystem::path& config)
{
    return run_binary({"check-config", "--config", config.string()});
}

std::string TestServer::binary_path()
{
    return env_or("RAVENOUS_TEST_BINARY", RAVENOUS_BINARY);
}

void TestServer::set_failure_probe(std::function<bool()> probe)
{
    failure_probe() = std::move(probe);
}

} // namespace ravenous::test
