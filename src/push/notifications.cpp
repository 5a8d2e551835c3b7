// GET /notifications, computed on demand: the log newest first (at most max_scanned_events per
// call), the events of rooms the user is joined to, evaluated against the user's rules.
#include "push/evaluation.hpp"
#include "ravenous/push/push_rules.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/push_rules_table.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "ravenous/util/time.hpp"

#include <limits>
#include <set>
#include <unordered_map>

namespace ravenous::push {

using boost::asio::awaitable;
using nlohmann::json;

namespace {

struct RoomCache
{
    detail::RoomFacts facts;
    detail::ReadPoints reads;
    std::shared_ptr<const json> rules; // the user's, with the room's mute (com.beeper.mute)
};

json list_notifications(storage::ReadTxn& txn, const std::string& user_id,
                        std::optional<std::int64_t> from, int limit, bool only_highlight)
{
    const auto joined = storage::memberships::rooms_of(txn, user_id, "join");
    const std::set<std::string> rooms(joined.begin(), joined.end());
    const auto rules = detail::user_rules(txn, user_id);
    const std::int64_t now = util::now_ms();
    auto rules_in = [&](const std::string& room_id) {
        return detail::muted(txn, room_id, user_id, now) ? detail::with_room_muted(*rules, room_id)
                                                         : rules;
    };
    std::unordered_map<std::string, RoomCache> cache;
    std::unordered_map<std::string, std::string> threads;

    json out = {{"notifications", json::array()}};
    std::int64_t before = from.value_or(std::numeric_limits<std::int64_t>::max());
    int scanned = 0;
    constexpr int page = 200;
    while (scanned < PushRuleService::max_scanned_events) {
        const auto rows = storage::push_receipts::recent_events(txn, before, page);
        for (const auto& row : rows) {
            ++scanned;
            before = row.stream_pos;
            // Silent events (backfilled history, a forward batch sent without notification)
            // never notified, so they are not listed either.
            if (!rooms.contains(row.room_id) || row.sender == user_id || row.silent)
                continue;
            auto it = cache.find(row.room_id);
            if (it == cache.end())
                it = cache
                         .emplace(row.room_id,
                                  RoomCache{detail::room_facts(txn, row.room_id, user_id),
                                            detail::read_points(txn, row.room_id, user_id),
                                            rules_in(row.room_id)})
                         .first;
            if (row.topo <= it->second.reads.floor)
                continue; // before the user joined
            const auto outcome = evaluate(*it->second.rules, detail::event_json(row),
                                          it->second.facts.context_for(row.sender));
            if (!outcome.notify || (only_highlight && !outcome.highlight))
                continue;
            // Newest first, so a thread's replies come before its root: only direct m.thread
            // relations are attributed to a thread here.
            const std::string thread = detail::thread_of(row, threads);
            json event = detail::event_json(row);
            event.erase("room_id");
            out["notifications"].push_back(
                {{"actions", outcome.actions},
                 {"event", std::move(event)},
                 {"read", row.topo <= it->second.reads.read_up_to(thread)},
                 {"room_id", row.room_id},
                 {"ts", row.origin_server_ts}});
            if (static_cast<int>(out["notifications"].size()) >= limit) {
                out["next_token"] = std::to_string(row.stream_pos);
                return out;
            }
        }
        if (static_cast<int>(rows.size()) < page)
            return out; // the start of the log
    }
    out["next_token"] = std::to_string(before); // bounded: continue below what was scanned
    return out;
}

} // namespace

awaitable<json> PushRuleService::notifications(std::string user_id,
                                               std::optional<std::int64_t> from, int limit,
                                               bool only_highlight)
{
    co_return co_await db_.readers().read([&](storage::ReadTxn& txn) {
        return list_notifications(txn, user_id, from, limit, only_highlight);
    });
}

} // namespace ravenous::push
