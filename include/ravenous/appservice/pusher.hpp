#pragma once

// Delivery to bridges: one durable consumer of the stream per appservice that has a url. The
// log is the queue: each consumer reads what its appservice is interested in after its
// cursor, sends it as a transaction whose id is derived from the range (a retry resends the
// same id with the same content), and advances its cursor only after a 2xx.

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
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

// What the operator API and metrics show of one appservice's delivery.
struct DeliveryStatus
{
    std::string appservice_id;
    std::int64_t cursor = 0;        // everything up to here was delivered (or not of interest)
    std::int64_t stream_head = 0;   // the stream position now
    std::uint64_t transactions_sent = 0;
    std::uint64_t failures_in_a_row = 0;
    std::optional<std::string> last_error;
};

class Pusher
{
public:
    Pusher(boost::asio::any_io_executor executor, const Registry& registry,
           storage::Database& db, sync::Notifier& notifier, sync::EphemeralState& ephemeral,
           std::string server_name, std::string owner_user_id);
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

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace ravenous::appservice
