// Building appservice transactions from the log: what is wanted, the 100-event cap and the
// cursor range it leaves, ids derived from the range, and the fields bridges read.

#include "appservice/transaction.hpp"

#include "ravenous/storage/receipts_table.hpp"
#include "ravenous/storage/to_device_table.hpp"
#include "ravenous/sync/ephemeral.hpp"
#include "ravenous/sync/notifier.hpp"
#include "unit/storage/room_log_fixture.hpp"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

namespace ravenous::appservice {
namespace {

using nlohmann::json;
using storage::test::NewRow;

const std::string server = "example.org";
const std::string owner = "@owner:example.org";
const std::string puppet = "@wa_1:example.org";

std::shared_ptr<const Registration> registration(bool ephemeral, bool msc3202 = false)
{
    std::string yaml = "id: wa\nurl: http://127.0.0.1:9/\nas_token: a\nhs_token: h\n"
                       "sender_localpart: wabot\nnamespaces:\n  users:\n"
                       "    - {exclusive: true, regex: '@wa_.+:example\\.org'}\n"
                       "  rooms:\n    - {exclusive: false, regex: '!bridged.*'}\n";
    if (ephemeral)
        yaml += "receive_ephemeral: true\n";
    if (msc3202)
        yaml += "org.matrix.msc3202: true\n";
    auto parsed = parse_registration_yaml(yaml, "test");
    EXPECT_TRUE(parsed.problems.empty()) << parsed.problems.front();
    return parsed.registration;
}

class TransactionTest : public storage::test::RoomLog
{
protected:
    TransactionTest()
    {
        add_room("!puppet_room");
        add_room("!owner_only");
        add_room("!bridged_by_id");
        member("!puppet_room", owner, "join");
        member("!puppet_room", puppet, "join");
        member("!owner_only", owner, "join");
    }

    Transaction build(std::int64_t from, TransactionLimits limits = {}, bool ephemeral = false,
                      bool msc3202 = false)
    {
        auto reg = registration(ephemeral, msc3202);
        if (!interest_ || ephemeral != ephemeral_registration_ || msc3202) {
            interest_ = std::make_unique<Interest>(reg, server);
            ephemeral_registration_ = ephemeral;
        }
        BuildInput input;
        input.from = from;
        input.head = head();
        input.now_ms = 1'000'000;
        input.owner_user_id = owner;
        input.ephemeral_since = ephemeral_since_;
        input.ephemeral_now = notifier_.current().ephemeral;
        return read([&](storage::ReadTxn& txn) {
            return build_transaction(txn, *interest_, *reg, ephemeral_state_, input, limits);
        });
    }

    std::int64_t head()
    {
        return read([](storage::ReadTxn& txn) { return storage::stream::current(txn); });
    }

    static std::vector<std::string> event_ids(const Transaction& t)
    {
        std::vector<std::string> ids;
        for (const auto& event : t.body.value("events", json::array()))
            ids.push_back(event.at("event_id"));
        return ids;
    }

