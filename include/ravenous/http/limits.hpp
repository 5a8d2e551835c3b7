#pragma once

#include <chrono>
#include <cstddef>

// Every limit and timeout of the HTTP layer, in one place.
namespace ravenous::http::limits {

inline constexpr std::size_t header_bytes = 16 * 1024;
// Request bodies: events are at most 65,536 bytes; most other requests are small.
inline constexpr std::size_t default_body = 64 * 1024;
inline constexpr std::size_t event_body = 65536;
inline constexpr std::size_t large_json_body = 8 * 1024 * 1024;  // batch send, keys upload

inline constexpr std::chrono::seconds idle_timeout{75};
inline constexpr std::chrono::seconds header_timeout{30};
inline constexpr std::chrono::seconds body_timeout{60};
inline constexpr std::chrono::seconds write_timeout{60};
inline constexpr std::chrono::seconds shutdown_grace{20};

inline constexpr std::size_t max_connections = 4096;

} // namespace ravenous::http::limits
