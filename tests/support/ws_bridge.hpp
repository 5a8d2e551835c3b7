#pragma once

// A bridge's end of the WebSocket appservice protocol (fi.mau.as_sync, version 3, as mautrix
// bridges speak it) for end-to-end tests and ravenous-bench: it connects to
// GET /_matrix/client/unstable/fi.mau.as_sync with the as_token and the mautrix headers, records
// every frame, acknowledges transactions ({"command":"response","id":N,"data":{"txn_id":T}})
// unless told not to, dedupes them by txn_id as a v3 bridge does, answers the server's requests
// (http_proxy, exec commands) when given an answer, and records how the server closed the
// connection. It runs on one thread
// of its own (Beast), so a test thread blocked in wait_for() never delays an answer.
// No GoogleTest here.
//
//   WsBridge bridge{server.port(), {.as_token = "wa-as-token"}};
//   ASSERT_TRUE(bridge.connect().upgraded);
//   ... send something ...
//   ASSERT_TRUE(bridge.wait_for_events(1));
//
// All members are thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::test {

class WsBridge
{
public:
    using Clock = std::chrono::steady_clock;

    struct Options
    {
        std::string as_token;                   // empty: no Authorization header
        std::string version = "3";              // X-Mautrix-Websocket-Version; empty: none
        std::string process_id = "ws-bridge-1"; // X-Mautrix-Process-ID
        bool ack = true;                        // acknowledge transactions
        // Keep every frame and event (tests); off, only counts and the observer (bench).
        bool record = true;
        // Called on the bridge's thread with each transaction frame as it arrives, before it is
        // acknowledged.
        std::function<void(const nlohmann::json& frame, Clock::time_point at)> on_transaction;
    };

    struct Handshake
    {
        bool upgraded = false;
        int status = 0;     // the HTTP status of the handshake's answer (101 when upgraded)
        std::string body;   // its body (a Matrix error when refused)
        std::string error;  // why it failed, when no answer came
    };

    struct Transaction
    {
        std::int64_t id = 0;
        std::string txn_id;
        nlohmann::json frame;
        bool acked = false;
    };

    struct Close
    {
        int code = 0;        // 0: the connection ended without a close frame
        std::string reason;  // the close frame's reason (JSON for the server's own codes)
    };

    WsBridge(std::uint16_t port, Options options);
    ~WsBridge();
    WsBridge(const WsBridge&) = delete;
    WsBridge& operator=(const WsBridge&) = delete;

    // Connects (a new connection; an open one is left as it is, for the server to replace) and
    // returns once the handshake was answered or `timeout` passed.
    Handshake connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Sends a close frame (1000) on the current connection.
    void disconnect();
    bool connected() const;

    // Every frame received, parsed (null when not JSON), in order, all connections.
    std::vector<nlohmann::json> frames() const;
    // Every transaction received, resends included.
    std::vector<Transaction> transactions() const;
    std::size_t transaction_count() const;
    // The events of acknowledged transactions, flattened, each txn_id once.
    std::vector<nlohmann::json> events() const;
    // How each connection ended, in order (the current one, if open, is not listed).
    std::vector<Close> closes() const;

    // Waits until `predicate` holds or the timeout passes; re-checked after every frame and
    // close. The predicate may call the getters above.
    bool wait_for(std::function<bool(const WsBridge&)> predicate,
                  std::chrono::milliseconds timeout) const;
    bool wait_for_events(std::size_t count,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    // Waits for the current connection to end; its Close, or nullopt at the timeout.
    std::optional<Close> wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    void set_ack(bool ack);
    // Answers http_proxy requests with `answer(request data)` as the response's data (nullopt:
    // no answer at all). Without one, http_proxy gets no answer.
    void set_proxy_answer(std::function<std::optional<nlohmann::json>(const nlohmann::json&)> answer);

    // What the bridge answers one of the server's requests: {"command":command,"id":N,"data":data}.
    struct Reply
    {
        std::string command = "response";  // or "error"
        nlohmann::json data = nlohmann::json::object();
    };
    // Answers the server's requests of `command` with `answer(request data)` (nullopt: no answer
    // at all). Other commands, as mautrix does: {"command":"error","data":{"message":"unknown
    // request type"}} (http_proxy: no answer).
    void set_answer(std::string command,
                    std::function<std::optional<Reply>(const nlohmann::json&)> answer);

    // Sends a frame as it is.
    void send(const nlohmann::json& frame);
    void send_text(std::string text);
    // Sends {"command":command,"id":N,"data":data} and returns the server's answer to that id
    // (its whole frame), or nullopt at the timeout.
    std::optional<nlohmann::json> request(const std::string& command, nlohmann::json data,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::test
