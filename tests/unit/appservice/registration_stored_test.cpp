#include "ravenous/appservice/registration.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include "unit/problem_assertions.hpp"

namespace ravenous::appservice {
namespace {

using test::has_problem;
using test::joined;

constexpr std::string_view minimal = R"(
as_token: as-1
hs_token: hs-1
sender_localpart: signalbot
namespaces:
  users: [{exclusive: true, regex: '@signal_.+:s\.example'}]
)";

std::shared_ptr<Registration> bridge_registration()
{
    auto parsed = parse_registration_yaml(minimal, std::string(runtime_source), "signal");
    EXPECT_TRUE(parsed.registration) << joined(parsed.problems);
    auto registration = std::make_shared<Registration>(*parsed.registration);
    registration->bridge_manager =
        BridgeManagerInfo{"alice", "signal", "http://127.0.0.1:29328", true, false};
    registration->url = "http://127.0.0.1:29328";
    return registration;
}

TEST(StoredRegistration, KeepsTheBridgeManagerDetails)
{
    auto original = bridge_registration();
    auto stored = to_stored_json(*original);
    auto again = parse_stored_registration(stored.dump());
    ASSERT_TRUE(again.registration) << joined(again.problems);
    ASSERT_TRUE(again.registration->bridge_manager);
    const auto& info = *again.registration->bridge_manager;
    EXPECT_EQ(info.username, "alice");
    EXPECT_EQ(info.bridge, "signal");
    EXPECT_EQ(info.address, "http://127.0.0.1:29328");
    EXPECT_TRUE(info.push);
    EXPECT_FALSE(info.self_hosted);
    EXPECT_FALSE(again.registration->from_file());
    EXPECT_TRUE(again.registration->pushes_over_http());
    EXPECT_EQ(to_json(*again.registration), to_json(*original));
    EXPECT_TRUE(again.registration->is_exclusive_user("@signal_1:s.example"));
}

TEST(StoredRegistration, PlainRegistrationsHaveNoPrivateKey)
{
    auto parsed = parse_registration_yaml(minimal, std::string(runtime_source), "signal");
    ASSERT_TRUE(parsed.registration);
    auto stored = to_stored_json(*parsed.registration);
    EXPECT_EQ(stored, to_json(*parsed.registration));
    auto again = parse_stored_registration(stored.dump());
    ASSERT_TRUE(again.registration) << joined(again.problems);
    EXPECT_FALSE(again.registration->bridge_manager);
}

TEST(StoredRegistration, AnUploadCannotClaimToBeBridgeManaged)
{
    auto stored = to_stored_json(*bridge_registration());
    auto uploaded = parse_registration_yaml(stored.dump(), std::string(runtime_source));
    ASSERT_TRUE(uploaded.registration) << joined(uploaded.problems);
    EXPECT_FALSE(uploaded.registration->bridge_manager);
}

TEST(StoredRegistration, CorruptRowsAreProblems)
{
    EXPECT_TRUE(has_problem(parse_stored_registration("[1]").problems, "not a JSON object"));
    auto stored = to_stored_json(*bridge_registration());
    stored["ravenous.bridge_manager"]["username"] = 12;
    auto parsed = parse_stored_registration(stored.dump());
    EXPECT_FALSE(parsed.registration);
    EXPECT_TRUE(has_problem(parsed.problems, "ravenous.bridge_manager"));
}

TEST(RegistrationId, DefaultIdStandsInOnlyForAnAbsentId)
{
    auto absent = parse_registration_yaml(minimal, "t", "from-path");
    ASSERT_TRUE(absent.registration) << joined(absent.problems);
    EXPECT_EQ(absent.registration->id, "from-path");

    auto present = parse_registration_yaml("id: own\n" + std::string(minimal), "t", "from-path");
    ASSERT_TRUE(present.registration) << joined(present.problems);
    EXPECT_EQ(present.registration->id, "own");

    EXPECT_TRUE(has_problem(parse_registration_yaml(minimal, "t").problems, "id: is required"));
}

TEST(RegistrationId, SyntaxErrorsAreToldApartFromContentProblems)
{
    EXPECT_TRUE(parse_registration_yaml("id: [", "t").syntax_error);
    EXPECT_TRUE(parse_registration_yaml("- a", "t").syntax_error);
    EXPECT_TRUE(parse_registration_yaml("", "t").syntax_error);
    auto content = parse_registration_yaml("id: x\n", "t");
    EXPECT_FALSE(content.registration);
    EXPECT_FALSE(content.syntax_error);
    EXPECT_FALSE(parse_registration_yaml(minimal, "t", "x").syntax_error);
}

} // namespace
} // namespace ravenous::appservice
