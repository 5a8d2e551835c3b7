#include "ravenous/appservice/registration.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include "unit/problem_assertions.hpp"

namespace ravenous::appservice {
namespace {

using test::has_problem;
using test::joined;

// What mautrix-whatsapp writes, trimmed (plus a key of its own that must be ignored).
constexpr std::string_view mautrix_registration = R"(
id: whatsapp
url: http://localhost:29318
as_token: as-token-1
hs_token: hs-token-1
sender_localpart: whatsappbot
namespaces:
  users:
    - regex: '@whatsapp_.+:beeper\.local'
      exclusive: true
    - regex: '@whatsappbot:beeper\.local'
      exclusive: true
rate_limited: false
de.sorunome.msc2409.push_ephemeral: true
push_ephemeral: true
org.matrix.msc3202: true
protocols: [whatsapp]
)";


ParseResult parse(std::string_view text)
{
    return parse_registration_yaml(text, "test.yaml");
}

TEST(Registration, ParsesAMautrixRegistration)
{
    auto result = parse(mautrix_registration);
    ASSERT_TRUE(result.problems.empty()) << joined(result.problems);
    ASSERT_TRUE(result.registration);
    const Registration& r = *result.registration;
    EXPECT_EQ(r.id, "whatsapp");
    EXPECT_EQ(r.url, "http://localhost:29318");
    EXPECT_EQ(r.as_token, "as-token-1");
    EXPECT_EQ(r.hs_token, "hs-token-1");
    EXPECT_EQ(r.sender_localpart, "whatsappbot");
    ASSERT_EQ(r.users.size(), 2u);
    EXPECT_EQ(r.users[0].regex, "@whatsapp_.+:beeper\\.local");
    EXPECT_TRUE(r.users[0].exclusive);
    EXPECT_TRUE(r.aliases.empty());
    EXPECT_TRUE(r.rooms.empty());
    EXPECT_FALSE(r.rate_limited);
    EXPECT_TRUE(r.receive_ephemeral);
    EXPECT_TRUE(r.msc3202);
    EXPECT_EQ(r.protocols, std::vector<std::string>{"whatsapp"});
    EXPECT_EQ(r.source, "test.yaml");
    EXPECT_EQ(r.sender_user_id("beeper.local"), "@whatsappbot:beeper.local");
}

TEST(Registration, UrlMayBeNullOrAbsent)
{
    const std::string base = "id: a\nas_token: x\nhs_token: y\nsender_localpart: bot\n"
                             "namespaces: {}\n";
    for (const char* url : {"", "url: null\n", "url: ~\n", "url:\n", "url: ''\n"}) {
        auto result = parse(base + url);
        ASSERT_TRUE(result.registration) << url << joined(result.problems);
        EXPECT_FALSE(result.registration->url) << url;
    }
    EXPECT_TRUE(has_problem(parse(base + "url: [x]\n").problems, "test.yaml: url: "));
    EXPECT_TRUE(has_problem(parse(base + "url: localhost:1\n").problems, "test.yaml: url: "));
}

TEST(Registration, ReceiveEphemeralAcceptsTheStableName)
{
    auto result = parse("id: a\nas_token: x\nhs_token: y\nsender_localpart: bot\nnamespaces: {}\n"
                        "receive_ephemeral: true\n");
    ASSERT_TRUE(result.registration) << joined(result.problems);
    EXPECT_TRUE(result.registration->receive_ephemeral);
}

TEST(Registration, EachMissingFieldIsReported)
{
    auto result = parse("url: null\n");
    EXPECT_FALSE(result.registration);
    EXPECT_EQ(result.problems.size(), 5u) << joined(result.problems);
    for (const char* key :
         {"test.yaml: id: is required", "test.yaml: as_token: is required",
          "test.yaml: hs_token: is required", "test.yaml: sender_localpart: is required",
          "test.yaml: namespaces: is required"}) {
        EXPECT_TRUE(has_problem(result.problems, key));
    }
}

TEST(Registration, WrongTypesAreReported)
{
    auto result = parse(R"(
id: [a]
as_token: x
hs_token: x
sender_localpart: "bad:bot"
namespaces:
  users:
    - regex: '@a_.*'
    - exclusive: "true"
      regex: '@b_.*'
    - exclusive: true
      regex: {x: 1}
    - just a string
  rooms: '!room'
rate_limited: maybe
protocols: whatsapp
)");
    EXPECT_FALSE(result.registration);
    for (const char* text :
         {"id: must be a string", "hs_token: must differ from as_token",
          "sender_localpart: 'bad:bot' is not a valid localpart",
          "namespaces.users[0].exclusive: is required",
          "namespaces.users[1].exclusive: must be a boolean",
          "namespaces.users[2].regex: must be a string", "namespaces.users[3]: must be a mapping",
          "namespaces.rooms: must be a list", "rate_limited: must be a boolean",
          "protocols: must be a list"}) {
        EXPECT_TRUE(has_problem(result.problems, text));
    }
    EXPECT_EQ(result.problems.size(), 10u) << joined(result.problems);
}

TEST(Registration, InvalidRegexIsAProblemNamingIt)
{
    auto result = parse("id: a\nas_token: x\nhs_token: y\nsender_localpart: bot\n"
                        "namespaces:\n  aliases:\n    - {exclusive: false, regex: '#(unclosed'}\n");
    EXPECT_FALSE(result.registration);
    EXPECT_TRUE(has_problem(result.problems,
                            "test.yaml: namespaces.aliases[0].regex: '#(unclosed' is not a valid "
                            "regular expression"));
}

TEST(Registration, SyntaxErrorsAndNonMappingsAreProblems)
{
    EXPECT_TRUE(has_problem(parse("id: [").problems, "test.yaml: YAML syntax error at line"));
    EXPECT_TRUE(
        has_problem(parse("- a\n").problems, "test.yaml: a registration must be a mapping"));
    EXPECT_TRUE(has_problem(parse("").problems, "must be a mapping"));
}

TEST(Registration, MissingFileIsAProblem)
{
    auto path =
        (std::filesystem::temp_directory_path() / "ravenous-no-such-registration.yaml").string();
    auto result = parse_registration_file(path);
    EXPECT_FALSE(result.registration);
    EXPECT_TRUE(has_problem(result.problems, path + ": cannot be read"));
}

TEST(Registration, ExampleFileParses)
{
    // Unit tests get no source-dir define; CMake compiles with absolute paths.
    auto example =
        std::filesystem::path(__FILE__).parent_path() / "../../../config/appservice.example.yaml";
    auto result = parse_registration_file(example.lexically_normal().string());
    ASSERT_TRUE(result.registration) << joined(result.problems);
    EXPECT_TRUE(result.registration->is_exclusive_user("@whatsapp_123:example.com"));
}

TEST(Registration, JsonRoundTrips)
{
    auto parsed = parse(mautrix_registration);
    ASSERT_TRUE(parsed.registration);
    nlohmann::json json = to_json(*parsed.registration);
    EXPECT_EQ(json["id"], "whatsapp");
    EXPECT_EQ(json["url"], "http://localhost:29318");
    EXPECT_EQ(json["sender_localpart"], "whatsappbot");
    EXPECT_EQ(json["namespaces"]["users"][0],
              (nlohmann::json{{"exclusive", true}, {"regex", "@whatsapp_.+:beeper\\.local"}}));
    EXPECT_EQ(json["namespaces"]["aliases"], nlohmann::json::array());
    EXPECT_EQ(json["namespaces"]["rooms"], nlohmann::json::array());
    EXPECT_EQ(json["rate_limited"], false);
    EXPECT_EQ(json["receive_ephemeral"], true);
    EXPECT_EQ(json["de.sorunome.msc2409.push_ephemeral"], true);
    EXPECT_EQ(json["org.matrix.msc3202"], true);
    EXPECT_EQ(json["protocols"], nlohmann::json::array({"whatsapp"}));

    // JSON is YAML: what the operator API stores parses back to the same registration.
    auto again = parse_registration_yaml(json.dump(), "api");
    ASSERT_TRUE(again.registration) << joined(again.problems);
    EXPECT_EQ(to_json(*again.registration), json);
}

TEST(Registration, JsonUrlIsNullWhenAbsent)
{
    Registration r;
    EXPECT_TRUE(to_json(r)["url"].is_null());
}

} // namespace
} // namespace ravenous::appservice
