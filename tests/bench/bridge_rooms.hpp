#pragma once

// What a bridge sets up before its traffic starts, made through the bench appservice over HTTP:
// puppets (@bridge_<prefix><i>:test.local) registered with its as_token, and portal rooms, each
// created by its first puppet (private, the owner and its other puppets invited), then joined
// by those puppets (?user_id=) and by the owner. Shared by ingest and as_push.

#include "bench/bench_server.hpp"
#include "bench/load.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::bench {

struct BridgeRooms
{
    std::vector<std::string> puppets; // user ids
    std::vector<std::string> rooms;   // room ids
    std::vector<std::size_t> room_of; // puppet index -> index in rooms

    // Puppet `puppet` sends an m.room.message (body `text`) to its room as the appservice:
    // PUT /rooms/{roomId}/send/m.room.message/{txnId}?user_id=<puppet> with the as_token.
    LoadRequest puppet_message(std::size_t puppet, std::string_view txn_id,
                               std::string_view text) const;
};

// `puppets` puppets spread evenly over `rooms` rooms (rooms <= puppets). The owner joins each
// room with `owner_token` when it is not empty. Throws on any refused request.
BridgeRooms set_up_bridge_rooms(BenchServer& server, std::string_view prefix,
                                std::size_t puppets, std::size_t rooms,
                                const std::string& owner_token);

// PUT /rooms/{roomId}/send/m.room.message/{txnId} with `token` (the owner's, or the as_token
// with `as_user` as ?user_id=).
LoadRequest message_request(const std::string& room_id, std::string_view txn_id,
                            std::string_view text, std::string_view token,
                            std::string_view as_user = {});

// A message text of about `bytes` bytes that starts with `head` (distinct per event).
std::string message_text(std::string_view head, std::size_t bytes);

// The "event_id" of a send's 200 body ("" if there is none): found without parsing the
// whole JSON, on the load generator's thread.
std::string event_id_of(std::string_view send_response_body);

} // namespace ravenous::bench
