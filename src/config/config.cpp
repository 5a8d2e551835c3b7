// YAML -> Config, then validation. Every problem is collected, so an operator fixes a config
// file in one round instead of one error per restart.

#include "ravenous/config/config.hpp"

#include "config/loader.hpp"
#include "ravenous/matrix/ids.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace ravenous::config {

namespace detail {

namespace {

constexpr unsigned max_worker_threads = 1024;

std::string kind_of(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Null:
        return "null";
    default:
        return "a scalar";
    }
}

// A scalar key's value as text; null reads as "" (unset, or "must not be empty" later).
std::optional<std::string> scalar_text(Draft& draft, std::string_view key, const YAML::Node& node)
{
    if (node.IsNull()) {
        return std::string();
    }
    if (!node.IsScalar()) {
        draft.problem(key, "expected a single value, got " + kind_of(node));
        return std::nullopt;
    }
    return node.Scalar();
}

void read_scalar(Draft& draft, std::string_view key, const YAML::Node& node)
{
    if (auto text = scalar_text(draft, key, node)) {
        find_scalar_key(key)->apply(draft, *text, std::string(key));
    }
}

void read_app_service_files(Draft& draft, const YAML::Node& node)
{
    constexpr std::string_view key = "app_service_config_files";
    draft.config.app_service_config_files.clear();
    if (node.IsNull()) {
        return;
    }
    if (!node.IsSequence()) {
        draft.problem(key, "expected a list of file paths, got " + kind_of(node));
        return;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        if (!node[i].IsScalar()) {
            draft.problems.push_back(std::string(key) + "[" + std::to_string(i) +
                                     "]: expected a file path, got " + kind_of(node[i]));
            continue;
        }
        draft.config.app_service_config_files.push_back(node[i].Scalar());
    }
}

// Reads a mapping's keys in order, reporting duplicates and keys that are not strings.
// `section` is "" at the top level, else the mapping's key ("owner").
template <typename Visit>
void for_each_key(Draft& draft, const YAML::Node& map, const std::string& section, Visit visit)
{
    const std::string prefix = section.empty() ? "" : section + ".";
    std::set<std::string> seen;
    for (const auto& entry : map) {
        if (!entry.first.IsScalar()) {
            draft.problems.push_back((section.empty() ? "" : section + ": ") +
                                     "a key must be a string, got " + kind_of(entry.first));
            continue;
        }
        const std::string& name = entry.first.Scalar();
        if (!seen.insert(name).second) {
            draft.problems.push_back("duplicate key '" + prefix + name + "'");
            continue;
        }
        visit(name, entry.second);
    }
}

void read_owner(Draft& draft, const YAML::Node& node)
{
    if (node.IsNull()) {
        return;
    }
    if (!node.IsMap()) {
        draft.problem("owner", "expected a mapping (user_id, password or password_hash), got " +
                                   kind_of(node));
        return;
    }
    // Present but without user_id would silently fall back to @admin:localhost.
    draft.config.owner.user_id.clear();
    for_each_key(draft, node, "owner", [&](const std::string& name, const YAML::Node& value) {
        std::string key = "owner." + name;
        if (find_scalar_key(key) == nullptr) {
            draft.problems.push_back("unknown key '" + key + "'");
            return;
        }
        read_scalar(draft, key, value);
    });
}

bool is_http_url(std::string_view url)
{
    for (std::string_view scheme : {"http://", "https://"}) {
        if (url.starts_with(scheme) && url.size() > scheme.size() && url[scheme.size()] != '/') {
            return true;
        }
    }
    return false;
}

bool has_space_or_control(std::string_view text)
{
    return std::any_of(text.begin(), text.end(),
                       [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

} // namespace

void apply_yaml(Draft& draft, const std::string& yaml_text)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        draft.problems.push_back("YAML syntax error at line " + std::to_string(e.mark.line + 1) +
                                 ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
        return;
    }
    if (root.IsNull()) {
        return; // an empty file: all defaults
    }
    if (!root.IsMap()) {
        draft.problems.push_back("the configuration must be a mapping of keys to values, got " +
                                 kind_of(root));
        return;
    }
    for_each_key(draft, root, "", [&](const std::string& name, const YAML::Node& value) {
        if (name == "owner") {
            read_owner(draft, value);
        } else if (name == "app_service_config_files") {
            read_app_service_files(draft, value);
        } else if (name.find('.') == std::string::npos && find_scalar_key(name) != nullptr) {
            read_scalar(draft, name, value);
        } else {
            draft.problems.push_back("unknown key '" + name + "'");
        }
    });
}

void validate(Draft& draft)
{
    const Config& c = draft.config;
    if (c.server_name.empty()) {
        draft.problem("server_name", "must not be empty");
    } else if (!matrix::is_valid_server_name(c.server_name)) {
        draft.problem("server_name", "'" + c.server_name + "' is not a valid server name");
    }
    if (!c.public_baseurl.empty() && !is_http_url(c.public_baseurl)) {
        draft.problem("public_baseurl",
                      "'" + c.public_baseurl + "' is not an http:// or https:// URL");
    }
    if (c.database_path.empty()) {
        draft.problem("database_path", "must not be empty");
    }
    if (c.media_store_path.empty()) {
        draft.problem("media_store_path", "must not be empty");
    }
    for (std::size_t i = 0; i < c.app_service_config_files.size(); ++i) {
        if (c.app_service_config_files[i].empty()) {
            draft.problems.push_back(draft.label("app_service_config_files") + "[" +
                                     std::to_string(i) + "]: must not be empty");
        }
    }
    if (!is_log_level_name(c.log_level)) {
        draft.problem("log_level", "'" + c.log_level +
                                       "' is not a log level (trace, debug, info, warn, error, "
                                       "critical, off)");
    }
    if (c.owner.user_id.empty()) {
        draft.problem("owner.user_id", "is required");
    } else if (!matrix::parse_user_id(c.owner.user_id)) {
        draft.problem("owner.user_id", "'" + c.owner.user_id +
                                           "' is not a valid user id (expected @localpart:server)");
    }
    // Secrets are never echoed: problems end up in logs.
    if (c.owner.password && c.owner.password_hash) {
        draft.problems.push_back(draft.label("owner.password") + " and " +
                                 draft.label("owner.password_hash") +
                                 " are mutually exclusive: set one of them");
    }
    if (c.owner.password_hash && !c.owner.password_hash->starts_with("$argon2id$")) {
        draft.problem("owner.password_hash",
                      "is not an Argon2id hash (libsodium's crypto_pwhash_str format, starting "
                      "with $argon2id$)");
    }
    if (has_space_or_control(c.admin_token)) {
        draft.problem("admin_token", "must not contain spaces or control characters");
    }
    if (c.worker_threads > max_worker_threads) {
        draft.problem("worker_threads", std::to_string(c.worker_threads) +
                                            " is too many (at most " +
                                            std::to_string(max_worker_threads) + ")");
    }
    if (c.appservice_websocket_ack_timeout_ms == 0) {
        draft.problem("appservice_websocket_ack_timeout_ms", "must be greater than 0");
    }
    if (c.appservice_websocket_request_timeout_ms == 0) {
        draft.problem("appservice_websocket_request_timeout_ms", "must be greater than 0");
    }
}

} // namespace detail

namespace {

LoadResult finish(detail::Draft& draft, const Environment& env)
{
    detail::apply_environment(draft, env);
    detail::validate(draft);
    return LoadResult{std::move(draft.config), std::move(draft.problems)};
}

} // namespace

LoadResult load_yaml(const std::string& yaml_text, const Environment& env)
{
    detail::Draft draft;
    try {
        detail::apply_yaml(draft, yaml_text);
        return finish(draft, env);
    } catch (const std::exception& e) {
        // yaml-cpp can throw from conversions we did not foresee; callers rely on no throw.
        return LoadResult{Config{}, {std::string("cannot load the configuration: ") + e.what()}};
    }
}

LoadResult load_file(const std::string& path, const Environment& env)
{
    std::error_code ec;
    bool is_directory = std::filesystem::is_directory(path, ec);
    std::ifstream file;
    if (!is_directory) {
        file.open(path, std::ios::binary);
    }
    if (is_directory || !file) {
        int error = is_directory ? EISDIR : errno;
        detail::Draft draft;
        draft.problems.push_back("config file '" + path + "': cannot be read (" +
                                 std::strerror(error) + ")");
        try {
            return finish(draft, env);
        } catch (const std::exception& e) {
            return LoadResult{Config{}, {draft.problems.front(), e.what()}};
        }
    }
    std::ostringstream text;
    text << file.rdbuf();
    return load_yaml(text.str(), env);
}

LoadResult load_default(const Environment& env)
{
    return load_yaml(default_yaml(), env);
}

std::string Config::base_url() const
{
    if (!public_baseurl.empty()) {
        std::string_view url = public_baseurl;
        while (url.ends_with('/')) {
            url.remove_suffix(1);
        }
        return std::string(url);
    }
    // A wildcard bind address is not somewhere a client can connect to.
    std::string host = listen_host;
    if (host == "0.0.0.0") {
        host = "127.0.0.1";
    } else if (host == "::") {
        host = "localhost";
    } else if (host.find(':') != std::string::npos) {
        host = "[" + host + "]";
    }
    return "http://" + host + ":" + std::to_string(listen_port);
}

} // namespace ravenous::config
