#pragma once

#include "ravenous/auth/identity.hpp"
#include "ravenous/sync/notifier.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
}

namespace ravenous::sync {

class FilterStore;
class EphemeralState;

struct SyncRequest
{
    std::optional<std::string> since;
    std::optional<std::string> filter;  // a filter id or inline JSON
    bool full_state = false;
    std::optional<std::string> set_presence;
    std::chrono::milliseconds timeout{0};
};

// GET /sync: one response assembled from small providers, one per section (rooms, account
// data, presence, to-device, device lists), all reading one snapshot between `since` and the
// position the response hands out as next_batch.
class SyncService
{
public:
    SyncService(storage::Database& db, Notifier& notifier, FilterStore& filters,
                EphemeralState& ephemeral);

    boost::asio::awaitable<nlohmann::json> sync(auth::Identity caller, SyncRequest request);

private:
    storage::Database& db_;
    Notifier& notifier_;
    FilterStore& filters_;
    EphemeralState& ephemeral_;
};

} // namespace ravenous::sync
