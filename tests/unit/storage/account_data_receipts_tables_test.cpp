#include "ravenous/storage/account_data_table.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/receipts_table.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "unit/storage/storage_test_support.hpp"

#include <gtest/gtest.h>

namespace ravenous::storage {
namespace {

using test::TempDir;

class AccountDataReceiptsTables : public ::testing::Test
{
protected:
    AccountDataReceiptsTables()
    {
        DatabaseOptions options;
        options.path = dir_.file("db.sqlite");
        db_ = std::make_unique<Database>(options);
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

    TempDir dir_;
    std::unique_ptr<Database> db_;
};

TEST_F(AccountDataReceiptsTables, AccountDataUpsertsAndListsChangesInRange)
{
    write([](WriteTxn& txn) {
        account_data::put(txn, "@a:x", "", "t.one", R"({"v":1})", 1);
        account_data::put(txn, "@a:x", "!r:x", "t.room", R"({"v":2})", 2);
        account_data::put(txn, "@b:x", "", "t.one", R"({"v":9})", 3);
        account_data::put(txn, "@a:x", "", "t.one", R"({"v":4})", 4);
    });
    EXPECT_EQ(read([](ReadTxn& t) { return account_data::get(t, "@a:x", "", "t.one"); }),
              std::optional<std::string>(R"({"v":4})"));
    EXPECT_FALSE(read([](ReadTxn& t) { return account_data::get(t, "@a:x", "!r:x", "t.one"); }));
    auto global = read([](ReadTxn& t) { return account_data::changed(t, "@a:x", "", 0, 10); });
    ASSERT_EQ(global.size(), 1u);
    EXPECT_EQ(global[0].stream_pos, 4);
    EXPECT_TRUE(
        read([](ReadTxn& t) { return account_data::changed(t, "@a:x", "", 4, 10); }).empty());
    EXPECT_EQ(read([](ReadTxn& t) { return account_data::rooms_changed(t, "@a:x", 0, 10); }),
              std::vector<std::string>{"!r:x"});
    EXPECT_TRUE(
        read([](ReadTxn& t) { return account_data::rooms_changed(t, "@a:x", 2, 10); }).empty());
}

TEST_F(AccountDataReceiptsTables, ReceiptsKeepOneRowPerTypeAndThread)
{
    write([](WriteTxn& txn) {
        RoomRow room;
        room.room_id = "!r:x";
        room.room_version = "10";
        room.creator = "@a:x";
        rooms::insert(txn, room);
        receipts::put(txn, {"!r:x", "@a:x", "m.read", "", "$1", 10, 1});
        receipts::put(txn, {"!r:x", "@a:x", "m.read", "main", "$1", 11, 2});
        receipts::put(txn, {"!r:x", "@a:x", "m.read", "", "$2", 12, 3});
    });
    auto unthreaded =
        read([](ReadTxn& t) { return receipts::get(t, "!r:x", "@a:x", "m.read", ""); });
    ASSERT_TRUE(unthreaded);
    EXPECT_EQ(unthreaded->event_id, "$2");
    EXPECT_EQ(unthreaded->stream_pos, 3);
    EXPECT_EQ(read([](ReadTxn& t) { return receipts::in_room(t, "!r:x", 0, 10); }).size(), 2u);
    EXPECT_EQ(read([](ReadTxn& t) { return receipts::in_room(t, "!r:x", 2, 10); }).size(), 1u);
    EXPECT_EQ(read([](ReadTxn& t) { return receipts::rooms_changed(t, 0, 10); }),
              std::vector<std::string>{"!r:x"});
    EXPECT_TRUE(read([](ReadTxn& t) { return receipts::rooms_changed(t, 3, 10); }).empty());
}

} // namespace
} // namespace ravenous::storage
