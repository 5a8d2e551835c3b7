#include "ravenous/appservice/registration.hpp"

#include <gtest/gtest.h>

namespace ravenous::appservice {
namespace {

Namespace make_namespace(const std::string& regex, bool exclusive)
{
    return Namespace{regex, exclusive, std::regex(regex, std::regex::ECMAScript)};
}

TEST(Namespace, MatchIsAnchoredAtTheStartOnly)
{
    auto ns = make_namespace("@whatsapp_.+:beeper\\.local", true);
    EXPECT_TRUE(ns.matches("@whatsapp_123:beeper.local"));
    // Like Python's re.match: the end is not anchored.
    EXPECT_TRUE(ns.matches("@whatsapp_123:beeper.localhost"));
    EXPECT_FALSE(ns.matches("@x@whatsapp_123:beeper.local"));
    EXPECT_FALSE(ns.matches("@whatsapp_:beeper.local"));
    EXPECT_FALSE(ns.matches("@whatsapp_123:beeperXlocal"));
    EXPECT_FALSE(ns.matches(""));
}

TEST(Namespace, IdsLongerThanTheSpecAllowsNeverMatch)
{
    auto ns = make_namespace("@.*", true);
    EXPECT_TRUE(ns.matches("@" + std::string(254, 'a')));
    EXPECT_FALSE(ns.matches("@" + std::string(100000, 'a')));
}

TEST(Namespace, ExplicitAnchorsStillWork)
{
    auto ns = make_namespace("^@bot:beeper\\.local$", true);
    EXPECT_TRUE(ns.matches("@bot:beeper.local"));
    EXPECT_FALSE(ns.matches("@bot:beeper.localhost"));
}

TEST(Registration, InterestedInItsSenderAndItsUserNamespaces)
{
    Registration r;
    r.sender_localpart = "whatsappbot";
    r.users = {make_namespace("@whatsapp_.+:beeper\\.local", false)};
    EXPECT_TRUE(r.is_interested_in_user("@whatsappbot:beeper.local", "beeper.local"));
    EXPECT_TRUE(r.is_interested_in_user("@whatsapp_1:beeper.local", "beeper.local"));
    EXPECT_FALSE(r.is_interested_in_user("@alice:beeper.local", "beeper.local"));
    EXPECT_FALSE(r.is_interested_in_user("@whatsappbot:other.example", "beeper.local"));
}

TEST(Registration, ExclusiveOnlyThroughExclusiveNamespaces)
{
    Registration r;
    r.sender_localpart = "bot";
    r.users = {make_namespace("@shared_.*", false), make_namespace("@mine_.*", true)};
    EXPECT_TRUE(r.is_exclusive_user("@mine_1:s.example"));
    EXPECT_FALSE(r.is_exclusive_user("@shared_1:s.example"));
    EXPECT_FALSE(r.is_exclusive_user("@other:s.example"));
}

} // namespace
} // namespace ravenous::appservice
