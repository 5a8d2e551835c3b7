#pragma once

// Tables of refused requests: each sent as it is (malformed JSON included) with its own token,
// each answered with its status and Matrix errcode. The tests check afterwards that nothing
// changed.

#include "support/http_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <string_view>

namespace ravenous::test {

struct BadRequest
{
    std::string path;
    std::string body;
    std::string token;  // empty: no Authorization header
    int status;
    std::string errcode;
};

// A request with a JSON content type and a raw body.
inline HttpResponse raw_json_request(HttpClient& client, const std::string& method,
                                     const std::string& path, const std::string& body,
                                     const std::string& token)
{
    HeaderList headers = {{"Content-Type", "application/json"}};
    if (!token.empty())
        headers.emplace_back("Authorization", "Bearer " + token);
    return client.request(method, path, body, headers);
}

inline void expect_refused(HttpClient& client, const std::string& method,
                           std::span<const BadRequest> cases)
{
    for (const auto& c : cases) {
        SCOPED_TRACE(method + " " + c.path + " " + c.body.substr(0, 80));
        auto res = raw_json_request(client, method, c.path, c.body, c.token);
        EXPECT_EQ(res.status, c.status) << res.body.substr(0, 500);
        const auto body = nlohmann::json::parse(res.body, nullptr, /*allow_exceptions=*/false);
        EXPECT_TRUE(body.is_object() && body.value("errcode", "") == c.errcode)
            << "expected errcode " << c.errcode << ", got: " << res.body.substr(0, 500);
    }
}

} // namespace ravenous::test
