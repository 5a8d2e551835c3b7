#include "ravenous/storage/writer.hpp"

#include "ravenous/storage/database.hpp"
#include "ravenous/storage/meta_table.hpp"
#include "unit/storage/storage_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

namespace ravenous::storage {
namespace {

namespace asio = boost::asio;
using test::TempDir;

class WriterTest : public ::testing::Test
{
protected:
    void open(Writer::Options writer_options = {})
    {
        DatabaseOptions options;
        options.path = dir_.file("db.sqlite");
        options.writer = writer_options;
        db_ = std::make_unique<Database>(options);
    }

    Writer& writer() { return db_->writer(); }

    std::int64_t count_meta()
    {
        std::int64_t n = 0;
        db_->readers().run_blocking([&](ReadTxn& txn) {
            auto& stmt = txn.prepare("SELECT count(*) FROM meta");
            stmt.step();
            n = stmt.column_int(0);
        });
        return n;
    }

    std::optional<std::string> get_meta(const std::string& key)
    {
        std::optional<std::string> value;
        db_->readers().run_blocking([&](ReadTxn& txn) { value = meta::get(txn, key); });
        return value;
    }

    // Spawns `n` coroutines that each put one meta row; polls until every one has queued its
    // job (or is parked), without waiting for the writer.
    void spawn_puts(int n, std::atomic<int>& done, std::atomic<int>& failed)
    {
        for (int i = 0; i < n; ++i) {
            asio::co_spawn(
                ioc_,
                [this, i, &done]() -> asio::awaitable<void> {
                    co_await writer().submit([i](WriteTxn& txn) {
                        meta::put(txn, "k" + std::to_string(i), "v");
                    });
                    ++done;
                },
                [&failed](std::exception_ptr e) {
                    if (e) {
                        ++failed;
                    }
                });
        }
        ioc_.poll();
    }

    // Runs the io_context until it is out of work (every submitted job has completed and
    // released its work guard), then checks `finished`.
    void run_until(const std::function<bool()>& finished)
    {
        const auto until = std::chrono::steady_clock::now() + test::deadline;
        ioc_.restart();
        while (!ioc_.stopped()) {
            ASSERT_LT(std::chrono::steady_clock::now(), until) << "deadline passed";
            ioc_.run_for(std::chrono::milliseconds{100});
        }
        ASSERT_TRUE(finished());
    }

    TempDir dir_;
    asio::io_context ioc_; // outlives db_ (see test::run_coro)
    std::unique_ptr<Database> db_;
};

TEST_F(WriterTest, SubmitReturnsTheJobsResult)
{
    open();
    const auto value = test::run_coro(ioc_, [&]() -> asio::awaitable<std::string> {
        co_return co_await writer().submit([](WriteTxn& txn) {
            meta::put(txn, "instance", "abc");
            return std::string{"done"};
        });
    });
    EXPECT_EQ(value, "done");
    EXPECT_EQ(get_meta("instance"), "abc");
}

TEST_F(WriterTest, JobExceptionReachesTheAwaiterAndChangesNothing)
{
    open();
    EXPECT_THROW(test::run_coro(ioc_, [&]() -> asio::awaitable<void> {
                     co_await writer().submit([](WriteTxn& txn) {
                         meta::put(txn, "partial", "x");
                         throw std::invalid_argument("bad job");
                     });
                 }),
                 std::invalid_argument);
    EXPECT_EQ(get_meta("partial"), std::nullopt);
    EXPECT_EQ(writer().stats().failed_jobs, 1u);
}

TEST_F(WriterTest, ResumesOnTheCallersStrand)
{
    open();
    auto strand = asio::make_strand(ioc_);
    bool on_strand = false;
    std::atomic<int> failed{0};
    asio::co_spawn(
        strand,
        [&]() -> asio::awaitable<void> {
            co_await writer().submit([](WriteTxn& txn) { meta::put(txn, "a", "b"); });
            on_strand = strand.running_in_this_thread();
        },
        [&](std::exception_ptr e) { failed += e ? 1 : 0; });
    run_until([&] { return on_strand || failed > 0; });
    EXPECT_TRUE(on_strand);
}

TEST_F(WriterTest, ConcurrentSubmissionsShareOneCommit)
{
    open();
    const auto before = writer().stats();
    std::atomic<int> done{0}, failed{0};
    {
        test::WriterBlocker blocker{writer()};
        spawn_puts(200, done, failed);
    }
    run_until([&] { return done + failed == 200; });
    EXPECT_EQ(failed, 0);
    EXPECT_EQ(count_meta(), 200);
    const auto after = writer().stats();
    EXPECT_EQ(after.jobs - before.jobs, 201u);       // the blocker and the 200 puts
    EXPECT_EQ(after.batches - before.batches, 2u);   // the blocker's batch, then one for all
    EXPECT_LT(after.batches, after.jobs);
}

TEST_F(WriterTest, BatchesAreCappedAtMaxBatch)
{
    open({.queue_capacity = 1024, .max_batch = 10});
    const auto before = writer().stats();
    std::atomic<int> done{0}, failed{0};
    {
        test::WriterBlocker blocker{writer()};
        spawn_puts(100, done, failed);
    }
    run_until([&] { return done + failed == 100; });
    EXPECT_EQ(failed, 0);
    EXPECT_EQ(writer().stats().batches - before.batches, 1u + 10u);
}

TEST_F(WriterTest, ThrowingJobRollsBackOnlyItselfAndLosesItsHooks)
{
    open();
    std::atomic<int> hooks_a{0}, hooks_b{0}, hooks_c{0};
    std::atomic<int> ok{0}, failed{0};
    bool a_saw_its_hook = false;
    const auto before = writer().stats();
    {
        test::WriterBlocker blocker{writer()};
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                co_await writer().submit([&](WriteTxn& txn) {
                    meta::put(txn, "a", "1");
                    txn.on_commit([&] { ++hooks_a; });
                });
                a_saw_its_hook = hooks_a == 1; // hooks run before the awaiter resumes
                ++ok;
            },
            [&](std::exception_ptr e) { failed += e ? 1 : 0; });
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                co_await writer().submit([&](WriteTxn& txn) {
                    meta::put(txn, "b", "1");
                    txn.on_commit([&] { ++hooks_b; });
                    throw std::runtime_error("job b fails");
                });
                ++ok;
            },
            [&](std::exception_ptr e) { failed += e ? 1 : 0; });
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                co_await writer().submit([&](WriteTxn& txn) {
                    meta::put(txn, "c", "1");
                    txn.on_commit([&] { ++hooks_c; });
                });
                ++ok;
            },
            [&](std::exception_ptr e) { failed += e ? 1 : 0; });
        ioc_.poll();
    }
    run_until([&] { return ok + failed == 3; });
    EXPECT_EQ(ok, 2);
    EXPECT_EQ(failed, 1);
    EXPECT_EQ(writer().stats().batches - before.batches, 2u); // a, b and c shared one batch
    EXPECT_EQ(get_meta("a"), "1");
    EXPECT_EQ(get_meta("b"), std::nullopt);
    EXPECT_EQ(get_meta("c"), "1");
    EXPECT_EQ(hooks_a, 1);
    EXPECT_EQ(hooks_b, 0);
    EXPECT_EQ(hooks_c, 1);
    EXPECT_TRUE(a_saw_its_hook);
}

