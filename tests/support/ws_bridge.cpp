#include "support/ws_bridge.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace ravenous::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using nlohmann::json;
using tcp = asio::ip::tcp;

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t max_message = 64 * 1024 * 1024;
const std::string as_sync_path = "/_matrix/client/unstable/fi.mau.as_sync";

// One connection; touched only on the bridge's thread.
struct Connection
{
    explicit Connection(asio::io_context& ioc) : ws(ioc) {}
    websocket::stream<beast::tcp_stream> ws;
    std::deque<std::optional<std::string>> out; // nullopt: a close frame
    bool writing = false;
    bool ended = false;
};

std::string response_frame(std::string_view command, std::int64_t id, const json& data)
{
    return json{{"command", command}, {"id", id}, {"data", data}}.dump();
}

} // namespace

struct WsBridge::Impl
{
    Impl(std::uint16_t port_, Options options_) : port(port_), options(std::move(options_)) {}

    const std::uint16_t port;
    const Options options;

    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    std::thread thread;
    std::shared_ptr<Connection> current; // the bridge's thread only

    mutable std::mutex mutex; // everything below
    mutable std::condition_variable changed;
    std::uint64_t changes = 0;
    std::vector<json> frames;
    std::vector<Transaction> transactions;
    std::size_t transaction_count = 0;
    std::vector<json> events;
    std::set<std::string> processed; // txn_ids acknowledged once
    std::vector<Close> closes;
    bool open = false;
    bool ack = true;
    std::map<std::string, std::function<std::optional<Reply>(const json&)>> answerers;
    std::map<std::int64_t, json> answers;
    std::int64_t next_id = 1;

    void record(const std::function<void()>& change)
    {
        {
            std::lock_guard lock{mutex};
            change();
            ++changes;
        }
        changed.notify_all();
    }

    // The bridge's thread.
    void write(const std::shared_ptr<Connection>& conn, std::optional<std::string> text)
    {
        if (conn->ended)
            return;
        conn->out.push_back(std::move(text));
        if (!conn->writing) {
            conn->writing = true;
            asio::co_spawn(ioc, write_loop(conn), asio::detached);
        }
    }

    static asio::awaitable<void> write_loop(std::shared_ptr<Connection> conn)
    {
        while (!conn->out.empty() && !conn->ended) {
            auto next = std::move(conn->out.front());
            conn->out.pop_front();
            if (!next) {
                co_await conn->ws.async_close(websocket::close_code::normal, tuple_awaitable);
                break;
            }
            auto [ec, bytes] = co_await conn->ws.async_write(asio::buffer(*next), tuple_awaitable);
            if (ec)
                break;
        }
        conn->writing = false;
    }

