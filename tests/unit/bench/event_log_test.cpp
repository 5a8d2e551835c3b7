#include "bench/event_log.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <unistd.h>

namespace ravenous::bench {
namespace {

class TempFile
{
public:
    TempFile()
    {
        std::string pattern = "/tmp/ravenous-bench-test-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        dir_ = pattern;
    }
    ~TempFile()
    {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    std::string path() const { return (dir_ / "log.db").string(); }

private:
    std::filesystem::path dir_;
};

std::int64_t count(storage::Connection& conn, std::string_view sql)
{
    auto& stmt = conn.prepare(sql);
    std::int64_t value = stmt.step() ? stmt.column_int(0) : -1;
    stmt.run();
    return value;
}

TEST(EventLog, WritesRoomsAndEventSizedMessagesWithStreamPositions)
{
    TempFile file;
    EventLog log(file.path());
    log.create_rooms(3, "@owner:test.local");
    // Per room: create, the owner's join, power levels, join rules, history visibility.
    EXPECT_EQ(log.events(), 15u);
    auto rows = log.make_messages(30);
    ASSERT_EQ(rows.size(), 30u);
    std::set<std::string> ids;
    for (const auto& row : rows) {
        ids.insert(row.event_id);
        EXPECT_NEAR(static_cast<double>(row.json.size()), EventLog::event_bytes, 16.0);
        auto event = nlohmann::json::parse(row.json);
        EXPECT_EQ(event.at("event_id"), row.event_id);
        EXPECT_EQ(event.at("type"), "m.room.message");
    }
    EXPECT_EQ(ids.size(), 30u);
    log.insert(rows);
    EXPECT_EQ(log.events(), 45u);

    auto& conn = log.connection();
    EXPECT_EQ(count(conn, "SELECT count(*) FROM rooms"), 3);
    EXPECT_EQ(count(conn, "SELECT count(*) FROM events"), 45);
    EXPECT_EQ(count(conn, "SELECT count(*) FROM current_state"), 15);
    EXPECT_EQ(count(conn, "SELECT count(*) FROM memberships"), 3);
    EXPECT_EQ(count(conn, "SELECT max(stream_pos) FROM events"), 45);
    EXPECT_EQ(count(conn, "SELECT pos FROM stream_counter"), 45);
    // Ten messages per room, after its five state events.
    EXPECT_EQ(count(conn, "SELECT max(topo) FROM events GROUP BY room_id LIMIT 1"), 15);
    // State events in client format.
    auto& stmt = conn.prepare(
        "SELECT json FROM events WHERE type = 'm.room.history_visibility' LIMIT 1");
    ASSERT_TRUE(stmt.step());
    auto visibility = nlohmann::json::parse(stmt.column_text(0));
    stmt.run();
    EXPECT_EQ(visibility.at("state_key"), "");
    EXPECT_EQ(visibility.at("content").at("history_visibility"), "shared");
    EXPECT_TRUE(visibility.contains("origin_server_ts"));
    EXPECT_TRUE(visibility.contains("room_id"));
}

TEST(EventLog, JoinsPuppetsWhoSendTheMessages)
{
    TempFile file;
    EventLog log(file.path());
    log.create_rooms(1, "@owner:test.local");
    log.join_puppets(3);
    EXPECT_EQ(log.events(), 8u);
    auto rows = log.make_messages(20, 3);
    for (const auto& row : rows) {
        EXPECT_TRUE(row.sender == EventLog::puppet(0) || row.sender == EventLog::puppet(1) ||
                    row.sender == EventLog::puppet(2));
    }
    log.insert(rows);
    auto& conn = log.connection();
    EXPECT_EQ(count(conn, "SELECT count(*) FROM memberships WHERE membership = 'join'"), 4);
    EXPECT_EQ(count(conn, "SELECT max(topo) FROM events"), 28);
}

TEST(EventLog, UsesTheServersJournalMode)
{
    TempFile file;
    EventLog log(file.path());
    EXPECT_EQ(count(log.connection(), "PRAGMA synchronous"), 1); // NORMAL
    auto& stmt = log.connection().prepare("PRAGMA journal_mode");
    ASSERT_TRUE(stmt.step());
    EXPECT_EQ(stmt.column_text(0), "wal");
    stmt.run();
}

TEST(EventLog, ReopeningContinuesTheStream)
{
    TempFile file;
    {
        EventLog log(file.path());
        log.create_rooms(1, "@owner:test.local");
    }
    EventLog again(file.path());
    // No rooms known to this instance: messages need create_rooms first.
    EXPECT_TRUE(again.make_messages(5).empty());
    again.create_rooms(1, "@owner:test.local");
    EXPECT_EQ(count(again.connection(), "SELECT max(stream_pos) FROM events"), 10);
}

} // namespace
} // namespace ravenous::bench
