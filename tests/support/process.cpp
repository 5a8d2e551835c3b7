#include "support/process.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

extern char** environ;

namespace ravenous::test {
namespace {

using Clock = std::chrono::steady_clock;

std::system_error errno_error(const std::string& what)
{
    return std::system_error(errno, std::generic_category(), what);
}

ExitStatus decode(int wstatus)
{
    if (WIFEXITED(wstatus)) {
        return WEXITSTATUS(wstatus);
    }
    return WIFSIGNALED(wstatus) ? -WTERMSIG(wstatus) : -1;
}

int millis_until(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::vector<std::string> child_environment(const EnvVars& env, const std::string& drop_prefix)
{
    std::vector<std::string> out;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string entry = *e;
        std::string name = entry.substr(0, entry.find('='));
        bool dropped = !drop_prefix.empty() && name.starts_with(drop_prefix);
        bool replaced = false;
        for (const auto& [key, value] : env) {
            replaced = replaced || key == name;
        }
        if (!dropped && !replaced) {
            out.push_back(std::move(entry));
        }
    }
    for (const auto& [key, value] : env) {
        out.push_back(key + "=" + value);
    }
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings)
{
    std::vector<char*> out;
    for (auto& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

// posix_spawn_file_actions_t with RAII and error checks.
class FileActions
{
public:
    FileActions() { posix_spawn_file_actions_init(&actions_); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;

    void redirect(int fd, int target)
    {
        int rc = fd < 0 ? posix_spawn_file_actions_addopen(&actions_, target, "/dev/null",
                                                           target == 0 ? O_RDONLY : O_WRONLY, 0)
                        : posix_spawn_file_actions_adddup2(&actions_, fd, target);
        check(rc, "redirect");
    }
    void chdir(const std::string& dir)
    {
        check(posix_spawn_file_actions_addchdir_np(&actions_, dir.c_str()), "chdir");
    }
    // Asio opens sockets without SOCK_CLOEXEC: without this a child would hold the test's
    // listening sockets (a FakeBridge's, say) open, and a port the test closed would go on
    // accepting connections that nobody answers.
    void close_inherited() { check(posix_spawn_file_actions_addclosefrom_np(&actions_, 3), "closefrom"); }
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    static void check(int rc, const char* what)
    {
        if (rc != 0) {
            throw std::system_error(rc, std::generic_category(),
                                    std::string("posix_spawn ") + what);
        }
    }
    posix_spawn_file_actions_t actions_;
};

} // namespace

pid_t spawn_process(const SpawnOptions& options)
{
    if (options.argv.empty()) {
        throw std::invalid_argument("spawn_process: empty argv");
    }
    FileActions actions;
    actions.redirect(options.stdin_fd, 0);
    actions.redirect(options.stdout_fd, 1);
    actions.redirect(options.stderr_fd, 2);
    if (!options.cwd.empty()) {
        actions.chdir(options.cwd);
    }
    actions.close_inherited();
    auto args = options.argv;
    auto env = child_environment(options.env, options.drop_inherited_prefix);
    auto argv = c_strings(args);
    auto envp = c_strings(env);
    pid_t pid = -1;
    int rc = options.search_path
                 ? posix_spawnp(&pid, argv[0], actions.get(), nullptr, argv.data(), envp.data())
                 : posix_spawn(&pid, argv[0], actions.get(), nullptr, argv.data(), envp.data());
    if (rc != 0) {
        throw std::system_error(rc, std::generic_category(), "cannot start " + options.argv[0]);
    }
    return pid;
}

std::optional<ExitStatus> try_reap(pid_t pid)
{
    int wstatus = 0;
    pid_t rc = ::waitpid(pid, &wstatus, WNOHANG);
    if (rc == pid) {
        return decode(wstatus);
    }
    if (rc < 0) {
        throw errno_error("waitpid " + std::to_string(pid));
    }
    return std::nullopt;
}

std::optional<ExitStatus> wait_for_exit(pid_t pid, Clock::time_point deadline)
{
    // A pidfd becomes readable when the process exits: poll() on it waits without a sleep loop.
    // The raw syscall: glibc 2.36's <sys/pidfd.h> lacks extern "C" and cannot be used from C++.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        if (auto status = try_reap(pid)) { // already exited (and maybe reaped elsewhere: throws)
            return status;
        }
        throw errno_error("pidfd_open " + std::to_string(pid));
    }
    for (;;) {
        if (auto status = try_reap(pid)) {
            ::close(pidfd);
            return status;
        }
        pollfd pfd{pidfd, POLLIN, 0};
        int rc = ::poll(&pfd, 1, millis_until(deadline));
        if (rc == 0 || (rc < 0 && errno != EINTR)) {
            ::close(pidfd);
            return try_reap(pid); // one last look; nullopt means timed out
        }
    }
}

ExitStatus kill_and_reap(pid_t pid)
{
    ::kill(pid, SIGKILL);
    auto status = wait_for_exit(pid, Clock::now() + std::chrono::seconds(10));
    if (!status) {
        throw std::runtime_error("process " + std::to_string(pid) + " survived SIGKILL for 10 s");
    }
    return *status;
}

std::pair<int, int> make_pipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw errno_error("pipe2");
    }
    return {fds[0], fds[1]};
}

ProcessResult run_process(std::vector<std::string> argv, const EnvVars& env,
                          std::chrono::milliseconds timeout,
                          const std::string& drop_inherited_prefix)
{
    auto deadline = Clock::now() + timeout;
    auto [read_end, write_end] = make_pipe();
    SpawnOptions options{std::move(argv), false,    env, drop_inherited_prefix, {}, -1,
                         write_end,       write_end};
    pid_t pid = -1;
    try {
        pid = spawn_process(options);
    } catch (...) {
        ::close(read_end);
        ::close(write_end);
        throw;
    }
    ::close(write_end);

    ProcessResult result;
    char buffer[4096];
    for (;;) {
        pollfd pfd{read_end, POLLIN, 0};
        int rc = ::poll(&pfd, 1, millis_until(deadline));
        if (rc == 0) {
            result.timed_out = true;
            break;
        }
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        ssize_t n = ::read(read_end, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; // EOF: every writer (the child and its children) has closed the pipe
        }
        result.output.append(buffer, static_cast<size_t>(n));
    }
    ::close(read_end);
    if (result.timed_out) {
        result.exit_code = kill_and_reap(pid);
        return result;
    }
    auto status = wait_for_exit(pid, deadline);
    if (!status) {
        result.timed_out = true;
        status = kill_and_reap(pid);
    }
    result.exit_code = *status;
    return result;
}

std::string describe_exit(ExitStatus status)
{
    if (status >= 0) {
        return "exit code " + std::to_string(status);
    }
    return "killed by signal " + std::to_string(-status) + " (" + ::strsignal(-status) + ")";
}

} // namespace ravenous::test
