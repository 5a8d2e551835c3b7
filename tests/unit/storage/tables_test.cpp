#include "ravenous/storage/appservices_table.hpp"
#include "ravenous/storage/devices_table.hpp"
#include "ravenous/storage/meta_table.hpp"
#include "ravenous/storage/users_table.hpp"

#include "ravenous/storage/database.hpp"
#include "unit/storage/storage_test_support.hpp"

#include <gtest/gtest.h>

namespace ravenous::storage {
namespace {

using test::TempDir;

class Tables : public ::testing::Test
{
protected:
    Tables()
    {
        DatabaseOptions options;
        options.path = dir_.file("db.sqlite");
        db_ = std::make_unique<Database>(options);
    }

    template <class F>
    auto write(F fn)
    {
        return db_->writer().run_blocking([&](WriteTxn& txn) { fn(txn); });
    }

    template <class F>
    auto read(F fn)
    {
        std::optional<std::invoke_result_t<F, ReadTxn&>> result;
        db_->readers().run_blocking([&](ReadTxn& txn) { result.emplace(fn(txn)); });
        return std::move(*result);
    }

    void add_user(const std::string& user_id)
    {
        write([&](WriteTxn& txn) {
            UserRow row;
            row.user_id = user_id;
            row.created_ts = 1;
            users::insert(txn, row);
        });
    }

    void add_device(const std::string& user_id, const std::string& device_id)
    {
        write([&](WriteTxn& txn) {
            devices::upsert(txn, DeviceRow{user_id, device_id, std::nullopt, std::nullopt,
                                           std::nullopt, 10});
        });
    }

    TempDir dir_;
    std::unique_ptr<Database> db_;
};

TEST_F(Tables, UserRoundTrip)
{
    UserRow row;
    row.user_id = "@owner:example.org";
    row.password_hash = "$argon2id$v=19$...";
    row.is_owner = true;
    row.displayname = "Owner";
    row.created_ts = 1234;
    bool first = false, second = true;
    write([&](WriteTxn& txn) { first = users::insert(txn, row); });
    write([&](WriteTxn& txn) { second = users::insert(txn, row); });
    EXPECT_TRUE(first);
    EXPECT_FALSE(second); // already there: nothing written

    auto got = read([&](ReadTxn& txn) { return users::get(txn, row.user_id); });
    ASSERT_TRUE(got);
    EXPECT_EQ(got->user_id, row.user_id);
    EXPECT_EQ(got->password_hash, row.password_hash);
    EXPECT_EQ(got->appservice_id, std::nullopt);
    EXPECT_TRUE(got->is_owner);
    EXPECT_FALSE(got->deactivated);
    EXPECT_EQ(got->displayname, "Owner");
    EXPECT_EQ(got->avatar_url, std::nullopt);
    EXPECT_EQ(got->created_ts, 1234);

    write([&](WriteTxn& txn) {
        users::set_password_hash(txn, row.user_id, "new-hash");
        users::set_displayname(txn, row.user_id, std::nullopt);
        users::set_avatar_url(txn, row.user_id, std::string{"mxc://example.org/abc"});
    });
    got = read([&](ReadTxn& txn) { return users::get(txn, row.user_id); });
    EXPECT_EQ(got->password_hash, "new-hash");
    EXPECT_EQ(got->displayname, std::nullopt);
    EXPECT_EQ(got->avatar_url, "mxc://example.org/abc");

    EXPECT_TRUE(read([&](ReadTxn& txn) { return users::exists(txn, row.user_id); }));
    EXPECT_FALSE(read([](ReadTxn& txn) { return users::exists(txn, "@nobody:example.org"); }));
    EXPECT_EQ(read([](ReadTxn& txn) { return users::get(txn, "@nobody:example.org"); }),
              std::nullopt);
    EXPECT_EQ(read([](ReadTxn& txn) { return users::count(txn); }), 1);
}

TEST_F(Tables, DeviceRoundTrip)
{
    add_user("@a:x");
    bool added = false, again = true;
    write([&](WriteTxn& txn) {
        added = devices::upsert(txn, DeviceRow{"@a:x", "DEV1", std::string{"Phone"}, std::nullopt,
                                               std::nullopt, 100});
    });
    write([&](WriteTxn& txn) {
        again = devices::upsert(txn, DeviceRow{"@a:x", "DEV1", std::string{"Other"}, std::nullopt,
                                               std::nullopt, 200});
    });
    EXPECT_TRUE(added);
    EXPECT_FALSE(again);
    auto dev = read([](ReadTxn& txn) { return devices::get(txn, "@a:x", "DEV1"); });
    ASSERT_TRUE(dev);
    EXPECT_EQ(dev->display_name, "Phone"); // the existing device is kept
    EXPECT_EQ(dev->created_ts, 100);
    EXPECT_EQ(dev->last_seen_ts, std::nullopt);

    bool renamed = false, renamed_missing = true;
    write([&](WriteTxn& txn) {
        renamed = devices::set_display_name(txn, "@a:x", "DEV1", std::string{"Laptop"});
        renamed_missing = devices::set_display_name(txn, "@a:x", "NOPE", std::nullopt);
        devices::touch(txn, "@a:x", "DEV1", 5000, "10.0.0.1");
    });
    EXPECT_TRUE(renamed);
    EXPECT_FALSE(renamed_missing);
    dev = read([](ReadTxn& txn) { return devices::get(txn, "@a:x", "DEV1"); });
    EXPECT_EQ(dev->display_name, "Laptop");
    EXPECT_EQ(dev->last_seen_ts, 5000);
    EXPECT_EQ(dev->last_seen_ip, "10.0.0.1");
}

TEST_F(Tables, RemovingDevicesCascadesToTheirTokens)
{
    add_user("@a:x");
    for (const auto* id : {"D1", "D2", "D3"}) {
        add_device("@a:x", id);
    }
    write([](WriteTxn& txn) {
        access_tokens::insert(txn, "h1", "@a:x", "D1", 1);
        access_tokens::insert(txn, "h2", "@a:x", "D2", 1);
        access_tokens::insert(txn, "h3", "@a:x", "D3", 1);
    });
    auto list = read([](ReadTxn& txn) { return devices::list(txn, "@a:x"); });
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].device_id, "D1");

