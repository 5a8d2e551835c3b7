#include "ravenous/auth/accounts.hpp"

#include "ravenous/appservice/registration.hpp"
#include "ravenous/auth/authenticator.hpp"
#include "ravenous/auth/passwords.hpp"
#include "ravenous/auth/tokens.hpp"
#include "ravenous/config/config.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/devices_table.hpp"
#include "ravenous/storage/meta_table.hpp"
#include "ravenous/storage/users_table.hpp"
#include "ravenous/util/time.hpp"
#include "ravenous/util/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ravenous::auth {

namespace errors = matrix::errors;
using boost::asio::awaitable;

namespace {
// The config credential the owner's password was last set from, as an Argon2id hash (so
// that the database never holds a fast hash of the password).
constexpr std::string_view owner_credential_key = "owner_credential";

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

void validate_device(const NewDevice& device)
{
    if (device.device_id && !matrix::is_valid_device_id(*device.device_id))
        throw errors::invalid_param("Invalid device_id");
    if (device.display_name && device.display_name->size() > 100)
        throw errors::invalid_param("initial_device_display_name is too long (max 100)");
}

// Inside a write job: the device (new or reused) and a fresh access token for it.
Session insert_session(storage::WriteTxn& txn, const std::string& user_id, const NewDevice& device)
{
    const auto now = util::now_ms();
    Session session{user_id, device.device_id.value_or(tokens::new_device_id()),
                    tokens::new_access_token()};
    storage::devices::upsert(txn, {user_id, session.device_id, device.display_name, now,
                                   device.remote_address, now});
    storage::access_tokens::insert(txn, tokens::hash(session.access_token), user_id,
                                   session.device_id, now);
    return session;
}
} // namespace

AccountService::AccountService(storage::Database& db, util::WorkerPool& compute,
                               const Authenticator& authn)
    : db_(db), compute_(compute), authn_(authn)
{
}

void AccountService::ensure_owner(const config::Owner& owner)
{
    std::optional<storage::UserRow> existing;
    std::optional<std::string> source;
    db_.readers().run_blocking([&](storage::ReadTxn& txn) {
        existing = storage::users::get(txn, owner.user_id);
        source = storage::meta::get(txn, owner_credential_key);
    });
    // Decide whether the configured credential is the one applied last time.
    std::string configured_hash;
    bool unchanged = false;
    if (owner.password_hash) {
        configured_hash = *owner.password_hash;
        unchanged = source && *source == configured_hash;
    } else if (owner.password) {
        unchanged = source && passwords::verify(*source, *owner.password);
        if (!unchanged)
            configured_hash = passwords::hash(*owner.password);
    }
    if (existing && unchanged)
        return;
    db_.writer().run_blocking([&](storage::WriteTxn& txn) {
        if (!existing) {
            storage::UserRow row;
            row.user_id = owner.user_id;
            row.password_hash = configured_hash;
            row.is_owner = true;
            row.created_ts = util::now_ms();
            storage::users::insert(txn, row);
        } else if (!unchanged) {
            storage::users::set_password_hash(txn, owner.user_id, configured_hash);
        }
        storage::meta::put(txn, owner_credential_key, configured_hash);
    });
    spdlog::info("owner {}: {}", owner.user_id,
                 !existing ? "created" : "password set from the configuration");
}

bool insert_appservice_user(storage::WriteTxn& txn, std::string_view user_id,
                            std::string_view appservice_id)
{
    storage::UserRow row;
    row.user_id = user_id;
    row.appservice_id = std::string(appservice_id);
    row.created_ts = util::now_ms();
    return storage::users::insert(txn, row);
}

void AccountService::ensure_appservice_user(std::string_view user_id,
                                            std::string_view appservice_id)
{
    db_.writer().run_blocking([&](storage::WriteTxn& txn) {
        insert_appservice_user(txn, user_id, appservice_id);  // false if it exists: fine
    });
}

std::string AccountService::resolve_user(std::string_view user) const
{
    const std::string& owner = authn_.owner_user_id();
    if (user.starts_with('@')) {
        // User ids are matched case-insensitively at login, as Synapse does.
        return lower(user) == lower(owner) ? owner : std::string(user);
    }
    const auto owner_id = matrix::parse_user_id(owner);
    if (owner_id && lower(user) == lower(owner_id->localpart))
        return owner;
    return "@" + std::string(user) + ":" + authn_.server_name();
}

