#pragma once

#include "ravenous/auth/identity.hpp"
#include "ravenous/rooms/event_filter.hpp"
#include "ravenous/storage/events_table.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
}

namespace ravenous::rooms {

// The largest page any history read returns (Synapse's MAX_LIMIT).
inline constexpr int max_history_limit = 1000;

// GET /rooms/{roomId}/messages. Tokens (tokens.hpp): "t<boundary>" or "s<stream position>".
struct MessagesQuery
{
    std::optional<std::string> from; // absent: the end (backward) or start (forward)
    std::optional<std::string> to;
    storage::Direction dir = storage::Direction::backward;
    int limit = 10;         // 0..max_history_limit
    RoomEventFilter filter; // default: matches everything
};

// GET /rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]].
struct RelationsQuery
{
    std::optional<std::string> rel_type;
    std::optional<std::string> event_type;
    std::optional<std::string> from;
    std::optional<std::string> to;
    storage::Direction dir = storage::Direction::backward;
    int limit = 5; // 1..max_history_limit
    // ?recurse= as given (nullopt: absent). Only direct children are returned either way;
    // when the parameter is present the answer carries recursion_depth 1.
    std::optional<bool> recurse;
};

// Reads of a room's history, honouring history visibility: /messages, /context, /event,
// timestamp_to_event, relations and threads, with bundled aggregations (m.replace, m.thread).
// Errors: 404 M_NOT_FOUND for an unknown room or an event the caller may not see, 403
// M_FORBIDDEN for a room the caller was never in (except /event: 404, as Synapse answers),
// 400 M_INVALID_PARAM for a malformed token.
class Timeline
{
public:
    explicit Timeline(storage::Database& db) : db_(db) {}

    // {start, end?, chunk, state?}: `end` is absent once nothing more is visible that way.
    boost::asio::awaitable<nlohmann::json> messages(auth::Identity caller, std::string room_id,
                                                    MessagesQuery query);
    // {start, end, event, events_before, events_after, state}: limit split as Synapse does
    // (limit/2 before, the rest after); the filter applies to the surrounding events and state.
    boost::asio::awaitable<nlohmann::json> context(auth::Identity caller, std::string room_id,
                                                   std::string event_id, int limit,
                                                   RoomEventFilter filter);
    boost::asio::awaitable<nlohmann::json> event(auth::Identity caller, std::string room_id,
                                                 std::string event_id);
    // {event_id, origin_server_ts} of the closest event the caller may see.
    boost::asio::awaitable<nlohmann::json> timestamp_to_event(auth::Identity caller,
                                                              std::string room_id, std::int64_t ts,
                                                              storage::Direction dir);
    // {chunk, next_batch?, prev_batch?, recursion_depth?}.
    boost::asio::awaitable<nlohmann::json> relations(auth::Identity caller, std::string room_id,
                                                     std::string event_id, RelationsQuery query);
    // {chunk, next_batch?}: thread roots by latest reply, newest first.
    boost::asio::awaitable<nlohmann::json> threads(auth::Identity caller, std::string room_id,
                                                   bool participated_only,
                                                   std::optional<std::string> from, int limit);

private:
    storage::Database& db_;
};

} // namespace ravenous::rooms
