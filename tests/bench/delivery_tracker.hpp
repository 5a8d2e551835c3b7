#pragma once

// as_push's bookkeeping: which sent events reached the bench bridge, and when. Sends are
// recorded by event id when their 200 is read (load generator or scenario thread), deliveries
// when the receiver accepts the transaction holding them (receiver thread); whichever comes
// second makes the match. A push may even arrive before the client has read its send's 200
// (the server wakes the pusher at commit, before it writes the answer): such a match counts as
// 0 µs and is counted apart.

#include "bench/histogram.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ravenous::bench {

class DeliveryTracker
{
public:
    using Clock = std::chrono::steady_clock;

    // What was seen since the last start_phase().
    struct Phase
    {
        Clock::time_point started;
        Histogram lag_us;                     // send's 200 read -> transaction received
        std::uint64_t matched = 0;            // sent events delivered
        std::uint64_t early = 0;              // of which delivered before the 200 was read
        std::uint64_t pending = 0;            // sent events not delivered (yet)
        std::uint64_t redelivered = 0;        // events that arrived a second time
        std::vector<std::size_t> batch_sizes; // events per transaction, in arrival order
        std::optional<Clock::time_point> first_transaction;
        std::optional<Clock::time_point> last_match;
    };

    // The receiver's observer (BenchServer::Options::on_transaction).
    void on_transaction(const nlohmann::json& transaction, Clock::time_point received);
    // A send answered 200 with `event_id` at `at`.
    void sent(const std::string& event_id, Clock::time_point at);

    // Forgets the figures and the sends still awaited (not which events were delivered) and
    // starts timing from now.
    void start_phase();
    Phase phase() const;

    // When `event_id` was delivered, waiting for it until `deadline`.
    std::optional<Clock::time_point> wait_for(const std::string& event_id,
                                              Clock::time_point deadline);
    // Waits until every sent event was delivered; false at the deadline.
    bool wait_all(Clock::time_point deadline);

private:
    void match(Clock::time_point sent_at, Clock::time_point delivered_at);

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::unordered_map<std::string, Clock::time_point> awaiting_;  // sent, not yet delivered
    std::unordered_map<std::string, Clock::time_point> delivered_; // every id, first arrival
    Phase phase_;
};

} // namespace ravenous::bench
