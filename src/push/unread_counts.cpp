// sync::sections::unread_counts: the user's rules evaluated over the room's events after their
// read receipts.
//
// Bounds: at most the room's last `max_scanned` events after the read point are evaluated (a
// room with more unread events than that reports the counts of those). Results are cached in
// memory by (user, room) and the room's end of log, read points, rule version and mute, so a
// /sync over thousands of quiet rooms costs a few index lookups per room.
#include "push/evaluation.hpp"
#include "ravenous/storage/push_rules_table.hpp"
#include "ravenous/util/time.hpp"
#include "sync/sections.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace ravenous::sync::sections {

namespace {

using nlohmann::json;
namespace detail = push::detail;

constexpr int max_scanned = 1000;
constexpr std::size_t max_cached = 20000;

struct CacheEntry
{
    std::int64_t end = 0;
    std::string reads;
    std::int64_t rules = 0;
    bool muted = false;
    UnreadCounts counts;
};

std::mutex cache_mutex;
std::unordered_map<std::string, CacheEntry> cache; // key: user '\n' room

void add(json& counts, bool highlight)
{
    counts["notification_count"] = counts["notification_count"].get<std::int64_t>() + 1;
    if (highlight)
        counts["highlight_count"] = counts["highlight_count"].get<std::int64_t>() + 1;
}

UnreadCounts compute(storage::ReadTxn& txn, const std::string& user_id, const std::string& room_id,
                     const detail::ReadPoints& reads, std::int64_t end, bool muted)
{
    UnreadCounts out;
    // Everything at or before the unthreaded receipt (and the user's membership event) is read
    // in every thread; a thread without its own receipt is read up to there only.
    const std::int64_t lowest = std::max(reads.unthreaded, reads.floor);
    auto rows = storage::events::page(txn, room_id, end, storage::Direction::backward, max_scanned,
                                      lowest + 1);
    if (rows.empty())
        return out;
    std::reverse(rows.begin(), rows.end()); // oldest first: thread roots before their replies

    auto rules = detail::user_rules(txn, user_id);
    if (muted)
        rules = detail::with_room_muted(*rules, room_id);
    const auto facts = detail::room_facts(txn, room_id, user_id);
    std::unordered_map<std::string, std::string> threads;
    for (const auto& row : rows) {
        const std::string thread = detail::thread_of(row, threads);
        if (!thread.empty())
            threads.emplace(row.event_id, thread);
        // Silent: imported by a batch send (history, or send_notification false).
        if (row.silent || row.sender == user_id || row.topo <= reads.read_up_to(thread))
            continue;
        const auto outcome =
            push::evaluate(*rules, detail::event_json(row), facts.context_for(row.sender));
        if (!outcome.notify)
            continue;
        add(out.room, outcome.highlight);
        if (!thread.empty()) {
            if (!out.threads.contains(thread))
                out.threads[thread] = {{"notification_count", 0}, {"highlight_count", 0}};
            add(out.threads[thread], outcome.highlight);
        }
    }
    return out;
}

} // namespace

// `room` counts every unread notifying event of the room (threads included: what a client
// that did not ask for unread_thread_notifications gets); `threads` has the part of those in
// each thread (keyed by root). With unread_thread_notifications, the caller subtracts the
// thread counts from `room` for the main timeline's.
UnreadCounts unread_counts(storage::ReadTxn& txn, const std::string& user_id,
                           const std::string& room_id)
{
    const auto reads = detail::read_points(txn, room_id, user_id);
    const std::int64_t end = storage::events::end_boundary(txn, room_id);
    const std::int64_t rules = detail::rules_version(txn, user_id);
    const std::string key = user_id + '\n' + room_id;
    const std::string signature = reads.signature();
    // A mute set, lifted or run out changes the counts without any new event.
    const bool muted = detail::muted(txn, room_id, user_id, util::now_ms());
    {
        std::lock_guard lock{cache_mutex};
        const auto it = cache.find(key);
        if (it != cache.end() && it->second.end == end && it->second.rules == rules &&
            it->second.reads == signature && it->second.muted == muted)
            return it->second.counts;
    }
    UnreadCounts counts = compute(txn, user_id, room_id, reads, end, muted);
    std::lock_guard lock{cache_mutex};
    if (cache.size() >= max_cached)
        cache.clear();
    cache[key] = {end, signature, rules, muted, counts};
    return counts;
}

void forget_unread_counts(const std::vector<std::string>& room_ids)
{
    const std::unordered_set<std::string> rooms(room_ids.begin(), room_ids.end());
    std::lock_guard lock{cache_mutex};
    std::erase_if(cache, [&](const auto& entry) {
        const auto& key = entry.first;
        return rooms.contains(key.substr(key.find('\n') + 1));
    });
}

} // namespace ravenous::sync::sections
