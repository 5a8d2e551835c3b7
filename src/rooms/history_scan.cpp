#include "rooms/history_scan.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/rooms/history_visibility.hpp"
#include "ravenous/rooms/timeline.hpp"
#include "ravenous/rooms/tokens.hpp"
#include "ravenous/storage/rooms_table.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace ravenous::rooms::history {

namespace errors = matrix::errors;
using nlohmann::json;
using storage::Direction;

namespace {

std::string content_string(const storage::EventRow& row, std::string_view key,
                           std::string_view fallback)
{
    const json event = json::parse(row.json, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object())
        return std::string(fallback);
    auto content = event.find("content");
    if (content == event.end() || !content->is_object())
        return std::string(fallback);
    auto value = content->find(key);
    return value != content->end() && value->is_string() ? value->get<std::string>()
                                                         : std::string(fallback);
}

} // namespace

VisibleRanges VisibleRanges::load(storage::ReadTxn& txn, const ReadAccess& access,
                                  std::string_view user_id)
{
    const auto& room_id = access.room.room_id;
    std::vector<VisibilityFilter::Change> changes;
    std::set<std::int64_t> points;
    std::set<std::int64_t> own_membership;
    for (const auto& row : storage::current_state::visibility_events(txn, room_id, user_id)) {
        if (row.type == matrix::m_room_member && row.state_key == user_id) {
            changes.push_back({row.topo, VisibilityFilter::Change::Kind::membership,
                               content_string(row, "membership", "")});
            own_membership.insert(row.topo);
        } else if (row.type == matrix::m_room_history_visibility) {
            // Absent or malformed: the spec's default, "shared".
            changes.push_back(
                {row.topo, VisibilityFilter::Change::Kind::visibility,
                 content_string(row, "history_visibility", matrix::history_visibility::shared)});
        } else {
            continue;
        }
        points.insert(row.topo);
    }
    const VisibilityFilter filter(std::move(changes), access.membership);

    const std::int64_t low = storage::events::start_boundary(txn, room_id);
    std::int64_t high = storage::events::end_boundary(txn, room_id);
    if (access.until)
        high = std::min(high, *access.until);

    VisibleRanges visible;
    std::int64_t cursor = low;
    const auto stretch = [&](std::int64_t begin, std::int64_t end, bool own) {
        if (begin < end && filter.can_see(begin, own))
            visible.add({begin, end});
    };
    for (const std::int64_t point : points) {
        if (point < low || point >= high)
            continue;
        stretch(cursor, point, false);
        stretch(point, point + 1, own_membership.contains(point));
        cursor = point + 1;
    }
    stretch(cursor, high, false);
    return visible;
}

void VisibleRanges::add(TopoRange range)
{
    if (range.begin >= range.end)
        return;
    if (!ranges_.empty() && ranges_.back().end >= range.begin) {
        ranges_.back().end = std::max(ranges_.back().end, range.end);
        return;
    }
    ranges_.push_back(range);
}

bool VisibleRanges::contains(std::int64_t topo) const
{
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), topo,
                               [](std::int64_t t, const TopoRange& r) { return t < r.end; });
    return it != ranges_.end() && it->begin <= topo;
}

std::optional<TopoRange> VisibleRanges::below(std::int64_t boundary) const
{
    // The last range that begins before the boundary.
    auto it = std::lower_bound(ranges_.begin(), ranges_.end(), boundary,
                               [](const TopoRange& r, std::int64_t b) { return r.begin < b; });
    if (it == ranges_.begin())
        return std::nullopt;
    TopoRange range = *std::prev(it);
    range.end = std::min(range.end, boundary);
    return range;
}

std::optional<TopoRange> VisibleRanges::above(std::int64_t boundary) const
{
    // The first range that ends after the boundary.
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), boundary,
                               [](std::int64_t b, const TopoRange& r) { return b < r.end; });
    if (it == ranges_.end())
        return std::nullopt;
    TopoRange range = *it;
    range.begin = std::max(range.begin, boundary);
    return range;
}

ScanResult scan(storage::ReadTxn& txn, std::string_view room_id, const VisibleRanges& visible,
                const RoomEventFilter& filter, std::int64_t from, Direction dir, int limit,
                std::optional<std::int64_t> to)
{
    const bool backward = dir == Direction::backward;
    const bool selective = !filter.matches_everything();
    ScanResult result;
    result.next = from;
    // Past `to` in the direction of the scan?
    const auto reached_to = [&](std::int64_t boundary) {
        return to && (backward ? boundary <= *to : boundary >= *to);
    };

    for (int pages = 0; int(result.rows.size()) < limit && pages < max_raw_pages; ++pages) {
        if (reached_to(result.next))
            break;
        auto range = backward ? visible.below(result.next) : visible.above(result.next);
        if (!range)
            break;
        // Jump over an invisible stretch.
        result.next =
            backward ? std::min(result.next, range->end) : std::max(result.next, range->begin);
        if (reached_to(result.next))
            break;
        const std::int64_t stop = backward ? std::max(range->begin, to.value_or(range->begin))
                                           : std::min(range->end, to.value_or(range->end));

        const int need = limit - int(result.rows.size());
        const int ask = selective ? std::clamp(need * 2, 50, max_history_limit) : need;
        auto rows = storage::events::page(txn, room_id, result.next, dir, ask, stop);
        bool full = false;
        for (auto& row : rows) {
            result.next = backward ? row.topo : row.topo + 1;
            if (!filter.matches(row))
                continue;
            result.rows.push_back(std::move(row));
            if (int(result.rows.size()) == limit) {
                full = true;
                break;
            }
        }
        if (!full && int(rows.size()) < ask)
            result.next = stop; // this range (up to `to`) is done
    }
    result.more =
        backward ? visible.below(result.next).has_value() : visible.above(result.next).has_value();
    return result;
}

std::int64_t parse_boundary(storage::ReadTxn& txn, std::string_view room_id, std::string_view token,
                            std::string_view param)
{
    auto boundary = tokens::to_boundary(txn, room_id, token);
    if (!boundary)
        throw errors::invalid_param("Invalid '" + std::string(param) + "' token");
    return *boundary;
}

std::optional<storage::EventRow> first_visible(storage::ReadTxn& txn, std::string_view room_id,
                                               const VisibleRanges& visible, std::int64_t from,
                                               Direction dir)
{
    auto found = scan(txn, room_id, visible, RoomEventFilter{}, from, dir, 1);
    if (found.rows.empty())
        return std::nullopt;
    return std::move(found.rows.front());
}

std::optional<storage::EventRow> visible_event(storage::ReadTxn& txn, std::string_view room_id,
                                               const VisibleRanges& visible,
                                               std::string_view event_id)
{
    auto row = storage::events::get(txn, event_id);
    if (!row || row->room_id != room_id || !visible.contains(row->topo))
        return std::nullopt;
    return row;
}

} // namespace ravenous::rooms::history
