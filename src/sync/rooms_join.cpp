// rooms.join of /sync: timeline, state, ephemeral, account data, summary and unread counts of
// the rooms the user is in.

#include "ravenous/matrix/event_types.hpp"
#include "ravenous/rooms/tokens.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "ravenous/storage/sync_queries.hpp"
#include "rooms/access.hpp"
#include "rooms/bundled_aggregations.hpp"
#include "rooms/history_scan.hpp"
#include "sync/rooms_providers.hpp"
#include "sync/sections.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace ravenous::sync {

using nlohmann::json;
using storage::Direction;
using storage::EventRow;

namespace detail {

namespace {

constexpr std::int64_t default_timeline_limit = 10;

bool is_member_event(const EventRow& row)
{
    return row.type == matrix::m_room_member;
}

} // namespace

RoomBody room_body(const SyncContext& ctx, const std::string& room_id, bool initial,
                   std::optional<std::int64_t> leave_boundary)
{
    auto& txn = ctx.txn;
    const auto& filter = ctx.filter.room;
    const auto access = rooms::read_access(txn, room_id, ctx.viewer.user_id);
    const auto visible = rooms::history::VisibleRanges::load(txn, access, ctx.viewer.user_id);

    // The end of this response in the room, never past the user's leave.
    std::int64_t end = storage::events::boundary_at_stream(txn, room_id, ctx.until);
    if (leave_boundary)
        end = std::min(end, *leave_boundary);
    if (access.until)
        end = std::min(end, *access.until);
    std::optional<std::int64_t> since_boundary;
    if (!initial)
        since_boundary = storage::events::boundary_at_stream(txn, room_id, ctx.since);

    const int limit = int(
        std::clamp<std::int64_t>(filter.timeline.limit.value_or(default_timeline_limit), 1, 1000));
    auto scan = rooms::history::scan(txn, room_id, visible, filter.timeline, end,
                                     Direction::backward, limit, since_boundary);
    std::reverse(scan.rows.begin(), scan.rows.end());
    const bool limited = scan.more && (!since_boundary || scan.next > *since_boundary);
    const std::int64_t start = scan.rows.empty() ? end : scan.rows.front().topo;

    RoomBody body;
    std::unordered_set<std::string> in_timeline;
    std::set<std::string> senders{ctx.viewer.user_id};
    for (const auto& row : scan.rows) {
        in_timeline.insert(row.event_id);
        senders.insert(row.sender);
        if (row.state_key && is_member_event(row))
            body.members_changed = true;
    }

    // State: at the start of the timeline for an initial sync (or full_state); otherwise what
    // changed between `since` and the start of the timeline, if the timeline did not reach back.
    std::vector<EventRow> state;
    const bool lazy = filter.state.lazy_load_members;
    if ((initial || ctx.full_state) && lazy) {
        // Only the senders' member events: the rest of the state without reading the room's
        // membership history, then one lookup per sender.
        state = storage::sync_queries::state_at_without_members(txn, room_id, start);
        for (const auto& sender : senders)
            if (auto member = storage::current_state::get_at(txn, room_id, matrix::m_room_member,
                                                             sender, start))
                state.push_back(std::move(*member));
    } else if (initial || ctx.full_state) {
        state = storage::current_state::at(txn, room_id, start);
    } else if (limited && since_boundary) {
        auto before = storage::current_state::at(txn, room_id, *since_boundary);
        std::unordered_set<std::string> old_ids;
        for (const auto& row : before)
            old_ids.insert(row.event_id);
        for (auto& row : storage::current_state::at(txn, room_id, start))
            if (!old_ids.contains(row.event_id))
                state.push_back(std::move(row));
    }
    if (lazy) {
        std::erase_if(state, [&](const EventRow& row) {
            return is_member_event(row) && !senders.contains(row.state_key.value_or(""));
        });
        if (!initial && !ctx.full_state) {
            // The member events of the timeline's senders, as at its start.
            std::unordered_set<std::string> have;
            for (const auto& row : state)
                if (is_member_event(row))
                    have.insert(row.state_key.value_or(""));
            if (!scan.rows.empty())
                for (const auto& sender : senders)
                    if (!have.contains(sender))
                        if (auto member = storage::current_state::get_at(
                                txn, room_id, matrix::m_room_member, sender, start))
                            state.push_back(std::move(*member));
        }
    }
    std::erase_if(state, [&](const EventRow& row) {
        return in_timeline.contains(row.event_id) || !filter.state.matches(row);
    });
    std::sort(state.begin(), state.end(),
              [](const EventRow& a, const EventRow& b) { return a.topo < b.topo; });
    for (const auto& row : state)
        if (is_member_event(row))
            body.members_changed = true;

    rooms::BundledAggregations aggregations;
    aggregations.load(txn, rooms::row_pointers({&scan.rows}), ctx.viewer.user_id, visible);
    json events = json::array();
    for (const auto& row : scan.rows)
        events.push_back(ctx.filter.project(aggregations.render(row, ctx.viewer, ctx.now_ms)));
    json state_events = json::array();
    for (const auto& row : state)
        state_events.push_back(
            ctx.filter.project(rooms::client_event(row, ctx.viewer, ctx.now_ms)));

    body.has_events = !scan.rows.empty() || !state.empty();
    body.timeline = json{{"events", std::move(events)},
                         {"limited", limited},
                         {"prev_batch", rooms::tokens::topo(start)}};
    body.state = json{{"events", std::move(state_events)}};
    return body;
}

} // namespace detail

