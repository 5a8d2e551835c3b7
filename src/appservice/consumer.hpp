#pragma once

// One appservice's durable consumer of the stream (module-private; the Pusher owns them).
//
// The loop: build the transaction after the cursor (appservice/transaction.hpp), PUT it, and
// only after a 2xx move the durable cursor past it. Failures back off exponentially up to a
// low cap (bridges are local) and a ping from the bridge cuts the wait short. One request in
// flight; when caught up it sleeps on the Notifier, which the writer wakes at commit. A
// WebSocket bridge that is not connected is waited for (its connection pokes the consumer).

#include "appservice/interest.hpp"
#include "appservice/transaction.hpp"
#include "ravenous/appservice/pusher.hpp"
#include "appservice/transport.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace ravenous::appservice {

struct ConsumerDeps
{
    storage::Database& db;
    sync::Notifier& notifier;
    sync::EphemeralState& ephemeral;
    std::string server_name;
    std::string owner_user_id;
    std::int64_t boot_id;
    std::shared_ptr<WebSocketHub> websockets;
};

class Consumer : public std::enable_shared_from_this<Consumer>
{
public:
    static constexpr std::chrono::milliseconds first_backoff{500};
    static constexpr std::chrono::milliseconds max_backoff{30'000};

    // `initial_cursor`: where to begin if the appservice has no stored cursor yet.
    Consumer(boost::asio::any_io_executor executor, std::shared_ptr<const Registration> registration,
             std::shared_ptr<ConsumerDeps> deps, std::int64_t initial_cursor);

    void start();
    // Thread-safe. No transaction is sent after this returns except one already in flight.
    void stop();
    // Thread-safe: ends a back-off wait now.
    void poke();

    const std::shared_ptr<const Registration>& registration() const { return registration_; }
    DeliveryStatus status() const;

private:
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<std::int64_t> load_cursor();
    boost::asio::awaitable<Transaction> build(std::int64_t head, std::int64_t ephemeral_now);
    // True on a 2xx.
    boost::asio::awaitable<bool> send(const Transaction& transaction);
    boost::asio::awaitable<void> acknowledge(const Transaction& transaction);
    // `delivered`: to-device messages the bridge acknowledged, removed in the same write.
    boost::asio::awaitable<void> persist_cursor(std::int64_t cursor,
                                                std::vector<std::int64_t> delivered = {});
    boost::asio::awaitable<void> back_off();
    // Until poke() or stop(), or `limit`.
    boost::asio::awaitable<void> sleep(std::chrono::milliseconds limit);
    void record(const std::function<void(DeliveryStatus&)>& change);

    using Strand = boost::asio::strand<boost::asio::any_io_executor>;
    Strand strand_;
    std::shared_ptr<const Registration> registration_;
    std::shared_ptr<ConsumerDeps> deps_;
    std::int64_t initial_cursor_;
    std::unique_ptr<Transport> transport_;
    boost::asio::steady_timer backoff_timer_;
    Interest interest_;
    std::atomic<bool> stopped_{false};

    // Owned by the loop (its strand).
    std::int64_t cursor_ = 0;
    std::int64_t persisted_cursor_ = 0;
    std::int64_t ephemeral_seen_ = 0;

    mutable std::mutex status_mutex_;
    DeliveryStatus status_;
};

} // namespace ravenous::appservice
