// /relations, /threads and /timestamp_to_event.

#include "ravenous/matrix/errors.hpp"
#include "ravenous/rooms/timeline.hpp"
#include "ravenous/rooms/tokens.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/util/time.hpp"
#include "rooms/access.hpp"
#include "rooms/bundled_aggregations.hpp"
#include "rooms/history_scan.hpp"

#include <unordered_map>

namespace ravenous::rooms {

namespace errors = matrix::errors;
using boost::asio::awaitable;
using nlohmann::json;
using storage::Direction;

namespace {

struct Batch
{
    std::vector<storage::EventRow> rows;
    std::optional<std::int64_t> next; // set when more may follow
    BundledAggregations aggregations;
};

// Direct children of `parent`, paged like /messages: visible ones only, stopping at `to`, at
// `limit` or after max_raw_pages reads (then with a token to go on).
Batch children(storage::ReadTxn& txn, std::string_view room_id,
               const history::VisibleRanges& visible, std::string_view parent,
               const RelationsQuery& query, std::int64_t from, std::optional<std::int64_t> to)
{
    const bool backward = query.dir == Direction::backward;
    Batch batch;
    std::int64_t next = from;
    bool more = true;
    for (int pages = 0; more && pages < history::max_raw_pages; ++pages) {
        const int ask = query.limit - int(batch.rows.size()) + 1; // one more: is there more?
        auto rows = storage::events::relations(txn, room_id, parent, query.rel_type,
                                               query.event_type, next, query.dir, ask, to);
        more = int(rows.size()) == ask;
        for (auto& row : rows) {
            if (int(batch.rows.size()) == query.limit) {
                more = true;
                break;
            }
            next = backward ? row.topo : row.topo + 1;
            if (visible.contains(row.topo))
                batch.rows.push_back(std::move(row));
        }
        if (int(batch.rows.size()) == query.limit)
            break;
    }
    if (more)
        batch.next = next;
    return batch;
}

// Thread roots by latest reply, newest first, below the latest-reply boundary `from`.
Batch thread_roots(storage::ReadTxn& txn, std::string_view room_id, std::string_view user_id,
                   const history::VisibleRanges& visible, bool participated_only, std::int64_t from,
                   int limit)
{
    Batch batch;
    std::int64_t next = from;
    bool more = true;
    const std::optional<std::string> participant =
        participated_only ? std::optional<std::string>(user_id) : std::nullopt;
    for (int pages = 0; more && pages < history::max_raw_pages; ++pages) {
        const int ask = limit - int(batch.rows.size()) + 1;
        auto roots = storage::events::thread_roots(txn, room_id, next, ask, participant);
        more = int(roots.size()) == ask;
        std::vector<std::string> ids;
        for (const auto& root : roots)
            ids.push_back(root.event_id);
        std::unordered_map<std::string, storage::events::ThreadSummary> summaries;
        for (auto& summary : storage::events::thread_summaries(txn, ids, user_id))
            summaries.emplace(summary.root_id, std::move(summary));
        for (auto& root : roots) {
            if (int(batch.rows.size()) == limit) {
                more = true;
                break;
            }
            auto summary = summaries.find(root.event_id);
            if (summary == summaries.end())
                continue; // no replies (cannot happen for a listed root)
            next = summary->second.latest.topo;
            if (!visible.contains(root.topo))
                continue;
            batch.aggregations.add_thread(std::move(summary->second), visible);
            batch.rows.push_back(std::move(root));
        }
        if (int(batch.rows.size()) == limit)
            break;
    }
    if (more)
        batch.next = next;
    return batch;
}

} // namespace

awaitable<json> Timeline::relations(auth::Identity caller, std::string room_id,
                                    std::string event_id, RelationsQuery query)
{
    auto batch = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const auto access = read_access(txn, room_id, caller.user_id);
        const auto visible = history::VisibleRanges::load(txn, access, caller.user_id);
        if (!history::visible_event(txn, room_id, visible, event_id))
            throw errors::not_found("Event not found.");
        const std::int64_t from =
            query.from ? history::parse_boundary(txn, room_id, *query.from, "from")
            : query.dir == Direction::backward ? storage::events::end_boundary(txn, room_id)
                                               : storage::events::start_boundary(txn, room_id);
        std::optional<std::int64_t> to;
        if (query.to)
            to = history::parse_boundary(txn, room_id, *query.to, "to");
        Batch out = children(txn, room_id, visible, event_id, query, from, to);
        out.aggregations.load(txn, row_pointers({&out.rows}), caller.user_id, visible);
        return out;
    });

    json response = json::object();
    response["chunk"] =
        batch.aggregations.render_all(batch.rows, Viewer::of(caller), util::now_ms());
    if (batch.next)
        response["next_batch"] = tokens::topo(*batch.next);
    if (query.from)
        response["prev_batch"] = *query.from;
    if (query.recurse)
        response["recursion_depth"] = 1; // direct children only
    co_return response;
}

awaitable<json> Timeline::threads(auth::Identity caller, std::string room_id,
                                  bool participated_only, std::optional<std::string> from,
                                  int limit)
{
    auto batch = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const auto access = read_access(txn, room_id, caller.user_id);
        const auto visible = history::VisibleRanges::load(txn, access, caller.user_id);
        const std::int64_t start = from ? history::parse_boundary(txn, room_id, *from, "from")
                                        : storage::events::end_boundary(txn, room_id);
        Batch out =
            thread_roots(txn, room_id, caller.user_id, visible, participated_only, start, limit);
        out.aggregations.load(txn, row_pointers({&out.rows}), caller.user_id, visible);
        return out;
    });

    json response = json::object();
    response["chunk"] =
        batch.aggregations.render_all(batch.rows, Viewer::of(caller), util::now_ms());
    if (batch.next)
        response["next_batch"] = tokens::topo(*batch.next);
    co_return response;
}

awaitable<json> Timeline::timestamp_to_event(auth::Identity caller, std::string room_id,
                                             std::int64_t ts, Direction dir)
{
    auto found = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const auto access = read_access(txn, room_id, caller.user_id);
        const auto visible = history::VisibleRanges::load(txn, access, caller.user_id);
        auto closest = storage::events::closest_to_ts(txn, room_id, ts, dir);
        if (closest && !visible.contains(closest->topo))
            // The nearest event the user may see, further on in that direction.
            closest = history::first_visible(
                txn, room_id, visible,
                dir == Direction::backward ? closest->topo : closest->topo + 1, dir);
        return closest;
    });
    if (!found)
        throw errors::not_found("Unable to find event from " + std::to_string(ts) +
                                " in direction " + (dir == Direction::backward ? "b" : "f"));
    co_return json{{"event_id", found->event_id}, {"origin_server_ts", found->origin_server_ts}};
}

} // namespace ravenous::rooms