namespace {

// m.heroes (up to 5 other joined or invited members, by user id), the member counts.
json summary(storage::ReadTxn& txn, const std::string& room_id, const std::string& user_id)
{
    json heroes = json::array();
    for (const auto& member : storage::memberships::of_room(txn, room_id)) {
        if (heroes.size() >= 5)
            break;
        if (member.user_id != user_id &&
            (member.membership == matrix::join || member.membership == matrix::invite))
            heroes.push_back(member.user_id);
    }
    return json{
        {"m.heroes", std::move(heroes)},
        {"m.joined_member_count", storage::memberships::count(txn, room_id, matrix::join)},
        {"m.invited_member_count", storage::memberships::count(txn, room_id, matrix::invite)}};
}

bool has_events(const json& section)
{
    return section.is_object() && section.contains("events") && !section.at("events").empty();
}

} // namespace

std::optional<json> joined_room(const SyncContext& ctx, const std::string& room_id, bool initial)
{
    auto body = detail::room_body(ctx, room_id, initial, std::nullopt);
    const auto& user_id = ctx.viewer.user_id;
    const auto& filter = ctx.filter;

    json ephemeral =
        filter.filter_events(sections::room_ephemeral(ctx.txn, ctx.ephemeral, user_id, room_id,
                                                      initial ? 0 : ctx.since, ctx.until),
                             filter.room.ephemeral, room_id);
    json account_data = filter.filter_events(
        sections::room_account_data(ctx.txn, user_id, room_id, initial ? 0 : ctx.since, ctx.until),
        filter.room.account_data, room_id);

    if (!initial && !body.has_events && !has_events(ephemeral) && !has_events(account_data))
        return std::nullopt;

    json room = json::object();
    room["timeline"] = std::move(body.timeline);
    room["state"] = std::move(body.state);
    room["ephemeral"] = std::move(ephemeral);
    room["account_data"] = std::move(account_data);
    room["summary"] =
        initial || body.members_changed ? summary(ctx.txn, room_id, user_id) : json::object();
    auto counts = sections::unread_counts(ctx.txn, user_id, room_id);
    if (filter.room.timeline.unread_thread_notifications) {
        // A client that asks for per-thread counts gets the main timeline's alone in the room.
        for (const auto& [thread, thread_counts] : counts.threads.items())
            for (const char* key : {"notification_count", "highlight_count"})
                counts.room[key] = std::max<std::int64_t>(
                    0, counts.room.value(key, std::int64_t{0}) - thread_counts.value(key, std::int64_t{0}));
        room["unread_thread_notifications"] = std::move(counts.threads);
    }
    room["unread_notifications"] = std::move(counts.room);
    return room;
}

} // namespace ravenous::sync
