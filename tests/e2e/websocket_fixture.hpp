#pragma once

// Shared by the WebSocket bridge tests (appservice_websocket*_test.cpp): the room fixture's
// whatsapp appservice, whose registration has no url, so it is fed over the WebSocket it
// opens (fi.mau.as_sync); short acknowledgement timeouts; a WsBridge per connection.

#include "room_fixture.hpp"
#include "support/ws_bridge.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace ravenous::test::room {

using namespace std::chrono_literals;

inline constexpr auto ack_timeout = 300ms;
inline constexpr auto request_timeout = 400ms;
inline const std::string as_sync_path = "/_matrix/client/unstable/fi.mau.as_sync";
inline const std::string whatsapp_admin = "/_ravenous/admin/v1/appservices/whatsapp";

// The close reason the server gives its own close codes.
inline json disconnect_reason(std::string_view status)
{
    return {{"command", "disconnect"}, {"status", status}};
}

class WebSocketFixture : public RoomFixture
{
protected:
    std::string extra_yaml() override
    {
        return "appservice_websocket_ack_timeout_ms: " + std::to_string(ack_timeout.count()) +
               "\nappservice_websocket_request_timeout_ms: " +
               std::to_string(request_timeout.count()) + "\n";
    }

    WsBridge::Options bridge_options(bool ack = true)
    {
        WsBridge::Options options;
        options.as_token = std::string(as_token);
        options.ack = ack;
        return options;
    }

    // A bridge connected as the whatsapp appservice.
    std::unique_ptr<WsBridge> connect_bridge(bool ack = true)
    {
        return connect_bridge(bridge_options(ack));
    }
    std::unique_ptr<WsBridge> connect_bridge(WsBridge::Options options)
    {
        auto bridge = std::make_unique<WsBridge>(server_->port(), std::move(options));
        auto handshake = bridge->connect();
        EXPECT_TRUE(handshake.upgraded)
            << handshake.status << " " << handshake.body << " " << handshake.error;
        // The 101 comes before the server has taken the connection on: its connect message
        // says it has, and requests sent earlier would find no bridge.
        if (handshake.upgraded) {
            EXPECT_TRUE(bridge->wait_for([](const WsBridge& b) { return !b.frames().empty(); },
                                         5s));
        }
        return bridge;
    }

    // A room of the owner's with alice (a puppet) joined.
    std::string bridged_room()
    {
        const std::string room = create_room({{"preset", "private_chat"}});
        invite(room, owner_, alice_);
        join(room, alice_);
        return room;
    }

    std::vector<std::string> flood(const std::string& room, const Actor& who, int count)
    {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i)
            ids.push_back(text(room, who, "message " + std::to_string(i)));
        return ids;
    }

    // The frames of this command the bridge received, in order.
    static std::vector<json> received(const WsBridge& bridge, std::string_view command)
    {
        std::vector<json> out;
        for (const auto& frame : bridge.frames())
            if (frame.is_object() && frame.value("command", "") == command)
                out.push_back(frame);
        return out;
    }

    // A bridge the owner registers through the bridge manager: its as_token.
    std::string register_bridge(std::string_view name, const json& body)
    {
        auto res = unchecked_->put("/_matrix/asmux/mxauth/appservice/owner/" + std::string(name),
                                   body, owner_.token);
        EXPECT_EQ(res.status, 201) << res.body;
        return res.status == 201 ? res.json().at("as_token").get<std::string>() : std::string();
    }

    // Ids of the bridge's processed events of this type in this room, in order.
    static std::vector<std::string> delivered(const WsBridge& bridge, const std::string& room,
                                              std::string_view type = "m.room.message")
    {
        std::vector<std::string> ids;
        for (const auto& event : bridge.events())
            if (event.value("room_id", "") == room && event.value("type", "") == type)
                ids.push_back(event.at("event_id").get<std::string>());
        return ids;
    }

    static bool wait_delivered(const WsBridge& bridge, const std::string& event_id,
                               std::chrono::milliseconds timeout = 10s)
    {
        return bridge.wait_for(
            [&](const WsBridge& b) {
                for (const auto& event : b.events())
                    if (event.value("event_id", "") == event_id)
                        return true;
                return false;
            },
            timeout);
    }

    // The whatsapp appservice as the operator API shows it.
    json admin_entry()
    {
        auto res = unchecked_->get(whatsapp_admin, default_admin_token);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json() : json::object();
    }

    // Polls the operator API until `predicate` holds for the appservice's delivery status.
    json wait_delivery(const std::function<bool(const json&)>& predicate,
                       std::chrono::milliseconds timeout = 5s)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        json delivery;
        do {
            delivery = admin_entry().value("delivery", json());
            if (delivery.is_object() && predicate(delivery))
                return delivery;
            std::this_thread::sleep_for(20ms);
        } while (std::chrono::steady_clock::now() < deadline);
        ADD_FAILURE() << "delivery status never matched: " << delivery.dump();
        return delivery;
    }

    HttpResponse proxy(const json& body, std::string_view token = default_admin_token)
    {
        return unchecked_->post(whatsapp_admin + "/proxy", body, token);
    }
};

} // namespace ravenous::test::room
