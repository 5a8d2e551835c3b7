#include "appservice/websocket_reports.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ravenous::appservice {

using nlohmann::json;

namespace {

std::string text_of(const json& object, const char* key)
{
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string bounded_dump(const json& value)
{
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    return text.size() <= max_report_json ? text : std::string();
}

} // namespace

BridgeState bridge_state_from_json(const json& data, std::int64_t now_ms)
{
    BridgeState state;
    state.state_event = text_of(data, "state_event");
    state.remote_id = text_of(data, "remote_id");
    state.remote_name = text_of(data, "remote_name");
    state.error = text_of(data, "error");
    state.message = text_of(data, "message");
    if (auto it = data.find("timestamp"); it != data.end() && it->is_number())
        state.timestamp = it->get<std::int64_t>();
    state.received_ms = now_ms;
    state.json = bounded_dump(data);
    return state;
}

void keep_bridge_state(WebSocketStatus& status, BridgeState state)
{
    if (state.remote_id.empty()) {
        status.bridge = std::move(state);
        return;
    }
    auto& remotes = status.remotes;
    auto same = std::find_if(remotes.begin(), remotes.end(), [&](const BridgeState& kept) {
        return kept.remote_id == state.remote_id;
    });
    if (same != remotes.end()) {
        *same = std::move(state);
    } else if (remotes.size() < WebSocketStatus::max_remote_states) {
        remotes.push_back(std::move(state));
    } else {
        auto oldest = std::min_element(remotes.begin(), remotes.end(),
                                       [](const BridgeState& a, const BridgeState& b) {
                                           return a.received_ms < b.received_ms;
                                       });
        *oldest = std::move(state);
    }
}

void keep_checkpoints(WebSocketStatus& status, const json& data)
{
    if (!data.is_object())
        return;
    auto list = data.find("checkpoints");
    if (list == data.end() || !list->is_array())
        return;
    for (const auto& checkpoint : *list) {
        if (!checkpoint.is_object())
            continue;
        ++status.checkpoints;
        const std::string kind = text_of(checkpoint, "step") + "/" + text_of(checkpoint, "status");
        auto counted = status.checkpoint_counts.find(kind);
        if (counted != status.checkpoint_counts.end())
            ++counted->second;
        else if (status.checkpoint_counts.size() < WebSocketStatus::max_checkpoint_kinds)
            status.checkpoint_counts.emplace(kind, 1);
        status.last_checkpoint = bounded_dump(checkpoint);
    }
}

} // namespace ravenous::appservice
