// State events, message events (idempotent per transaction id) and redactions.

#include "ravenous/rooms/room_service.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/rooms/client_event.hpp"
#include "ravenous/storage/database.hpp"
#include "rooms/room_log.hpp"

namespace ravenous::rooms {

namespace errors = matrix::errors;
namespace et = matrix::event_types;
using nlohmann::json;
using boost::asio::awaitable;

namespace {

// The redaction target of an m.room.redaction sent through /send (MSC4169, as bridges do).
std::optional<std::string> redaction_target(const std::string& type, const json& content)
{
    if (type != et::m_room_redaction)
        return std::nullopt;
    auto redacts = content.find("redacts");
    if (redacts == content.end() || !redacts->is_string())
        throw errors::bad_json("'redacts' must be an event id");
    // As /redact/{eventId} answers a malformed id.
    if (!matrix::is_valid_event_id(redacts->get<std::string>()))
        throw errors::invalid_param("Invalid event id in 'redacts'");
    return redacts->get<std::string>();
}

} // namespace

awaitable<std::string> RoomService::send_state(auth::Identity caller, std::string room_id,
                                               std::string type, std::string state_key,
                                               json content, std::optional<std::int64_t> ts)
{
    if (type == et::m_room_redaction)
        throw errors::bad_json("Redactions are not state events");
    co_return co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        const auto room = require_room(txn, room_id);
        NewEvent event{type, state_key, caller.user_id, std::move(content)};
        event.ts = ts;
        return append_event(txn, room, std::move(event)).event_id;
    });
}

awaitable<std::string> RoomService::send_message(auth::Identity caller, std::string room_id,
                                                 std::string type, json content,
                                                 std::string txn_id, std::optional<std::int64_t> ts)
{
    const std::string scope = "send:" + type;
    co_return co_await send_with_txn(std::move(caller), std::move(room_id), std::move(type),
                                     std::move(content), std::move(txn_id), scope, ts);
}

awaitable<std::string> RoomService::send_with_txn(auth::Identity caller, std::string room_id,
                                                  std::string type, json content,
                                                  std::string txn_id, std::string_view endpoint,
                                                  std::optional<std::int64_t> ts)
{
    auto redacts = redaction_target(type, content);
    const std::string key = device_key(caller);
    // A retry is the same transaction id on the same path (Synapse keys on the path): the
    // scope holds the room and the rest of the path.
    const std::string scope = room_id + ":" + std::string(endpoint) + ":";
    co_return co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        // The retry of a send that succeeded returns the first event, even after a restart.
        if (auto existing =
                storage::events::event_for_txn(txn, caller.user_id, key, scope + txn_id))
            return *existing;
        const auto room = require_room(txn, room_id);
        NewEvent event{type, std::nullopt, caller.user_id, std::move(content)};
        event.redacts = redacts;
        event.device_key = key;
        event.txn_id = txn_id;
        event.txn_scope = scope;
        event.ts = ts;
        return append_event(txn, room, std::move(event)).event_id;
    });
}

awaitable<std::string> RoomService::redact(auth::Identity caller, std::string room_id,
                                           std::string event_id, json content,
                                           std::string txn_id, std::optional<std::int64_t> ts)
{
    if (!matrix::is_valid_event_id(event_id))
        throw errors::invalid_param("Invalid event id");
    // Room version 11 reads the target from the content, older ones from the top level: both.
    // The path names the target, whatever the body says.
    content["redacts"] = event_id;
    co_return co_await send_with_txn(std::move(caller), std::move(room_id),
                                     std::string(et::m_room_redaction), std::move(content),
                                     std::move(txn_id), "redact:" + event_id, ts);
}

} // namespace ravenous::rooms
