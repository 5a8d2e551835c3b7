#pragma once

namespace ravenous::config {
struct Config;
}
namespace ravenous::storage {
class Database;
}
namespace ravenous::appservice {
class Registry;
class Pusher;
class RuntimeRegistrations;
}
namespace ravenous::auth {
class Authenticator;
class AccountService;
class DeviceService;
class InteractiveAuth;
}
namespace ravenous::profile {
class ProfileService;
}
namespace ravenous::rooms {
class BackfillService;
class RoomService;
class RoomReader;
class Timeline;
class RoomDeletion;
}

namespace ravenous::sync {
class Notifier;
class SyncService;
class FilterStore;
class EphemeralState;
class AccountDataService;
class ReceiptService;
}
namespace ravenous::push {
class PushRuleService;
}

namespace ravenous::api {

// Everything a handler may call, passed explicitly (never a global). Built by app.
struct Services
{
    const config::Config& config;
    storage::Database& db;
    appservice::Registry& appservices;
    appservice::Pusher& pusher;
    auth::Authenticator& authenticator;
    auth::AccountService& accounts;
    auth::DeviceService& devices;
    auth::InteractiveAuth& uia;
    profile::ProfileService& profiles;
    rooms::RoomService& rooms;
    rooms::RoomReader& room_reader;
    rooms::Timeline& timeline;
    rooms::BackfillService& backfill;
    sync::Notifier& notifier;
    sync::SyncService& sync;
    sync::FilterStore& filters;
    sync::EphemeralState& ephemeral;
    sync::AccountDataService& account_data;
    sync::ReceiptService& receipts;
    push::PushRuleService& push_rules;
    appservice::RuntimeRegistrations& appservice_registrations;
    rooms::RoomDeletion& room_deletion;
};

} // namespace ravenous::api
