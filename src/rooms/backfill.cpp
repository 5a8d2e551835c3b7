// Batch send: checks, the one write job, and its idempotency (backfill.hpp says the rules;
// backfill_write.cpp writes the rows).

#include "ravenous/rooms/backfill.hpp"

#include "ravenous/appservice/registration.hpp"
#include "ravenous/auth/accounts.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/rooms/event_validation.hpp"
#include "ravenous/storage/backfill_rows.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/sync/receipts.hpp"
#include "rooms/access.hpp"
#include "rooms/backfill_write.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace ravenous::rooms {

namespace errors = matrix::errors;
namespace et = matrix::event_types;
using boost::asio::awaitable;

namespace {

// Every event of the request, state_events_at_start first.
template <class F>
void for_each_event(const BatchSend& batch, F&& fn)
{
    for (const auto& event : batch.state_events_at_start)
        fn(event);
    for (const auto& event : batch.events)
        fn(event);
}

// What needs no database: the size of the request, event types a batch cannot carry, and
// event ids given twice.
void check_request(const BatchSend& batch)
{
    if (batch.state_events_at_start.size() + batch.events.size() > BackfillService::max_events)
        throw errors::too_large("A batch holds at most " +
                                std::to_string(BackfillService::max_events) + " events");
    std::unordered_set<std::string> ids;
    for_each_event(batch, [&](const BatchEvent& event) {
        // Not history: a room has one creation, and a redaction changes another event.
        if (event.type == et::m_room_create || event.type == et::m_room_redaction)
            throw errors::invalid_param("A batch cannot carry " + event.type + " events");
        if (event.event_id && !ids.insert(*event.event_id).second)
            throw errors::invalid_param("Event id " + *event.event_id +
                                        " is given twice in the batch");
    });
}

// An appservice's own users: its sender and its namespace, the owner aside (double
// puppeting lets it act as the owner, not reach every room of theirs).
bool appservice_user(const appservice::Registration& registration, std::string_view user,
                     std::string_view server_name, std::string_view owner)
{
    return user != owner && (user == registration.sender_user_id(server_name) ||
                             registration.is_interested_in_user(user, server_name));
}

void check_access(storage::ReadTxn& txn, const storage::RoomRow& room,
                  const auth::Identity& caller, std::string_view server_name,
                  std::string_view owner)
{
    if (!caller.appservice) {
        require_joined(txn, room.room_id, caller.user_id);
        return;
    }
    const auto& registration = *caller.appservice;
    if (appservice_user(registration, room.creator, server_name, owner))
        return;
    const auto bot = storage::memberships::get(txn, room.room_id,
                                               registration.sender_user_id(server_name));
    if (bot && bot->membership == matrix::join)
        return;
    for (const auto& member : storage::memberships::of_room(txn, room.room_id))
        if (member.membership == matrix::join &&
            appservice_user(registration, member.user_id, server_name, owner))
            return;
    throw errors::forbidden("The application service has no user in this room");
}

// Validated, and the rows of the message events built, before the write job: the writer
// thread only allocates positions and inserts.
std::vector<std::optional<storage::EventRow>> build_rows(const storage::RoomRow& room,
                                                         const BatchSend& batch)
{
    for_each_event(batch, [&](const BatchEvent& event) {
        validate_event(event.type, event.state_key, event.content, room.room_version);
    });
    std::vector<std::optional<storage::EventRow>> rows;
    rows.reserve(batch.events.size());
    for (const auto& event : batch.events) {
        if (event.state_key)
            rows.emplace_back();
        else
            rows.emplace_back(event_row(room.room_id, backfill::new_event(event)));
    }
    return rows;
}

// A retry (every event has an id, all stored in this room) gets the first answer back; any
// other use of a stored id is refused.
std::optional<BatchSent> earlier_answer(storage::WriteTxn& txn, const std::string& room_id,
                                        const BatchSend& batch)
{
    std::vector<std::string> ids;
    bool every_event_has_one = true;
    for_each_event(batch, [&](const BatchEvent& event) {
        if (event.event_id)
            ids.push_back(*event.event_id);
        else
            every_event_has_one = false;
    });
    if (ids.empty())
        return std::nullopt;
    const auto stored = storage::backfill::rooms_of_events(txn, ids);
    if (stored.empty())
        return std::nullopt;
    const bool retry = every_event_has_one && stored.size() == ids.size() &&
                       std::all_of(stored.begin(), stored.end(),
                                   [&](const auto& entry) { return entry.second == room_id; });
    if (!retry)
        for (const auto& id : ids)
            if (stored.contains(id))
                throw errors::invalid_param("Event id " + id + " is already in use");
    BatchSent answer;
    for (const auto& event : batch.state_events_at_start)
        answer.state_event_ids.push_back(*event.event_id);
    for (const auto& event : batch.events)
        answer.event_ids.push_back(*event.event_id);
    if (auto first = storage::events::get(txn, ids.front())) {
        answer.start = first->topo;
        answer.forward = !storage::events::in_history_band(first->topo);
    }
    return answer;
}

} // namespace

BackfillService::BackfillService(storage::Database& db, std::string server_name,
                                 std::string owner_user_id)
    : db_(db), server_name_(std::move(server_name)), owner_user_id_(std::move(owner_user_id))
{
}

awaitable<BatchSent> BackfillService::batch_send(auth::Identity caller, std::string room_id,
                                                 BatchSend batch)
{
    check_request(batch);
    const auto room = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        auto row = require_room(txn, room_id);
        check_access(txn, row, caller, server_name_, owner_user_id_);
        return row;
    });
    std::optional<std::string> sent_by;
    if (caller.appservice)
        sent_by = caller.appservice->id;
    backfill::BatchPlan plan{room, batch, build_rows(room, batch), false, std::move(sent_by)};

    co_return co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        require_room(txn, room_id); // deleted meanwhile
        if (auto answer = earlier_answer(txn, room_id, batch))
            return *answer;
        const bool forward =
            batch.direction == BatchDirection::forward ||
            (batch.direction == BatchDirection::forward_if_no_messages &&
             !storage::backfill::has_messages(txn, room_id));
        plan.silent = !forward || !batch.send_notification;
        // The appservice's puppets exist from their first batch on (as on first ?user_id=).
        if (caller.appservice) {
            std::set<std::string> users;
            for_each_event(batch, [&](const BatchEvent& event) { users.insert(event.sender); });
            for (const auto& user : users)
                if (user != owner_user_id_)
                    auth::insert_appservice_user(txn, user, caller.appservice->id);
        }
        BatchSent sent = forward ? backfill::write_forward(txn, plan)
                                 : backfill::write_backward(txn, plan);
        if (forward && batch.mark_read_by && !sent.event_ids.empty()) {
            const auto reader = storage::memberships::get(txn, room_id, *batch.mark_read_by);
            if (reader && reader->membership == matrix::join)
                sync::mark_read(txn, *batch.mark_read_by, room_id, sent.event_ids.back());
        }
        return sent;
    });
}

} // namespace ravenous::rooms
