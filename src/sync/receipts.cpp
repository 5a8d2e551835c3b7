#include "ravenous/sync/receipts.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/account_data_table.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/receipts_table.hpp"
#include "ravenous/util/time.hpp"
#include "rooms/access.hpp"
#include "ravenous/matrix/event_types.hpp"

#include <vector>

namespace ravenous::sync {

namespace literals = matrix::literals;

namespace errors = matrix::errors;
using nlohmann::json;

namespace {

struct Mark
{
    std::string type; // m.read, m.read.private or m.fully_read
    std::string event_id;
    std::string thread_id; // "" unthreaded
};

// The event's row if it is in the room (404 otherwise).
storage::EventRow event_in_room(storage::ReadTxn& txn, const std::string& room_id,
                                const std::string& event_id)
{
    auto row = storage::events::get(txn, event_id);
    if (!row || row->room_id != room_id)
        throw errors::not_found("Event not found: " + event_id);
    return *row;
}

// True if `current` (an event id already marked) is after `candidate` in the room's order.
// Topological, not stream: backfilled history is written after the live events it precedes.
bool already_after(storage::ReadTxn& txn, const std::optional<std::string>& current,
                   const storage::EventRow& candidate)
{
    if (!current)
        return false;
    auto row = storage::events::get(txn, *current);
    return row && row->topo > candidate.topo;
}

// The thread an event belongs to: its m.thread root, or the root of the event it relates to
// (an edit or reaction in a thread); nullopt for the main timeline.
std::optional<std::string> thread_of(storage::ReadTxn& txn, const storage::EventRow& event)
{
    if (event.rel_type == matrix::rel_types::thread)
        return event.relates_to;
    if (!event.relates_to)
        return std::nullopt;
    auto parent = storage::events::get(txn, *event.relates_to);
    if (parent && parent->rel_type == matrix::rel_types::thread)
        return parent->relates_to;
    return std::nullopt;
}

// As Synapse: the event must be in the thread ("main": not in any thread); a thread root
// is in both its thread and the main timeline.
void check_thread(storage::ReadTxn& txn, const Mark& mark, const storage::EventRow& event)
{
    if (mark.thread_id.empty())
        return;
    const auto thread = thread_of(txn, event);
    const bool in_thread = mark.thread_id == literals::main_thread
                               ? !thread
                               : (event.event_id == mark.thread_id || thread == mark.thread_id);
    if (!in_thread)
        throw errors::invalid_param("event_id is not related to thread_id");
}

// Validates and applies the marks in one write job: all or nothing.
void apply(storage::WriteTxn& txn, const std::string& user_id, const std::string& room_id,
           const std::vector<Mark>& marks)
{
    rooms::require_joined(txn, room_id, user_id);
    std::vector<storage::EventRow> events;
    for (const auto& mark : marks) {
        events.push_back(event_in_room(txn, room_id, mark.event_id));
        check_thread(txn, mark, events.back());
    }
    const std::int64_t now = util::now_ms();
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const Mark& mark = marks[i];
        if (mark.type == literals::m_fully_read) {
            std::optional<std::string> current;
            if (auto stored =
                    storage::account_data::get(txn, user_id, room_id, literals::m_fully_read)) {
                json content = json::parse(*stored);
                if (content.contains("event_id") && content["event_id"].is_string())
                    current = content["event_id"].get<std::string>();
            }
            if (already_after(txn, current, events[i]))
                continue;
            json content = json::object();
            content["event_id"] = mark.event_id;
            storage::account_data::put(txn, user_id, room_id, literals::m_fully_read,
                                       content.dump(), storage::stream::next(txn));
            continue;
        }
        auto current = storage::receipts::get(txn, room_id, user_id, mark.type, mark.thread_id);
        std::optional<std::string> current_event;
        if (current)
            current_event = current->event_id;
        if (already_after(txn, current_event, events[i]))
            continue;
        storage::receipts::put(txn, {room_id, user_id, mark.type, mark.thread_id, mark.event_id,
                                     now, storage::stream::next(txn)});
    }
}

} // namespace

boost::asio::awaitable<void> ReceiptService::post_receipt(std::string user_id, std::string room_id,
                                                          std::string receipt_type,
                                                          std::string event_id,
                                                          std::optional<std::string> thread_id)
{
    if (receipt_type != literals::m_read && receipt_type != literals::m_read_private &&
        receipt_type != literals::m_fully_read)
        throw errors::invalid_param("Receipt type must be m.read, m.read.private or m.fully_read");
    if (thread_id && thread_id->empty())
        throw errors::invalid_param("thread_id field must be a non-empty string");
    if (thread_id && receipt_type == literals::m_fully_read)
        throw errors::invalid_param("thread_id is not compatible with m.fully_read");
    std::vector<Mark> marks;
    marks.push_back(Mark{receipt_type, event_id, thread_id.value_or(std::string())});
    co_await db_.writer().submit(
        [&](storage::WriteTxn& txn) { apply(txn, user_id, room_id, marks); });
}

void mark_read(storage::WriteTxn& txn, const std::string& user_id, const std::string& room_id,
               const std::string& event_id)
{
    apply(txn, user_id, room_id, {Mark{std::string(literals::m_read), event_id, {}}});
}

boost::asio::awaitable<void> ReceiptService::set_read_markers(std::string user_id,
                                                              std::string room_id, Markers markers)
{
    std::vector<Mark> marks;
    if (markers.fully_read)
        marks.push_back(Mark{std::string(literals::m_fully_read), *markers.fully_read, {}});
    if (markers.read)
        marks.push_back(Mark{std::string(literals::m_read), *markers.read, {}});
    if (markers.read_private)
        marks.push_back(Mark{std::string(literals::m_read_private), *markers.read_private, {}});
    co_await db_.writer().submit(
        [&](storage::WriteTxn& txn) { apply(txn, user_id, room_id, marks); });
}

} // namespace ravenous::sync