    bool removed = false, removed_again = true;
    write([&](WriteTxn& txn) { removed = devices::remove(txn, "@a:x", "D1"); });
    write([&](WriteTxn& txn) { removed_again = devices::remove(txn, "@a:x", "D1"); });
    EXPECT_TRUE(removed);
    EXPECT_FALSE(removed_again);
    EXPECT_EQ(read([](ReadTxn& txn) { return access_tokens::find(txn, "h1"); }), std::nullopt);

    int gone = 0;
    write([&](WriteTxn& txn) { gone = devices::remove_all(txn, "@a:x", std::string{"D3"}); });
    EXPECT_EQ(gone, 1);
    EXPECT_EQ(read([](ReadTxn& txn) { return access_tokens::find(txn, "h2"); }), std::nullopt);
    auto token = read([](ReadTxn& txn) { return access_tokens::find(txn, "h3"); });
    ASSERT_TRUE(token);
    EXPECT_EQ(token->user_id, "@a:x");
    EXPECT_EQ(token->device_id, "D3");

    write([&](WriteTxn& txn) { gone = devices::remove_all(txn, "@a:x", std::nullopt); });
    EXPECT_EQ(gone, 1);
    EXPECT_TRUE(read([](ReadTxn& txn) { return devices::list(txn, "@a:x"); }).empty());
}

TEST_F(Tables, AccessTokens)
{
    add_user("@a:x");
    add_device("@a:x", "D1");
    write([](WriteTxn& txn) {
        access_tokens::insert(txn, "keep", "@a:x", "D1", 1);
        access_tokens::insert(txn, "old1", "@a:x", "D1", 1);
        access_tokens::insert(txn, "old2", "@a:x", "D1", 1);
    });
    // The same hash twice is a unique violation the caller can recognise.
    try {
        write([](WriteTxn& txn) { access_tokens::insert(txn, "keep", "@a:x", "D1", 2); });
        FAIL() << "duplicate token accepted";
    } catch (const Error& e) {
        EXPECT_TRUE(e.is_unique_violation()) << e.what();
    }
    // A token needs its device.
    EXPECT_THROW(write([](WriteTxn& txn) { access_tokens::insert(txn, "t", "@a:x", "NOPE", 1); }),
                 Error);

    int removed = 0;
    write([&](WriteTxn& txn) {
        removed = access_tokens::remove_for_device(txn, "@a:x", "D1", std::string{"keep"});
    });
    EXPECT_EQ(removed, 2);
    EXPECT_TRUE(read([](ReadTxn& txn) { return access_tokens::find(txn, "keep"); }));
    write([](WriteTxn& txn) { access_tokens::remove(txn, "keep"); });
    EXPECT_EQ(read([](ReadTxn& txn) { return access_tokens::find(txn, "keep"); }), std::nullopt);
}

TEST_F(Tables, MetaPutOverwrites)
{
    EXPECT_EQ(read([](ReadTxn& txn) { return meta::get(txn, "k"); }), std::nullopt);
    write([](WriteTxn& txn) { meta::put(txn, "k", "1"); });
    write([](WriteTxn& txn) { meta::put(txn, "k", "2"); });
    EXPECT_EQ(read([](ReadTxn& txn) { return meta::get(txn, "k"); }), "2");
}

TEST_F(Tables, AppservicesPutReplaceRemove)
{
    write([](WriteTxn& txn) {
        appservices::put(txn, "whatsapp", R"({"id":"whatsapp"})", 1);
        appservices::put(txn, "telegram", R"({"id":"telegram"})", 2);
        appservices::put(txn, "whatsapp", R"({"id":"whatsapp","v":2})", 3);
    });
    auto rows = read([](ReadTxn& txn) { return appservices::list(txn); });
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, "telegram");
    EXPECT_EQ(rows[1].id, "whatsapp");
    EXPECT_EQ(rows[1].registration_json, R"({"id":"whatsapp","v":2})");

    bool removed = false, removed_again = true;
    write([&](WriteTxn& txn) { removed = appservices::remove(txn, "telegram"); });
    write([&](WriteTxn& txn) { removed_again = appservices::remove(txn, "telegram"); });
    EXPECT_TRUE(removed);
    EXPECT_FALSE(removed_again);
    EXPECT_EQ(read([](ReadTxn& txn) { return appservices::list(txn); }).size(), 1u);
}

TEST_F(Tables, RemovingAnAppserviceRemovesItsCursor)
{
    auto cursors = [&] {
        return read([](ReadTxn& txn) {
            auto& stmt = txn.prepare("SELECT appservice_id FROM appservice_cursors ORDER BY 1");
            std::vector<std::string> ids;
            while (stmt.step())
                ids.push_back(stmt.column_text(0));
            return ids;
        });
    };
    write([](WriteTxn& txn) {
        appservices::put(txn, "whatsapp", R"({"id":"whatsapp"})", 1);
        txn.prepare("INSERT INTO appservice_cursors VALUES ('whatsapp', 7), ('signal', 3)").run();
    });
    write([](WriteTxn& txn) { appservices::remove(txn, "whatsapp"); });
    EXPECT_EQ(cursors(), std::vector<std::string>{"signal"});
}

} // namespace
} // namespace ravenous::storage
