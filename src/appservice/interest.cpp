#include "appservice/interest.hpp"

#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/rooms_table.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::appservice {

namespace {

constexpr std::size_t max_cached_rooms = 50'000;

// The membership an m.room.member event sets, from its stored JSON.
std::string membership_of(const storage::EventRow& event)
{
    auto json = nlohmann::json::parse(event.json, nullptr, false);
    if (!json.is_object())
        return {};
    auto content = json.find("content");
    if (content == json.end() || !content->is_object())
        return {};
    return content->value("membership", std::string());
}

} // namespace

Interest::Interest(std::shared_ptr<const Registration> registration, std::string server_name)
    : registration_(std::move(registration)), server_name_(std::move(server_name)),
      sender_(registration_->sender_user_id(server_name_))
{
}

bool Interest::wants_user(std::string_view user_id) const
{
    return registration_->is_interested_in_user(user_id, server_name_);
}

bool Interest::wants_event(storage::ReadTxn& txn, const storage::EventRow& event)
{
    // Backfilled history's state is no room's state now: a bridge would take it for current
    // state (mautrix updates its state store from every state event it is sent).
    if (event.state_key && storage::events::in_history_band(event.topo))
        return false;
    if (event.type == matrix::m_room_member && event.state_key) {
        // A join of one of ours makes the room wanted without a query; anything else may
        // have removed the last of ours, so the room is looked at again when next asked.
        auto cached = rooms_.find(event.room_id);
        if (cached != rooms_.end()) {
            if (wants_user(*event.state_key) && membership_of(event) == matrix::membership::join)
                cached->second = true;
            else if (cached->second)
                rooms_.erase(cached);
        }
    } else if (event.type == matrix::m_room_canonical_alias) {
        rooms_.erase(event.room_id);
    }
    // A batch send's events are never echoed to the appservice that sent them.
    if (event.backfilled_by && *event.backfilled_by == registration_->id)
        return false;
    if (wants_user(event.sender))
        return true;
    if (event.state_key && !event.state_key->empty() && event.state_key->front() == '@' &&
        wants_user(*event.state_key))
        return true;
    return wants_room(txn, event.room_id);
}

bool Interest::wants_room(storage::ReadTxn& txn, const std::string& room_id)
{
    if (auto cached = rooms_.find(room_id); cached != rooms_.end())
        return cached->second;
    if (rooms_.size() >= max_cached_rooms)
        rooms_.clear();
    const bool wanted = compute_room(txn, room_id);
    rooms_.emplace(room_id, wanted);
    return wanted;
}

bool Interest::compute_room(storage::ReadTxn& txn, const std::string& room_id) const
{
    const auto& registration = *registration_;
    if (registration.matches_room_id(room_id))
        return true;
    if (!registration.aliases.empty()) {
        for (const auto& alias : storage::aliases::of_room(txn, room_id))
            if (registration.matches_alias(alias))
                return true;
    }
    for (const auto& member : storage::memberships::of_room(txn, room_id))
        if (member.membership == matrix::membership::join && wants_user(member.user_id))
            return true;
    return false;
}

} // namespace ravenous::appservice