    asio::awaitable<void> open_connection(std::shared_ptr<std::promise<Handshake>> done)
    {
        Handshake result;
        auto conn = std::make_shared<Connection>(ioc);
        auto& tcp_layer = beast::get_lowest_layer(conn->ws);
        tcp_layer.expires_after(std::chrono::seconds(10));
        auto [ec] = co_await tcp_layer.async_connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), tuple_awaitable);
        if (ec) {
            result.error = ec.message();
            done->set_value(std::move(result));
            co_return;
        }
        tcp_layer.expires_never();
        // As Go's net package (mautrix-go) sets it on every TCP connection.
        boost::system::error_code ignored;
        tcp_layer.socket().set_option(tcp::no_delay(true), ignored);
        auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
        timeouts.handshake_timeout = std::chrono::seconds(10);
        conn->ws.set_option(timeouts);
        conn->ws.read_message_max(max_message);
        conn->ws.text(true);
        conn->ws.set_option(websocket::stream_base::decorator(
            [token = options.as_token, version = options.version,
             process = options.process_id](websocket::request_type& request) {
                if (!token.empty())
                    request.set(beast::http::field::authorization, "Bearer " + token);
                if (!version.empty())
                    request.set("X-Mautrix-Websocket-Version", version);
                request.set("X-Mautrix-Process-ID", process);
            }));
        websocket::response_type response;
        auto [handshake_ec] = co_await conn->ws.async_handshake(
            response, "127.0.0.1:" + std::to_string(port), as_sync_path, tuple_awaitable);
        result.status = static_cast<int>(response.result_int());
        result.body = response.body();
        result.upgraded = !handshake_ec;
        if (handshake_ec)
            result.error = handshake_ec.message();
        if (result.upgraded) {
            current = conn;
            record([&] { open = true; });
            asio::co_spawn(ioc, read_loop(conn), asio::detached);
        }
        done->set_value(std::move(result));
    }

    asio::awaitable<void> read_loop(std::shared_ptr<Connection> conn)
    {
        for (;;) {
            beast::flat_buffer buffer;
            auto [ec, bytes] = co_await conn->ws.async_read(buffer, tuple_awaitable);
            if (ec) {
                conn->ended = true;
                Close close;
                if (ec == websocket::error::closed) {
                    const auto& reason = conn->ws.reason();
                    close.code = reason.code;
                    close.reason = std::string(reason.reason.data(), reason.reason.size());
                }
                record([&] {
                    closes.push_back(close);
                    if (conn == current)
                        open = false;
                });
                co_return;
            }
            on_frame(conn, beast::buffers_to_string(buffer.data()));
        }
    }

    void on_frame(const std::shared_ptr<Connection>& conn, const std::string& text)
    {
        const auto at = Clock::now();
        json frame = json::parse(text, nullptr, false);
        if (frame.is_discarded())
            frame = nullptr;
        const std::string command =
            frame.is_object() ? frame.value("command", std::string()) : std::string();
        const std::int64_t id =
            frame.is_object() && frame.contains("id") && frame["id"].is_number_integer()
                ? frame["id"].get<std::int64_t>()
                : 0;
        if (command == "transaction" && options.on_transaction)
            options.on_transaction(frame, at);

        std::optional<std::string> reply;
        record([&] {
            if (options.record)
                frames.push_back(frame);
            if (command == "transaction") {
                ++transaction_count;
                Transaction txn{id, frame.value("txn_id", std::string()), json(nullptr), ack};
                if (ack && processed.insert(txn.txn_id).second && options.record) {
                    if (auto it = frame.find("events"); it != frame.end() && it->is_array())
                        events.insert(events.end(), it->begin(), it->end());
                }
                if (ack && id != 0)
                    reply = response_frame("response", id, {{"txn_id", txn.txn_id}});
                if (options.record) {
                    txn.frame = frame;
                    transactions.push_back(std::move(txn));
                }
            } else if (command == "response" || command == "error") {
                answers[id] = frame;
            } else if (auto answerer = answerers.find(command); answerer != answerers.end()) {
                if (auto answer = answerer->second(frame.value("data", json::object())))
                    reply = response_frame(answer->command, id, answer->data);
            } else if (id != 0 && command != "connect" && command != "http_proxy") {
                reply = response_frame("error", id, {{"message", "unknown request type"}});
            }
        });
        if (reply)
            write(conn, std::move(reply));
    }
};

WsBridge::WsBridge(std::uint16_t port, Options options)
    : impl_(std::make_unique<Impl>(port, std::move(options)))
{
    impl_->ack = impl_->options.ack;
    impl_->thread = std::thread([d = impl_.get()] { d->ioc.run(); });
}

WsBridge::~WsBridge()
{
    auto& d = *impl_;
    // Nothing waits for the server here: the connection is dropped with the io_context.
    d.work.reset();
    d.ioc.stop();
    d.thread.join();
}

WsBridge::Handshake WsBridge::connect(std::chrono::milliseconds timeout)
{
    auto done = std::make_shared<std::promise<Handshake>>();
    auto future = done->get_future();
    asio::co_spawn(impl_->ioc, impl_->open_connection(done), asio::detached);
    if (future.wait_for(timeout) != std::future_status::ready)
        throw std::runtime_error("WsBridge: no answer to the handshake in time");
    return future.get();
}

