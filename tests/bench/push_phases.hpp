#pragma once

// The delivery phases as_push and ws_push share: a bridge (HTTP receiver or WebSocket) feeds a
// DeliveryTracker; these send through the server and time what reaches it.
//  - wake-up: one message at a time (the owner's and a puppet's in turn), from the send's 200
//    being read to the bridge holding it (a push that beats the 200 counts as 0), and from just
//    before the send;
//  - steady: 8 connections send (2 as the owner, 6 as puppets) for a fixed time; events/s
//    delivered from the first send to the last delivery, and each event's lag.
// Every sent event must arrive exactly once: a missing one is an error of the metric.

#include "bench/bench_server.hpp"
#include "bench/bridge_rooms.hpp"
#include "bench/delivery_tracker.hpp"
#include "bench/load.hpp"
#include "bench/scenario.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ravenous::bench {

inline constexpr std::size_t push_message_bytes = 200;
inline constexpr std::size_t push_connections = 8;
inline constexpr std::size_t push_owner_connections = 2;
inline constexpr auto push_delivery_deadline = std::chrono::seconds(60);

double ms_between(std::chrono::steady_clock::time_point from,
                  std::chrono::steady_clock::time_point to);

// A latency figure: its p50, with the histogram's percentiles.
Metric latency_metric(std::string name, const Histogram& us, std::string note);

// The load's failures, and the events of this phase the bridge never got.
void note_failures(ScenarioResult& result, const LoadResult& load,
                   const DeliveryTracker::Phase& phase, std::string_view what);

// A message as request `seq` of a run: the owner's when `as_owner`, else a puppet's.
LoadRequest push_message(const BridgeRooms& bridge, const std::string& owner_token,
                         bool as_owner, std::uint64_t seq, std::string_view prefix);

// Load whose every 200 is recorded as sent (with its event id) in the tracker.
LoadResult send_tracked_load(const LoadOptions& options, const RequestMaker& maker,
                             DeliveryTracker& tracker);

// `label` names the scenario in progress lines.
void push_wake_up(std::string_view label, const RunContext& ctx, BenchServer& server,
                  const BridgeRooms& bridge, const std::string& owner_token,
                  DeliveryTracker& tracker, ScenarioResult& result);
void push_steady(std::string_view label, const RunContext& ctx, BenchServer& server,
                 const BridgeRooms& bridge, const std::string& owner_token,
                 DeliveryTracker& tracker, ScenarioResult& result);

} // namespace ravenous::bench
