#pragma once

// /sync's next_batch tokens: "s<stream>_<ephemeral>". The stream part is the global stream
// position; the ephemeral part the notifier's in-memory serial (typing, presence).

#include "ravenous/sync/notifier.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::sync::token {

std::string format(const Position& position);
// nullopt if malformed. A bare "s<stream>" (what /messages-style stream tokens look like) has
// ephemeral 0.
std::optional<Position> parse(std::string_view text);

} // namespace ravenous::sync::token