void WsBridge::disconnect()
{
    asio::post(impl_->ioc, [d = impl_.get()] {
        if (d->current)
            d->write(d->current, std::nullopt);
    });
}

bool WsBridge::connected() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->open;
}

std::vector<nlohmann::json> WsBridge::frames() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->frames;
}

std::vector<WsBridge::Transaction> WsBridge::transactions() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->transactions;
}

std::size_t WsBridge::transaction_count() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->transaction_count;
}

std::vector<nlohmann::json> WsBridge::events() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->events;
}

std::vector<WsBridge::Close> WsBridge::closes() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->closes;
}

bool WsBridge::wait_for(std::function<bool(const WsBridge&)> predicate,
                        std::chrono::milliseconds timeout) const
{
    const auto deadline = Clock::now() + timeout;
    auto& d = *impl_;
    for (;;) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock{d.mutex};
            seen = d.changes;
        }
        if (predicate(*this))
            return true;
        std::unique_lock lock{d.mutex};
        if (!d.changed.wait_until(lock, deadline, [&] { return d.changes != seen; }))
            return false;
    }
}

bool WsBridge::wait_for_events(std::size_t count, std::chrono::milliseconds timeout) const
{
    return wait_for([count](const WsBridge& bridge) { return bridge.events().size() >= count; },
                    timeout);
}

std::optional<WsBridge::Close> WsBridge::wait_closed(std::chrono::milliseconds timeout) const
{
    std::size_t before = 0;
    {
        std::lock_guard lock{impl_->mutex};
        before = impl_->closes.size() + (impl_->open ? 1 : 0);
    }
    if (before == 0)
        return std::nullopt;
    // The current connection's close is the one that brings the count to `before`.
    if (!wait_for([before](const WsBridge& bridge) { return bridge.closes().size() >= before; },
                  timeout))
        return std::nullopt;
    return closes().at(before - 1);
}

void WsBridge::set_ack(bool ack)
{
    std::lock_guard lock{impl_->mutex};
    impl_->ack = ack;
}

void WsBridge::set_proxy_answer(
    std::function<std::optional<nlohmann::json>(const nlohmann::json&)> answer)
{
    set_answer("http_proxy", [answer = std::move(answer)](const json& data) -> std::optional<Reply> {
        auto body = answer(data);
        if (!body)
            return std::nullopt;
        return Reply{"response", std::move(*body)};
    });
}

void WsBridge::set_answer(std::string command,
                          std::function<std::optional<Reply>(const nlohmann::json&)> answer)
{
    std::lock_guard lock{impl_->mutex};
    impl_->answerers[std::move(command)] = std::move(answer);
}

void WsBridge::send(const nlohmann::json& frame)
{
    send_text(frame.dump());
}

void WsBridge::send_text(std::string text)
{
    asio::post(impl_->ioc, [d = impl_.get(), text = std::move(text)]() mutable {
        if (d->current)
            d->write(d->current, std::move(text));
    });
}

std::optional<nlohmann::json> WsBridge::request(const std::string& command, nlohmann::json data,
                                                std::chrono::milliseconds timeout)
{
    std::int64_t id = 0;
    {
        std::lock_guard lock{impl_->mutex};
        id = impl_->next_id++;
    }
    send(json{{"command", command}, {"id", id}, {"data", std::move(data)}});
    std::optional<json> answer;
    wait_for(
        [&](const WsBridge& bridge) {
            std::lock_guard lock{bridge.impl_->mutex};
            auto it = bridge.impl_->answers.find(id);
            if (it == bridge.impl_->answers.end())
                return false;
            answer = it->second;
            return true;
        },
        timeout);
    return answer;
}

} // namespace ravenous::test
