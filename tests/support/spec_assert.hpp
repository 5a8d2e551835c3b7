#pragma once

// GoogleTest side of the test support. Include it in every e2e test file: besides the
// EXPECT_SPEC / ASSERT_SPEC assertions it wires the support library (which knows nothing of
// GoogleTest) into the running test:
//  - spec mismatches found by HttpClient's automatic validation become a non-fatal failure of the
//    current test (instead of the default std::runtime_error);
//  - a TestServer destroyed while its test has failed prints the tail of its server.log.
//
//   auto res = client.get("/_matrix/client/v3/account/whoami", token);
//   ASSERT_EQ(res.status, 200) << res.body;
//   EXPECT_SPEC(res, "GET", "/_matrix/client/v3/account/whoami");
//
// EXPECT_SPEC is stricter than automatic validation: it also fails when the spec has no such
// endpoint (a typo in the path would otherwise check nothing) or when the validator is missing
// and CI is set.

#include "support/http_client.hpp"
#include "support/spec_validator.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ravenous::test {

inline ::testing::AssertionResult spec_matches(const char* response_expr, const char*, const char*,
                                               const HttpResponse& response,
                                               std::string_view method, std::string_view path)
{
    auto check = check_response(method, path, response);
    if (check.ok && !check.endpoint_known && !check.unavailable) {
        return ::testing::AssertionFailure() << "the Matrix spec documents no " << method << " "
                                             << path << " (" << check.message << ")";
    }
    if (check.ok) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << response_expr << " (" << method << " " << path << " -> " << response.status
           << ") does not match the Matrix spec:\n  " << check.message
           << "\nbody: " << response.body;
}

namespace detail {

// Runs once per test executable, before main (an inline variable is initialised once).
inline const bool gtest_wired = [] {
    set_spec_failure_handler([](const std::string& message) { ADD_FAILURE() << message; });
    TestServer::set_failure_probe([] { return ::testing::Test::HasFailure(); });
    return true;
}();

} // namespace detail
} // namespace ravenous::test

#define EXPECT_SPEC(response, method, path)                                                        \
    EXPECT_PRED_FORMAT3(::ravenous::test::spec_matches, response, method, path)
#define ASSERT_SPEC(response, method, path)                                                        \
    ASSERT_PRED_FORMAT3(::ravenous::test::spec_matches, response, method, path)
