#pragma once

// Batch send: a bridge imports a room's history (Beeper's com.beeper.backfill batch_send, and
// the MSC2716 one of older bridges) in one write job per request.
//
// Ordering. A backward batch goes before the oldest event of the room that is not part of its
// creation, in /messages order: just below the lowest topo above the creation band (or below
// live_topo_start when there is none), in the batch's own order; a later backward batch goes
// below that one, and all of them stay after the creation events. These positions are the
// history band of events_table.hpp: fresh stream positions (appservices follow the stream),
// but never news in /sync, never unread, and history only (their state events, inferred
// joins included, change neither current state nor memberships). A forward batch is appended
// after the newest event like any send, synced as usual.
//
// Memberships are inferred. Forward: a sender not joined now gets a normal join member event
// (with their profile) before their first event; a banned sender is refused. Backward: a
// sender without a join at that point of history gets a join member event at the start of
// the batch, so that lazy-loaded members of /messages carry their name.
//
// Idempotency: a retry of a batch whose event ids (chosen by the bridge, every event having
// one) are all stored in this room answers the same ids and writes nothing; any other use of a
// stored id (another room, or only some of the batch) is 400 M_INVALID_PARAM and nothing is
// written.

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::storage {
class Database;
}

namespace ravenous::rooms {

// One event as the bridge sent it, its shape checked by the handler.
struct BatchEvent
{
    std::string sender;
    std::string type;
    std::optional<std::string> state_key;
    nlohmann::json content = nlohmann::json::object();
    std::optional<std::int64_t> origin_server_ts; // now if absent
    std::optional<std::string> event_id;          // chosen by the bridge; generated if absent
};

enum class BatchDirection
{
    backward,
    forward,
    forward_if_no_messages, // forward if the room has no message outside its creation yet
};

struct BatchSend
{
    // MSC2716's state_events_at_start: state (member events) put before the batch's events.
    std::vector<BatchEvent> state_events_at_start;
    std::vector<BatchEvent> events;
    BatchDirection direction = BatchDirection::backward;
    // Forward batches: false makes every event silent (no unread count, never pushed).
    bool send_notification = false;
    // Forward batches: this user's m.read receipt moves to the last event (if they are
    // joined; never backwards). Ignored for backward batches.
    std::optional<std::string> mark_read_by;
};

struct BatchSent
{
    std::vector<std::string> state_event_ids; // of state_events_at_start, in order
    std::vector<std::string> event_ids;       // of events, in request order
    bool forward = false;                     // which way the batch went
    std::int64_t start = 0;                   // the topo boundary before the batch
};

class BackfillService
{
public:
    // Per request (events and state_events_at_start together).
    static constexpr std::size_t max_events = 1000;

    BackfillService(storage::Database& db, std::string server_name, std::string owner_user_id);

    // Access: an appservice may send into rooms it created (its sender or one of its users) or
    // where its sender or one of its users is joined; anyone else only into rooms they are
    // joined to. The caller (the handler) has already checked every sender and mark_read_by
    // against the identity-assertion rules; the appservice's puppets missing yet are created
    // here, in the batch's write. 404 M_NOT_FOUND, 403 M_FORBIDDEN, 400 M_INVALID_PARAM (event
    // ids, redactions), 400 M_BAD_JSON (contents), 413 M_TOO_LARGE (an event over 65,536 bytes).
    boost::asio::awaitable<BatchSent> batch_send(auth::Identity caller, std::string room_id,
                                                 BatchSend batch);

private:
    storage::Database& db_;
    std::string server_name_;
    std::string owner_user_id_;
};

} // namespace ravenous::rooms
