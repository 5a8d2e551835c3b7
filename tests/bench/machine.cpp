#include "bench/machine.hpp"

#include <fstream>
#include <sched.h>
#include <sstream>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

namespace ravenous::bench {
namespace {

// "key<spaces>: value" lines (cpuinfo) or "Key:<spaces>value" lines (status): the value of the
// first line whose key matches, trimmed.
std::optional<std::string> field(const std::string& path, std::string_view key)
{
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        auto name = line.substr(0, colon);
        name.erase(name.find_last_not_of(" \t") + 1);
        if (name != key) {
            continue;
        }
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \t\r") + 1);
        return value;
    }
    return std::nullopt;
}

std::uint64_t kib_field(const std::string& path, std::string_view key)
{
    auto value = field(path, key); // "123456 kB"
    return value ? std::stoull(*value) : 0;
}

unsigned usable_cores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        return static_cast<unsigned>(CPU_COUNT(&set));
    }
    return std::thread::hardware_concurrency();
}

} // namespace

std::string load_average()
{
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return in ? a + " " + b + " " + c : std::string();
}

Machine describe_machine()
{
    Machine m;
    m.cores = usable_cores();
    m.cpu_model = field("/proc/cpuinfo", "model name").value_or("unknown CPU");
    if (auto mhz = field("/proc/cpuinfo", "cpu MHz")) {
        m.cpu_mhz = std::stod(*mhz);
    }
    m.memory_mib = kib_field("/proc/meminfo", "MemTotal") / 1024;
    utsname u{};
    if (::uname(&u) == 0) {
        m.kernel = std::string(u.sysname) + " " + u.release;
    }
    m.load_average = load_average();
    return m;
}

std::string to_string(const Machine& m)
{
    std::ostringstream out;
    out << m.cores << (m.cores == 1 ? " core, " : " cores, ") << m.cpu_model;
    if (m.cpu_mhz > 0) {
        out << " @ " << static_cast<long>(m.cpu_mhz + 0.5) << " MHz";
    }
    out << ", " << m.memory_mib / 1024 << " GiB RAM, " << m.kernel;
    if (!m.load_average.empty()) {
        out << "; load average " << m.load_average << " at start";
    }
    return out.str();
}

std::optional<ProcessMemory> read_process_memory(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/status";
    if (!std::ifstream(path)) {
        return std::nullopt;
    }
    ProcessMemory m;
    m.peak_rss_kib = kib_field(path, "VmHWM");
    m.current_rss_kib = kib_field(path, "VmRSS");
    return m;
}

} // namespace ravenous::bench
