#include "ravenous/storage/to_device_table.hpp"

#include "ravenous/storage/database.hpp"
#include "ravenous/storage/devices_table.hpp"
#include "ravenous/storage/users_table.hpp"
#include "unit/storage/storage_test_support.hpp"

#include <gtest/gtest.h>

namespace ravenous::storage {
namespace {

using test::TempDir;

class ToDeviceTable : public ::testing::Test
{
protected:
    ToDeviceTable()
    {
        DatabaseOptions options;
        options.path = dir_.file("db.sqlite");
        db_ = std::make_unique<Database>(options);
        write([](WriteTxn& txn) {
            for (const char* user_id : {"@a:x", "@b:x"}) {
                UserRow user;
                user.user_id = user_id;
                user.created_ts = 1;
                users::insert(txn, user);
                for (const char* device_id : {"D1", "D2"})
                    devices::upsert(txn, DeviceRow{user_id, device_id, std::nullopt,
                                                   std::nullopt, std::nullopt, 1});
            }
        });
    }

    template <class F> void write(F fn)
    {
        db_->writer().run_blocking([&](WriteTxn& txn) { fn(txn); });
    }

    template <class F> auto read(F fn)
    {
        std::optional<std::invoke_result_t<F, ReadTxn&>> result;
        db_->readers().run_blocking([&](ReadTxn& txn) { result.emplace(fn(txn)); });
        return std::move(*result);
    }

    // Stores one message at the position, for (user, device).
    void put(std::int64_t position, const std::string& user_id, const std::string& device_id)
    {
        write([&](WriteTxn& txn) {
            to_device::insert(txn, ToDeviceRow{position, user_id, device_id, "@s:x", "m.test",
                                               R"({"n":)" + std::to_string(position) + "}"});
        });
    }

    static std::vector<std::int64_t> positions(const std::vector<ToDeviceRow>& rows)
    {
        std::vector<std::int64_t> out;
        for (const auto& row : rows)
            out.push_back(row.stream_pos);
        return out;
    }

