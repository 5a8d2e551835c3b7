#include "ravenous/appservice/registry.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include "unit/problem_assertions.hpp"

namespace ravenous::appservice {
namespace {

using test::has_problem;
using test::joined;

constexpr std::string_view server = "beeper.local";

std::shared_ptr<Registration> make(const std::string& id,
                                   std::vector<std::pair<std::string, bool>> users = {})
{
    auto r = std::make_shared<Registration>();
    r->id = id;
    r->as_token = "as-" + id;
    r->hs_token = "hs-" + id;
    r->sender_localpart = id + "bot";
    for (auto& [regex, exclusive] : users) {
        r->users.emplace_back(regex, exclusive);
    }
    return r;
}


class RegistryTest : public ::testing::Test
{
protected:
    Registry registry{std::string(server)};
};

TEST_F(RegistryTest, FindsByAsTokenAndId)
{
    ASSERT_TRUE(registry.put(make("whatsapp")).empty());
    ASSERT_TRUE(registry.put(make("telegram")).empty());
    auto found = registry.find_by_as_token("as-telegram");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "telegram");
    EXPECT_FALSE(registry.find_by_as_token("as-signal"));
    EXPECT_FALSE(registry.find_by_as_token(""));
    EXPECT_FALSE(registry.find_by_as_token("hs-telegram"));
    EXPECT_FALSE(registry.find_by_as_token("as-telegramX"));
    ASSERT_TRUE(registry.find_by_id("whatsapp"));
    EXPECT_EQ(registry.find_by_id("whatsapp")->as_token, "as-whatsapp");
    EXPECT_FALSE(registry.find_by_id("signal"));
}

TEST_F(RegistryTest, PutWithTheSameIdReplaces)
{
    ASSERT_TRUE(registry.put(make("whatsapp")).empty());
    auto updated = make("whatsapp");
    updated->as_token = "rotated";
    ASSERT_TRUE(registry.put(updated).empty()) << "same id replaces, it is no conflict";
    EXPECT_EQ(registry.snapshot()->size(), 1u);
    EXPECT_FALSE(registry.find_by_as_token("as-whatsapp"));
    EXPECT_EQ(registry.find_by_as_token("rotated"), updated);
}

TEST_F(RegistryTest, ConflictsReportADuplicateIdButPutReplaces)
{
    ASSERT_TRUE(registry.put(make("whatsapp")).empty());
    EXPECT_TRUE(
        has_problem(registry.conflicts(*make("whatsapp")), "id 'whatsapp' is already registered"));
}

TEST_F(RegistryTest, DuplicateTokensAndSendersAreConflicts)
{
    ASSERT_TRUE(registry.put(make("whatsapp")).empty());
    auto copycat = make("copycat");
    copycat->as_token = "as-whatsapp";
    copycat->hs_token = "hs-whatsapp";
    copycat->sender_localpart = "whatsappbot";
    auto problems = registry.put(copycat);
    EXPECT_TRUE(has_problem(problems, "as_token is already used by appservice 'whatsapp'"));
    EXPECT_TRUE(has_problem(problems, "hs_token is already used by appservice 'whatsapp'"));
    EXPECT_TRUE(has_problem(problems, "sender_localpart 'whatsappbot' is already used"));
    EXPECT_FALSE(registry.find_by_id("copycat")) << "a conflicting registration is not added";
    for (const auto& p : problems) {
        EXPECT_EQ(p.find("as-whatsapp"), std::string::npos) << "tokens are never echoed: " << p;
    }
}

TEST_F(RegistryTest, IdenticalExclusiveRegexesOverlap)
{
    ASSERT_TRUE(registry.put(make("a", {{"@puppet_.*", true}})).empty());
    EXPECT_EQ(
        registry.put(make("b", {{"@puppet_.*", true}})),
        std::vector<std::string>{
            "user namespace '@puppet_.*' overlaps the exclusive namespace of appservice 'a'"});
}

TEST_F(RegistryTest, OverlapIsDetectedBothWays)
{
    // The new namespace is wider than the registered one ...
    ASSERT_TRUE(registry.put(make("whatsapp", {{"@whatsapp_.+:beeper\\.local", true}})).empty());
    EXPECT_TRUE(has_problem(registry.conflicts(*make("wide", {{"@whats.*", true}})),
                            "user namespace '@whats.*' overlaps the exclusive namespace of "
                            "appservice 'whatsapp'"));
    // ... or narrower.
    Registry other{std::string(server)};
    ASSERT_TRUE(other.put(make("wide", {{"@whats.*", true}})).empty());
    EXPECT_TRUE(
        has_problem(other.conflicts(*make("whatsapp", {{"@whatsapp_.+:beeper\\.local", true}})),
                    "overlaps the exclusive namespace of appservice 'wide'"));
}

TEST_F(RegistryTest, ExclusiveNamespaceMayNotHoldAnotherSender)
{
    ASSERT_TRUE(registry.put(make("whatsapp")).empty()); // sender @whatsappbot:beeper.local
    EXPECT_TRUE(has_problem(registry.conflicts(*make("greedy", {{"@whatsapp.*", true}})),
                            "contains the sender '@whatsappbot:beeper.local' of appservice "
                            "'whatsapp'"));
    Registry other{std::string(server)};
    ASSERT_TRUE(other.put(make("greedy", {{"@whats.*", true}})).empty());
    EXPECT_TRUE(has_problem(other.conflicts(*make("whatsapp")),
                            "sender '@whatsappbot:beeper.local' is in the exclusive user namespace "
                            "'@whats.*' of appservice 'greedy'"));
}

TEST_F(RegistryTest, DisjointAndNonExclusiveNamespacesDoNotConflict)
{
    ASSERT_TRUE(registry.put(make("whatsapp", {{"@whatsapp_.+:beeper\\.local", true}})).empty());
    EXPECT_TRUE(
        registry.put(make("telegram", {{"@telegram_[0-9]+:beeper\\.local", true}})).empty());
    // A bot that watches everyone without reserving anyone is fine.
    EXPECT_TRUE(registry.put(make("watcher", {{"@.*", false}})).empty());
    // Same literal prefix, but the namespaces cannot share a user.
    EXPECT_TRUE(registry.put(make("tg2", {{"@telegram_x.*", true}})).empty());
    EXPECT_EQ(registry.snapshot()->size(), 4u);
}

TEST_F(RegistryTest, ExclusiveOwnerOfUser)
{
    ASSERT_TRUE(registry.put(make("whatsapp", {{"@whatsapp_.+:beeper\\.local", true}})).empty());
    ASSERT_TRUE(registry.put(make("watcher", {{"@.*", false}})).empty());
    auto owner = registry.exclusive_owner_of_user("@whatsapp_1:beeper.local");
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->id, "whatsapp");
    EXPECT_EQ(registry.exclusive_owner_of_user("@watcherbot:beeper.local"),
              registry.find_by_id("watcher"))
        << "an appservice's sender belongs to it";
    EXPECT_FALSE(registry.exclusive_owner_of_user("@alice:beeper.local"));
}

