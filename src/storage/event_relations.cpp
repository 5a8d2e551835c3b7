// The relation side of the events table (content.m.relates_to, extracted on insert):
// /relations paging, edits and threads for bundled aggregations, and /threads.
#include "ravenous/storage/events_table.hpp"

#include "ravenous/matrix/event_types.hpp"
#include "storage/event_rows.hpp"

#include <limits>

namespace ravenous::storage {

namespace {

// ?1 room, ?2 rel_type, ?3 related event, ?4 event type or NULL, ?5 from, ?6 to, ?7 limit.
// With a rel_type: one range of events_by_room_relation, already in topo order.
constexpr std::string_view relations_typed_backward_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 "
    "AND e.rel_type = ?2 AND e.relates_to = ?3 AND (?4 IS NULL OR e.type = ?4) "
    "AND e.topo < ?5 AND e.topo >= ?6 ORDER BY e.topo DESC LIMIT ?7";
constexpr std::string_view relations_typed_forward_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 "
    "AND e.rel_type = ?2 AND e.relates_to = ?3 AND (?4 IS NULL OR e.type = ?4) "
    "AND e.topo >= ?5 AND e.topo < ?6 ORDER BY e.topo ASC LIMIT ?7";
// Any rel_type: every relation of the event through events_by_relation, then sorted. The
// unary + keeps the planner from walking the whole room in topo order instead. (?2 is
// bound but unused: numbered parameters leave its slot there.)
constexpr std::string_view relations_any_backward_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.relates_to = ?3 "
    "AND +e.room_id = ?1 AND (?4 IS NULL OR e.type = ?4) "
    "AND e.topo < ?5 AND e.topo >= ?6 ORDER BY e.topo DESC LIMIT ?7";
constexpr std::string_view relations_any_forward_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.relates_to = ?3 "
    "AND +e.room_id = ?1 AND (?4 IS NULL OR e.type = ?4) "
    "AND e.topo >= ?5 AND e.topo < ?6 ORDER BY e.topo ASC LIMIT ?7";

// The spec's valid replacements (client-server API, "Validity of replacement events"): same
// room, sender and type as the original, no state_key, m.new_content present (encrypted
// edits carry it inside the ciphertext); the latest by origin_server_ts, then event_id.
// ?1 room, ?2 m.replace, ?3 original, ?4 its sender, ?5 its type, ?6 m.room.encrypted.
constexpr std::string_view latest_edit_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 "
    "AND e.rel_type = ?2 AND e.relates_to = ?3 AND e.sender = ?4 AND e.type = ?5 "
    "AND e.state_key IS NULL "
    "AND (e.type = ?6 OR json_type(e.json, '$.content.\"m.new_content\"') = 'object') "
    "ORDER BY e.origin_server_ts DESC, e.event_id DESC LIMIT 1";

// ?1 room, ?2 m.thread, ?3 root (covering: events_by_room_relation).
constexpr std::string_view thread_count_sql =
    "SELECT count(*) FROM events e WHERE e.room_id = ?1 AND e.rel_type = ?2 "
    "AND e.relates_to = ?3";
constexpr std::string_view thread_latest_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 "
    "AND e.rel_type = ?2 AND e.relates_to = ?3 ORDER BY e.topo DESC LIMIT 1";
constexpr std::string_view thread_participant_sql =
    "SELECT 1 FROM events e WHERE e.room_id = ?1 AND e.rel_type = ?2 AND e.relates_to = ?3 "
    "AND e.sender = ?4 LIMIT 1";

// Replies grouped by root in one covering range of events_by_room_relation, then the roots
// (which must be in the room) ordered by their latest reply. ?1 room, ?2 m.thread,
// ?3 from (latest reply topo < from), ?4 participant or NULL, ?5 limit.
constexpr std::string_view thread_roots_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM ("
    "  SELECT r.relates_to AS root_id, max(r.topo) AS latest FROM events r"
    "  WHERE r.room_id = ?1 AND r.rel_type = ?2 GROUP BY r.relates_to"
    "  HAVING max(r.topo) < ?3"
    ") t JOIN events e ON e.event_id = t.root_id "
    "WHERE e.room_id = ?1 AND (?4 IS NULL OR e.sender = ?4 OR EXISTS ("
    "  SELECT 1 FROM events p WHERE p.room_id = ?1 AND p.rel_type = ?2"
    "  AND p.relates_to = t.root_id AND p.sender = ?4)) "
    "ORDER BY t.latest DESC LIMIT ?5";

} // namespace

namespace events {

std::vector<EventRow> relations(ReadTxn& txn, std::string_view room_id, std::string_view event_id,
                                const std::optional<std::string>& rel_type,
                                const std::optional<std::string>& event_type, std::int64_t from,
                                Direction dir, int limit, std::optional<std::int64_t> to)
{
    if (limit <= 0) {
        return {};
    }
    using limits = std::numeric_limits<std::int64_t>;
    const bool backward = dir == Direction::backward;
    const auto sql = rel_type
                         ? (backward ? relations_typed_backward_sql : relations_typed_forward_sql)
                         : (backward ? relations_any_backward_sql : relations_any_forward_sql);
    const auto other_end = to.value_or(backward ? limits::min() : limits::max());
    auto& stmt =
        txn.prepare(sql).bind_all(room_id, rel_type, event_id, event_type, from, other_end, limit);
    return detail::read_events(stmt);
}

std::vector<std::pair<std::string, EventRow>> latest_edits(ReadTxn& txn,
                                                           const std::vector<std::string>& ids)
{
    std::vector<std::pair<std::string, EventRow>> edits;
    for (const auto& id : ids) {
        auto original = get(txn, id);
        if (!original || original->state_key || original->rel_type == matrix::rel_types::replace) {
            continue; // state events and edits themselves cannot be replaced
        }
        auto& stmt =
            txn.prepare(latest_edit_sql)
                .bind_all(original->room_id, matrix::rel_types::replace, id, original->sender,
                          original->type, matrix::event_types::m_room_encrypted);
        if (auto edit = detail::read_optional_event(stmt)) {
            edits.emplace_back(id, std::move(*edit));
        }
    }
    return edits;
}

std::vector<ThreadSummary> thread_summaries(ReadTxn& txn, const std::vector<std::string>& root_ids,
                                            std::string_view user_id)
{
    const auto thread = matrix::rel_types::thread;
    std::vector<ThreadSummary> summaries;
    for (const auto& root_id : root_ids) {
        auto root = get(txn, root_id);
        if (!root) {
            continue;
        }
        auto& count = txn.prepare(thread_count_sql).bind_all(root->room_id, thread, root_id);
        count.step();
        ThreadSummary summary;
        summary.root_id = root_id;
        summary.count = count.column_int(0);
        if (summary.count == 0) {
            continue;
        }
        auto latest = detail::read_optional_event(
            txn.prepare(thread_latest_sql).bind_all(root->room_id, thread, root_id));
        if (!latest) {
            continue; // cannot happen inside one read transaction
        }
        summary.latest = std::move(*latest);
        summary.participated =
            root->sender == user_id || txn.prepare(thread_participant_sql)
                                           .bind_all(root->room_id, thread, root_id, user_id)
                                           .step();
        summaries.push_back(std::move(summary));
    }
    return summaries;
}

std::vector<EventRow> thread_roots(ReadTxn& txn, std::string_view room_id, std::int64_t from,
                                   int limit, const std::optional<std::string>& participated_by)
{
    if (limit <= 0) {
        return {};
    }
    auto& stmt = txn.prepare(thread_roots_sql)
                     .bind_all(room_id, matrix::rel_types::thread, from, participated_by, limit);
    return detail::read_events(stmt);
}

} // namespace events

} // namespace ravenous::storage
