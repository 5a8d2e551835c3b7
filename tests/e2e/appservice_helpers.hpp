#pragma once

// Shared by the appservice registration, operator and identity tests: the bridge-manager and
// operator API paths, file registrations as YAML, and the small checks they all make.

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <string_view>

namespace ravenous::test::appservices {

using nlohmann::json;

inline constexpr std::string_view whoami_path = "/_matrix/client/v3/account/whoami";
inline constexpr std::string_view admin_path = "/_ravenous/admin/v1/appservices";

inline std::string bridge_path(std::string_view username, std::string_view bridge)
{
    return "/_matrix/asmux/mxauth/appservice/" + std::string(username) + "/" +
           std::string(bridge);
}

inline std::string admin_item(std::string_view id)
{
    return std::string(admin_path) + "/" + std::string(id);
}

// A registration file with one users namespace; tokens are "<id>-as" / "<id>-hs".
inline std::string registration_yaml(std::string_view id, std::string_view users_regex,
                                     bool exclusive = true)
{
    const std::string i(id);
    return "id: " + i + "\nurl: null\nas_token: " + i + "-as\nhs_token: " + i +
           "-hs\nsender_localpart: " + i + "bot\nnamespaces:\n  users:\n    - exclusive: " +
           (exclusive ? "true" : "false") + "\n      regex: '" + std::string(users_regex) +
           "'\n";
}

inline void expect_error(const HttpResponse& res, int status, std::string_view errcode)
{
    EXPECT_EQ(res.status, status) << res.body;
    EXPECT_EQ(res.json().value("errcode", ""), errcode) << res.body;
}

inline HttpResponse whoami(HttpClient& client, std::string_view token,
                           std::string_view user_id = {})
{
    std::string target(whoami_path);
    if (!user_id.empty())
        target += "?user_id=" + std::string(user_id);
    return client.get(target, token);
}

// The ids the operator API lists: what a refused request must leave as it was.
inline std::set<std::string> listed_ids(HttpClient& client)
{
    auto res = client.get(admin_path, default_admin_token);
    EXPECT_EQ(res.status, 200) << res.body;
    std::set<std::string> ids;
    const json list = res.json().at("appservices");
    for (const auto& entry : list)
        ids.insert(entry.at("id").get<std::string>());
    return ids;
}

} // namespace ravenous::test::appservices
