#include "rooms/bundled_aggregations.hpp"

#include "ravenous/matrix/event_types.hpp"

namespace ravenous::rooms {

using nlohmann::json;
namespace rel = matrix::rel_types;

namespace {

// State events get no aggregations, and an edit or a reaction may have no children.
bool may_have_aggregations(const storage::EventRow& row)
{
    return !row.state_key && row.rel_type != rel::replace && row.rel_type != rel::annotation;
}

// A thread root is an event that is not itself in a relation.
bool may_be_thread_root(const storage::EventRow& row)
{
    return may_have_aggregations(row) && !row.rel_type;
}

// The spec's conditions on a replacement that storage does not already check (same room and
// sender): same type, not a state event, and (ours) not itself redacted.
bool valid_edit(const storage::EventRow& original, const storage::EventRow& edit)
{
    return edit.room_id == original.room_id && edit.sender == original.sender &&
           edit.type == original.type && !edit.state_key && !edit.redacted_by;
}

} // namespace

std::vector<const storage::EventRow*>
row_pointers(std::initializer_list<const std::vector<storage::EventRow>*> lists,
             std::initializer_list<const storage::EventRow*> singles)
{
    std::vector<const storage::EventRow*> out;
    for (const auto* list : lists)
        for (const auto& row : *list)
            out.push_back(&row);
    for (const auto* row : singles)
        out.push_back(row);
    return out;
}

void BundledAggregations::add_thread(storage::events::ThreadSummary summary,
                                     const history::VisibleRanges& visible)
{
    // A summary whose latest reply the user may not see would leak it (and its count).
    if (summary.count > 0 && visible.contains(summary.latest.topo)) {
        auto root = summary.root_id;
        threads_.insert_or_assign(std::move(root), std::move(summary));
    }
}

void BundledAggregations::load(storage::ReadTxn& txn,
                               const std::vector<const storage::EventRow*>& rows,
                               std::string_view user_id, const history::VisibleRanges& visible)
{
    std::vector<std::string> roots;
    for (const auto* row : rows)
        if (may_be_thread_root(*row) && !threads_.contains(row->event_id))
            roots.push_back(row->event_id);
    if (!roots.empty())
        for (auto& summary : storage::events::thread_summaries(txn, roots, user_id))
            add_thread(std::move(summary), visible);

    // Edits of the events themselves and of the threads' latest replies.
    std::unordered_map<std::string, const storage::EventRow*> originals;
    for (const auto* row : rows)
        if (may_have_aggregations(*row) && !row->redacted_by)
            originals.emplace(row->event_id, row);
    for (const auto& [root, summary] : threads_)
        if (may_have_aggregations(summary.latest) && !summary.latest.redacted_by)
            originals.emplace(summary.latest.event_id, &summary.latest);
    if (originals.empty())
        return;
    std::vector<std::string> ids;
    ids.reserve(originals.size());
    for (const auto& [id, row] : originals)
        ids.push_back(id);
    for (auto& [id, edit] : storage::events::latest_edits(txn, ids)) {
        auto original = originals.find(id);
        if (original != originals.end() && valid_edit(*original->second, edit) &&
            visible.contains(edit.topo))
            edits_.insert_or_assign(id, std::move(edit));
    }
}

json BundledAggregations::render(const storage::EventRow& row, const Viewer& viewer,
                                 std::int64_t now_ms) const
{
    json event = client_event(row, viewer, now_ms);
    json relations = json::object();
    if (auto edit = edits_.find(row.event_id); edit != edits_.end())
        relations[rel::replace] = client_event(edit->second, viewer, now_ms);
    if (auto thread = threads_.find(row.event_id); thread != threads_.end()) {
        const auto& summary = thread->second;
        json latest = client_event(summary.latest, viewer, now_ms);
        if (auto edit = edits_.find(summary.latest.event_id); edit != edits_.end())
            latest["unsigned"]["m.relations"][rel::replace] =
                client_event(edit->second, viewer, now_ms);
        relations[rel::thread] = {{"latest_event", std::move(latest)},
                                  {"count", summary.count},
                                  {"current_user_participated", summary.participated}};
    }
    if (!relations.empty())
        event["unsigned"]["m.relations"] = std::move(relations);
    return event;
}

json BundledAggregations::render_all(const std::vector<storage::EventRow>& rows,
                                     const Viewer& viewer, std::int64_t now_ms) const
{
    json out = json::array();
    for (const auto& row : rows)
        out.push_back(render(row, viewer, now_ms));
    return out;
}

} // namespace ravenous::rooms
