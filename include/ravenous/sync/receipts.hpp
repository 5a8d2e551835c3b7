#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
class WriteTxn;
}

namespace ravenous::sync {

// Read receipts (m.read, m.read.private, threaded) and the m.fully_read marker.
//
// Rules (spec, as Synapse): the user must be joined (403 M_FORBIDDEN); the event must be in
// the room (404 M_NOT_FOUND); thread_id is never empty and never with m.fully_read, and the
// event must be in that thread ("main": in no thread; a root is in both) (400 M_INVALID_PARAM). A
// receipt or marker for an event older (in stream order) than the one it already points at is
// accepted and changes nothing. m.fully_read is stored as the m.fully_read room account data
// {"event_id": ...}.
class ReceiptService
{
public:
    explicit ReceiptService(storage::Database& db) : db_(db) {}

    // receipt_type: m.read, m.read.private or m.fully_read (else 400 M_INVALID_PARAM).
    boost::asio::awaitable<void> post_receipt(std::string user_id, std::string room_id,
                                              std::string receipt_type, std::string event_id,
                                              std::optional<std::string> thread_id);

    // POST /read_markers: each marker optional (none at all is fine and changes nothing).
    struct Markers
    {
        std::optional<std::string> fully_read;
        std::optional<std::string> read;
        std::optional<std::string> read_private;
    };
    boost::asio::awaitable<void> set_read_markers(std::string user_id, std::string room_id,
                                                  Markers markers);

private:
    storage::Database& db_;
};

// Inside another write job (a batch send's mark_read_by): the user's unthreaded m.read receipt
// moves to `event_id` by the rules above (joined, the event in the room, never backwards).
void mark_read(storage::WriteTxn& txn, const std::string& user_id, const std::string& room_id,
               const std::string& event_id);

} // namespace ravenous::sync
