#include "ravenous/rooms/history_visibility.hpp"

#include "ravenous/matrix/event_types.hpp"

#include <algorithm>
#include <limits>

namespace ravenous::rooms {

namespace hv = matrix::history_visibility;
namespace ms = matrix::membership;

namespace {
std::string understood_visibility(const std::string& value)
{
    if (value == hv::world_readable || value == hv::shared || value == hv::invited ||
        value == hv::joined)
        return value;
    return std::string(hv::shared);
}
} // namespace

VisibilityFilter::VisibilityFilter(std::vector<Change> changes, std::string current_membership)
    : current_membership_(std::move(current_membership))
{
    std::stable_sort(changes.begin(), changes.end(),
                     [](const Change& a, const Change& b) { return a.topo < b.topo; });
    for (auto& change : changes) {
        if (change.kind == Change::Kind::membership) {
            if (change.value == ms::join)
                last_join_topo_ = change.topo;
            memberships_.push_back(std::move(change));
        } else {
            change.value = understood_visibility(change.value);
            visibilities_.push_back(std::move(change));
        }
    }
    if (current_membership_ == ms::join) // joined now: "joined after" every event
        last_join_topo_ = std::numeric_limits<std::int64_t>::max();
}

const VisibilityFilter::Change* VisibilityFilter::last_before(Change::Kind kind,
                                                              std::int64_t topo) const
{
    const auto& list = kind == Change::Kind::membership ? memberships_ : visibilities_;
    const auto it = std::lower_bound(list.begin(), list.end(), topo,
                                     [](const Change& c, std::int64_t t) { return c.topo < t; });
    return it == list.begin() ? nullptr : &*std::prev(it);
}

const VisibilityFilter::Change* VisibilityFilter::at(Change::Kind kind, std::int64_t topo) const
{
    const auto& list = kind == Change::Kind::membership ? memberships_ : visibilities_;
    const auto it = std::lower_bound(list.begin(), list.end(), topo,
                                     [](const Change& c, std::int64_t t) { return c.topo < t; });
    return it != list.end() && it->topo == topo ? &*it : nullptr;
}

std::string VisibilityFilter::membership_before(std::int64_t topo) const
{
    const auto* change = last_before(Change::Kind::membership, topo);
    return change ? change->value : std::string();
}

std::string VisibilityFilter::visibility_before(std::int64_t topo) const
{
    const auto* change = last_before(Change::Kind::visibility, topo);
    return change ? change->value : std::string(hv::shared);
}

bool VisibilityFilter::allowed(const std::string& visibility, const std::string& membership,
                               std::int64_t topo) const
{
    if (visibility == hv::world_readable) // 1
        return true;
    if (membership == ms::join) // 2
        return true;
    if (visibility == hv::shared && last_join_topo_ && *last_join_topo_ > topo) // 3
        return true;
    return visibility == hv::invited && membership == ms::invite; // 4, else 5: deny
}

bool VisibilityFilter::can_see(std::int64_t topo, bool own_membership_event) const
{
    if (own_membership_event || at(Change::Kind::membership, topo))
        return true;
    const auto membership = membership_before(topo);
    if (allowed(visibility_before(topo), membership, topo))
        return true;
    // An m.room.history_visibility event: the value after it counts too.
    const auto* change = at(Change::Kind::visibility, topo);
    return change && allowed(change->value, membership, topo);
}

bool VisibilityFilter::ever_visible() const
{
    if (current_membership_ == ms::join || current_membership_ == ms::invite)
        return true;
    const bool was_member = std::any_of(memberships_.begin(), memberships_.end(), [](auto& c) {
        return c.value == ms::join || c.value == ms::invite;
    });
    return was_member ||
           (!visibilities_.empty() && visibilities_.back().value == hv::world_readable);
}

} // namespace ravenous::rooms
