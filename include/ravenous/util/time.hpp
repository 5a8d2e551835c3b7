#pragma once

#include <cstdint>

namespace ravenous::util {

// Milliseconds since the Unix epoch (wall clock): origin_server_ts and friends.
std::int64_t now_ms();

// Monotonic microseconds, for durations only.
std::int64_t monotonic_us();

} // namespace ravenous::util
