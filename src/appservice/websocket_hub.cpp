#include "ravenous/appservice/websocket_hub.hpp"

#include "appservice/websocket_reports.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/util/time.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <vector>

namespace ravenous::appservice {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

// RFC 6455: "inconsistent data", what a frame that is not a JSON object is.
constexpr std::uint16_t close_invalid_payload = 1007;
constexpr std::uint16_t close_policy_violation = 1008;

const std::string connect_message = R"({"command":"connect","status":"connected"})";

std::string reply(std::string_view command, std::int64_t id, const json& data)
{
    return json{{"command", command}, {"id", id}, {"data", data}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::int64_t> request_id(const json& message)
{
    auto it = message.find("id");
    if (it == message.end() || !it->is_number_integer() || it->get<std::int64_t>() == 0)
        return std::nullopt;
    return it->get<std::int64_t>();
}

std::string duration_text(std::chrono::milliseconds timeout)
{
    const auto ms = timeout.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

} // namespace

bool is_bridge_command(std::string_view command)
{
    static constexpr std::string_view reserved[] = {"transaction", "response", "error",
                                                    "connect", "disconnect"};
    if (command.empty() || command.size() > 64)
        return false;
    for (char c : command)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            return false;
    return std::find(std::begin(reserved), std::end(reserved), command) == std::end(reserved);
}

std::string ws_close::reason(std::string_view status)
{
    return json{{"command", "disconnect"}, {"status", status}}.dump();
}

struct WebSocketHub::Answer
{
    enum class Kind
    {
        response,
        error,
        timeout,
        not_connected,
        disconnected
    };
    Kind kind = Kind::timeout;
    json data;
    std::shared_ptr<Link> link;  // the connection it went out on
};

// One request waiting for its answer; the timer lives on the waiter's executor and is
// cancelled (posted there) when the answer comes.
struct WebSocketHub::Pending
{
    explicit Pending(asio::any_io_executor executor) : timer(std::move(executor)) {}
    asio::steady_timer timer;
    std::optional<Answer> answer;  // under the hub's mutex
};

class WebSocketHub::Link
{
public:
    std::string appservice_id;
    std::shared_ptr<BridgeSocket> socket;
    // Under the hub's mutex:
    std::map<std::int64_t, std::shared_ptr<Pending>> pending;
    unsigned timeouts_in_a_row = 0;
};

struct WebSocketHub::Entry
{
    std::shared_ptr<Link> link;  // the current connection, if any
    WebSocketStatus status;
};

WebSocketHub::WebSocketHub(WebSocketOptions options) : options_(options) {}

WebSocketHub::~WebSocketHub() = default;

void WebSocketHub::set_on_connect(std::function<void(const std::string&)> callback)
{
    std::lock_guard lock(mutex_);
    on_connect_ = std::move(callback);
}

std::shared_ptr<WebSocketHub::Link> WebSocketHub::attach(const std::string& appservice_id,
                                                         std::shared_ptr<BridgeSocket> socket,
                                                         BridgeConnectionInfo info)
{
    auto link = std::make_shared<Link>();
    link->appservice_id = appservice_id;
    link->socket = std::move(socket);
    // Before the link is published, so it comes before any transaction.
    link->socket->send(connect_message);
    std::shared_ptr<Link> previous;
    std::function<void(const std::string&)> on_connect;
    {
        std::lock_guard lock(mutex_);
        auto& entry = entries_[appservice_id];
        if (!entry)
            entry = std::make_unique<Entry>();
        previous = std::exchange(entry->link, link);
        if (previous) {
            fail_pending(*previous);
            entry->status.last_close_code = ws_close::conn_replaced;
            entry->status.last_close_status = ws_close::conn_replaced_status;
        }
        auto& status = entry->status;
        status.connected = true;
        status.process_id = std::move(info.process_id);
        status.remote_address = std::move(info.remote_address);
        status.since_ms = util::now_ms();
        ++status.connections;
        on_connect = on_connect_;
    }
    spdlog::info("appservice {}: bridge connected over a WebSocket{}", appservice_id,
                 previous ? " (replacing its previous connection)" : "");
    if (previous)
        previous->socket->close(ws_close::conn_replaced,
                                ws_close::reason(ws_close::conn_replaced_status));
    if (on_connect)
        on_connect(appservice_id);
    return link;
}

void WebSocketHub::receive(Link& link, std::string_view text)
{
    json message = json::parse(text, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
        spdlog::warn("appservice {}: the bridge sent a frame that is not a JSON object; closing",
                     link.appservice_id);
        link.socket->close(close_invalid_payload, "Each frame must be one JSON object");
        return;
    }
    const auto command_it = message.find("command");
    const std::string command =
        command_it != message.end() && command_it->is_string() ? command_it->get<std::string>()
                                                               : std::string();
    const auto id = request_id(message);
    json data = message.contains("data") ? std::move(message["data"]) : json(nullptr);
    if (command == "response" || command == "error") {
        if (id)
            resolve(link, *id, command == "error", std::move(data));
        return;
    }
    if (command == "ping") {
        if (id)
            link.socket->send(reply("response", *id, {{"timestamp", util::now_ms()}}));
        return;
    }
    if (command == "bridge_status" || command == "message_checkpoint") {
        if (command == "bridge_status")
            record_status(link, std::move(data));
        else
            record_checkpoints(link, data);
        // Bridges send both without an id; one that asks gets an empty answer.
        if (id)
            link.socket->send(reply("response", *id, json::object()));
        return;
    }
    if (id)
        link.socket->send(reply("error", *id,
                                {{"code", "M_UNRECOGNIZED"}, {"message", "unknown request type"}}));
}

void WebSocketHub::detach(Link& link)
{
    std::lock_guard lock(mutex_);
    fail_pending(link);
    auto it = entries_.find(link.appservice_id);
    if (it != entries_.end() && it->second->link.get() == &link) {
        it->second->link.reset();
        it->second->status.connected = false;
        it->second->status.since_ms = util::now_ms();
        spdlog::info("appservice {}: its WebSocket bridge went away", link.appservice_id);
    }
}

bool WebSocketHub::connected(std::string_view appservice_id) const
{
    std::lock_guard lock(mutex_);
    auto it = entries_.find(appservice_id);
    return it != entries_.end() && it->second->link;
}

std::optional<WebSocketStatus> WebSocketHub::status(std::string_view appservice_id) const
{
    std::lock_guard lock(mutex_);
    auto it = entries_.find(appservice_id);
    if (it == entries_.end())
        return std::nullopt;
    return it->second->status;
}

void WebSocketHub::retain(const std::set<std::string, std::less<>>& ids)
{
    std::vector<std::shared_ptr<Link>> dropped;
    {
        std::lock_guard lock(mutex_);
        for (auto it = entries_.begin(); it != entries_.end();) {
            if (ids.contains(it->first)) {
                ++it;
                continue;
            }
            if (auto& link = it->second->link) {
                fail_pending(*link);
                dropped.push_back(std::move(link));
            }
            it = entries_.erase(it);
        }
    }
    for (const auto& link : dropped)
        link->socket->close(close_policy_violation,
                            ws_close::reason(ws_close::unregistered_status));
}

asio::awaitable<WebSocketHub::Delivery> WebSocketHub::deliver(std::string appservice_id,
                                                              std::string txn_id,
                                                              std::string body_json,
                                                              std::chrono::milliseconds timeout)
{
    const std::string quoted_txn_id = json(txn_id).dump();
    auto frame = [&](std::int64_t id) {
        // The body's keys go at the top level, next to the command's: splice its text rather
        // than copy a transaction of up to a hundred events as JSON.
        std::string text = R"({"command":"transaction","id":)" + std::to_string(id) +
                           R"(,"status":"ok","txn_id":)" + quoted_txn_id;
        if (body_json.size() > 2) {
            text += ',';
            text.append(body_json, 1);
        } else {
            text += '}';
        }
        return text;
    };
    Answer answer = co_await call(appservice_id, frame, timeout);
    Delivery delivery;
    switch (answer.kind) {
    case Answer::Kind::response: {
        std::lock_guard lock(mutex_);
        answer.link->timeouts_in_a_row = 0;
        break;
    }
    case Answer::Kind::error:
        delivery.back_off = true;
        delivery.error = "the bridge answered with an error: " +
                         (answer.data.is_object() ? answer.data.value("message", std::string())
                                                  : std::string());
        break;
    case Answer::Kind::timeout: {
        delivery.error = "not acknowledged within " + duration_text(timeout);
        bool give_up = false;
        {
            std::lock_guard lock(mutex_);
            give_up = ++answer.link->timeouts_in_a_row >= options_.max_timeouts;
        }
        if (give_up) {
            spdlog::warn("appservice {}: {} transactions in a row unacknowledged, closing its "
                         "WebSocket",
                         appservice_id, options_.max_timeouts);
            close(answer.link, ws_close::not_acknowledged, ws_close::not_acknowledged_status);
        }
        break;
    }
    case Answer::Kind::not_connected:
        delivery.error = "no bridge connected";
        break;
    case Answer::Kind::disconnected:
        delivery.error = "the bridge went away before acknowledging it";
        break;
    }
    co_return delivery;
}

asio::awaitable<json> WebSocketHub::request(std::string appservice_id, std::string command,
                                            json data)
{
    auto frame = [&](std::int64_t id) { return reply(command, id, data); };
    Answer answer = co_await call(appservice_id, frame, options_.request_timeout);
    using Kind = Answer::Kind;
    switch (answer.kind) {
    case Kind::response:
        co_return std::move(answer.data);
    case Kind::error: {
        std::string message = answer.data.is_object() && answer.data.contains("message") &&
                                      answer.data["message"].is_string()
                                  ? answer.data["message"].get<std::string>()
                                  : std::string("no message");
        throw matrix::MatrixError(502, matrix::ErrCode::M_UNKNOWN,
                                  "The bridge answered with an error: " + message)
            .with("bridge_error", answer.data);
    }
    case Kind::timeout:
        throw matrix::MatrixError(matrix::ErrCode::M_CONNECTION_TIMEOUT,
                                  "The bridge did not answer within " +
                                      duration_text(options_.request_timeout));
    case Kind::not_connected:
        throw matrix::MatrixError(503, matrix::ErrCode::M_CONNECTION_FAILED,
                                  "The bridge is not connected");
    case Kind::disconnected:
        break;
    }
    throw matrix::MatrixError(503, matrix::ErrCode::M_CONNECTION_FAILED,
                              "The bridge went away before answering");
}

asio::awaitable<WebSocketHub::Answer> WebSocketHub::call(
    const std::string& appservice_id, std::function<std::string(std::int64_t)> make,
    std::chrono::milliseconds timeout)
{
    auto pending = std::make_shared<Pending>(co_await asio::this_coro::executor);
    pending->timer.expires_after(timeout);
    Answer answer;
    std::int64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(appservice_id);
        if (it != entries_.end())
            answer.link = it->second->link;
        if (answer.link) {
            id = next_request_id_++;
            answer.link->pending.emplace(id, pending);
        }
    }
    if (!answer.link) {
        answer.kind = Answer::Kind::not_connected;
        co_return answer;
    }
    if (!answer.link->socket->send(make(id))) {
        std::lock_guard lock(mutex_);
        answer.link->pending.erase(id);
        answer.kind = Answer::Kind::disconnected;
        co_return answer;
    }
    co_await pending->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    std::lock_guard lock(mutex_);
    answer.link->pending.erase(id);
    if (pending->answer) {
        answer.kind = pending->answer->kind;
        answer.data = std::move(pending->answer->data);
    }
    co_return answer;
}

void WebSocketHub::resolve(Link& link, std::int64_t id, bool error, json data)
{
    std::shared_ptr<Pending> pending;
    {
        std::lock_guard lock(mutex_);
        auto it = link.pending.find(id);
        if (it == link.pending.end())
            return;  // answered after its timeout, or not ours
        pending = std::move(it->second);
        link.pending.erase(it);
        pending->answer.emplace();
        pending->answer->kind = error ? Answer::Kind::error : Answer::Kind::response;
        pending->answer->data = std::move(data);
    }
    asio::post(pending->timer.get_executor(), [pending] { pending->timer.cancel(); });
}

void WebSocketHub::fail_pending(Link& link)
{
    for (auto& [id, pending] : link.pending) {
        pending->answer.emplace();
        pending->answer->kind = Answer::Kind::disconnected;
        asio::post(pending->timer.get_executor(), [pending = pending] { pending->timer.cancel(); });
    }
    link.pending.clear();
}

void WebSocketHub::close(const std::shared_ptr<Link>& link, std::uint16_t code,
                         std::string_view status)
{
    {
        std::lock_guard lock(mutex_);
        fail_pending(*link);
        auto it = entries_.find(link->appservice_id);
        if (it != entries_.end() && it->second->link == link) {
            auto& entry = *it->second;
            entry.link.reset();
            entry.status.connected = false;
            entry.status.since_ms = util::now_ms();
            entry.status.last_close_code = code;
            entry.status.last_close_status = status;
        }
    }
    link->socket->close(code, ws_close::reason(status));
}

void WebSocketHub::record_status(Link& link, json data)
{
    if (!data.is_object())
        return;
    BridgeState state = bridge_state_from_json(data, util::now_ms());
    std::lock_guard lock(mutex_);
    auto it = entries_.find(link.appservice_id);
    if (it != entries_.end() && it->second->link.get() == &link)
        keep_bridge_state(it->second->status, std::move(state));
}

void WebSocketHub::record_checkpoints(Link& link, const json& data)
{
    std::lock_guard lock(mutex_);
    auto it = entries_.find(link.appservice_id);
    if (it != entries_.end() && it->second->link.get() == &link)
        keep_checkpoints(it->second->status, data);
}

} // namespace ravenous::appservice
