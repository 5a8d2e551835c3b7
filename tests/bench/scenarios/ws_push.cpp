// ws_push: delivery to a bridge over the WebSocket it opens (fi.mau.as_sync v3, issue #7). A
// second appservice, registered through the operator API with no url and a rooms namespace
// that takes every room, is a WsBridge in this process: it acknowledges each transaction as
// it reads it, on its own thread. Same set-up and phases as as_push (bench/push_phases.hpp):
// wake-up (commit -> the transaction frame read by the bridge) and steady (events/s delivered
// while 8 connections send). The HTTP bench bridge is fed meanwhile too, as a second bridge
// would be; only the WebSocket's frames are counted.

#include "bench/push_phases.hpp"
#include "bench/report.hpp"
#include "bench/scenario.hpp"
#include "support/ws_bridge.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace ravenous::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t full_puppets = 200;
constexpr std::size_t quick_puppets = 50;
constexpr std::size_t puppets_per_room = 10;
const std::string ws_appservice_id = "ws-bridge";
const std::string ws_as_token = "ws-bridge-as-token";

// The WebSocket bridge's registration: interested in every room, delivered over its socket.
void register_ws_bridge(BenchServer& server)
{
    const nlohmann::json registration = {
        {"id", ws_appservice_id},
        {"url", nullptr},
        {"as_token", ws_as_token},
        {"hs_token", "ws-bridge-hs-token"},
        {"sender_localpart", "wsbridgebot"},
        {"namespaces",
         {{"rooms", nlohmann::json::array({{{"exclusive", false}, {"regex", "!.*"}}})}}},
    };
    auto http = server.client();
    auto res = http.put("/_ravenous/admin/v1/appservices/" + ws_appservice_id, registration,
                        std::string(test::default_admin_token));
    if (res.status != 200 && res.status != 201)
        throw std::runtime_error("ws_push: registering the WebSocket bridge -> " +
                                 std::to_string(res.status) + " " + res.body.substr(0, 200));
}

class WsPush final : public Scenario
{
public:
    std::string_view name() const override { return "ws_push"; }
    std::string_view description() const override
    {
        return "appservice delivery over the bridge's WebSocket (fi.mau.as_sync): wake-up "
               "latency commit -> frame, events/s delivered while 8 connections send";
    }
    std::string_view bound_by() const override { return "http_ceiling"; }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t puppets = ctx.quick ? quick_puppets : full_puppets;
        BenchServer server;
        server.start();
        const std::string owner_token = server.owner_token();
        register_ws_bridge(server);

        DeliveryTracker tracker;
        test::WsBridge::Options options;
        options.as_token = ws_as_token;
        options.process_id = "ravenous-bench";
        options.record = false;
        options.on_transaction = [&tracker](const nlohmann::json& frame, Clock::time_point at) {
            tracker.on_transaction(frame, at);
        };
        test::WsBridge ws(server.port(), std::move(options));
        const auto handshake = ws.connect();
        if (!handshake.upgraded)
            throw std::runtime_error("ws_push: the WebSocket was refused: " +
                                     std::to_string(handshake.status) + " " + handshake.body +
                                     handshake.error);

        ctx.progress("ws_push: " + std::to_string(puppets) + " puppets in portal rooms");
        const BridgeRooms bridge = set_up_bridge_rooms(server, "ws", puppets,
                                                       puppets / puppets_per_room, owner_token);
        ScenarioResult result;
        push_wake_up(name(), ctx, server, bridge, owner_token, tracker, result);
        push_steady(name(), ctx, server, bridge, owner_token, tracker, result);
        server.report_memory(result);
        result.notes.push_back(
            std::to_string(puppets) + " puppets @bridge_ws<i>:test.local in " +
            std::to_string(bridge.rooms.size()) + " private portal rooms of " +
            std::to_string(puppets_per_room) + " with the owner; ~" +
            std::to_string(push_message_bytes) + "-byte m.text messages; the WebSocket "
            "bridge (a second appservice, every room in its namespace) acknowledges each "
            "transaction as it reads it; the HTTP bench bridge is fed meanwhile, not counted");
        ws.disconnect();
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<WsPush> registered;

} // namespace
} // namespace ravenous::bench
