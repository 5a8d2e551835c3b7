#pragma once

// The homeserver's side of the appservice ping (client-server appservice_ping.yaml): it calls
// POST {url}/_matrix/app/v1/ping on the bridge and measures how long the bridge took.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace ravenous::appservice {

struct Registration;

// Synapse's value; bridges ping at start-up and give up on their side after a while too.
inline constexpr std::chrono::milliseconds ping_timeout{15'000};

// Pings the appservice with its hs_token in the Authorization header and the body
// {"transaction_id": ...} (or {} without one); returns the round trip.
// Throws matrix::MatrixError: M_URL_NOT_SET (400) without a url, M_BAD_STATUS (502, with
// `status` and, when it is text, `body`) for a non-2xx answer, M_CONNECTION_FAILED (502) when
// no answer came, M_CONNECTION_TIMEOUT (504) when none came within `timeout`.
boost::asio::awaitable<std::chrono::milliseconds> ping(
    boost::asio::any_io_executor executor, std::shared_ptr<const Registration> registration,
    std::optional<std::string> transaction_id, std::chrono::milliseconds timeout = ping_timeout);

} // namespace ravenous::appservice
