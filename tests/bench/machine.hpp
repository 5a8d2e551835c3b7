#pragma once

// The machine a run was made on, and what the kernel says about a process's memory: figures
// are meaningless without the former, and the latter is the only honest RSS.

#include "bench/scenario.hpp"

#include <optional>
#include <string>
#include <sys/types.h>

namespace ravenous::bench {

struct Machine
{
    unsigned cores = 0;    // CPUs this process may run on
    std::string cpu_model; // /proc/cpuinfo "model name"
    double cpu_mhz = 0;    // /proc/cpuinfo "cpu MHz" of the first CPU (0: unknown)
    std::uint64_t memory_mib = 0;
    std::string kernel;       // uname -sr
    std::string load_average; // /proc/loadavg, the three averages, when the run started
};

Machine describe_machine();

// "2 cores, Intel(R) Xeon(R) Processor @ 2100 MHz, 23.5 GiB, Linux 6.1.0; load 0.52 0.61 0.40"
std::string to_string(const Machine& machine);

// VmHWM and VmRSS of a running process; nullopt when /proc has no such process.
std::optional<ProcessMemory> read_process_memory(pid_t pid);

// The three load averages from /proc/loadavg ("" if unreadable).
std::string load_average();

} // namespace ravenous::bench
