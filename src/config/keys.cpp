// The settable keys and the grammars of their values, shared by the YAML reader and the
// environment overrides.

#include "config/loader.hpp"
#include "ravenous/matrix/ids.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <limits>

namespace ravenous::config::detail {

std::string Draft::label(std::string_view key) const
{
    auto it = origins.find(key);
    return it != origins.end() ? it->second : std::string(key);
}

void Draft::set_origin(std::string_view key, std::string label)
{
    origins[std::string(key)] = std::move(label);
}

void Draft::problem(std::string_view key, std::string_view message)
{
    problems.push_back(label(key) + ": " + std::string(message));
}

namespace {

void report(Draft& draft, const std::string& label, std::string_view message)
{
    draft.problems.push_back(label + ": " + std::string(message));
}

std::string quoted(std::string_view value)
{
    return "'" + std::string(value) + "'";
}

std::optional<std::string> optional_string(std::string_view value)
{
    if (value.empty()) {
        return std::nullopt;
    }
    return std::string(value);
}

bool is_ipv4(const std::string& host)
{
    in_addr addr{};
    return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6(const std::string& host)
{
    in6_addr addr{};
    return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

template <unsigned Config::*field>
void set_unsigned(Draft& d, std::string_view v, const std::string& label)
{
    std::string error;
    if (auto n = parse_unsigned(v, error)) {
        d.config.*field = *n;
    } else {
        report(d, label, error);
    }
}

const std::vector<KeySetter> keys = {
    {"server_name",
     [](Draft& d, std::string_view v, const std::string&) { d.config.server_name = v; }},
    {"listen",
     [](Draft& d, std::string_view v, const std::string& label) {
         std::string error;
         if (auto parsed = parse_listen(v, error)) {
             d.config.listen_host = parsed->first;
             d.config.listen_port = parsed->second;
         } else {
             report(d, label, error);
         }
     }},
    {"public_baseurl",
     [](Draft& d, std::string_view v, const std::string&) {
         // Kept without a trailing slash: callers append "/_matrix/...".
         while (!v.empty() && v.back() == '/') {
             v.remove_suffix(1);
         }
         d.config.public_baseurl = v;
     }},
    {"database_path",
     [](Draft& d, std::string_view v, const std::string&) { d.config.database_path = v; }},
    {"media_store_path",
     [](Draft& d, std::string_view v, const std::string&) { d.config.media_store_path = v; }},
    {"max_upload_size",
     [](Draft& d, std::string_view v, const std::string& label) {
         std::string error;
         if (auto size = parse_size(v, error)) {
             d.config.max_upload_size = *size;
         } else {
             report(d, label, error);
         }
     }},
    {"log_level",
     [](Draft& d, std::string_view v, const std::string&) {
         std::string level(v);
         std::transform(level.begin(), level.end(), level.begin(),
                        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
         d.config.log_level = std::move(level);
     }},
    {"owner.user_id",
     [](Draft& d, std::string_view v, const std::string&) { d.config.owner.user_id = v; }},
    {"owner.password", [](Draft& d, std::string_view v,
                          const std::string&) { d.config.owner.password = optional_string(v); }},
    {"owner.password_hash",
     [](Draft& d, std::string_view v, const std::string&) {
         d.config.owner.password_hash = optional_string(v);
     }},
    {"admin_token",
     [](Draft& d, std::string_view v, const std::string&) { d.config.admin_token = v; }},
    {"worker_threads", &set_unsigned<&Config::worker_threads>},
    {"appservice_websocket_ack_timeout_ms",
     &set_unsigned<&Config::appservice_websocket_ack_timeout_ms>},
    {"appservice_websocket_request_timeout_ms",
     &set_unsigned<&Config::appservice_websocket_request_timeout_ms>},
};

} // namespace

const std::vector<KeySetter>& scalar_keys()
{
    return keys;
}

const KeySetter* find_scalar_key(std::string_view key)
{
    auto it = std::find_if(keys.begin(), keys.end(), [&](const auto& k) { return k.key == key; });
    return it == keys.end() ? nullptr : &*it;
}

std::string environment_variable(std::string_view key)
{
    std::string name = "RAVENOUS_";
    for (char c : key) {
        name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name;
}

std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text,
                                                                  std::string& error)
{
    const std::string usage = quoted(text) +
                              " is not host:port (for example 127.0.0.1:8008, or [::1]:8008 "
                              "for IPv6)";
    std::string host;
    std::string_view port;
    if (text.starts_with('[')) {
        auto close = text.find(']');
        if (close == std::string_view::npos || text.substr(close + 1, 1) != ":") {
            error = usage;
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        if (!is_ipv6(host)) {
            error = quoted(host) + " is not an IPv6 address";
            return std::nullopt;
        }
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            error = usage;
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string::npos) {
            error = quoted(text) + ": an IPv6 address must be in brackets, as in [::1]:8008";
            return std::nullopt;
        }
        if (host.empty() || (!is_ipv4(host) && !matrix::is_valid_server_name(host))) {
            error = quoted(host) + " is not an IP address or host name";
            return std::nullopt;
        }
    }
    std::string port_error;
    auto number = parse_unsigned(port, port_error);
    if (!number || *number == 0 || *number > 65535) {
        error = quoted(port) + " is not a port number (1-65535)";
        return std::nullopt;
    }
    return std::pair{host, static_cast<std::uint16_t>(*number)};
}

std::optional<std::uint64_t> parse_size(std::string_view text, std::string& error)
{
    // Synapse's suffixes: K, M, G, T are powers of 1024.
    static constexpr std::array<std::pair<char, std::uint64_t>, 4> suffixes{
        {{'K', 1ull << 10}, {'M', 1ull << 20}, {'G', 1ull << 30}, {'T', 1ull << 40}}};
    const std::string invalid =
        quoted(text) + " is not a size (a number of bytes, or a number followed by K, M, G or T)";
    std::string_view digits = text;
    std::uint64_t unit = 1;
    if (!digits.empty()) {
        char last = static_cast<char>(std::toupper(static_cast<unsigned char>(digits.back())));
        for (auto [suffix, multiplier] : suffixes) {
            if (last == suffix) {
                unit = multiplier;
                digits.remove_suffix(1);
            }
        }
    }
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        error = invalid;
        return std::nullopt;
    }
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t value = 0;
    for (char c : digits) {
        auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (max - digit) / 10) {
            error = quoted(text) + " is too large";
            return std::nullopt;
        }
        value = value * 10 + digit;
    }
    if (value > max / unit) {
        error = quoted(text) + " is too large";
        return std::nullopt;
    }
    if (value == 0) {
        error = "must be greater than 0";
        return std::nullopt;
    }
    return value * unit;
}

std::optional<unsigned> parse_unsigned(std::string_view text, std::string& error)
{
    unsigned value = 0;
    bool ok = !text.empty() && text.size() <= 9 &&
              std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (ok) {
        for (char c : text) {
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        return value;
    }
    error = quoted(text) + " is not a non-negative integer";
    return std::nullopt;
}

bool is_log_level_name(std::string_view level)
{
    static constexpr std::array<std::string_view, 7> levels{"trace", "debug",    "info", "warn",
                                                            "error", "critical", "off"};
    return std::find(levels.begin(), levels.end(), level) != levels.end();
}

} // namespace ravenous::config::detail
