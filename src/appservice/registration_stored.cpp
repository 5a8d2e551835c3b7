// Run-time registrations as persisted: the standard JSON plus one private key for what the
// bridge-manager API knows. The private key is read only here, never from an operator's
// upload, so nobody can make a registration look bridge-managed by sending it.

#include "ravenous/appservice/registration.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::appservice {

namespace {

constexpr const char* bridge_manager_key = "ravenous.bridge_manager";

// Throws nlohmann's type_error on a wrong shape (only a hand-edited database has one).
BridgeManagerInfo bridge_manager_from_json(const nlohmann::json& j)
{
    BridgeManagerInfo info;
    info.username = j.at("username").get<std::string>();
    info.bridge = j.at("bridge").get<std::string>();
    if (j.contains("address") && !j.at("address").is_null())
        info.address = j.at("address").get<std::string>();
    info.push = j.value("push", false);
    info.self_hosted = j.value("self_hosted", false);
    return info;
}

} // namespace

nlohmann::json to_json(const BridgeManagerInfo& info)
{
    return {
        {"username", info.username},
        {"bridge", info.bridge},
        {"address", info.address ? nlohmann::json(*info.address) : nlohmann::json(nullptr)},
        {"push", info.push},
        {"self_hosted", info.self_hosted},
    };
}

nlohmann::json to_stored_json(const Registration& registration)
{
    nlohmann::json stored = to_json(registration);
    if (registration.bridge_manager)
        stored[bridge_manager_key] = to_json(*registration.bridge_manager);
    return stored;
}

ParseResult parse_stored_registration(std::string_view json_text)
{
    const std::string source(runtime_source);
    nlohmann::json stored = nlohmann::json::parse(json_text, nullptr, false);
    if (!stored.is_object())
        return ParseResult{nullptr, {source + ": the stored registration is not a JSON object"},
                           true};
    std::optional<BridgeManagerInfo> bridge_manager;
    if (auto it = stored.find(bridge_manager_key); it != stored.end()) {
        try {
            bridge_manager = bridge_manager_from_json(*it);
        } catch (const nlohmann::json::exception& e) {
            return ParseResult{nullptr, {source + ": " + bridge_manager_key + ": " + e.what()}};
        }
        stored.erase(it);
    }
    ParseResult parsed = parse_registration_yaml(stored.dump(), source);
    if (parsed.registration && bridge_manager) {
        auto registration = std::make_shared<Registration>(*parsed.registration);
        registration->bridge_manager = std::move(bridge_manager);
        parsed.registration = std::move(registration);
    }
    return parsed;
}

} // namespace ravenous::appservice