awaitable<bool> AccountService::check_password(std::string user_id, std::string password)
{
    if (password.size() > passwords::max_length)
        co_return false;
    auto row = co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::users::get(txn, user_id); });
    if (!row || !row->password_hash || row->deactivated)
        co_return false;
    const std::string hash = *row->password_hash;
    co_return co_await compute_.call([&] { return passwords::verify(hash, password); });
}

awaitable<Session> AccountService::login_password(std::string user, std::string password,
                                                  NewDevice device)
{
    validate_device(device);
    const std::string user_id = resolve_user(user);
    if (!co_await check_password(user_id, password))
        throw errors::forbidden("Invalid username or password");
    co_return co_await open_session(user_id, std::move(device));
}

awaitable<Session> AccountService::login_appservice(Identity caller, std::string user,
                                                    NewDevice device)
{
    validate_device(device);
    if (!caller.appservice)
        throw errors::unknown_token("m.login.application_service needs an appservice token");
    const std::string user_id = resolve_user(user);
    const auto& server = authn_.server_name();
    if (!caller.appservice->is_interested_in_user(user_id, server) &&
        user_id != caller.appservice->sender_user_id(server))
        throw errors::forbidden("Application service cannot log in as this user");
    const bool exists = co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::users::exists(txn, user_id); });
    if (!exists)
        throw errors::forbidden("Invalid username or password");
    co_return co_await open_session(user_id, std::move(device));
}

awaitable<AccountService::Registered> AccountService::register_appservice_user(
    Identity caller, std::string username, bool inhibit_login, NewDevice device)
{
    validate_device(device);
    if (!matrix::is_valid_new_localpart(username))
        throw errors::invalid_username(
            "User ID can only contain characters a-z, 0-9, or '=_-./+'");
    const std::string user_id = "@" + username + ":" + authn_.server_name();
    if (user_id.size() > matrix::max_user_id_length)
        throw errors::invalid_username("User ID may not be longer than 255 characters");
    if (!caller.appservice->is_interested_in_user(user_id, authn_.server_name()))
        throw errors::exclusive("Invalid user localpart for this application service.");

    Registered result{user_id, std::nullopt};
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        if (!insert_appservice_user(txn, user_id, caller.appservice->id))
            throw errors::user_in_use();
        if (!inhibit_login)
            result.session = insert_session(txn, user_id, device);
    });
    co_return result;
}

awaitable<Session> AccountService::open_session(std::string user_id, NewDevice device)
{
    co_return co_await db_.writer().submit(
        [&](storage::WriteTxn& txn) { return insert_session(txn, user_id, device); });
}

awaitable<void> AccountService::change_password(Identity caller, std::string new_password,
                                                bool logout_devices)
{
    if (new_password.empty())
        throw errors::missing_param("Missing parameter: 'new_password'");
    if (new_password.size() > passwords::max_length)
        throw errors::invalid_param("Password too long");
    auto hash = co_await compute_.call([&] { return passwords::hash(new_password); });
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        storage::users::set_password_hash(txn, caller.user_id, hash);
        if (!logout_devices)
            return;
        storage::devices::remove_all(txn, caller.user_id, caller.device_id);
        if (caller.device_id)
            storage::access_tokens::remove_for_device(txn, caller.user_id, *caller.device_id,
                                                      caller.token_hash);
    });
}

awaitable<void> AccountService::logout(Identity caller)
{
    if (!caller.token_hash)
        co_return;  // an appservice token is not a session: nothing to end
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        // Logging out ends the device, as Synapse does; its other tokens go with it.
        if (caller.device_id)
            storage::devices::remove(txn, caller.user_id, *caller.device_id);
        storage::access_tokens::remove(txn, *caller.token_hash);
    });
}

awaitable<void> AccountService::logout_all(Identity caller)
{
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        storage::devices::remove_all(txn, caller.user_id, std::nullopt);
    });
}

} // namespace ravenous::auth
