#include "bench/bridge_rooms.hpp"

#include "support/url.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ravenous::bench {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

const std::string v3 = "/_matrix/client/v3";

json expect_ok(const test::HttpResponse& response, const std::string& what)
{
    if (response.status != 200) {
        throw std::runtime_error(what + ": " + std::to_string(response.status) + " " +
                                 response.body.substr(0, 300));
    }
    return response.json();
}

std::string as_user(std::string_view target, std::string_view user)
{
    return std::string(target) + (target.find('?') == std::string_view::npos ? "?" : "&") +
           "user_id=" + test::url_encode(user);
}

} // namespace

LoadRequest message_request(const std::string& room_id, std::string_view txn_id,
                            std::string_view text, std::string_view token,
                            std::string_view as_user_id)
{
    std::string target = v3 + "/rooms/" + test::url_encode(room_id) +
                         "/send/m.room.message/" + test::url_encode(txn_id);
    if (!as_user_id.empty()) {
        target = as_user(target, as_user_id);
    }
    json content = json::object();
    content["msgtype"] = "m.text";
    content["body"] = text;
    return make_request(http::verb::put, std::move(target), content.dump(), token);
}

LoadRequest BridgeRooms::puppet_message(std::size_t puppet, std::string_view txn_id,
                                        std::string_view text) const
{
    return message_request(rooms.at(room_of.at(puppet)), txn_id, text, bridge_as_token,
                           puppets.at(puppet));
}

BridgeRooms set_up_bridge_rooms(BenchServer& server, std::string_view prefix,
                                std::size_t puppets, std::size_t rooms,
                                const std::string& owner_token)
{
    if (rooms == 0 || rooms > puppets) {
        throw std::invalid_argument("set_up_bridge_rooms: needs 1 <= rooms <= puppets");
    }
    const std::string as_token(bridge_as_token);
    auto http = server.client();
    BridgeRooms out;
    for (std::size_t i = 0; i < puppets; ++i) {
        const std::string localpart =
            std::string(bridge_user_prefix) + std::string(prefix) + std::to_string(i);
        json reg = json::object();
        reg["type"] = "m.login.application_service";
        reg["username"] = localpart;
        reg["inhibit_login"] = true; // as mautrix bridges register their puppets
        expect_ok(http.post(v3 + "/register", reg, as_token), "register " + localpart);
        out.puppets.push_back("@" + localpart + ":test.local");
        out.room_of.push_back(i % rooms);
    }
    for (std::size_t r = 0; r < rooms; ++r) {
        // Room r holds puppets r, r + rooms, r + 2 * rooms...; the first one creates it.
        json invite = json::array();
        if (!owner_token.empty()) {
            invite.push_back(std::string(test::default_owner_user_id));
        }
        for (std::size_t p = r + rooms; p < puppets; p += rooms) {
            invite.push_back(out.puppets[p]);
        }
        json create = json::object();
        create["preset"] = "private_chat";
        create["name"] = "portal " + std::to_string(r);
        create["invite"] = invite;
        const auto room_id =
            expect_ok(http.post(as_user(v3 + "/createRoom", out.puppets[r]), create, as_token),
                      "createRoom")
                .at("room_id")
                .get<std::string>();
        const std::string join = v3 + "/rooms/" + test::url_encode(room_id) + "/join";
        for (std::size_t p = r + rooms; p < puppets; p += rooms) {
            expect_ok(http.post(as_user(join, out.puppets[p]), json::object(), as_token),
                      "join of " + out.puppets[p]);
        }
        if (!owner_token.empty()) {
            expect_ok(http.post(join, json::object(), owner_token), "the owner's join");
        }
        out.rooms.push_back(room_id);
    }
    return out;
}

std::string message_text(std::string_view head, std::size_t bytes)
{
    std::string text(head);
    static constexpr std::string_view filler =
        " The quick brown fox jumps over the lazy dog, bridged from another network.";
    while (text.size() < bytes) {
        text += filler.substr(0, std::min(filler.size(), bytes - text.size()));
    }
    return text;
}

std::string event_id_of(std::string_view send_response_body)
{
    auto body = json::parse(send_response_body, nullptr, false);
    if (!body.is_object()) {
        return {};
    }
    auto it = body.find("event_id");
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace ravenous::bench
