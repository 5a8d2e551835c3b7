// GET /sync: which rooms and sections changed between the client's token and now, each
// section from its provider, all in one read snapshot; a long poll sleeps on the notifier
// until something for this user is committed.

#include "ravenous/sync/sync_service.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "ravenous/storage/sync_queries.hpp"
#include "ravenous/sync/ephemeral.hpp"
#include "ravenous/sync/filters.hpp"
#include "ravenous/sync/to_device.hpp"
#include "ravenous/util/time.hpp"
#include "sync/rooms_providers.hpp"
#include "sync/sections.hpp"
#include "sync/sections_to_device.hpp"
#include "sync/sync_filter.hpp"
#include "sync/token.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace ravenous::sync {

namespace errors = matrix::errors;
using boost::asio::awaitable;
using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds max_timeout{60'000};

bool has_events(const json& section)
{
    return section.contains("events") && !section.at("events").empty();
}

// The response body, and whether anything in it is news for the client.
struct Computed
{
    json body;
    bool empty = true;
};

// Was the user joined to the room at the stream position?
bool joined_at(storage::ReadTxn& txn, const std::string& room_id, const std::string& user_id,
               std::int64_t position)
{
    const auto boundary = storage::events::boundary_at_stream(txn, room_id, position);
    const auto member =
        storage::current_state::get_at(txn, room_id, matrix::m_room_member, user_id, boundary);
    if (!member)
        return false;
    return json::parse(member->json).at("content").value("membership", "") == matrix::join;
}

Computed compute(storage::ReadTxn& txn, EphemeralState& ephemeral, const SyncFilter& filter,
                 const rooms::Viewer& viewer, const std::optional<std::string>& device_id,
                 std::optional<Position> since, Position current, bool full_state,
                 std::int64_t& until)
{
    until = storage::stream::current(txn);
    const std::string& user_id = viewer.user_id;
    const bool initial = !since;
    const std::int64_t from = since ? since->stream : 0;
    // First: it may end the whole response early (at its 100th message), before any other
    // section reads `until`.
    json to_device = sections::to_device(txn, user_id, device_id, from, until);
    const bool ephemeral_moved = initial || since->ephemeral != current.ephemeral;
    SyncContext ctx{txn, ephemeral, filter, viewer, util::now_ms(), from, until, full_state};

    // Which rooms go in which section, and whether the room is new to the client.
    std::map<std::string, bool> join; // room -> initial for that room
    std::set<std::string> invite;
    std::map<std::string, bool> leave;
    const auto add_left = [&](const std::string& room_id, bool room_initial) {
        if (filter.includes_room(room_id))
            leave.emplace(room_id, room_initial);
    };

    if (initial) {
        for (auto& room_id : storage::memberships::rooms_of(txn, user_id, matrix::join))
            if (filter.includes_room(room_id))
                join.emplace(std::move(room_id), true);
        for (auto& room_id : storage::memberships::rooms_of(txn, user_id, matrix::invite))
            if (filter.includes_room(room_id))
                invite.insert(std::move(room_id));
        if (filter.room.include_leave)
            for (auto membership : {matrix::leave, matrix::ban})
                for (auto& room_id : storage::memberships::rooms_of(txn, user_id, membership))
                    add_left(room_id, true);
    } else {
        for (const auto& change :
             storage::sync_queries::membership_changes(txn, user_id, from, until)) {
            if (!filter.includes_room(change.room_id))
                continue;
            if (change.membership == matrix::join)
                // Newly joined: as an initial sync of the room. (A member event that changes
                // only the profile of a member keeps the membership: not new.)
                join[change.room_id] = !joined_at(txn, change.room_id, user_id, from);
            else if (change.membership == matrix::invite)
                invite.insert(change.room_id);
            else if (change.membership == matrix::leave || change.membership == matrix::ban)
                add_left(change.room_id, false);
        }
        // full_state: every joined room, with its whole state.
        if (full_state)
            for (auto& room_id : storage::memberships::rooms_of(txn, user_id, matrix::join))
                if (filter.includes_room(room_id))
                    join.emplace(std::move(room_id), false);
        for (const auto& room : storage::sync_queries::rooms_with_events(txn, user_id, from, until))
            if (room.membership == matrix::join && filter.includes_room(room.room_id))
                join.emplace(room.room_id, false);
        std::vector<std::string> touched =
            sections::rooms_with_account_data(txn, user_id, from, until);
        auto receipts = sections::rooms_with_receipts(txn, from, until);
        touched.insert(touched.end(), receipts.begin(), receipts.end());
        if (ephemeral_moved) {
            // Rooms whose typing list changed after the client's serial (stops included).
            auto typing = ephemeral.typing_rooms_since(since->ephemeral);
            touched.insert(touched.end(), typing.begin(), typing.end());
        }
        for (const auto& room_id : touched) {
            if (join.contains(room_id) || !filter.includes_room(room_id))
                continue;
            auto member = storage::memberships::get(txn, room_id, user_id);
            if (member && member->membership == matrix::join && !member->forgotten)
                join.emplace(room_id, false);
        }
    }

    Computed out;
    json rooms_join = json::object();
    for (const auto& [room_id, room_initial] : join)
        if (auto room = joined_room(ctx, room_id, room_initial))
            rooms_join[room_id] = std::move(*room);
    json rooms_invite = json::object();
    for (const auto& room_id : invite)
        rooms_invite[room_id] = invited_room(ctx, room_id);
    json rooms_leave = json::object();
    for (const auto& [room_id, room_initial] : leave)
        if (auto room = left_room(ctx, room_id, room_initial))
            rooms_leave[room_id] = std::move(*room);

    json account_data = filter.filter_events(
        sections::global_account_data(txn, user_id, from, until), filter.account_data);
    json presence = json{{"events", json::array()}};
    if (ephemeral_moved)
        presence = filter.filter_events(sections::presence(ephemeral, user_id), filter.presence);

    out.empty = rooms_join.empty() && rooms_invite.empty() && rooms_leave.empty() &&
                !has_events(account_data) && !has_events(presence) && !has_events(to_device);
    out.body = json::object();
    out.body["rooms"] = json{{"join", std::move(rooms_join)},
                             {"invite", std::move(rooms_invite)},
                             {"leave", std::move(rooms_leave)},
                             {"knock", json::object()}};
    out.body["account_data"] = std::move(account_data);
    out.body["presence"] = std::move(presence);
    out.body["to_device"] = std::move(to_device);
    // Filled by end-to-end encryption; present because clients expect them.
    out.body["device_lists"] = json{{"changed", json::array()}, {"left", json::array()}};
    out.body["device_one_time_keys_count"] = json::object();
    out.body["device_unused_fallback_key_types"] = json::array();
    return out;
}

} // namespace