TEST_F(RegistryTest, Remove)
{
    ASSERT_TRUE(registry.put(make("whatsapp")).empty());
    EXPECT_TRUE(registry.remove("whatsapp"));
    EXPECT_FALSE(registry.remove("whatsapp"));
    EXPECT_FALSE(registry.find_by_as_token("as-whatsapp"));
    EXPECT_TRUE(registry.snapshot()->empty());
    EXPECT_TRUE(registry.put(make("whatsapp")).empty()) << "the id is free again";
}

TEST_F(RegistryTest, SnapshotIsStableAcrossChanges)
{
    ASSERT_TRUE(registry.put(make("whatsapp")).empty());
    auto before = registry.snapshot();
    ASSERT_TRUE(registry.put(make("telegram")).empty());
    ASSERT_TRUE(registry.remove("whatsapp"));
    ASSERT_EQ(before->size(), 1u);
    EXPECT_EQ((*before)[0]->id, "whatsapp");
    auto after = registry.snapshot();
    ASSERT_EQ(after->size(), 1u);
    EXPECT_EQ((*after)[0]->id, "telegram");
}

TEST_F(RegistryTest, NullRegistrationIsRefused)
{
    EXPECT_FALSE(registry.put(nullptr).empty());
}

TEST_F(RegistryTest, ReplaceOnlyWinsAgainstTheExpectedEntry)
{
    std::shared_ptr<const Registration> first = make("whatsapp");
    ASSERT_TRUE(registry.replace(nullptr, first).empty());
    // A second creation that raced the first loses instead of overwriting its tokens.
    EXPECT_TRUE(has_problem(registry.replace(nullptr, make("whatsapp")), "changed meanwhile"));
    EXPECT_EQ(registry.find_by_id("whatsapp"), first);

    std::shared_ptr<const Registration> second = make("whatsapp");
    ASSERT_TRUE(registry.replace(first, second).empty());
    EXPECT_EQ(registry.find_by_id("whatsapp"), second);
    EXPECT_FALSE(registry.replace(first, make("whatsapp")).empty());
    EXPECT_EQ(registry.find_by_id("whatsapp"), second);
}

TEST_F(RegistryTest, ReplaceStillChecksConflicts)
{
    ASSERT_TRUE(registry.put(make("whatsapp", {{"@whatsapp_.+:beeper\\.local", true}})).empty());
    auto clash = make("other", {{"@whatsapp_.+:beeper\\.local", true}});
    EXPECT_TRUE(has_problem(registry.replace(nullptr, clash), "appservice 'whatsapp'"));
    EXPECT_FALSE(registry.find_by_id("other"));
}

} // namespace
} // namespace ravenous::appservice
