#pragma once

// One appservice transaction, built from the log after a consumer's cursor (module-private).
//
// Everything durable in it (events, receipts, to-device messages) has a stream position in
// (from, to], so the id "<from>-<to>" names the same content whenever it is built again:
// after a retry or a restart the bridge sees the same id and dedupes. Typing and presence
// live only in memory; a transaction carrying them gets an id that cannot recur in another
// process ("-e<boot>.<serial>").

#include "appservice/interest.hpp"
#include "ravenous/storage/sqlite.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ravenous::sync {
class EphemeralState;
}

namespace ravenous::appservice {

struct TransactionLimits
{
    // Synapse's and the proposed spec's limits per transaction.
    std::size_t events = 100;
    std::size_t ephemeral = 100;
    std::size_t to_device = 100;
    // Log rows looked at per read: a flood in rooms the appservice does not want is skipped
    // in steps of this many, each step advancing the cursor.
    int scan = 2000;
};

struct Transaction
{
    std::int64_t from = 0;
    std::int64_t to = 0;            // the cursor once the bridge has acknowledged it
    std::int64_t ephemeral_to = 0;  // the in-memory ephemeral serial it covers
    std::string txn_id;
    nlohmann::json body = nlohmann::json::object();
    std::size_t event_count = 0;
    std::vector<std::int64_t> to_device_positions;  // deleted once acknowledged

    bool empty() const { return body.empty(); }
};

struct BuildInput
{
    std::int64_t from = 0;            // the cursor
    std::int64_t head = 0;            // the stream position now
    std::int64_t ephemeral_since = 0; // in-memory serial already delivered
    std::int64_t ephemeral_now = 0;
    std::int64_t now_ms = 0;
    std::int64_t boot_id = 0;         // distinguishes in-memory ephemeral ids across processes
    std::string owner_user_id;
};

// Runs inside a read job. Returns an empty transaction (body {}) when nothing in (from, to]
// is wanted; `to` then says how far the cursor may move without sending.
Transaction build_transaction(storage::ReadTxn& txn, Interest& interest,
                              const Registration& registration, sync::EphemeralState& ephemeral,
                              const BuildInput& input, const TransactionLimits& limits = {});

} // namespace ravenous::appservice
