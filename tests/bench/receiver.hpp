#pragma once

// The bridge end of the benchmark: an appservice's HTTP endpoint, inside the benchmark process,
// that the server pushes transactions to (PUT /_matrix/app/v1/transactions/{txnId}). It answers
// 200 {} and counts what arrives; scenarios that measure delivery (as_push) observe each
// transaction as it is received. Built on the project's own http::Server and Router, run by one
// thread of its own so that a slow scenario thread never delays an answer.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace ravenous::bench {

class AppserviceReceiver
{
public:
    using Clock = std::chrono::steady_clock;
    // Called on the receiver's thread for each accepted transaction, with its parsed body.
    using Observer = std::function<void(const nlohmann::json& transaction, Clock::time_point)>;

    struct Stats
    {
        std::uint64_t transactions = 0; // accepted (200)
        std::uint64_t events = 0;       // in their "events" arrays
        std::uint64_t ephemeral = 0;    // in "ephemeral" / "de.sorunome.msc2409.ephemeral"
        std::uint64_t rejected = 0;     // wrong hs_token or a body that is not a JSON object
    };

    // Starts listening on 127.0.0.1 at once: on a free port, or on `port` when it is not 0 (a
    // bridge coming back where it was after an outage; throws if the port is taken).
    explicit AppserviceReceiver(std::string hs_token, Observer observer = {},
                                std::uint16_t port = 0);
    ~AppserviceReceiver(); // stops accepting, lets in-flight requests finish, joins its thread
    AppserviceReceiver(const AppserviceReceiver&) = delete;
    AppserviceReceiver& operator=(const AppserviceReceiver&) = delete;

    std::uint16_t port() const;
    std::string url() const; // "http://127.0.0.1:<port>", the registration's url
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::bench