    std::vector<std::int64_t> all()
    {
        return positions(
            read([](ReadTxn& t) { return to_device::range(t, 0, 1'000'000, 1'000); }));
    }

    TempDir dir_;
    std::unique_ptr<Database> db_;
};

using Positions = std::vector<std::int64_t>;

TEST_F(ToDeviceTable, RangeIsHalfOpenOldestFirstAndLimited)
{
    put(7, "@a:x", "D1");
    put(3, "@b:x", "D2");
    put(5, "@a:x", "D2");
    put(9, "@b:x", "D1");
    auto rows = read([](ReadTxn& t) { return to_device::range(t, 3, 9, 10); });
    EXPECT_EQ(positions(rows), (Positions{5, 7, 9}));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].user_id, "@a:x");
    EXPECT_EQ(rows[0].device_id, "D2");
    EXPECT_EQ(rows[0].sender, "@s:x");
    EXPECT_EQ(rows[0].type, "m.test");
    EXPECT_EQ(rows[0].content_json, R"({"n":5})");
    EXPECT_EQ(positions(read([](ReadTxn& t) { return to_device::range(t, 0, 8, 2); })),
              (Positions{3, 5}));
    EXPECT_TRUE(read([](ReadTxn& t) { return to_device::range(t, 0, 9, 0); }).empty());
    EXPECT_TRUE(read([](ReadTxn& t) { return to_device::range(t, 9, 100, 10); }).empty());
}

TEST_F(ToDeviceTable, RemoveDeletesExactlyTheGivenPositions)
{
    for (std::int64_t p = 1; p <= 5; ++p)
        put(p, "@a:x", p % 2 ? "D1" : "D2");
    write([](WriteTxn& txn) { to_device::remove(txn, {2, 4, 42}); });
    EXPECT_EQ(all(), (Positions{1, 3, 5}));
    write([](WriteTxn& txn) { to_device::remove(txn, {}); });
    EXPECT_EQ(all(), (Positions{1, 3, 5}));
}

TEST_F(ToDeviceTable, PositionsAreUnique)
{
    put(4, "@a:x", "D1");
    EXPECT_THROW(put(4, "@b:x", "D1"), Error);
    EXPECT_EQ(all(), (Positions{4}));
}

TEST_F(ToDeviceTable, ForDeviceReadsOnlyThatDevice)
{
    put(1, "@a:x", "D1");
    put(2, "@a:x", "D2");
    put(3, "@b:x", "D1");
    put(4, "@a:x", "D1");
    put(5, "@a:x", "D1");
    EXPECT_EQ(positions(read([](ReadTxn& t) {
                  return to_device::for_device(t, "@a:x", "D1", 0, 10, 10);
              })),
              (Positions{1, 4, 5}));
    EXPECT_EQ(positions(read([](ReadTxn& t) {
                  return to_device::for_device(t, "@a:x", "D1", 1, 4, 10);
              })),
              (Positions{4}));
    EXPECT_EQ(positions(read([](ReadTxn& t) {
                  return to_device::for_device(t, "@a:x", "D1", 0, 10, 2);
              })),
              (Positions{1, 4}));
}

TEST_F(ToDeviceTable, AcknowledgementRemovesUpToAPositionForOneDevice)
{
    put(1, "@a:x", "D1");
    put(2, "@a:x", "D2");
    put(3, "@a:x", "D1");
    EXPECT_FALSE(read([](ReadTxn& t) { return to_device::any_up_to(t, "@a:x", "D1", 0); }));
    EXPECT_TRUE(read([](ReadTxn& t) { return to_device::any_up_to(t, "@a:x", "D1", 1); }));
    EXPECT_FALSE(read([](ReadTxn& t) { return to_device::any_up_to(t, "@b:x", "D1", 9); }));
    int removed = 0;
    write([&](WriteTxn& txn) { removed = to_device::remove_up_to(txn, "@a:x", "D1", 2); });
    EXPECT_EQ(removed, 1);
    EXPECT_EQ(all(), (Positions{2, 3}));
}

TEST_F(ToDeviceTable, DeletingADeviceDeletesItsMessages)
{
    put(1, "@a:x", "D1");
    put(2, "@a:x", "D2");
    put(3, "@b:x", "D1");
    put(4, "@b:x", "D2");
    write([](WriteTxn& txn) { devices::remove(txn, "@a:x", "D1"); });
    EXPECT_EQ(all(), (Positions{2, 3, 4}));
    write([](WriteTxn& txn) { devices::remove_all(txn, "@b:x", std::string("D2")); });
    EXPECT_EQ(all(), (Positions{2, 4}));
}

TEST_F(ToDeviceTable, RecordTxnIsTrueOnceAndForgetsOldOnes)
{
    auto record = [&](const char* user, const char* key, const char* type, const char* txn_id,
                      std::int64_t now, std::int64_t forget_before) {
        bool fresh = false;
        write([&](WriteTxn& txn) {
            fresh = to_device::record_txn(txn, user, key, type, txn_id, now, forget_before);
        });
        return fresh;
    };
    EXPECT_TRUE(record("@a:x", "D1", "m.t", "1", 100, 0));
    EXPECT_FALSE(record("@a:x", "D1", "m.t", "1", 101, 0));
    EXPECT_TRUE(record("@a:x", "D2", "m.t", "1", 102, 0));    // another device
    EXPECT_TRUE(record("@b:x", "D1", "m.t", "1", 103, 0));    // another sender
    EXPECT_TRUE(record("@a:x", "D1", "m.other", "1", 104, 0)); // another path
    // A day later the sender's old transactions are forgotten: the id is new again.
    EXPECT_TRUE(record("@a:x", "D1", "m.t", "1", 200, 150));
    EXPECT_FALSE(record("@b:x", "D1", "m.t", "1", 201, 0)); // another sender's are kept
}

} // namespace
} // namespace ravenous::storage
