#include "ravenous/auth/authenticator.hpp"

#include "ravenous/appservice/registry.hpp"
#include "ravenous/auth/tokens.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/storage/devices_table.hpp"
#include "ravenous/storage/reader_pool.hpp"
#include "ravenous/storage/users_table.hpp"

namespace ravenous::auth {

namespace errors = matrix::errors;

Authenticator::Authenticator(const appservice::Registry& registry, storage::ReaderPool& readers,
                             std::string server_name, std::string owner_user_id)
    : registry_(registry), readers_(readers), server_name_(std::move(server_name)),
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
    auto row = co_await readers_.read(
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

boost::asio::awaitable<Identity> Authenticator::authenticate_appservice(
    std::shared_ptr<const appservice::Registration> registration, Credentials credentials) const
{
    Identity identity;
    const std::string sender = registration->sender_user_id(server_name_);
    identity.user_id = credentials.asserted_user_id.value_or(sender);
    identity.appservice = registration;
    identity.is_owner = identity.user_id == owner_user_id_;

    const std::string& user = identity.user_id;
    const bool needs_user_check = user != sender;
    if (needs_user_check) {
        if (!matrix::is_valid_user_id(user))
            throw errors::invalid_param("Invalid user_id: '" + user + "'");
        if (!is_local_user(user))
            throw errors::forbidden("Application service cannot masquerade as this user (" +
                                    user + "): not a local user");
        if (!registration->is_interested_in_user(user, server_name_))
            throw errors::forbidden("Application service cannot masquerade as this user (" +
                                    user + ")");
    }
    const auto& device = credentials.asserted_device_id;
    if (!needs_user_check && !device)
        co_return identity;

    auto [exists, has_device] = co_await readers_.read([&](storage::ReadTxn& txn) {
        const bool user_exists = !needs_user_check || storage::users::exists(txn, user);
        const bool device_exists =
            device && storage::devices::get(txn, user, *device).has_value();
        return std::pair{user_exists, device_exists};
    });
    if (!exists)
        throw errors::forbidden("Application service has not registered this user (" + user +
                                ")");
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
