#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ravenous::appservice {

class Pattern;  // a compiled PCRE2 regex (namespaces.cpp)

// One namespace entry. Bridges write the regexes for Python's `re`, and Synapse applies them
// with re.match: anchored at the start of the id, not at its end ("@whatsapp_.+" covers
// "@whatsapp_1:beeper.local"). PCRE2 reads Python's syntax ((?P<name>...) included).
struct Namespace
{
    std::string regex;  // as written in the registration
    bool exclusive = false;
    std::shared_ptr<const Pattern> pattern;  // immutable, shared by copies

    Namespace() = default;
    // Compiles `regex`; throws std::invalid_argument with PCRE2's message and offset.
    Namespace(std::string regex, bool exclusive);

    bool matches(std::string_view id) const;
};

// What a registration made through the bridge-manager API (Beeper's Hungryserv, as bbctl
// calls it) carries beyond the standard keys.
struct BridgeManagerInfo
{
    std::string username;  // the owner's localpart, as in the path
    std::string bridge;
    std::optional<std::string> address;  // as sent, even when push is false
    bool push = false;                   // false: the bridge connects over a WebSocket
    bool self_hosted = false;
};

// Per-registration memo of namespace results per user id: the pusher asks about the same few
// thousand puppets for every event. Bounded (cleared when full), thread-safe, and empty in a
// copy (a copied registration may be given other namespaces before it is shared).
class UserMatchCache
{
public:
    struct Result
    {
        bool any = false;        // some users namespace matches
        bool exclusive = false;  // some exclusive users namespace matches
    };
    static constexpr std::size_t max_entries = 100'000;

    UserMatchCache() = default;
    UserMatchCache(const UserMatchCache&) {}
    UserMatchCache& operator=(const UserMatchCache&);

    std::optional<Result> find(std::string_view user_id) const;
    void store(std::string_view user_id, Result result) const;
    std::size_t size() const;

private:
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept;
    };
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, Result, Hash, std::equal_to<>> entries_;
};

// Where run-time registrations (operator API and bridge-manager API) come from.
inline constexpr std::string_view runtime_source = "api";

// One appservice registration (the spec's registration file, plus the unstable keys bridges
// use). Immutable once shared (the registry hands out shared_ptr<const Registration>).
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
    std::string source;  // file path, or runtime_source for run-time registrations
    std::optional<BridgeManagerInfo> bridge_manager;  // made through the bridge-manager API

    // The appservice's own user: @sender_localpart:server_name.
    std::string sender_user_id(std::string_view server_name) const;

    bool is_interested_in_user(std::string_view user_id, std::string_view server_name) const;
    bool is_exclusive_user(std::string_view user_id) const;
    bool matches_alias(std::string_view alias) const;
    bool matches_room_id(std::string_view room_id) const;

    // Transactions go to `url` over HTTP: it is an http(s) URL, and a bridge-manager
    // registration asked for push (the others connect over a WebSocket).
    bool pushes_over_http() const;
    // Transactions go to the bridge over a WebSocket it opens (fi.mau.as_sync): the url is
    // absent, empty or "websocket" (bbctl reads the last two alike), or a bridge-manager
    // registration asked for no push.
    bool delivers_over_websocket() const;
    bool from_file() const { return source != runtime_source; }

    UserMatchCache user_matches;

private:
    UserMatchCache::Result match_user(std::string_view user_id) const;
};

struct ParseResult
{
    std::shared_ptr<const Registration> registration;  // null if problems is not empty
    std::vector<std::string> problems;                 // each names its key
    bool syntax_error = false;  // the text is not YAML/JSON at all (or not a mapping)
};

// Parses a registration from YAML (JSON is YAML too). `source` goes into problems and into
// the result. `default_id` stands in for an absent "id" (the operator API's path id).
ParseResult parse_registration_yaml(std::string_view text, std::string source,
                                    std::string_view default_id = {});
ParseResult parse_registration_file(const std::string& path);
// A registration as stored by the run-time APIs (to_stored_json), private keys included.
ParseResult parse_stored_registration(std::string_view json_text);

// The registration as the standard JSON object (what the operator and bridge-manager APIs
// return).
nlohmann::json to_json(const Registration& registration);
nlohmann::json to_json(const BridgeManagerInfo& info);
// to_json plus what only Ravenous reads back (the bridge-manager details): what is persisted.
nlohmann::json to_stored_json(const Registration& registration);

} // namespace ravenous::appservice
