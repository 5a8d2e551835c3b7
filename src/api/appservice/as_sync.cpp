#include "api/appservice/as_sync.hpp"

#include "ravenous/appservice/pusher.hpp"
#include "ravenous/appservice/registration.hpp"
#include "ravenous/appservice/websocket_hub.hpp"
#include "ravenous/http/limits.hpp"
#include "ravenous/http/websocket.hpp"
#include "ravenous/matrix/errors.hpp"

#include <charconv>

namespace ravenous::api::appservice {

namespace errors = matrix::errors;
namespace registrations = ::ravenous::appservice;
using boost::asio::awaitable;
using http::Response;

namespace {

// Acknowledged transactions that the bridge dedupes by txn_id: the only kind we send.
constexpr int protocol_version = 3;
constexpr std::size_t max_process_id = 128;

// The hub writes to the bridge through the connection's facade.
class Socket final : public registrations::BridgeSocket
{
public:
    explicit Socket(std::shared_ptr<http::WebSocket> socket) : socket_(std::move(socket)) {}
    bool send(std::string text) override { return socket_->send(std::move(text)); }
    void close(std::uint16_t code, std::string reason) override
    {
        socket_->close(code, std::move(reason));
    }

private:
    std::shared_ptr<http::WebSocket> socket_;
};

// Whatever ends the connection (the bridge, the server, an exception), the hub hears of it.
struct Detach
{
    std::shared_ptr<registrations::WebSocketHub> hub;
    std::shared_ptr<registrations::WebSocketHub::Link> link;
    ~Detach() { hub->detach(*link); }
};

// For as long as the connection lives: every frame to the hub.
awaitable<void> serve_bridge(std::shared_ptr<registrations::WebSocketHub> hub,
                             std::string appservice_id,
                             registrations::BridgeConnectionInfo info,
                             std::shared_ptr<http::WebSocket> socket)
{
    auto link = hub->attach(appservice_id, std::make_shared<Socket>(socket), std::move(info));
    Detach detach{hub, link};
    while (auto frame = co_await socket->read())
        hub->receive(*detach.link, *frame);
}

int version_of(const http::Request& request)
{
    auto header = request.header("x-mautrix-websocket-version");
    int version = 0;
    if (header)
        std::from_chars(header->data(), header->data() + header->size(), version);
    return version;
}

} // namespace

// GET /_matrix/client/unstable/fi.mau.as_sync
awaitable<Response> get_as_sync(Context& ctx)
{
    const auth::Identity& caller = ctx.identity();
    if (!caller.appservice)
        throw errors::forbidden("Only an application service's as_token opens its WebSocket");
    const auto& registration = caller.appservice;
    if (!registration->delivers_over_websocket())
        throw errors::forbidden("This application service receives its transactions over "
                                "HTTP at its url");
    if (!http::is_websocket_upgrade(ctx.request))
        throw matrix::MatrixError(400, matrix::ErrCode::M_UNRECOGNIZED,
                                  "This endpoint only takes a WebSocket upgrade");
    if (version_of(ctx.request) < protocol_version)
        throw errors::invalid_param("X-Mautrix-Websocket-Version must be 3 or later: "
                                    "transactions are acknowledged and may be resent");

    registrations::BridgeConnectionInfo info;
    info.process_id = ctx.request.header("x-mautrix-process-id").value_or("");
    if (info.process_id.size() > max_process_id)
        info.process_id.resize(max_process_id);
    info.remote_address = ctx.request.remote_address;

    auto upgrade = std::make_shared<http::WebSocketUpgrade>();
    upgrade->run = [hub = ctx.services.pusher.websockets(), id = registration->id,
                    info](std::shared_ptr<http::WebSocket> socket) {
        return serve_bridge(hub, id, info, std::move(socket));
    };
    // Answers to the operator's http_proxy requests can be large; transactions go the other
    // way (the bridge reads up to 50 MiB).
    upgrade->max_message = http::limits::large_json_body;
    upgrade->shutdown_code = http::close_code::service_restart;
    upgrade->shutdown_reason = registrations::ws_close::reason(
        registrations::ws_close::shutting_down_status);
    co_return Response::websocket(std::move(upgrade));
}

} // namespace ravenous::api::appservice
