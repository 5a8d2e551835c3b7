#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::appservice {

struct Namespace
{
    std::string regex;  // as written in the registration
    bool exclusive = false;
    std::regex compiled;  // ECMAScript; matched from the start of the id, as Synapse does

    bool matches(std::string_view id) const;
};

// One appservice registration (the spec's registration file, plus the unstable keys bridges
// use).
struct Registration
{
    std::string id;
    std::optional<std::string> url;  // null/absent: the appservice does not receive pushes
    std::string as_token;
    std::string hs_token;
    std::string sender_localpart;
    std::vector<Namespace> users;
    std::vector<Namespace> aliases;
    std::vector<Namespace> rooms;
    bool rate_limited = false;
    bool receive_ephemeral = false;  // receive_ephemeral or de.sorunome.msc2409.push_ephemeral
    bool msc3202 = false;            // org.matrix.msc3202: device lists and OTK counts
    std::vector<std::string> protocols;
    std::string source;  // file path, or "api" for run-time registrations

    // The appservice's own user: @sender_localpart:server_name.
    std::string sender_user_id(std::string_view server_name) const;

    bool is_interested_in_user(std::string_view user_id, std::string_view server_name) const;
    bool is_exclusive_user(std::string_view user_id) const;
};

struct ParseResult
{
    std::shared_ptr<const Registration> registration;  // null if problems is not empty
    std::vector<std::string> problems;                 // each names its key
};

// Parses a registration from YAML (JSON is YAML too). `source` goes into problems and into
// the result.
ParseResult parse_registration_yaml(std::string_view text, std::string source);
ParseResult parse_registration_file(const std::string& path);

// The registration as the standard JSON object (what the operator API returns and what is
// persisted for run-time registrations).
nlohmann::json to_json(const Registration& registration);

} // namespace ravenous::appservice
