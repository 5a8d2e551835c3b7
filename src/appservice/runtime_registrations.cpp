#include "ravenous/appservice/runtime_registrations.hpp"

#include "ravenous/appservice/pusher.hpp"
#include "ravenous/appservice/registry.hpp"
#include "ravenous/auth/accounts.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/storage/appservices_table.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/users_table.hpp"
#include "ravenous/util/random.hpp"
#include "ravenous/util/time.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

namespace ravenous::appservice {

namespace errors = matrix::errors;
using boost::asio::awaitable;

namespace {

// Long enough that guessing is hopeless, alphanumeric so that no client needs to escape it.
constexpr std::size_t token_length = 64;

matrix::MatrixError conflict(const std::vector<std::string>& problems)
{
    std::string message = "Conflicts with a registered appservice: ";
    for (std::size_t i = 0; i < problems.size(); ++i)
        message += (i ? "; " : "") + problems[i];
    return matrix::MatrixError(409, matrix::ErrCode::M_EXCLUSIVE, message);
}

std::string describe(const Registration& registration)
{
    if (registration.from_file())
        return "appservice '" + registration.id + "' (from " + registration.source + ")";
    if (registration.bridge_manager)
        return "appservice '" + registration.id + "' (bridge '" +
               registration.bridge_manager->bridge + "' of " +
               registration.bridge_manager->username + ")";
    return "appservice '" + registration.id + "' (from the operator API)";
}

std::string escape_regex(std::string_view text)
{
    std::string escaped;
    for (char c : text) {
        if (std::strchr("\\^$.|?*+()[]{}", c) != nullptr)
            escaped += '\\';
        escaped += c;
    }
    return escaped;
}

void check_address(const BridgeRequest& request)
{
    if (request.address && !request.address->starts_with("http://") &&
        !request.address->starts_with("https://"))
        throw errors::invalid_param("'address' must be an http:// or https:// URL");
    if (request.push && !request.address)
        throw errors::invalid_param("'push': true needs an 'address' to push to");
}

void apply_request(Registration& registration, const BridgeRequest& request)
{
    registration.bridge_manager =
        BridgeManagerInfo{request.username, request.bridge, request.address, request.push,
                          request.self_hosted};
    // Without push the bridge will connect over a WebSocket: no URL, as bbctl expects
    // (it reads an empty url, which is what null decodes to, as "websocket").
    registration.url = request.push ? request.address : std::nullopt;
}

// As Hungryserv answers bbctl: the ghosts' namespace first, then the bot itself (bbctl keeps
// only the first entry).
std::shared_ptr<Registration> new_bridge_registration(const BridgeRequest& request,
                                                      std::string_view server_name)
{
    auto registration = std::make_shared<Registration>();
    registration->id = request.bridge;
    registration->as_token = util::random_alnum(token_length);
    registration->hs_token = util::random_alnum(token_length);
    registration->sender_localpart = request.bridge + "bot";
    const std::string server = escape_regex(server_name);
    const std::string bridge = escape_regex(request.bridge);
    registration->users.emplace_back("@" + bridge + "_.+:" + server, true);
    registration->users.emplace_back("@" + bridge + "bot:" + server, true);
    registration->rate_limited = false;
    registration->receive_ephemeral = true;
    registration->msc3202 = true;
    registration->source = runtime_source;
    apply_request(*registration, request);
    return registration;
}

} // namespace

bool is_valid_bridge_name(std::string_view name)
{
    return !name.empty() && name.size() <= 32 &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '=' ||
                      c == '.' || c == '-';
           });
}

RuntimeRegistrations::RuntimeRegistrations(Registry& registry, storage::Database& db,
                                           Pusher& pusher)
    : registry_(registry), db_(db), pusher_(pusher)
{
}

std::shared_ptr<const Registration> RuntimeRegistrations::find_bridge(std::string_view bridge) const
{
    auto registration = registry_.find_by_id(bridge);
    if (!registration || !registration->bridge_manager ||
        registration->bridge_manager->bridge != bridge)
        return nullptr;
    return registration;
}

awaitable<RuntimeRegistrations::Stored> RuntimeRegistrations::put_bridge(BridgeRequest request)
{
    check_address(request);
    auto previous = registry_.find_by_id(request.bridge);
    if (previous && !find_bridge(request.bridge))
        throw conflict({"the id '" + request.bridge + "' is already used by " +
                        describe(*previous)});
    if (!previous) {
        auto created = new_bridge_registration(request, registry_.server_name());
        co_await store(nullptr, created);
        co_return Stored{std::move(created), true};
    }
    const BridgeManagerInfo& info = *previous->bridge_manager;
    if (info.address == request.address && info.push == request.push &&
        info.self_hosted == request.self_hosted)
        co_return Stored{std::move(previous), false};
    auto updated = std::make_shared<Registration>(*previous);  // tokens kept
    apply_request(*updated, request);
    co_await store(previous, updated);
    co_return Stored{std::move(updated), false};
}

awaitable<RuntimeRegistrations::Stored>
RuntimeRegistrations::put(std::shared_ptr<const Registration> registration)
{
    auto previous = registry_.find_by_id(registration->id);
    if (previous && previous->from_file())
        throw errors::forbidden(describe(*previous) +
                                " is configured in app_service_config_files: change the file "
                                "and restart");
    if (previous && previous->bridge_manager)
        throw errors::forbidden(describe(*previous) +
                                " is managed through the bridge-manager API: change it there, "
                                "or delete it first");
    const bool created = previous == nullptr;
    co_await store(std::move(previous), registration);
    co_return Stored{std::move(registration), created};
}

awaitable<void> RuntimeRegistrations::remove(std::string id,
                                             std::function<void(storage::WriteTxn&)> also)
{
    auto registration = registry_.find_by_id(id);
    if (!registration)
        throw errors::not_found("No appservice '" + id + "'");
    if (registration->from_file())
        throw errors::forbidden(describe(*registration) +
                                " is configured in app_service_config_files: remove it there "
                                "and restart");
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        storage::appservices::remove(txn, id);
        if (also)
            also(txn);
    });
    registry_.remove(id);
    pusher_.refresh();
    spdlog::info("appservice '{}' removed", id);
}

awaitable<void> RuntimeRegistrations::store(std::shared_ptr<const Registration> previous,
                                            std::shared_ptr<const Registration> next)
{
    if (auto problems = registry_.replace(previous, next); !problems.empty())
        throw conflict(problems);
    const std::string stored = to_stored_json(*next).dump();
    const std::string sender = next->sender_user_id(registry_.server_name());
    std::exception_ptr failure;
    try {
        co_await db_.writer().run([&](storage::WriteTxn& txn) {
            // An existing sender must be this appservice's own (registered before): taking
            // over the owner or another appservice's user would hand out its identity.
            if (auto user = storage::users::get(txn, sender);
                user && (user->is_owner || user->appservice_id != next->id))
                throw conflict({"the sender " + sender + " is an existing user of " +
                                (user->appservice_id ? "appservice '" + *user->appservice_id + "'"
                                                     : std::string("this server"))});
            storage::appservices::put(txn, next->id, stored, util::now_ms());
            auth::insert_appservice_user(txn, sender, next->id);
        });
    } catch (const std::exception&) {
        failure = std::current_exception();
    }
    if (failure) {
        // Nothing was persisted: the registry goes back to what the database holds.
        if (previous)
            registry_.replace(next, previous);
        else
            registry_.remove(next->id);
        std::rethrow_exception(failure);
    }
    pusher_.refresh();
    spdlog::info("appservice '{}' {}", next->id, previous ? "updated" : "registered");
}

} // namespace ravenous::appservice
