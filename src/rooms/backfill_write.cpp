// The write job of a batch send: backward batches into the history band below the room's
// oldest event after its creation, forward batches appended as sends are.

#include "rooms/backfill_write.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/rooms/auth_rules.hpp"
#include "ravenous/storage/backfill_rows.hpp"
#include "rooms/room_log.hpp"

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace ravenous::rooms::backfill {

namespace errors = matrix::errors;
namespace et = matrix::event_types;
using nlohmann::json;

NewEvent new_event(const BatchEvent& event)
{
    NewEvent out{event.type, event.state_key, event.sender, event.content};
    out.ts = event.origin_server_ts;
    out.event_id = event.event_id;
    return out;
}

namespace {

std::string membership_in(const json& content)
{
    return content.is_object() ? content.value("membership", std::string()) : std::string();
}

// A member event through which the sender sets their own membership: it needs no join
// inferred before it (the auth rules, or history, decide).
bool sets_own_membership(const BatchEvent& event)
{
    return event.type == et::m_room_member && event.state_key == event.sender;
}

// Was the user joined at this boundary (the state the log gives there)?
bool joined_at(storage::ReadTxn& txn, const std::string& room_id, const std::string& user,
               std::int64_t boundary)
{
    auto row = storage::current_state::get_at(txn, room_id, et::m_room_member, user, boundary);
    return row && membership_in(json::parse(row->json).value("content", json())) == matrix::join;
}

// Every row of a backward batch: in the history band, silent, from this batch.
storage::EventRow history_row(storage::WriteTxn& txn, const BatchPlan& plan, NewEvent event)
{
    if (event.type == et::m_room_member && event.state_key)
        add_profile(txn, *event.state_key, event.content);
    event.silent = true;
    event.backfilled_by = plan.backfilled_by;
    return event_row(plan.room.room_id, event);
}

// Current memberships, read once per user and then followed through the batch.
class Members
{
public:
    Members(storage::ReadTxn& txn, const std::string& room_id) : txn_(txn), room_id_(room_id) {}

    const std::string& of(const std::string& user)
    {
        auto it = known_.find(user);
        if (it == known_.end()) {
            auto row = storage::memberships::get(txn_, room_id_, user);
            it = known_.emplace(user, row ? row->membership : std::string()).first;
        }
        return it->second;
    }
    void set(const std::string& user, std::string membership)
    {
        known_[user] = std::move(membership);
    }

private:
    storage::ReadTxn& txn_;
    const std::string& room_id_;
    std::unordered_map<std::string, std::string> known_;
};

} // namespace

BatchSent write_backward(storage::WriteTxn& txn, BatchPlan& plan)
{
    const std::string& room_id = plan.room.room_id;
    const BatchSend& batch = plan.batch;
    // Everything below `top` is the room's creation: the state this batch starts from.
    const std::int64_t top = storage::backfill::oldest_after_creation(txn, room_id)
                                 .value_or(storage::events::live_topo_start);

    std::vector<storage::EventRow> rows;
    std::unordered_set<std::string> joined; // joined by the batch itself before they send
    for (const auto& event : batch.state_events_at_start) {
        rows.push_back(history_row(txn, plan, new_event(event)));
        if (event.type == et::m_room_member && membership_in(event.content) == matrix::join)
            joined.insert(*event.state_key);
    }
    const std::size_t state_count = rows.size();

    // Senders without a join at this point of history get one at the start of the batch.
    std::unordered_set<std::string> seen;
    for (const auto& event : batch.events) {
        if (event.type == et::m_room_member && event.state_key && !seen.contains(*event.state_key) &&
            membership_in(event.content) == matrix::join)
            joined.insert(*event.state_key);
        if (!seen.insert(event.sender).second || joined.contains(event.sender) ||
            sets_own_membership(event) || joined_at(txn, room_id, event.sender, top))
            continue;
        NewEvent join{std::string(et::m_room_member), event.sender, event.sender,
                      member_content(txn, event.sender, matrix::join)};
        join.ts = event.origin_server_ts;
        rows.push_back(history_row(txn, plan, std::move(join)));
    }
    const std::size_t events_from = rows.size();
    for (std::size_t i = 0; i < batch.events.size(); ++i) {
        if (plan.rows[i]) {
            rows.push_back(std::move(*plan.rows[i]));
            rows.back().silent = true;
            rows.back().backfilled_by = plan.backfilled_by;
        } else {
            rows.push_back(history_row(txn, plan, new_event(batch.events[i])));
        }
    }

    const std::int64_t start = top - static_cast<std::int64_t>(rows.size());
    if (start < storage::events::creation_topo_limit)
        throw std::runtime_error("the room's history band is full");
    BatchSent sent;
    sent.start = start;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& row = rows[i];
        row.topo = start + static_cast<std::int64_t>(i);
        row.stream_pos = storage::stream::next(txn);
        storage::events::insert(txn, row);
        if (i < state_count)
            sent.state_event_ids.push_back(row.event_id);
        else if (i >= events_from)
            sent.event_ids.push_back(row.event_id);
    }
    return sent;
}

BatchSent write_forward(storage::WriteTxn& txn, BatchPlan& plan)
{
    const storage::RoomRow& room = plan.room;
    const BatchSend& batch = plan.batch;
    BatchSent sent;
    sent.forward = true;
    sent.start = storage::events::next_topo(txn, room.room_id);

    Members members(txn, room.room_id);
    // The auth rules' view of the room, kept current through the batch's own state events.
    std::optional<AuthContext> context;
    const auto append_state = [&](const BatchEvent& event) {
        NewEvent state = new_event(event);
        state.silent = plan.silent;
        state.backfilled_by = plan.backfilled_by;
        const auto appended = append_event(txn, room, std::move(state));
        if (event.type == et::m_room_member)
            members.set(*event.state_key, membership_in(event.content));
        else if (event.type == et::m_room_power_levels || event.type == et::m_room_join_rules)
            context.reset();
        return appended.event_id;
    };
    // A sender not joined now joins (as their join would say, with their profile) first.
    const auto infer_join = [&](const BatchEvent& event) {
        if (members.of(event.sender) == matrix::ban)
            throw errors::forbidden(event.sender + " is banned from the room");
        NewEvent join{std::string(et::m_room_member), event.sender, event.sender,
                      json{{"membership", matrix::join}}};
        join.ts = event.origin_server_ts;
        join.silent = plan.silent;
        append_event(txn, room, std::move(join), /*authorised=*/true);
        members.set(event.sender, std::string(matrix::join));
    };

    for (const auto& event : batch.state_events_at_start)
        sent.state_event_ids.push_back(append_state(event));
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < batch.events.size(); ++i) {
        const BatchEvent& event = batch.events[i];
        if (seen.insert(event.sender).second && !sets_own_membership(event) &&
            members.of(event.sender) != matrix::join)
            infer_join(event);
        if (event.state_key) {
            sent.event_ids.push_back(append_state(event));
            continue;
        }
        if (!context)
            context = auth_context(txn, room, new_event(event));
        context->sender_membership = members.of(event.sender);
        authorize(*context, ProposedEvent{event.type, std::nullopt, event.sender, event.content});
        storage::EventRow& row = *plan.rows[i];
        row.silent = plan.silent;
        row.backfilled_by = plan.backfilled_by;
        row.stream_pos = storage::stream::next(txn);
        row.topo = storage::events::next_topo(txn, room.room_id);
        storage::events::insert(txn, row);
        sent.event_ids.push_back(row.event_id);
    }
    return sent;
}

} // namespace ravenous::rooms::backfill
