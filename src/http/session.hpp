#pragma once

#include "connections.hpp"
#include "ravenous/http/limits.hpp"
#include "ravenous/http/router.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>

namespace ravenous::http::detail {

// What the sessions of one server share; it lives until the last session has ended.
// The router is borrowed: it must outlive every session (the application keeps it until the
// io_context has stopped).
class SessionContext
{
public:
    explicit SessionContext(const Router& router);

    const Router& router;
    ConnectionRegistry connections{limits::max_connections};

    // Short, unique within the process, unguessable across restarts: "k3Zp-1f".
    std::string next_request_id();

private:
    std::string prefix_;
    std::atomic<std::uint64_t> counter_{0};
};

// Serves one connection until it closes: requests are read one at a time (the next one only
// after the previous response is written, which keeps pipelining in order), routed, handed
// to their handler behind the exception firewall, answered with CORS headers and logged.
// Runs on the connection's strand; stops reading when the registry drains.
boost::asio::awaitable<void> run_session(std::shared_ptr<SessionContext> context,
                                         std::shared_ptr<Connection> connection);

} // namespace ravenous::http::detail
