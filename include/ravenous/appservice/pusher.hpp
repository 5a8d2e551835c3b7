#pragma once

// Delivery to bridges: one durable consumer of the stream per appservice that has a url or
// connects over a WebSocket (appservice/websocket_hub.hpp). The log is the queue: each
// consumer reads what its appservice is interested in after its cursor, sends it as a
// transaction whose id is derived from the range (a retry resends the same id with the same
// content), and advances its cursor only after a 2xx (or the WebSocket bridge's ack).

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage {
class Database;
}
namespace ravenous::sync {
class Notifier;
class EphemeralState;
}

namespace ravenous::appservice {

class Registry;

class WebSocketHub;
struct WebSocketOptions;

// One bridge_status a WebSocket bridge sent (mautrix's BridgeState): about the bridge itself,
// or about one of its remote logins when remote_id is set.
struct BridgeState
{
    std::string state_event;  // STARTING, RUNNING, CONNECTED, BAD_CREDENTIALS, LOGGED_OUT...
    std::string remote_id;    // empty: the bridge itself
    std::string remote_name;
    std::string error;        // the bridge's error code, if any
    std::string message;
    std::int64_t timestamp = 0;    // as the bridge sent it (Unix seconds)
    std::int64_t received_ms = 0;  // when it arrived
    std::string json;              // the whole object as sent ("" when over 16 KiB)
};

// A WebSocket bridge's connection and what it last reported (bridge_status,
// message_checkpoint): shown by the operator API, read by metrics.
struct WebSocketStatus
{
    static constexpr std::size_t max_remote_states = 100;
    static constexpr std::size_t max_checkpoint_kinds = 64;

    bool connected = false;
    std::string process_id;      // X-Mautrix-Process-ID of the current (or last) connection
    std::string remote_address;
    std::int64_t since_ms = 0;   // when it connected, or when it went away
    std::uint64_t connections = 0;  // accepted since the server started
    std::optional<std::uint16_t> last_close_code;  // what the server last closed it with
    std::string last_close_status;                 // conn_replaced, transactions_not_acknowledged...
    std::optional<BridgeState> bridge;             // the latest without remote_id
    std::vector<BridgeState> remotes;              // the latest per remote_id (bounded)
    std::uint64_t checkpoints = 0;                 // message checkpoints received
    std::map<std::string, std::uint64_t> checkpoint_counts;  // by "STEP/STATUS" (bounded)
    std::string last_checkpoint;                             // JSON ("" when over 16 KiB)
};

// What the operator API and metrics show of one appservice's delivery.
struct DeliveryStatus
{
    std::string appservice_id;
    std::int64_t cursor = 0;        // everything up to here was delivered (or not of interest)
    std::int64_t stream_head = 0;   // the stream position now
    std::uint64_t transactions_sent = 0;
    std::uint64_t failures_in_a_row = 0;
    std::optional<std::string> last_error;
    std::optional<WebSocketStatus> websocket;  // set for bridges delivered over a WebSocket
};

class Pusher
{
public:
    Pusher(boost::asio::any_io_executor executor, const Registry& registry,
           storage::Database& db, sync::Notifier& notifier, sync::EphemeralState& ephemeral,
           std::string server_name, std::string owner_user_id, const WebSocketOptions& websocket);
    ~Pusher();
    Pusher(const Pusher&) = delete;
    Pusher& operator=(const Pusher&) = delete;

    // Starts a consumer for every registration with a url. Call once the io_context runs or
    // is about to.
    void start();
    // The registry changed (an appservice was added, replaced or removed): consumers are
    // started, restarted with the new registration, or stopped to match. Thread-safe.
    void refresh();
    // The bridge said it is reachable (it pinged us): a consumer waiting out a back-off
    // retries now. Thread-safe; unknown ids are ignored.
    void poke(std::string_view appservice_id);
    // Stops every consumer (an in-flight request is cancelled; its cursor stays). Idempotent.
    void stop();

    std::vector<DeliveryStatus> status() const;

    // The WebSocket bridges' connections (the as_sync route hands them over here).
    std::shared_ptr<WebSocketHub> websockets() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace ravenous::appservice
