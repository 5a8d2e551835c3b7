#include "ravenous/storage/reader_pool.hpp"

#include "ravenous/storage/database.hpp"
#include "ravenous/storage/meta_table.hpp"
#include "unit/storage/storage_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

namespace ravenous::storage {
namespace {

namespace asio = boost::asio;
using test::TempDir;

class ReaderPoolTest : public ::testing::Test
{
protected:
    ReaderPoolTest()
    {
        DatabaseOptions options;
        options.path = dir_.file("db.sqlite");
        options.reader_threads = 2;
        db_ = std::make_unique<Database>(options);
    }

    static std::int64_t count_meta(ReadTxn& txn)
    {
        auto& stmt = txn.prepare("SELECT count(*) FROM meta");
        stmt.step();
        return stmt.column_int(0);
    }

    TempDir dir_;
    asio::io_context ioc_; // outlives db_ (see test::run_coro)
    std::unique_ptr<Database> db_;
};

TEST_F(ReaderPoolTest, ReadSeesWhatTheWriterCommitted)
{
    const auto value = test::run_coro(ioc_, [&]() -> asio::awaitable<std::optional<std::string>> {
        co_await db_->writer().submit([](WriteTxn& txn) { meta::put(txn, "k", "v"); });
        co_return co_await db_->readers().read(
            [](ReadTxn& txn) { return meta::get(txn, "k"); });
    });
    EXPECT_EQ(value, "v");
}

TEST_F(ReaderPoolTest, OneCallIsOneConsistentSnapshot)
{
    std::int64_t first = -1, second = -1, later = -1;
    db_->readers().run_blocking([&](ReadTxn& txn) {
        first = count_meta(txn);
        // Committed by the writer while this read transaction is open: not visible here.
        db_->writer().run_blocking([](WriteTxn& w) { meta::put(w, "new", "1"); });
        second = count_meta(txn);
    });
    db_->readers().run_blocking([&](ReadTxn& txn) { later = count_meta(txn); });
    EXPECT_EQ(first, 0);
    EXPECT_EQ(second, 0);
    EXPECT_EQ(later, 1);
}

TEST_F(ReaderPoolTest, SnapshotHoldsInsideACoroutineRead)
{
    const auto counts = test::run_coro(ioc_, [&]() -> asio::awaitable<std::pair<int, int>> {
        co_return co_await db_->readers().read([&](ReadTxn& txn) {
            const auto before = count_meta(txn);
            db_->writer().run_blocking([](WriteTxn& w) { meta::put(w, "x", "1"); });
            return std::pair<int, int>(static_cast<int>(before),
                                       static_cast<int>(count_meta(txn)));
        });
    });
    EXPECT_EQ(counts.first, counts.second);
}

TEST_F(ReaderPoolTest, ExceptionReachesTheAwaiterAndTheConnectionIsReused)
{
    EXPECT_THROW(test::run_coro(ioc_, [&]() -> asio::awaitable<void> {
                     co_await db_->readers().run([](ReadTxn&) {
                         throw std::out_of_range("nope");
                     });
                 }),
                 std::out_of_range);
    for (int i = 0; i < 5; ++i) {
        const auto n = test::run_coro(ioc_, [&]() -> asio::awaitable<std::int64_t> {
            co_return co_await db_->readers().read([](ReadTxn& txn) { return count_meta(txn); });
        });
        EXPECT_EQ(n, 0);
    }
}

TEST_F(ReaderPoolTest, ConnectionsAreReadOnly)
{
    try {
        db_->readers().run_blocking([](ReadTxn& txn) {
            txn.conn().exec("INSERT INTO meta (key, value) VALUES ('a', 'b')");
        });
        FAIL() << "a reader wrote";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), SQLITE_READONLY);
    }
}

TEST_F(ReaderPoolTest, ResumesOnTheCallersStrandNotOnAPoolThread)
{
    auto strand = asio::make_strand(ioc_);
    std::thread::id job_thread;
    auto future = asio::co_spawn(
        strand,
        [&]() -> asio::awaitable<bool> {
            co_await db_->readers().run([&](ReadTxn&) { job_thread = std::this_thread::get_id(); });
            co_return strand.running_in_this_thread();
        },
        asio::use_future);
    EXPECT_TRUE(test::wait_on(ioc_, future));
    EXPECT_NE(job_thread, std::this_thread::get_id());
}

TEST_F(ReaderPoolTest, StoppedPoolRefusesWork)
{
    db_->readers().stop();
    db_->readers().stop(); // idempotent
    EXPECT_THROW(test::run_coro(ioc_, [&]() -> asio::awaitable<void> {
                     co_await db_->readers().run([](ReadTxn&) {});
                 }),
                 Error);
    EXPECT_THROW(db_->readers().run_blocking([](ReadTxn&) {}), Error);
}

} // namespace
} // namespace ravenous::storage
