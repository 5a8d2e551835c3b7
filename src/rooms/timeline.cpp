// /messages, /context and /event: pages of a room's log as one user may see it.

#include "ravenous/rooms/timeline.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/rooms/tokens.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "ravenous/util/time.hpp"
#include "rooms/access.hpp"
#include "rooms/bundled_aggregations.hpp"
#include "rooms/history_scan.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace ravenous::rooms {

namespace errors = matrix::errors;
using boost::asio::awaitable;
using nlohmann::json;
using storage::Direction;

namespace {

// Lazy-loaded members of /messages: for each sender of the chunk, once, their member event as
// it was just after their newest event in the chunk (so it shows the membership they sent
// with). Nothing is remembered between requests, so include_redundant_members changes nothing
// here (Synapse does not remove redundant members from /messages either).
std::vector<storage::EventRow> chunk_members(storage::ReadTxn& txn, std::string_view room_id,
                                             const std::vector<storage::EventRow>& chunk)
{
    std::vector<std::string> order;
    std::unordered_map<std::string, std::int64_t> newest;
    for (const auto& row : chunk) {
        auto [it, inserted] = newest.emplace(row.sender, row.topo);
        if (inserted)
            order.push_back(row.sender);
        else
            it->second = std::max(it->second, row.topo);
    }
    std::vector<storage::EventRow> members;
    for (const auto& sender : order)
        if (auto member = storage::current_state::get_at(txn, room_id, matrix::m_room_member,
                                                         sender, newest[sender] + 1))
            members.push_back(std::move(*member));
    return members;
}

// The state /context returns: the room's state after the last event it returns (Synapse's
// choice), never past the moment the user left; with lazy_load_members only the member events
// of the senders around; then the filter.
std::vector<storage::EventRow> context_state(storage::ReadTxn& txn, const ReadAccess& access,
                                             std::int64_t boundary, const RoomEventFilter& filter,
                                             const std::set<std::string>& senders)
{
    if (access.until)
        boundary = std::min(boundary, *access.until);
    auto state = storage::current_state::at(txn, access.room.room_id, boundary);
    std::erase_if(state, [&](const storage::EventRow& row) {
        if (filter.lazy_load_members && row.type == matrix::m_room_member &&
            !senders.contains(row.state_key.value_or("")))
            return true;
        return !filter.matches(row);
    });
    return state;
}

} // namespace

awaitable<json> Timeline::messages(auth::Identity caller, std::string room_id, MessagesQuery query)
{
    struct Page
    {
        std::string start;
        history::ScanResult scan;
        std::vector<storage::EventRow> state;
        BundledAggregations aggregations;
    };
    const bool backward = query.dir == Direction::backward;
    auto page = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const auto access = read_access(txn, room_id, caller.user_id);
        const auto visible = history::VisibleRanges::load(txn, access, caller.user_id);
        Page out;
        std::int64_t from = 0;
        if (query.from) {
            from = history::parse_boundary(txn, room_id, *query.from, "from");
            out.start = *query.from;
        } else {
            from = backward ? storage::events::end_boundary(txn, room_id)
                            : storage::events::start_boundary(txn, room_id);
            out.start = tokens::topo(from);
        }
        std::optional<std::int64_t> to;
        if (query.to)
            to = history::parse_boundary(txn, room_id, *query.to, "to");
        out.scan =
            history::scan(txn, room_id, visible, query.filter, from, query.dir, query.limit, to);
        if (query.filter.lazy_load_members)
            out.state = chunk_members(txn, room_id, out.scan.rows);
        out.aggregations.load(txn, row_pointers({&out.scan.rows}), caller.user_id, visible);
        return out;
    });

    const auto viewer = Viewer::of(caller);
    const auto now = util::now_ms();
    json response = json::object();
    response["start"] = page.start;
    response["chunk"] = page.aggregations.render_all(page.scan.rows, viewer, now);
    // Backward, `end` disappears at the start of what the user may see (matrix-js-sdk reads
    // that as the start of the room). Forward, new events may still come: as Synapse does, a
    // non-empty chunk always carries `end`, and only an empty one at the end omits it.
    if (page.scan.more || (!backward && !page.scan.rows.empty()))
        response["end"] = tokens::topo(page.scan.next);
    if (!page.state.empty()) {
        json state = json::array();
        for (const auto& row : page.state)
            state.push_back(client_event(row, viewer, now));
        response["state"] = std::move(state);
    }
    co_return response;
}

awaitable<json> Timeline::context(auth::Identity caller, std::string room_id, std::string event_id,
                                  int limit, RoomEventFilter filter)
{
    struct Context
    {
        storage::EventRow event;
        history::ScanResult before;
        history::ScanResult after;
        std::vector<storage::EventRow> state;
        BundledAggregations aggregations;
    };
    auto found = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const auto access = read_access(txn, room_id, caller.user_id);
        const auto visible = history::VisibleRanges::load(txn, access, caller.user_id);
        auto event = history::visible_event(txn, room_id, visible, event_id);
        if (!event)
            throw errors::not_found("Event not found.");
        Context out;
        out.event = std::move(*event);
        const int before_limit = limit / 2;
        out.before = history::scan(txn, room_id, visible, filter, out.event.topo,
                                   Direction::backward, before_limit);
        out.after = history::scan(txn, room_id, visible, filter, out.event.topo + 1,
                                  Direction::forward, limit - before_limit);

        std::set<std::string> senders{out.event.sender};
        for (const auto* rows : {&out.before.rows, &out.after.rows})
            for (const auto& row : *rows)
                senders.insert(row.sender);
        const std::int64_t last =
            out.after.rows.empty() ? out.event.topo : out.after.rows.back().topo;
        out.state = context_state(txn, access, last + 1, filter, senders);
        out.aggregations.load(txn, row_pointers({&out.before.rows, &out.after.rows}, {&out.event}),
                              caller.user_id, visible);
        return out;
    });

    const auto viewer = Viewer::of(caller);
    const auto now = util::now_ms();
    json state = json::array();
    for (const auto& row : found.state)
        state.push_back(client_event(row, viewer, now));
    json response = json::object();
    response["start"] = tokens::topo(found.before.next);
    response["end"] = tokens::topo(found.after.next);
    response["event"] = found.aggregations.render(found.event, viewer, now);
    response["events_before"] = found.aggregations.render_all(found.before.rows, viewer, now);
    response["events_after"] = found.aggregations.render_all(found.after.rows, viewer, now);
    response["state"] = std::move(state);
    co_return response;
}

awaitable<json> Timeline::event(auth::Identity caller, std::string room_id, std::string event_id)
{
    struct Found
    {
        storage::EventRow event;
        BundledAggregations aggregations;
    };
    auto found = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        std::optional<ReadAccess> access;
        try {
            access = read_access(txn, room_id, caller.user_id);
        } catch (const matrix::MatrixError& e) {
            // A room the user was never in hides its events as unknown ones (Synapse: 404).
            if (e.code() != matrix::ErrCode::M_FORBIDDEN)
                throw;
            throw errors::not_found("Event not found.");
        }
        const auto visible = history::VisibleRanges::load(txn, *access, caller.user_id);
        auto event = history::visible_event(txn, room_id, visible, event_id);
        if (!event)
            throw errors::not_found("Event not found.");
        Found out{std::move(*event), {}};
        out.aggregations.load(txn, row_pointers({}, {&out.event}), caller.user_id, visible);
        return out;
    });
    co_return found.aggregations.render(found.event, Viewer::of(caller), util::now_ms());
}

} // namespace ravenous::rooms
