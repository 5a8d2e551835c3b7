#pragma once

#include "ravenous/auth/identity.hpp"
#include "ravenous/storage/events_table.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ravenous::rooms {

// Who reads: unsigned.transaction_id is shown only to the device (or appservice) that sent.
struct Viewer
{
    std::string user_id;
    std::string device_key;  // see device_key()

    static Viewer of(const auth::Identity& identity);
};

// The scope of transaction ids: the device, or for a bare appservice token the appservice.
std::string device_key(const auth::Identity& identity);

// The event as a client sees it: the stored JSON plus unsigned.age and, for its sender's own
// device, unsigned.transaction_id.
nlohmann::json client_event(const storage::EventRow& row, const Viewer& viewer, std::int64_t now_ms);

} // namespace ravenous::rooms
