#include "support/spec_validator.hpp"

#include "support/process.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <signal.h>
#include <stdexcept>
#include <unistd.h>

#ifndef RAVENOUS_SOURCE_DIR
#error "RAVENOUS_SOURCE_DIR must be defined (tests/CMakeLists.txt does it)"
#endif

namespace ravenous::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Generous: loading and dereferencing the spec takes about a second on our machines.
constexpr auto answer_deadline = std::chrono::seconds(60);

std::string env_or_empty(const char* name)
{
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

// Where the spec is, or "" with `reason` filled.
std::string find_spec_dir(std::string& reason)
{
    if (auto from_env = env_or_empty("RAVENOUS_MATRIX_SPEC"); !from_env.empty()) {
        if (fs::is_directory(fs::path(from_env) / "data/api/client-server")) {
            return from_env;
        }
        reason = "RAVENOUS_MATRIX_SPEC=" + from_env + " has no data/api/client-server";
        return {};
    }
    for (fs::path candidate : {fs::path(RAVENOUS_SOURCE_DIR) / "../shared/matrix-spec",
                               fs::path("/work/shared/matrix-spec")}) {
        if (fs::is_directory(candidate / "data/api/client-server")) {
            return fs::weakly_canonical(candidate).string();
        }
    }
    reason = "no Matrix spec found (set RAVENOUS_MATRIX_SPEC or put it at ../shared/matrix-spec)";
    return {};
}

} // namespace

struct SpecValidator::Impl
{
    enum class State
    {
        not_started,
        running,
        unavailable,
        broken
    };

    std::mutex mutex;
    State state = State::not_started;
    std::string reason;
    pid_t pid = -1;
    int to_child = -1;
    int from_child = -1;
    std::string pending; // bytes read past the last answer line

    void start()
    {
        fs::path js_dir = fs::path(RAVENOUS_SOURCE_DIR) / "tests/js";
        std::string spec_dir = find_spec_dir(reason);
        if (spec_dir.empty()) {
            state = State::unavailable;
            return;
        }
        if (!fs::exists(js_dir / "node_modules/ajv/package.json") ||
            !fs::exists(js_dir / "node_modules/@apidevtools/json-schema-ref-parser/package.json")) {
            reason = (js_dir / "node_modules").string() +
                     " is missing or incomplete: run npm ci in tests/js";
            state = State::unavailable;
            return;
        }
        // A dead validator must surface as an error from write(), not kill the test process.
        ::signal(SIGPIPE, SIG_IGN);
        auto [child_stdin, parent_out] = make_pipe();
        auto [parent_in, child_stdout] = make_pipe();
        try {
            SpawnOptions options;
            options.argv = {"node", (js_dir / "spec-validator.mjs").string(), spec_dir};
            options.search_path = true;
            options.stdin_fd = child_stdin;
            options.stdout_fd = child_stdout;
            options.stderr_fd = STDERR_FILENO;
            pid = spawn_process(options);
        } catch (const std::exception& e) {
            for (int fd : {child_stdin, parent_out, parent_in, child_stdout}) {
                ::close(fd);
            }
            reason = std::string("cannot start node (is Node.js installed?): ") + e.what();
            state = State::unavailable;
            return;
        }
        ::close(child_stdin);
        ::close(child_stdout);
        to_child = parent_out;
        from_child = parent_in;
        state = State::running;
    }

    void fail(std::string why)
    {
        reason = "the spec validator (node tests/js/spec-validator.mjs) failed: " + std::move(why);
        state = State::broken;
        stop();
    }

    void stop()
    {
        if (to_child >= 0) {
            ::close(to_child); // EOF on its stdin: it exits
            to_child = -1;
        }
        if (pid > 0) {
            if (!wait_for_exit(pid, Clock::now() + std::chrono::seconds(5))) {
                kill_and_reap(pid);
            }
            pid = -1;
        }
        if (from_child >= 0) {
            ::close(from_child);
            from_child = -1;
        }
    }

    bool write_line(const std::string& line)
    {
        std::string_view rest = line;
        while (!rest.empty()) {
            ssize_t n = ::write(to_child, rest.data(), rest.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            rest.remove_prefix(static_cast<size_t>(n));
        }
        return true;
    }

    std::optional<std::string> read_line(Clock::time_point deadline)
    {
        for (;;) {
            if (auto nl = pending.find('\n'); nl != std::string::npos) {
                std::string line = pending.substr(0, nl);
                pending.erase(0, nl + 1);
                return line;
            }
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            pollfd pfd{from_child, POLLIN, 0};
            int rc = ::poll(&pfd, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
            if (rc < 0 && errno == EINTR) {
                continue;
            }
            if (rc <= 0) {
                return std::nullopt;
            }
            char buffer[65536];
            ssize_t n = ::read(from_child, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return std::nullopt;
            }
            pending.append(buffer, static_cast<size_t>(n));
        }
    }

    SpecCheck not_available()
    {
        if (state == State::unavailable && env_or_empty("CI").empty()) {
            static bool warned = false;
            if (!warned) {
                warned = true;
                std::cerr << "warning: Matrix spec validation is off: " << reason
                          << " (with CI set this is an error)\n";
            }
            return {true, "spec validation unavailable: " + reason, false, false, true};
        }
        return {false, "spec validation unavailable: " + reason, false, false, true};
    }
};

SpecValidator& SpecValidator::instance()
{
    static SpecValidator validator;
    return validator;
}

SpecValidator::SpecValidator() : impl_(std::make_unique<Impl>()) {}

SpecValidator::~SpecValidator()
{
    impl_->stop();
}

bool SpecValidator::available()
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->state == Impl::State::not_started) {
        impl_->start();
    }
    return impl_->state == Impl::State::running;
}

SpecCheck SpecValidator::validate(std::string_view method, std::string_view path, int status,
                                  const nlohmann::json& body)
{
    std::lock_guard lock(impl_->mutex);
    auto& d = *impl_;
    if (d.state == Impl::State::not_started) {
        d.start();
    }
    if (d.state != Impl::State::running) {
        return d.not_available();
    }
    nlohmann::json request{{"method", method}, {"path", path}, {"status", status}};
    if (!body.is_discarded()) {
        request["body"] = body;
    }
    if (!d.write_line(request.dump() + "\n")) {
        d.fail("it exited (see its output above)");
        return d.not_available();
    }
    auto line = d.read_line(Clock::now() + answer_deadline);
    if (!line) {
        d.fail("no answer within " + std::to_string(answer_deadline.count()) + " s");
        return d.not_available();
    }
    auto answer = nlohmann::json::parse(*line, nullptr, false);
    if (!answer.is_object() || !answer.contains("ok")) {
        d.fail("unexpected answer: " + *line);
        return d.not_available();
    }
    SpecCheck check;
    check.ok = answer.value("ok", false);
    check.schema_applied = answer.value("schema", false);
    check.endpoint_known = answer.value("endpoint", true);
    if (answer.contains("skipped")) {
        check.message = answer["skipped"].get<std::string>();
    }
    for (const auto& error : answer.value("errors", nlohmann::json::array())) {
        check.message += (check.message.empty() ? "" : "\n  ") + error.get<std::string>();
    }
    return check;
}

} // namespace ravenous::test
