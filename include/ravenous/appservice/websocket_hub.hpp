#pragma once

// Bridges that cannot be reached over HTTP connect to us instead (GET
// /_matrix/client/unstable/fi.mau.as_sync, mautrix's protocol version 3): one JSON object per
// text frame, transactions acknowledged by id, requests both ways. The hub keeps one
// connection per appservice (a new one replaces the old, closed with 4001), answers what
// bridges ask (ping), keeps what they report (bridge_status, message_checkpoint), sends
// transactions for the pusher and requests for the operator API (http_proxy).
//
// It knows nothing of HTTP: api/ hands it each connection as a BridgeSocket and each text
// frame through receive(). Thread-safe; no lock is held while a socket or callback is called
// back into the hub.

#include "ravenous/appservice/pusher.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace ravenous::appservice {

// Close codes and the statuses in their reasons ({"command":"disconnect","status":...}).
namespace ws_close {
inline constexpr std::uint16_t conn_replaced = 4001;
inline constexpr std::uint16_t not_acknowledged = 4002;
inline constexpr std::string_view conn_replaced_status = "conn_replaced";
inline constexpr std::string_view not_acknowledged_status = "transactions_not_acknowledged";
inline constexpr std::string_view shutting_down_status = "server_shutting_down";
inline constexpr std::string_view unregistered_status = "appservice_unregistered";
// The close reason bridges parse: {"command":"disconnect","status":"<status>"}.
std::string reason(std::string_view status);
} // namespace ws_close

// A command that may be sent to a bridge on someone's behalf (exec, the operator's proxy): a
// name of [a-z0-9_.-] (at most 64), and none of the protocol's own (transaction, response,
// error, connect, disconnect), which would let a request pass for the homeserver's.
bool is_bridge_command(std::string_view command);

// The bridge's end of one connection, as the hub writes to it.
class BridgeSocket
{
public:
    virtual ~BridgeSocket() = default;
    // Thread-safe. False when it could not be queued (closing, closed, or not reading).
    virtual bool send(std::string text) = 0;
    virtual void close(std::uint16_t code, std::string reason) = 0;
};

// What a connection said of itself in its handshake.
struct BridgeConnectionInfo
{
    std::string process_id;  // X-Mautrix-Process-ID
    std::string remote_address;
};

struct WebSocketOptions
{
    // A transaction's first send waits this long for its acknowledgement (mautrix-asmux: 5 s),
    // a resend and a request of the operator's this long (30 s).
    std::chrono::milliseconds ack_timeout{5'000};
    std::chrono::milliseconds request_timeout{30'000};
    // Transactions unacknowledged in a row before the connection is closed with 4002.
    unsigned max_timeouts = 7;
};

class WebSocketHub
{
public:
    class Link;  // one connection

    explicit WebSocketHub(WebSocketOptions options);
    ~WebSocketHub();
    WebSocketHub(const WebSocketHub&) = delete;
    WebSocketHub& operator=(const WebSocketHub&) = delete;

    const WebSocketOptions& options() const { return options_; }

    // Called (outside any lock) with the appservice id whenever a bridge connects.
    void set_on_connect(std::function<void(const std::string&)> callback);

    // A new connection of this appservice: it hears {"command":"connect","status":"connected"}
    // and replaces the current one, which is closed with 4001 and whose requests fail.
    std::shared_ptr<Link> attach(const std::string& appservice_id,
                                 std::shared_ptr<BridgeSocket> socket, BridgeConnectionInfo info);
    // One text frame from the bridge. Not JSON (or not an object): the connection is closed
    // with 1007, as mautrix does with ours.
    void receive(Link& link, std::string_view text);
    // The connection has ended: its unanswered requests fail now.
    void detach(Link& link);

    bool connected(std::string_view appservice_id) const;

    struct Delivery
    {
        std::optional<std::string> error;  // nullopt: acknowledged
        bool back_off = false;  // the bridge answered with an error (a timeout has waited already)
    };
    // Sends a transaction ({"command":"transaction","id":N,"status":"ok","txn_id":...} plus the
    // keys of `body_json`, a non-empty JSON object as text) and waits up to `timeout` for the
    // bridge's {"command":"response","id":N}. `max_timeouts` timeouts in a row close the
    // connection with 4002.
    boost::asio::awaitable<Delivery> deliver(std::string appservice_id, std::string txn_id,
                                             std::string body_json,
                                             std::chrono::milliseconds timeout);

    // Sends {"command":command,"id":N,"data":data} and returns the data of the bridge's
    // response. Throws matrix::MatrixError: 503 M_CONNECTION_FAILED when no bridge is connected
    // or it went away before answering, 504 M_CONNECTION_TIMEOUT after request_timeout, 502
    // M_UNKNOWN (with the bridge's data as "bridge_error") when it answered with an error.
    boost::asio::awaitable<nlohmann::json> request(std::string appservice_id,
                                                   std::string command, nlohmann::json data);

    // Connections and reports of appservices not in `ids` (unregistered, or no longer
    // delivered over a WebSocket) are dropped; a connection is closed with 1008.
    void retain(const std::set<std::string, std::less<>>& ids);

    std::optional<WebSocketStatus> status(std::string_view appservice_id) const;

private:
    struct Entry;
    struct Pending;
    struct Answer;

    // Sends the frame `make(id)` on the current connection and waits for its answer.
    boost::asio::awaitable<Answer> call(const std::string& appservice_id,
                                        std::function<std::string(std::int64_t)> make,
                                        std::chrono::milliseconds timeout);
    void resolve(Link& link, std::int64_t id, bool error, nlohmann::json data);
    void record_status(Link& link, nlohmann::json data);
    void record_checkpoints(Link& link, const nlohmann::json& data);
    // Closes the link (if still current: detached, with `status` recorded).
    void close(const std::shared_ptr<Link>& link, std::uint16_t code, std::string_view status);
    // Mutex held: fails every pending request of the link.
    void fail_pending(Link& link);

    const WebSocketOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
    std::int64_t next_request_id_ = 1;
    std::uint64_t next_link_serial_ = 1;
    std::function<void(const std::string&)> on_connect_;
};

} // namespace ravenous::appservice
