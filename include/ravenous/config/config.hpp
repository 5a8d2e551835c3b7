#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::config {

struct Owner
{
    std::string user_id;
    // Exactly one of these is set after loading; neither means "generate one at first start".
    std::optional<std::string> password;
    std::optional<std::string> password_hash;
};

// The whole configuration. Key names follow Synapse's wherever Synapse has one.
struct Config
{
    std::string server_name = "localhost";
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8008;
    std::string public_baseurl;  // empty: derived from listen
    std::string database_path = "ravenous-data/ravenous.db";
    std::string media_store_path = "ravenous-data/media";
    std::vector<std::string> app_service_config_files;
    std::uint64_t max_upload_size = 50ull * 1024 * 1024;
    std::string log_level = "info";
    Owner owner{"@admin:localhost", std::nullopt, std::nullopt};
    std::string admin_token;  // empty: the operator API is disabled
    unsigned worker_threads = 0;  // network threads; 0 = one per core
    // WebSocket bridges (fi.mau.as_sync): how long a transaction's first send waits for the
    // bridge's acknowledgement, and how long a resend or an operator's request waits.
    unsigned appservice_websocket_ack_timeout_ms = 5000;
    unsigned appservice_websocket_request_timeout_ms = 30000;

    // Base URL clients should use (well-known, start-up banner).
    std::string base_url() const;
};

// Every problem found, each naming its key; empty means valid.
struct LoadResult
{
    Config config;
    std::vector<std::string> problems;
    bool ok() const { return problems.empty(); }
};

// Environment lookup, injectable for tests.
using Environment = std::vector<std::pair<std::string, std::string>>;
Environment process_environment();

// Loads YAML text, then applies RAVENOUS_* environment overrides, then validates.
LoadResult load_yaml(const std::string& yaml_text, const Environment& env);
// Loads the file at path (a missing or unreadable file is a problem, not an exception).
LoadResult load_file(const std::string& path, const Environment& env);
// The embedded default configuration (with the environment applied).
LoadResult load_default(const Environment& env);

// The YAML text of the embedded default.
const std::string& default_yaml();

} // namespace ravenous::config
