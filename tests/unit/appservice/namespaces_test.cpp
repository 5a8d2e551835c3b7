#include "ravenous/appservice/registration.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ravenous::appservice {
namespace {

Namespace make_namespace(const std::string& regex, bool exclusive)
{
    return Namespace(regex, exclusive);
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

TEST(Namespace, OptionalPrefixAndDigitClassAsDiscordWritesThem)
{
    auto ns = make_namespace("@_?discord_[0-9]+:.*", true);
    EXPECT_TRUE(ns.matches("@discord_123456789:beeper.local"));
    EXPECT_TRUE(ns.matches("@_discord_1:example.org"));
    EXPECT_FALSE(ns.matches("@__discord_1:example.org"));
    EXPECT_FALSE(ns.matches("@discord_abc:beeper.local"));
    EXPECT_FALSE(ns.matches("@discordbot:beeper.local"));
}

TEST(Namespace, PythonNamedGroupsCompile)
{
    auto ns = make_namespace("@telegram_(?P<id>[0-9]+)(?:_(?P=id))?:beeper\\.local", true);
    EXPECT_TRUE(ns.matches("@telegram_42:beeper.local"));
    EXPECT_TRUE(ns.matches("@telegram_42_42:beeper.local"));
    EXPECT_FALSE(ns.matches("@telegram_42_43:beeper.local"));
    EXPECT_FALSE(ns.matches("@telegram_x:beeper.local"));
}

TEST(Namespace, CaretIsOptionalAndDollarAnchorsTheEnd)
{
    for (std::string regex : {"^@bot:beeper\\.local$", "@bot:beeper\\.local$"}) {
        auto ns = make_namespace(regex, true);
        EXPECT_TRUE(ns.matches("@bot:beeper.local")) << regex;
        EXPECT_FALSE(ns.matches("@bot:beeper.localhost")) << regex;
        EXPECT_FALSE(ns.matches("x@bot:beeper.local")) << regex;
    }
}

TEST(Namespace, NonAsciiIdsAreCharacters)
{
    auto ns = make_namespace("@signal_.:s\\.example", false);
    EXPECT_TRUE(ns.matches("@signal_\xC3\xA9:s.example"));  // one character, two bytes
    EXPECT_FALSE(ns.matches("@signal_\xC3:s.example"));     // invalid UTF-8: no match
}

TEST(Namespace, IdsLongerThanTheSpecAllowsNeverMatch)
{
    auto ns = make_namespace("@.*", true);
    EXPECT_TRUE(ns.matches("@" + std::string(254, 'a')));
    EXPECT_FALSE(ns.matches("@" + std::string(10 * 1024, 'a')));
    EXPECT_FALSE(ns.matches("@" + std::string(100000, 'a')));
}

TEST(Namespace, CatastrophicBacktrackingEndsAsNoMatch)
{
    // Exponential for a backtracking matcher; the match limit turns it into "no match".
    auto ns = make_namespace("@(a+)+b", true);
    EXPECT_TRUE(ns.matches("@aaab"));
    EXPECT_FALSE(ns.matches("@" + std::string(200, 'a')));
}

TEST(Namespace, InvalidRegexThrowsWithTheReason)
{
    try {
        make_namespace("@whatsapp_(unclosed", true);
        FAIL() << "compiled";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
    }
    EXPECT_THROW(make_namespace("@[z-a]", true), std::invalid_argument);
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
    EXPECT_TRUE(r.is_interested_in_user("@shared_1:s.example", "s.example"));
    EXPECT_FALSE(r.is_exclusive_user("@other:s.example"));
}

TEST(Registration, AliasAndRoomNamespaces)
{
    Registration r;
    r.aliases = {make_namespace("#whatsapp_.+:beeper\\.local", true)};
    r.rooms = {make_namespace("!bridged[A-Za-z]+:beeper\\.local", false)};
    EXPECT_TRUE(r.matches_alias("#whatsapp_group:beeper.local"));
    EXPECT_FALSE(r.matches_alias("#general:beeper.local"));
    EXPECT_TRUE(r.matches_room_id("!bridgedAbc:beeper.local"));
    EXPECT_FALSE(r.matches_room_id("!other:beeper.local"));
    EXPECT_FALSE(r.matches_room_id("!bridged" + std::string(300, 'a') + ":beeper.local"));
}

TEST(Registration, ResultsAreCachedPerUserAndTheCacheIsBounded)
{
    Registration r;
    r.users = {make_namespace("@whatsapp_[0-9]+:beeper\\.local", true)};
    EXPECT_TRUE(r.is_exclusive_user("@whatsapp_1:beeper.local"));
    EXPECT_TRUE(r.is_exclusive_user("@whatsapp_1:beeper.local"));
    EXPECT_FALSE(r.is_exclusive_user("@alice:beeper.local"));
    EXPECT_EQ(r.user_matches.size(), 2u);

    for (std::size_t i = 0; i < UserMatchCache::max_entries + 10; ++i)
        r.is_exclusive_user("@whatsapp_" + std::to_string(i) + ":beeper.local");
    EXPECT_LE(r.user_matches.size(), UserMatchCache::max_entries);
    EXPECT_GT(r.user_matches.size(), 0u);
    // Answers stay right after the cache was emptied.
    EXPECT_TRUE(r.is_exclusive_user("@whatsapp_1:beeper.local"));
    EXPECT_FALSE(r.is_exclusive_user("@alice:beeper.local"));
}

TEST(Registration, ACopyStartsWithAnEmptyCache)
{
    Registration r;
    r.users = {make_namespace("@a_.*", true)};
    EXPECT_TRUE(r.is_exclusive_user("@a_1:s"));
    Registration copy = r;
    EXPECT_EQ(copy.user_matches.size(), 0u);
    copy.users = {make_namespace("@b_.*", true)};
    EXPECT_FALSE(copy.is_exclusive_user("@a_1:s"));
    EXPECT_TRUE(r.is_exclusive_user("@a_1:s"));
}

TEST(Registration, ThreadsShareTheCache)
{
    Registration r;
    r.users = {make_namespace("@whatsapp_[0-9]+:beeper\\.local", true)};
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 5000; ++i) {
                const auto id = "@whatsapp_" + std::to_string(i % 500) + ":beeper.local";
                if (!r.is_exclusive_user(id) || r.is_exclusive_user("@x" + id))
                    ++wrong;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(wrong.load(), 0);
}

TEST(Registration, PushesOverHttpOnlyWithAnHttpUrlAndPush)
{
    Registration r;
    EXPECT_FALSE(r.pushes_over_http());
    r.url = "http://127.0.0.1:29318";
    EXPECT_TRUE(r.pushes_over_http());
    r.url = "websocket";
    EXPECT_FALSE(r.pushes_over_http());
    r.url = "https://bridge.example";
    r.bridge_manager = BridgeManagerInfo{"alice", "whatsapp", r.url, false, true};
    EXPECT_FALSE(r.pushes_over_http());
    r.bridge_manager->push = true;
    EXPECT_TRUE(r.pushes_over_http());
}

} // namespace
} // namespace ravenous::appservice
