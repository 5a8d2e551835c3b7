// The configuration used when no file is given. It is also what `ravenous` can print for an
// operator to start from, so it is commented like a real file.

#include "ravenous/config/config.hpp"

namespace ravenous::config {

const std::string& default_yaml()
{
    static const std::string text = R"yaml(# Ravenous configuration (the built-in default).
# Every key can be overridden by an environment variable named RAVENOUS_<KEY>, for example
# RAVENOUS_SERVER_NAME or RAVENOUS_OWNER_PASSWORD. See config/ravenous.example.yaml.

# The domain in every user id (@user:server_name) and room id. Choose it before the first
# start: it cannot be changed once users and rooms exist.
server_name: localhost

# Address and port to listen on, as host:port (IPv6 as [::1]:8008).
listen: 127.0.0.1:8008

# The URL clients use to reach this server. Empty: derived from `listen`.
public_baseurl: ""

# The SQLite database and the media files. Relative paths are relative to the working
# directory.
database_path: ravenous-data/ravenous.db
media_store_path: ravenous-data/media

# Largest media upload, in bytes or with a K, M, G or T suffix (powers of 1024).
max_upload_size: 50M

# Application service registration files (bridges), loaded at start-up.
app_service_config_files: []

# trace, debug, info, warn, error, critical or off.
log_level: info

# The one person this server is for. Without password or password_hash, a password is
# generated at the first start and printed once.
owner:
  user_id: "@admin:localhost"

# Bearer token for the operator API. Empty: the operator API is off.
admin_token: ""

# Network threads; 0 means one per CPU core.
worker_threads: 0

# Bridges connected over a WebSocket: how long a transaction's first send waits for the
# bridge's acknowledgement, and how long a resend or an operator's request to the bridge waits
# (milliseconds). 7 unacknowledged transactions in a row close the connection.
appservice_websocket_ack_timeout_ms: 5000
appservice_websocket_request_timeout_ms: 30000
)yaml";
    return text;
}

} // namespace ravenous::config
