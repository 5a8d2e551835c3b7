// Pushers: stored and listed. (Sending to push gateways is not done yet.)
#include "ravenous/matrix/errors.hpp"
#include "ravenous/push/push_rules.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/push_rules_table.hpp"
#include "ravenous/util/time.hpp"

namespace ravenous::push {

using boost::asio::awaitable;
using nlohmann::json;
namespace errors = matrix::errors;

namespace {

constexpr std::string_view notify_path = "/_matrix/push/v1/notify";

const std::string& required_string(const json& body, const char* key)
{
    const auto it = body.find(key);
    if (it == body.end() || it->is_null())
        throw errors::missing_param(std::string("Missing parameter: '") + key + "'");
    if (!it->is_string())
        throw errors::bad_json(std::string("'") + key + "' must be a string");
    return it->get_ref<const std::string&>();
}

bool is_gateway_url(const std::string& url)
{
    std::string_view rest = url;
    if (rest.starts_with("https://"))
        rest.remove_prefix(8);
    else if (rest.starts_with("http://"))
        rest.remove_prefix(7);
    else
        return false;
    const auto slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos)
        return false; // no host
    const auto path = rest.substr(slash);
    return path == notify_path && rest.find_first_of(" \t\r\n") == std::string_view::npos;
}

} // namespace

awaitable<json> PushRuleService::pushers(std::string user_id)
{
    co_return co_await db_.readers().read([&](storage::ReadTxn& txn) {
        json list = json::array();
        for (const auto& row : storage::pushers::of_user(txn, user_id)) {
            json pusher = json::parse(row.json, nullptr, false);
            if (pusher.is_object())
                list.push_back(std::move(pusher));
        }
        return json{{"pushers", std::move(list)}};
    });
}

awaitable<void> PushRuleService::set_pusher(std::string user_id, std::string device_id, json body)
{
    const std::string app_id = required_string(body, "app_id");
    const std::string pushkey = required_string(body, "pushkey");
    if (app_id.size() > 64)
        throw errors::invalid_param("'app_id' is longer than 64 characters");
    if (pushkey.size() > 512)
        throw errors::invalid_param("'pushkey' is longer than 512 bytes");
    if (!body.contains("kind"))
        throw errors::missing_param("Missing parameter: 'kind'");
    if (body.at("kind").is_null()) {
        co_await db_.writer().submit([&](storage::WriteTxn& txn) {
            storage::pushers::remove(txn, user_id, app_id, pushkey);
        });
        co_return;
    }
    if (required_string(body, "kind") != "http")
        throw errors::invalid_param("Only 'http' pushers are supported");
    json pusher = {{"pushkey", pushkey},
                   {"kind", "http"},
                   {"app_id", app_id},
                   {"app_display_name", required_string(body, "app_display_name")},
                   {"device_display_name", required_string(body, "device_display_name")},
                   {"lang", required_string(body, "lang")}};
    if (body.contains("profile_tag"))
        pusher["profile_tag"] = required_string(body, "profile_tag");
    const auto data = body.find("data");
    if (data == body.end())
        throw errors::missing_param("Missing parameter: 'data'");
    if (!data->is_object())
        throw errors::bad_json("'data' must be an object");
    const auto url = data->find("url");
    if (url == data->end())
        throw errors::missing_param("'data.url' is required for http pushers");
    if (!url->is_string() || !is_gateway_url(url->get<std::string>()))
        throw errors::invalid_param("'data.url' must be an absolute http(s) URL ending in " +
                                    std::string(notify_path));
    if (body.contains("append") && !body.at("append").is_boolean())
        throw errors::bad_json("'append' must be a boolean");
    pusher["data"] = *data;

    storage::PusherRow row{app_id, pushkey, device_id, pusher.dump(), util::now_ms()};
    co_await db_.writer().submit(
        [&](storage::WriteTxn& txn) { storage::pushers::put(txn, user_id, row); });
}

} // namespace ravenous::push
