#include "ravenous/rooms/room_reader.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/rooms/client_event.hpp"
#include "ravenous/rooms/tokens.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/util/time.hpp"
#include "rooms/access.hpp"

namespace ravenous::rooms {

namespace errors = matrix::errors;
using nlohmann::json;
using boost::asio::awaitable;

namespace {

// The state the reader may see: current, or as it was when they left.
std::vector<storage::EventRow> visible_state(storage::ReadTxn& txn, const ReadAccess& access)
{
    return access.until ? storage::current_state::at(txn, access.room.room_id, *access.until)
                        : storage::current_state::all(txn, access.room.room_id);
}

json events_json(const std::vector<storage::EventRow>& rows, const Viewer& viewer)
{
    const auto now = util::now_ms();
    json out = json::array();
    for (const auto& row : rows)
        out.push_back(client_event(row, viewer, now));
    return out;
}

} // namespace

awaitable<json> RoomReader::state_event(auth::Identity caller, std::string room_id,
                                        std::string type, std::string state_key, bool whole_event)
{
    auto row = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const auto access = read_access(txn, room_id, caller.user_id);
        return access.until
                   ? storage::current_state::get_at(txn, room_id, type, state_key, *access.until)
                   : storage::current_state::get(txn, room_id, type, state_key);
    });
    if (!row)
        throw errors::not_found("Event not found.");
    json event = client_event(*row, Viewer::of(caller), util::now_ms());
    co_return whole_event ? event : event.value("content", json::object());
}

awaitable<json> RoomReader::state(auth::Identity caller, std::string room_id)
{
    auto rows = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        return visible_state(txn, read_access(txn, room_id, caller.user_id));
    });
    co_return events_json(rows, Viewer::of(caller));
}

awaitable<json> RoomReader::members(auth::Identity caller, std::string room_id, MembersQuery query)
{
    auto rows = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const auto access = read_access(txn, room_id, caller.user_id);
        std::optional<std::int64_t> boundary = access.until;
        if (query.at) {
            auto at = tokens::to_boundary(txn, room_id, *query.at);
            if (!at)
                throw errors::invalid_param("Invalid 'at' token");
            boundary = boundary ? std::min(*boundary, *at) : *at;
        }
        auto state = boundary ? storage::current_state::at(txn, room_id, *boundary)
                              : storage::current_state::all(txn, room_id);
        std::erase_if(state, [&](const storage::EventRow& row) {
            if (row.type != matrix::m_room_member)
                return true;
            const auto membership = json::parse(row.json)["content"].value("membership", "");
            return (query.membership && membership != *query.membership) ||
                   (query.not_membership && membership == *query.not_membership);
        });
        return state;
    });
    co_return json{{"chunk", events_json(rows, Viewer::of(caller))}};
}

awaitable<json> RoomReader::joined_members(auth::Identity caller, std::string room_id)
{
    auto rows = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        require_joined(txn, room_id, caller.user_id);
        std::vector<storage::EventRow> joined;
        for (const auto& member : storage::memberships::of_room(txn, room_id))
            if (member.membership == matrix::join)
                if (auto row = storage::current_state::get(txn, room_id, matrix::m_room_member,
                                                           member.user_id))
                    joined.push_back(std::move(*row));
        return joined;
    });
    json joined = json::object();
    for (const auto& row : rows) {
        const json content = json::parse(row.json).value("content", json::object());
        json profile = json::object();
        for (const auto& [from, to] : {std::pair{"displayname", "display_name"},
                                       std::pair{"avatar_url", "avatar_url"}})
            if (auto it = content.find(from); it != content.end() && it->is_string())
                profile[to] = *it;
        joined[*row.state_key] = profile;
    }
    co_return json{{"joined", joined}};
}

awaitable<std::vector<std::string>> RoomReader::joined_rooms(auth::Identity caller)
{
    co_return co_await db_.readers().read([&](storage::ReadTxn& txn) {
        return storage::memberships::rooms_of(txn, caller.user_id, matrix::join);
    });
}

awaitable<std::vector<std::string>> RoomReader::aliases(auth::Identity caller, std::string room_id)
{
    co_return co_await db_.readers().read([&](storage::ReadTxn& txn) {
        read_access(txn, room_id, caller.user_id);
        return storage::aliases::of_room(txn, room_id);
    });
}

} // namespace ravenous::rooms