SyncService::SyncService(storage::Database& db, Notifier& notifier, FilterStore& filters,
                         EphemeralState& ephemeral)
    : db_(db), notifier_(notifier), filters_(filters), ephemeral_(ephemeral)
{
}

awaitable<json> SyncService::sync(auth::Identity caller, SyncRequest request)
{
    std::optional<Position> since;
    if (request.since && !request.since->empty()) {
        since = token::parse(*request.since);
        if (!since)
            throw errors::unknown("Invalid stream token"); // Synapse: 400 M_UNKNOWN
        // The ephemeral serial starts again with the process: a larger one is from before.
        if (since->ephemeral > notifier_.current().ephemeral)
            since->ephemeral = 0;
    }

    if (request.set_presence) {
        const auto& presence = *request.set_presence;
        if (presence != "online" && presence != "offline" && presence != "unavailable")
            throw errors::invalid_param("Query parameter 'set_presence' must be one of ['offline', "
                                        "'online', 'unavailable']");
        ephemeral_.set_presence(caller.user_id, presence, std::nullopt);
    }

    SyncFilter filter;
    if (request.filter && !request.filter->empty()) {
        const auto& text = *request.filter;
        if (text.starts_with('{')) {
            json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
            if (parsed.is_discarded())
                throw errors::not_json("Invalid JSON in filter");
            filter = SyncFilter::from_json(parsed);
        } else {
            auto stored = co_await filters_.get(caller.user_id, text);
            if (!stored)
                throw errors::invalid_param("No such filter"); // as Synapse
            filter = SyncFilter::from_json(*stored);
        }
    }

    // What the device was given up to `since` is delivered: gone before this response is made.
    if (since && caller.device_id)
        co_await to_device::acknowledge(db_, caller.user_id, *caller.device_id, since->stream);

    const auto viewer = rooms::Viewer::of(caller);
    const auto timeout = std::clamp(request.timeout, std::chrono::milliseconds(0), max_timeout);
    const auto deadline = std::chrono::steady_clock::now() + timeout;

    for (;;) {
        const Position current = notifier_.current();
        std::int64_t until = 0;
        auto computed = co_await db_.readers().read([&](storage::ReadTxn& txn) {
            return compute(txn, ephemeral_, filter, viewer, caller.device_id, since, current,
                           request.full_state, until);
        });
        const Position position{until, current.ephemeral};
        computed.body["next_batch"] = token::format(position);
        const auto now = std::chrono::steady_clock::now();
        if (!since || !computed.empty || request.full_state || now >= deadline)
            co_return std::move(computed.body);
        // Nothing for this user yet: sleep until something is committed (or typed) after what
        // this response covers, then look again.
        // A typing notice that runs out is a change too: wake for the next expiry as well.
        auto wake_at = deadline;
        const auto expiry = ephemeral_.next_expiry();
        const bool expiry_first = expiry && *expiry < deadline;
        if (expiry_first)
            wake_at = std::max(*expiry, now);
        const auto woke = co_await notifier_.wait_after(
            position, std::chrono::duration_cast<std::chrono::milliseconds>(wake_at - now) +
                          std::chrono::milliseconds(1));
        if (expiry_first)
            ephemeral_.expire_due();
        if (notifier_.draining() || (!expiry_first && !woke.after(position)))
            co_return std::move(computed.body); // timed out, or the server is draining
    }
}

} // namespace ravenous::sync