    sync::Notifier notifier_{0};
    sync::EphemeralState ephemeral_state_{notifier_};
    std::int64_t ephemeral_since_ = 0;
    std::unique_ptr<Interest> interest_;
    bool ephemeral_registration_ = false;
};

TEST_F(TransactionTest, TakesEventsOfRoomsWithAJoinedPuppetOrAMatchingIdOnly)
{
    const auto start = head();
    auto in_puppet_room = message("!puppet_room", owner);
    message("!owner_only", owner);
    auto by_id = message("!bridged_by_id", owner);
    auto t = build(start);
    EXPECT_EQ(event_ids(t), (std::vector<std::string>{in_puppet_room.event_id, by_id.event_id}));
    EXPECT_EQ(t.from, start);
    EXPECT_EQ(t.to, head());
    EXPECT_EQ(t.txn_id, std::to_string(start) + "-" + std::to_string(head()));
}

TEST_F(TransactionTest, AnInviteOfAPuppetIsWantedByItsStateKey)
{
    const auto start = head();
    auto invite = state("!owner_only", "m.room.member", "@wa_2:example.org",
                        {{"membership", "invite"}}, owner);
    EXPECT_EQ(event_ids(build(start)), std::vector<std::string>{invite.event_id});
}

TEST_F(TransactionTest, NothingWantedMovesTheCursorWithoutATransaction)
{
    const auto start = head();
    message("!owner_only", owner);
    message("!owner_only", owner);
    auto t = build(start);
    EXPECT_TRUE(t.empty());
    EXPECT_EQ(t.to, head());
}

TEST_F(TransactionTest, AtMostAHundredEventsAndTheRangeEndsAtTheHundredth)
{
    const auto start = head();
    std::vector<storage::EventRow> rows;
    for (int i = 0; i < 130; ++i)
        rows.push_back(message("!puppet_room", owner));
    auto t = build(start);
    ASSERT_EQ(t.event_count, 100u);
    EXPECT_EQ(t.to, rows[99].stream_pos);
    auto rest = build(t.to);
    EXPECT_EQ(rest.event_count, 30u);
    EXPECT_EQ(event_ids(rest).front(), rows[100].event_id);
    EXPECT_EQ(rest.to, head());
}

TEST_F(TransactionTest, AFloodOfUnwantedEventsIsSkippedInScanSteps)
{
    const auto start = head();
    for (int i = 0; i < 25; ++i)
        message("!owner_only", owner);
    auto wanted = message("!puppet_room", owner);
    TransactionLimits limits;
    limits.scan = 10;
    auto t = build(start, limits);
    EXPECT_TRUE(t.empty());
    EXPECT_EQ(t.to, start + 10);
    t = build(start + 10, limits);
    t = build(t.to, limits);
    EXPECT_EQ(event_ids(t), std::vector<std::string>{wanted.event_id});
}

TEST_F(TransactionTest, TheSameRangeBuildsTheSameTransaction)
{
    const auto start = head();
    message("!puppet_room", owner);
    message("!puppet_room", puppet);
    auto first = build(start);
    interest_.reset();  // as after a restart
    auto again = build(start);
    EXPECT_EQ(first.txn_id, again.txn_id);
    EXPECT_EQ(first.body.at("events"), again.body.at("events"));
}

TEST_F(TransactionTest, TransactionIdOnlyForWhatTheBridgeSent)
{
    const auto start = head();
    // sender, device key (as the room service stores it), shown to the bridge?
    const std::vector<std::tuple<std::string, std::string, bool>> cases = {
        {puppet, "as:wa", true},      // the bridge's token acting as its puppet
        {owner, "as:wa", true},       // the bridge double-puppeting the owner
        {puppet, "BOTDEVICE", true},  // a device of one of its users (appservice login)
        {owner, "PHONE", false},      // the owner's own client
        {owner, "as:other", false},   // another bridge double-puppeting
    };
    std::map<std::string, bool> expected;
    write([&](storage::WriteTxn& txn) {
        for (const auto& [sender, device, shown] : cases) {
            // As the room service stores a send with a txn id: device key and txn id.
            storage::EventRow row;
            row.stream_pos = storage::stream::next(txn);
            row.topo = storage::events::next_topo(txn, "!puppet_room");
            row.room_id = "!puppet_room";
            row.event_id = "$sent" + std::to_string(row.stream_pos);
            row.type = "m.room.message";
            row.sender = sender;
            row.origin_server_ts = 1;
            row.device_id = device;
            row.txn_id = "txn-" + device;
            row.json = json({{"event_id", row.event_id},
                             {"room_id", row.room_id},
                             {"type", row.type},
                             {"sender", sender},
                             {"origin_server_ts", 1},
                             {"content", json::object()}})
                           .dump();
            storage::events::insert(txn, row);
            expected[row.event_id] = shown;
        }
    });
    auto t = build(start);
    ASSERT_EQ(t.event_count, cases.size());
    for (const auto& event : t.body.at("events")) {
        const std::string id = event.at("event_id");
        EXPECT_EQ(event.at("unsigned").contains("transaction_id"), expected.at(id)) << id;
        EXPECT_EQ(event.at("unsigned").at("age"), 1'000'000 - 1);
    }
}

TEST_F(TransactionTest, EphemeralOnlyForRegistrationsThatAskAndOnlyInWantedRooms)
{
    const auto start = head();
    ephemeral_state_.set_typing("!puppet_room", owner, true, std::chrono::seconds(10));
    ephemeral_state_.set_typing("!owner_only", owner, true, std::chrono::seconds(10));
    EXPECT_TRUE(build(start, {}, false).empty());

    auto t = build(start, {}, true);
    ASSERT_FALSE(t.empty());
    const json edus = t.body.at("ephemeral");
    ASSERT_EQ(edus.size(), 1u) << edus.dump();
    EXPECT_EQ(edus[0].at("type"), "m.typing");
    EXPECT_EQ(edus[0].at("room_id"), "!puppet_room");
    EXPECT_EQ(edus[0].at("content").at("user_ids"), json::array({owner}));
    EXPECT_EQ(t.body.at("de.sorunome.msc2409.ephemeral"), edus);
    // In-memory data: an id that cannot come back in another process.
    EXPECT_NE(t.txn_id.find("-e"), std::string::npos);
}

TEST_F(TransactionTest, ReceiptsAreCappedWithTheRange)
{
    const auto start = head();
    auto event = message("!puppet_room", owner);
    std::vector<std::int64_t> positions;
    write([&](storage::WriteTxn& txn) {
        for (int i = 0; i < 120; ++i) {
            storage::ReceiptRow row{"!puppet_room", "@wa_r" + std::to_string(i) + ":example.org",
                                    "m.read", "", event.event_id, 5, storage::stream::next(txn)};
            storage::receipts::put(txn, row);
            positions.push_back(row.stream_pos);
        }
    });
    auto t = build(start, {}, true);
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(t.to, positions[99]);
    const json edus = t.body.at("ephemeral");
    ASSERT_EQ(edus.size(), 1u);
    EXPECT_EQ(edus[0].at("content").at(event.event_id).at("m.read").size(), 100u);
    auto rest = build(t.to, {}, true);
    EXPECT_EQ(rest.body.at("ephemeral")[0].at("content").at(event.event_id).at("m.read").size(),
              20u);
}

TEST_F(TransactionTest, ToDeviceMessagesForItsUsersWithTheirRecipient)
{
    const auto start = head();
    std::vector<std::int64_t> positions;
    write([&](storage::WriteTxn& txn) {
        for (const auto& [user, device] :
             std::vector<std::pair<std::string, std::string>>{{puppet, "BRIDGEDEV"}, {owner, "PHONE"}}) {
            storage::ToDeviceRow row{storage::stream::next(txn), user, device, owner,
                                     "m.room.encrypted", R"({"ciphertext":"x"})"};
            storage::to_device::insert(txn, row);
            positions.push_back(row.stream_pos);
        }
    });
    EXPECT_TRUE(build(start).empty());  // not asked for (no MSC3202)
    auto t = build(start, {}, false, true);
    ASSERT_FALSE(t.empty());
    const json expected = json::array({{{"type", "m.room.encrypted"},
                                        {"sender", owner},
                                        {"to_user_id", puppet},
                                        {"to_device_id", "BRIDGEDEV"},
                                        {"content", {{"ciphertext", "x"}}}}});
    EXPECT_EQ(t.body.at("to_device"), expected);
    EXPECT_EQ(t.body.at("de.sorunome.msc2409.to_device"), expected);
    EXPECT_EQ(t.to_device_positions, std::vector<std::int64_t>{positions[0]});
    EXPECT_EQ(t.to, head());
}

} // namespace
} // namespace ravenous::appservice
