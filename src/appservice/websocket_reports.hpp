#pragma once

// What WebSocket bridges report about themselves, kept in their WebSocketStatus
// (module-private; bounded however much a bridge sends).

#include "ravenous/appservice/pusher.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>

namespace ravenous::appservice {

// The JSON text of a report is kept only up to this size.
inline constexpr std::size_t max_report_json = 16 * 1024;

// A bridge_status command's data (mautrix's BridgeState), received at `now_ms`.
BridgeState bridge_state_from_json(const nlohmann::json& data, std::int64_t now_ms);

// The latest state of the bridge itself, or of the remote login it names: a new remote login
// beyond WebSocketStatus::max_remote_states replaces the one heard from longest ago.
void keep_bridge_state(WebSocketStatus& status, BridgeState state);

// A message_checkpoint command's data ({"checkpoints":[...]}): counted by step and status,
// the last one kept.
void keep_checkpoints(WebSocketStatus& status, const nlohmann::json& data);

} // namespace ravenous::appservice
