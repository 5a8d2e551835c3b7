#pragma once

// Registrations made while the server runs, through the bridge-manager API (Beeper's
// Hungryserv, as bbctl calls it) and the operator API: checked against the registry, persisted,
// given their sender user, and handed to the pusher, all without a restart. Registrations from
// app_service_config_files are listed but never changed here.

#include "ravenous/appservice/registration.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ravenous::storage {
class Database;
class WriteTxn;
}

namespace ravenous::appservice {

class Registry;
class Pusher;

// ^[a-z0-9=.-]{1,32}$: the bridge-manager API's rule for {username} and {bridge}.
bool is_valid_bridge_name(std::string_view name);

// What a bridge-manager PUT asks for. `address` must be an http(s) URL; push needs one.
struct BridgeRequest
{
    std::string username;
    std::string bridge;
    std::optional<std::string> address;
    bool push = false;
    bool self_hosted = false;
};

class RuntimeRegistrations
{
public:
    RuntimeRegistrations(Registry& registry, storage::Database& db, Pusher& pusher);

    struct Stored
    {
        std::shared_ptr<const Registration> registration;
        bool created = false;  // false: it existed (and may have been updated)
    };

    // The bridge's registration: created with fresh tokens, or the existing one with its
    // tokens, its address and flags brought in line with the request. M_INVALID_PARAM for a
    // bad address, 409 M_EXCLUSIVE when the id or a namespace belongs to another appservice.
    boost::asio::awaitable<Stored> put_bridge(BridgeRequest request);
    // The bridge's registration, if it was made through the bridge-manager API.
    std::shared_ptr<const Registration> find_bridge(std::string_view bridge) const;

    // The operator's PUT: adds or replaces a run-time registration. M_FORBIDDEN for one from a
    // file or one managed through the bridge-manager API, 409 M_EXCLUSIVE on conflicts.
    boost::asio::awaitable<Stored> put(std::shared_ptr<const Registration> registration);

    // Removes a run-time registration with its delivery cursor; its token stops working at
    // once. M_NOT_FOUND if there is none, M_FORBIDDEN for one from a file. `also` runs in the
    // same write job (the erasure of a bridge's rooms and users).
    boost::asio::awaitable<void> remove(std::string id,
                                        std::function<void(storage::WriteTxn&)> also = {});

private:
    // Registry first (it checks conflicts atomically), then the database; a failed write puts
    // the registry back as it was.
    boost::asio::awaitable<void> store(std::shared_ptr<const Registration> previous,
                                       std::shared_ptr<const Registration> next);

    Registry& registry_;
    storage::Database& db_;
    Pusher& pusher_;
};

} // namespace ravenous::appservice
