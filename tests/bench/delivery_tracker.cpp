#include "bench/delivery_tracker.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::bench {

void DeliveryTracker::on_transaction(const nlohmann::json& transaction, Clock::time_point received)
{
    auto events = transaction.find("events");
    std::lock_guard lock(mutex_);
    if (!phase_.first_transaction) {
        phase_.first_transaction = received;
    }
    if (events == transaction.end() || !events->is_array()) {
        phase_.batch_sizes.push_back(0);
        return;
    }
    phase_.batch_sizes.push_back(events->size());
    for (const auto& event : *events) {
        auto id = event.find("event_id");
        if (id == event.end() || !id->is_string()) {
            continue;
        }
        const auto& event_id = id->get_ref<const std::string&>();
        if (!delivered_.emplace(event_id, received).second) {
            ++phase_.redelivered;
            continue;
        }
        if (auto it = awaiting_.find(event_id); it != awaiting_.end()) {
            match(it->second, received);
            awaiting_.erase(it);
        }
    }
    changed_.notify_all();
}

void DeliveryTracker::sent(const std::string& event_id, Clock::time_point at)
{
    std::lock_guard lock(mutex_);
    if (delivered_.contains(event_id)) {
        ++phase_.early;
        match(at, at); // delivered first: no wait at all after the 200
        return;
    }
    awaiting_.emplace(event_id, at);
}

void DeliveryTracker::match(Clock::time_point sent_at, Clock::time_point delivered_at)
{
    const auto lag = delivered_at > sent_at ? delivered_at - sent_at : Clock::duration::zero();
    phase_.lag_us.record(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(lag).count()));
    ++phase_.matched;
    phase_.last_match = std::max(phase_.last_match.value_or(delivered_at), delivered_at);
}

void DeliveryTracker::start_phase()
{
    std::lock_guard lock(mutex_);
    phase_ = Phase{};
    phase_.started = Clock::now();
    awaiting_.clear(); // a phase waits for its own sends only
}

DeliveryTracker::Phase DeliveryTracker::phase() const
{
    std::lock_guard lock(mutex_);
    Phase copy = phase_;
    copy.pending = awaiting_.size();
    return copy;
}

std::optional<DeliveryTracker::Clock::time_point>
DeliveryTracker::wait_for(const std::string& event_id, Clock::time_point deadline)
{
    std::unique_lock lock(mutex_);
    if (!changed_.wait_until(lock, deadline, [&] { return delivered_.contains(event_id); })) {
        return std::nullopt;
    }
    return delivered_.at(event_id);
}

bool DeliveryTracker::wait_all(Clock::time_point deadline)
{
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return awaiting_.empty(); });
}

} // namespace ravenous::bench