TEST_F(WriterTest, FailedCommitFailsEveryJobOfTheBatch)
{
    open();
    std::atomic<int> hooks{0}, ok{0}, failed{0};
    std::string commit_error;
    {
        test::WriterBlocker blocker{writer()};
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                co_await writer().submit([&](WriteTxn& txn) {
                    meta::put(txn, "good", "1");
                    txn.on_commit([&] { ++hooks; });
                });
                ++ok;
            },
            [&](std::exception_ptr e) { failed += e ? 1 : 0; });
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                try {
                    // A deferred foreign key violation is only detected at COMMIT.
                    co_await writer().submit([&](WriteTxn& txn) {
                        txn.conn().exec("PRAGMA defer_foreign_keys = ON");
                        txn.conn().exec("INSERT INTO devices (user_id, device_id, created_ts) "
                                        "VALUES ('@ghost:x', 'D', 0)");
                    });
                    ++ok;
                } catch (const Error& e) {
                    commit_error = e.what();
                    ++failed;
                }
            },
            [&](std::exception_ptr e) { failed += e ? 1 : 0; });
        ioc_.poll();
    }
    run_until([&] { return ok + failed == 2; });
    EXPECT_EQ(ok, 0);
    EXPECT_EQ(failed, 2);
    EXPECT_NE(commit_error.find("FOREIGN KEY"), std::string::npos) << commit_error;
    EXPECT_EQ(hooks, 0);
    EXPECT_EQ(get_meta("good"), std::nullopt);
    // The writer carries on.
    writer().run_blocking([](WriteTxn& txn) { meta::put(txn, "after", "1"); });
    EXPECT_EQ(get_meta("after"), "1");
}

TEST_F(WriterTest, FullQueueMakesSubmittersWaitWithoutLosingJobs)
{
    open({.queue_capacity = 2, .max_batch = 2});
    std::atomic<int> done{0}, failed{0};
    {
        test::WriterBlocker blocker{writer()};
        spawn_puts(50, done, failed);
        EXPECT_EQ(writer().stats().waited, 48u); // two fit in the queue, 48 wait
    }
    run_until([&] { return done + failed == 50; });
    EXPECT_EQ(failed, 0);
    EXPECT_EQ(count_meta(), 50);
}

TEST_F(WriterTest, RunBlockingFromTheWriterThreadIsRefused)
{
    open();
    EXPECT_THROW(writer().run_blocking([&](WriteTxn&) { writer().run_blocking([](WriteTxn&) {}); }),
                 std::logic_error);
}

TEST_F(WriterTest, StopFinishesQueuedJobsThenRefusesNewOnes)
{
    open();
    std::atomic<int> done{0}, failed{0};
    {
        test::WriterBlocker blocker{writer()};
        spawn_puts(10, done, failed);
        std::thread stopper([&] { writer().stop(); });
        blocker.release();
        stopper.join();
    }
    run_until([&] { return done + failed == 10; });
    EXPECT_EQ(done, 10);
    EXPECT_THROW(writer().run_blocking([](WriteTxn&) {}), Error);
    writer().stop(); // idempotent
    db_->close();
    const auto wal = dir_.file("db.sqlite-wal");
    EXPECT_TRUE(!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0);
    open(); // everything it accepted was committed
    EXPECT_EQ(count_meta(), 10);
}

} // namespace
} // namespace ravenous::storage
