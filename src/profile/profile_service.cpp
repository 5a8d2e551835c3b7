#include "ravenous/profile/profile_service.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/profile_fields_table.hpp"
#include "ravenous/storage/users_table.hpp"

namespace ravenous::profile {

namespace errors = matrix::errors;
using boost::asio::awaitable;
using nlohmann::json;

namespace {
constexpr std::string_view displayname_key = "displayname";
constexpr std::string_view avatar_url_key = "avatar_url";

void require_self(const auth::Identity& caller, const std::string& user_id, const char* what)
{
    if (caller.user_id != user_id)
        throw errors::forbidden(std::string("You cannot set the ") + what + " of another user");
}

void check_displayname(const std::optional<std::string>& value)
{
    if (value && value->size() > max_displayname_length)
        throw errors::bad_json("Display name is too long (max 256)");
}

void check_avatar_url(const std::optional<std::string>& value)
{
    if (value && value->size() > max_avatar_url_length)
        throw errors::bad_json("Avatar URL is too long (max 1000)");
}

// displayname / avatar_url in a PATCH: a string, or null to clear it.
std::optional<std::string> string_or_null(const json& value, std::string_view key)
{
    if (value.is_null())
        return std::nullopt;
    if (!value.is_string())
        throw errors::bad_json("'" + std::string(key) + "' must be a string or null");
    return value.get<std::string>();
}

Profile load(storage::ReadTxn& txn, const storage::UserRow& row)
{
    Profile profile{row.displayname, row.avatar_url, json::object()};
    for (auto& [key, value] : storage::profile_fields::of_user(txn, row.user_id))
        profile.fields[key] = json::parse(value, nullptr, /*allow_exceptions=*/false);
    return profile;
}
} // namespace

json Profile::to_json() const
{
    json out = fields;
    // Synapse leaves an unset field out rather than answering null.
    if (displayname)
        out[std::string(displayname_key)] = *displayname;
    if (avatar_url)
        out[std::string(avatar_url_key)] = *avatar_url;
    return out;
}

awaitable<std::optional<Profile>> ProfileService::get(std::string user_id)
{
    co_return co_await db_.readers().read([&](storage::ReadTxn& txn) -> std::optional<Profile> {
        auto row = storage::users::get(txn, user_id);
        if (!row)
            return std::nullopt;
        return load(txn, *row);
    });
}

awaitable<void> ProfileService::set_displayname(auth::Identity caller, std::string user_id,
                                                std::optional<std::string> value)
{
    require_self(caller, user_id, "display name");
    check_displayname(value);
    co_await db_.writer().run(
        [&](storage::WriteTxn& txn) { storage::users::set_displayname(txn, user_id, value); });
}

awaitable<void> ProfileService::set_avatar_url(auth::Identity caller, std::string user_id,
                                               std::optional<std::string> value)
{
    require_self(caller, user_id, "avatar URL");
    check_avatar_url(value);
    co_await db_.writer().run(
        [&](storage::WriteTxn& txn) { storage::users::set_avatar_url(txn, user_id, value); });
}

awaitable<bool> ProfileService::patch(auth::Identity caller, std::string user_id, json changes)
{
    require_self(caller, user_id, "profile");
    if (!changes.is_object())
        throw errors::bad_json("The profile must be a JSON object");
    bool names_changed = false;
    for (const auto& [key, value] : changes.items()) {
        if (key.empty() || key.size() > max_field_name_length)
            throw errors::bad_json("Profile field names must be 1 to 255 bytes long");
        if (key == displayname_key)
            check_displayname(string_or_null(value, key));
        if (key == avatar_url_key)
            check_avatar_url(string_or_null(value, key));
        names_changed = names_changed || key == displayname_key || key == avatar_url_key;
    }
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        auto row = storage::users::get(txn, user_id);
        if (!row)
            throw errors::not_found("Profile was not found");
        Profile profile = load(txn, *row);
        for (const auto& [key, value] : changes.items()) {
            if (key == displayname_key)
                profile.displayname = string_or_null(value, key);
            else if (key == avatar_url_key)
                profile.avatar_url = string_or_null(value, key);
            else if (value.is_null())
                profile.fields.erase(key);
            else
                profile.fields[key] = value;
        }
        if (matrix::json::dump(profile.to_json()).size() > max_profile_bytes)
            throw errors::too_large("The profile would be larger than 64 KiB");
        storage::users::set_displayname(txn, user_id, profile.displayname);
        storage::users::set_avatar_url(txn, user_id, profile.avatar_url);
        for (const auto& [key, value] : changes.items()) {
            if (key == displayname_key || key == avatar_url_key)
                continue;
            if (value.is_null())
                storage::profile_fields::remove(txn, user_id, key);
            else
                storage::profile_fields::put(txn, user_id, key, matrix::json::dump(value));
        }
    });
    co_return names_changed;
}

} // namespace ravenous::profile
