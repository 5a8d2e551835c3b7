#include "ravenous/auth/authenticator.hpp"

#include "ravenous/appservice/registry.hpp"
#include "ravenous/auth/accounts.hpp"
#include "ravenous/auth/tokens.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/devices_table.hpp"
#include "ravenous/storage/users_table.hpp"

namespace ravenous::auth {

namespace errors = matrix::errors;

Authenticator::Authenticator(const appservice::Registry& registry, storage::Database& db,
                             std::string server_name, std::string owner_user_id)
    : registry_(registry), db_(db), server_name_(std::move(server_name)),
      owner_user_id_(std::move(owner_user_id))
{
}

bool Authenticator::is_local_user(std::string_view user_id) const
{
    if (user_id == owner_user_id_)
        return true;
    auto parsed = matrix::parse_user_id(user_id);
    return parsed && parsed->server_name == server_name_;
}

boost::asio::awaitable<Identity> Authenticator::authenticate(Credentials credentials) const
{
    if (credentials.access_token.empty())
        throw errors::missing_token();
    if (auto registration = registry_.find_by_as_token(credentials.access_token))
        co_return co_await authenticate_appservice(std::move(registration), std::move(credentials));

    auto token_hash = tokens::hash(credentials.access_token);
    auto row = co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::access_tokens::find(txn, token_hash); });
    if (!row)
        throw errors::unknown_token();
    // A user token ignores ?user_id= (bridges send it even with their bot's device token).
    Identity identity;
    identity.user_id = row->user_id;
    identity.device_id = row->device_id;
    identity.token_hash = std::move(token_hash);
    identity.is_owner = row->user_id == owner_user_id_;
    co_return identity;
}

namespace {
// Beeper's rule: a bridge registered through the bridge-manager API belongs to the owner and
// may double-puppet them; any other appservice only if its namespace holds the owner's id.
bool may_act_as_owner(const appservice::Registration& registration, std::string_view owner,
                      std::string_view server_name)
{
    return registration.bridge_manager.has_value() ||
           registration.is_interested_in_user(owner, server_name);
}

std::string masquerade_refused(std::string_view user, std::string_view why)
{
    return "Application service cannot masquerade as this user (" + std::string(user) + ")" +
           std::string(why);
}
} // namespace

void Authenticator::check_puppet(const appservice::Registration& registration,
                                 std::string_view user) const
{
    if (!matrix::is_valid_user_id(user))
        throw errors::invalid_param("Invalid user_id: '" + std::string(user) + "'");
    if (!is_local_user(user))
        throw errors::forbidden(masquerade_refused(user, ": not a local user"));
    if (!registration.is_interested_in_user(user, server_name_))
        throw errors::forbidden(masquerade_refused(user, ""));
}

void Authenticator::check_new_puppet(const appservice::Registration& registration,
                                     std::string_view user) const
{
    // The rules of POST /register: a new localpart must be in the modern grammar, and a user
    // another appservice holds exclusively is not ours to create.
    const auto parsed = matrix::parse_user_id(user);
    if (!parsed || !matrix::is_valid_new_localpart(parsed->localpart))
        throw errors::invalid_param("Cannot create " + std::string(user) +
                                    ": user IDs can only contain characters a-z, 0-9, or "
                                    "'=_-./+'");
    auto holder = registry_.exclusive_owner_of_user(user);
    if (holder && holder->id != registration.id)
        throw errors::forbidden(masquerade_refused(user, ": in another appservice's namespace"));
}

void Authenticator::check_appservice_user(const appservice::Registration& registration,
                                          std::string_view user) const
{
    if (user == registration.sender_user_id(server_name_))
        return;
    check_puppet(registration, user);
    // Whether or not the puppet exists yet: every puppet was created under these rules.
    check_new_puppet(registration, user);
}

boost::asio::awaitable<void> Authenticator::create_puppet(
    std::shared_ptr<const appservice::Registration> registration, std::string user) const
{
    check_new_puppet(*registration, user);
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        insert_appservice_user(txn, user, registration->id);  // false: created meanwhile
    });
}

boost::asio::awaitable<Identity> Authenticator::authenticate_appservice(
    std::shared_ptr<const appservice::Registration> registration, Credentials credentials) const
{
    Identity identity;
    const std::string sender = registration->sender_user_id(server_name_);
    identity.user_id = credentials.asserted_user_id.value_or(sender);
    identity.appservice = registration;
    identity.is_owner = identity.user_id == owner_user_id_;

    const std::string& user = identity.user_id;
    const auto& device = credentials.asserted_device_id;
    const bool is_puppet = user != sender && !identity.is_owner;
    if (identity.is_owner) {
        if (!may_act_as_owner(*registration, user, server_name_))
            throw errors::forbidden(masquerade_refused(user, ""));
        // The owner's devices are the owner's phones and laptops, not the bridge's.
        if (device)
            throw errors::forbidden("Application service cannot masquerade as the owner's "
                                    "devices");
    } else if (is_puppet) {
        check_puppet(*registration, user);
    }
    if (!is_puppet && !device)
        co_return identity;

    auto [exists, has_device] = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        const bool user_exists = !is_puppet || storage::users::exists(txn, user);
        const bool device_exists =
            device && storage::devices::get(txn, user, *device).has_value();
        return std::pair{user_exists, device_exists};
    });
    if (!exists)
        co_await create_puppet(registration, user);
    if (device) {
        if (!has_device)
            throw matrix::MatrixError(matrix::ErrCode::M_UNKNOWN_DEVICE,
                                      "Application service trying to use a device that "
                                      "doesn't exist.");
        identity.device_id = *device;
    }
    co_return identity;
}

} // namespace ravenous::auth
