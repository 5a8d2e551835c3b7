#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::rooms {

// Decides which events of one room one user may see, from that user's membership changes and
// the room's history visibility changes along the log (spec: "Room History Visibility",
// server behaviour). For an event at `topo`, "the state at the event" is the state before it
// (the changes with a smaller topo); no history_visibility yet, or a value not understood,
// counts as "shared". The event is visible if:
//   1. the history visibility was world_readable, or
//   2. the user's membership was join, or
//   3. it was shared and the user joined at some point after the event (or is joined now),
//   4. it was invited and the user's membership was invite;
// an m.room.history_visibility event is visible if the value before *or* after it allows it,
// and the user's own m.room.member events are always visible to that user (the spec's "before
// or after" rule, widened like Synapse so that a rejected invite is seen too).
// So a user who left sees what was visible to them up to the leave, and nothing after it
// unless it was sent while world_readable.
class VisibilityFilter
{
public:
    struct Change
    {
        std::int64_t topo; // the position of the state event that made the change
        enum class Kind
        {
            membership,
            visibility
        } kind;
        std::string value; // the membership, or the history_visibility value
    };

    // `changes`: the user's membership changes and the room's history_visibility changes
    // (sorted here by topo if they are not already); `current_membership` is the user's
    // membership now ("" if none).
    VisibilityFilter(std::vector<Change> changes, std::string current_membership);

    // May the user see the event at `topo`? `own_membership_event`: the event is one of the
    // user's own membership changes (always visible to that user). A membership change at
    // exactly `topo` in `changes` means the same thing.
    bool can_see(std::int64_t topo, bool own_membership_event = false) const;

    // The user's membership in effect just before `topo` ("" if none).
    std::string membership_before(std::int64_t topo) const;
    // The history visibility in effect just before `topo` ("shared" if none or unknown).
    std::string visibility_before(std::int64_t topo) const;
    // True if the user was ever in (or invited to) the room, or it is world_readable now:
    // whether the user may look at the room's history at all.
    bool ever_visible() const;

private:
    bool allowed(const std::string& visibility, const std::string& membership,
                 std::int64_t topo) const;
    const Change* last_before(Change::Kind kind, std::int64_t topo) const;
    const Change* at(Change::Kind kind, std::int64_t topo) const;

    std::vector<Change> memberships_;
    std::vector<Change> visibilities_;
    std::string current_membership_;
    std::optional<std::int64_t> last_join_topo_; // the latest join, if any
};

} // namespace ravenous::rooms
