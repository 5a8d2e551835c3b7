#pragma once

// Child processes for the tests: spawn with posix_spawn, wait with a deadline, run to completion
// capturing output. Plain POSIX, no GoogleTest (ravenous-bench reuses it).

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace ravenous::test {

using EnvVars = std::vector<std::pair<std::string, std::string>>;

// How a process ended: an exit code (>= 0) or a signal, shown as the negative signal number
// (Python's subprocess convention), e.g. -9 for SIGKILL.
using ExitStatus = int;

struct SpawnOptions
{
    std::vector<std::string> argv; // argv[0] is the program
    bool search_path = false;      // look argv[0] up in PATH (posix_spawnp)
    EnvVars env;                   // added to (or replacing in) the inherited environment
    // Inherited variables starting with this prefix are dropped (empty: keep all), so that e.g. a
    // developer's RAVENOUS_LISTEN cannot leak into a test server. `env` is applied afterwards.
    std::string drop_inherited_prefix;
    std::string cwd; // empty: the current directory
    // File descriptors for the child's stdin/stdout/stderr; -1 means /dev/null. The same fd may
    // be given for stdout and stderr. They are dup2'ed, so O_CLOEXEC on them is fine.
    int stdin_fd = -1;
    int stdout_fd = -1;
    int stderr_fd = -1;
};

// Starts the process; throws std::system_error when it cannot be spawned.
pid_t spawn_process(const SpawnOptions& options);

// Waits (without polling) until the process exits or the deadline passes. Returns its status,
// or nullopt on timeout (the process is then still running and not reaped).
std::optional<ExitStatus> wait_for_exit(pid_t pid, std::chrono::steady_clock::time_point deadline);

// Non-blocking: the status if the process has exited (it is then reaped), else nullopt.
std::optional<ExitStatus> try_reap(pid_t pid);

// SIGKILL then reap (bounded wait; a SIGKILLed process exits promptly).
ExitStatus kill_and_reap(pid_t pid);

struct ProcessResult
{
    ExitStatus exit_code = -1; // see ExitStatus; meaningless when timed_out
    std::string output;        // stdout and stderr, interleaved as written
    bool timed_out = false;    // killed with SIGKILL at the deadline
};

// Runs argv[0] (a path) to completion, capturing stdout+stderr, killing it at the timeout.
ProcessResult run_process(std::vector<std::string> argv, const EnvVars& env,
                          std::chrono::milliseconds timeout,
                          const std::string& drop_inherited_prefix = {});

// "exit code 3" / "killed by signal 9 (Killed)".
std::string describe_exit(ExitStatus status);

// An O_CLOEXEC pipe: {read end, write end}; throws std::system_error.
std::pair<int, int> make_pipe();

} // namespace ravenous::test
