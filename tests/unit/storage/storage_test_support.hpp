#pragma once
// Helpers for the storage tests: a temporary directory (WAL needs a real file), coroutines
// run to completion under a deadline, and a job that holds the writer thread until released
// (so that tests control exactly which jobs share a batch).

#include "ravenous/storage/writer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

namespace ravenous::storage::test {

// Every wait in these tests is bounded by this.
inline constexpr std::chrono::seconds deadline{30};

class TempDir
{
public:
    TempDir()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ravenous-storage-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// Runs the io_context until it runs out of work (so no other thread still holds work on it
// when the caller destroys it), then returns the future's value. Throws past the deadline.
template <class T>
T wait_on(boost::asio::io_context& ioc, std::future<T>& future)
{
    const auto until = std::chrono::steady_clock::now() + deadline;
    ioc.restart();
    while (!ioc.stopped()) {
        if (std::chrono::steady_clock::now() >= until) {
            throw std::runtime_error("deadline passed waiting for a coroutine");
        }
        ioc.run_for(std::chrono::milliseconds{100});
    }
    if (future.wait_for(std::chrono::seconds{0}) != std::future_status::ready) {
        throw std::runtime_error("the io_context ran out of work before the coroutine ended");
    }
    return future.get();
}

// Runs one coroutine to completion on `ioc` (STYLE.md's run_coro). The io_context must
// outlive the Database: a writer or reader thread may still be returning from its post to
// the io_context when the coroutine has already resumed, so destroy the io_context only after
// those threads are joined (Database::close / its destructor).
template <class F>
auto run_coro(boost::asio::io_context& ioc, F fn)
{
    auto future = boost::asio::co_spawn(ioc, fn(), boost::asio::use_future);
    return wait_on(ioc, future);
}

// Holds the writer thread inside a job until release(): jobs submitted meanwhile pile up in
// the queue and go into the next batch together.
class WriterBlocker
{
public:
    explicit WriterBlocker(Writer& writer)
    {
        auto gate = gate_.get_future().share();
        thread_ = std::thread([&writer, gate, this] {
            writer.run_blocking([&](WriteTxn&) {
                started_.set_value();
                gate.wait_for(deadline);
            });
        });
        if (started_.get_future().wait_for(deadline) != std::future_status::ready) {
            throw std::runtime_error("the writer never started the blocking job");
        }
    }
    ~WriterBlocker() { release(); }
    WriterBlocker(const WriterBlocker&) = delete;
    WriterBlocker& operator=(const WriterBlocker&) = delete;

    void release()
    {
        if (thread_.joinable()) {
            gate_.set_value();
            thread_.join();
        }
    }

private:
    std::promise<void> started_;
    std::promise<void> gate_;
    std::thread thread_;
};

} // namespace ravenous::storage::test
