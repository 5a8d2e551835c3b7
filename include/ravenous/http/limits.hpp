#pragma once

#include <chrono>
#include <cstddef>

// Every limit and timeout of the HTTP layer, in one place.
namespace ravenous::http::limits {

inline constexpr std::size_t header_bytes = 16 * 1024;
// Request bodies: events are at most 65,536 bytes; most other requests are small.
inline constexpr std::size_t default_body = 64 * 1024;
inline constexpr std::size_t event_body = 65536;
inline constexpr std::size_t large_json_body = 8 * 1024 * 1024; // batch send, keys upload

// The first request of a connection must arrive within header_timeout; a keep-alive
// connection may then wait idle_timeout for the next one.
inline constexpr std::chrono::seconds idle_timeout{75};
inline constexpr std::chrono::seconds header_timeout{30};
inline constexpr std::chrono::seconds body_timeout{60};
inline constexpr std::chrono::seconds write_timeout{60};
inline constexpr std::chrono::seconds shutdown_grace{20};

// After the server closes a connection it has answered, it still reads (and discards) what
// the client is sending, for at most this long / this much, so that the close does not reset
// the connection before the client has read the response (a "lingering close").
inline constexpr std::chrono::seconds linger_timeout{2};
inline constexpr std::size_t linger_bytes = 256 * 1024;

inline constexpr std::size_t max_connections = 4096;

// WebSockets: the handshake and the closing handshake each get this long; a connection silent
// for websocket_idle_timeout is pinged, and closed after as long again without a frame.
inline constexpr std::chrono::seconds websocket_handshake_timeout{10};
inline constexpr std::chrono::seconds websocket_idle_timeout{30};

} // namespace ravenous::http::limits
