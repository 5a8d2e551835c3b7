#include "appservice/consumer.hpp"

#include "ravenous/storage/appservice_stream.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/to_device_table.hpp"
#include "ravenous/sync/notifier.hpp"
#include "ravenous/util/time.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

namespace ravenous::appservice {

namespace asio = boost::asio;

namespace {

// Skipped ranges (nothing wanted) are persisted only every so often: after a crash the
// consumer looks at them again, and finds nothing to send again.
constexpr std::int64_t persist_skips_every = 1000;
// How long a caught-up consumer sleeps before looking again even without a wake-up (only
// to notice stop() without a cancellation path through the notifier).
constexpr std::chrono::milliseconds idle_wait{30'000};

} // namespace

Consumer::Consumer(asio::any_io_executor executor, std::shared_ptr<const Registration> registration,
                   std::shared_ptr<ConsumerDeps> deps, std::int64_t initial_cursor)
    : strand_(asio::make_strand(executor)), registration_(std::move(registration)),
      deps_(std::move(deps)), initial_cursor_(initial_cursor),
      backoff_timer_(strand_), interest_(registration_, deps_->server_name)
{
    status_.appservice_id = registration_->id;
    // The pusher starts consumers only for registrations that pushes_over_http() or
    // delivers_over_websocket(); https:// ones get no transport (the client speaks plain
    // HTTP: bridges run next to the server).
    if (registration_->delivers_over_websocket())
        transport_ = std::make_unique<WebSocketTransport>(deps_->websockets, registration_->id);
    else if (auto url = http::parse_http_url(registration_->url.value_or("")))
        transport_ = std::make_unique<HttpTransport>(strand_, *url, registration_->hs_token);
    else
        spdlog::error("appservice {}: cannot deliver to '{}': only http:// urls are supported",
                      registration_->id, registration_->url.value_or(""));
}

void Consumer::start()
{
    asio::co_spawn(strand_, [self = shared_from_this()] { return self->run(); },
                   [id = registration_->id](std::exception_ptr error) {
                       if (!error)
                           return;
                       try {
                           std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                           spdlog::error("appservice {}: delivery stopped: {}", id, e.what());
                       }
                   });
}

void Consumer::stop()
{
    stopped_ = true;
    asio::post(strand_, [self = shared_from_this()] { self->backoff_timer_.cancel(); });
}

void Consumer::poke()
{
    asio::post(strand_, [self = shared_from_this()] { self->backoff_timer_.cancel(); });
}

DeliveryStatus Consumer::status() const
{
    std::lock_guard lock(status_mutex_);
    DeliveryStatus copy = status_;
    copy.stream_head = deps_->notifier.current().stream;
    return copy;
}

void Consumer::record(const std::function<void(DeliveryStatus&)>& change)
{
    std::lock_guard lock(status_mutex_);
    change(status_);
}

asio::awaitable<void> Consumer::run()
{
    cursor_ = persisted_cursor_ = co_await load_cursor();
    ephemeral_seen_ = deps_->notifier.current().ephemeral;
    record([&](DeliveryStatus& s) { s.cursor = cursor_; });
    std::optional<Transaction> pending;
    while (!stopped_ && !deps_->notifier.draining()) {
        if (transport_ && !transport_->ready()) {
            // The log keeps what the bridge will get; nothing is built until it connects.
            co_await sleep(idle_wait);
            continue;
        }
        if (!pending) {
            const auto now = deps_->notifier.current();
            Transaction built = co_await build(now.stream, now.ephemeral);
            if (built.empty()) {
                cursor_ = built.to;
                ephemeral_seen_ = built.ephemeral_to;
                if (cursor_ - persisted_cursor_ >= persist_skips_every)
                    co_await persist_cursor(cursor_);
                record([&](DeliveryStatus& s) { s.cursor = cursor_; });
                if (cursor_ < now.stream)
                    continue;  // a flood of unwanted events: keep skipping
                // A bridge that takes no ephemeral events is not woken by typing.
                const std::int64_t ephemeral = registration_->receive_ephemeral
                                                   ? ephemeral_seen_
                                                   : std::numeric_limits<std::int64_t>::max();
                co_await deps_->notifier.wait_after({cursor_, ephemeral}, idle_wait);
                continue;
            }
            pending = std::move(built);
        }
        if (stopped_)
            break;
        if (co_await send(*pending)) {
            co_await acknowledge(*pending);
            pending.reset();
        } else if (transport_ && transport_->backs_off()) {
            co_await back_off();
        }
    }
    if (cursor_ != persisted_cursor_ && !stopped_)
        co_await persist_cursor(cursor_);
}

asio::awaitable<std::int64_t> Consumer::load_cursor()
{
    const std::string id = registration_->id;
    auto stored = co_await deps_->db.readers().read(
        [&](storage::ReadTxn& txn) { return storage::appservice_cursors::get(txn, id); });
    if (stored)
        co_return *stored;
    co_await persist_cursor(initial_cursor_);
    co_return initial_cursor_;
}

asio::awaitable<Transaction> Consumer::build(std::int64_t head, std::int64_t ephemeral_now)
{
    BuildInput input;
    input.from = cursor_;
    input.head = head;
    input.ephemeral_since = ephemeral_seen_;
    input.ephemeral_now = ephemeral_now;
    input.now_ms = util::now_ms();
    input.boot_id = deps_->boot_id;
    input.owner_user_id = deps_->owner_user_id;
    co_return co_await deps_->db.readers().read([&](storage::ReadTxn& txn) {
        return build_transaction(txn, interest_, *registration_, deps_->ephemeral, input);
    });
}

asio::awaitable<bool> Consumer::send(const Transaction& transaction)
{
    std::optional<std::string> error = "only http:// urls are supported";
    if (transport_)
        error = co_await transport_->deliver(transaction);
    record([&](DeliveryStatus& s) {
        if (error) {
            ++s.failures_in_a_row;
            s.last_error = error;
        } else {
            ++s.transactions_sent;
            s.failures_in_a_row = 0;
            s.last_error.reset();
        }
    });
    if (error)
        spdlog::warn("appservice {}: transaction {} ({} events) failed: {}", registration_->id,
                     transaction.txn_id, transaction.event_count, *error);
    co_return !error;
}

asio::awaitable<void> Consumer::acknowledge(const Transaction& transaction)
{
    if (stopped_)
        co_return;  // deleted meanwhile: its cursor row must not come back
    co_await persist_cursor(transaction.to, transaction.to_device_positions);
    cursor_ = transaction.to;
    ephemeral_seen_ = std::max(ephemeral_seen_, transaction.ephemeral_to);
    record([&](DeliveryStatus& s) { s.cursor = cursor_; });
}

asio::awaitable<void> Consumer::persist_cursor(std::int64_t cursor,
                                               std::vector<std::int64_t> delivered)
{
    const std::string id = registration_->id;
    // In one job: a crash leaves either both (the cursor past them, the messages gone) or
    // neither (they go out again with the same transaction id).
    co_await deps_->db.writer().submit([&](storage::WriteTxn& txn) {
        storage::appservice_cursors::set(txn, id, cursor);
        if (!delivered.empty())
            storage::to_device::remove(txn, delivered);
    });
    persisted_cursor_ = cursor;
}

asio::awaitable<void> Consumer::back_off()
{
    std::uint64_t failures = 0;
    record([&](DeliveryStatus& s) { failures = s.failures_in_a_row; });
    auto delay = first_backoff * (1LL << std::min<std::uint64_t>(failures - 1, 10));
    co_await sleep(std::min<std::chrono::milliseconds>(delay, max_backoff));
}

asio::awaitable<void> Consumer::sleep(std::chrono::milliseconds limit)
{
    backoff_timer_.expires_after(limit);
    co_await backoff_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

} // namespace ravenous::appservice
