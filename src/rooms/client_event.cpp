#include "ravenous/rooms/client_event.hpp"

#include "ravenous/appservice/registration.hpp"

namespace ravenous::rooms {

std::string device_key(const auth::Identity& identity)
{
    if (identity.device_id)
        return *identity.device_id;
    if (identity.appservice)
        return "as:" + identity.appservice->id;
    return {};
}

Viewer Viewer::of(const auth::Identity& identity)
{
    return {identity.user_id, rooms::device_key(identity)};
}

nlohmann::json client_event(const storage::EventRow& row, const Viewer& viewer, std::int64_t now_ms)
{
    nlohmann::json event = nlohmann::json::parse(row.json);
    auto& unsigned_ = event["unsigned"];
    unsigned_["age"] = std::max<std::int64_t>(0, now_ms - row.origin_server_ts);
    if (row.txn_id && row.sender == viewer.user_id && row.device_id == viewer.device_key)
        unsigned_["transaction_id"] = *row.txn_id;
    return event;
}

} // namespace ravenous::rooms
