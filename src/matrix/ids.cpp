#include "ravenous/matrix/ids.hpp"

#include <algorithm>
#include <cctype>

namespace ravenous::matrix {

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_historical_localpart_char(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x21 && u <= 0x7E && c != ':';
}

bool is_valid_port(std::string_view port)
{
    return !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), is_digit);
}

bool is_valid_ipv6_literal(std::string_view text)
{
    // "[" 2*45IPv6char "]", IPv6char = DIGIT / %x41-46 / %x61-66 / ":" / "."
    if (text.size() < 4 || text.front() != '[' || text.back() != ']' || text.size() > 47)
        return false;
    auto inner = text.substr(1, text.size() - 2);
    return std::all_of(inner.begin(), inner.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
}

bool is_valid_dns_name(std::string_view host)
{
    // Covers IPv4 literals too (digits and dots).
    if (host.empty() || host.size() > 255)
        return false;
    return std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
    });
}

bool is_printable_opaque(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x21 && u <= 0x7E;
    });
}
} // namespace

bool is_valid_server_name(std::string_view text)
{
    std::string_view host = text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return false;
        host = text.substr(0, close + 1);
        auto rest = text.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !is_valid_port(rest.substr(1))))
            return false;
        return is_valid_ipv6_literal(host);
    }
    if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
        if (!is_valid_port(text.substr(colon + 1)))
            return false;
        host = text.substr(0, colon);
    }
    return is_valid_dns_name(host);
}

std::optional<UserId> parse_user_id(std::string_view text)
{
    if (text.size() < 4 || text.size() > max_user_id_length || text.front() != '@')
        return std::nullopt;
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 1)
        return std::nullopt;
    auto localpart = text.substr(1, colon - 1);
    auto server = text.substr(colon + 1);
    if (!std::all_of(localpart.begin(), localpart.end(), is_historical_localpart_char))
        return std::nullopt;
    if (!is_valid_server_name(server))
        return std::nullopt;
    return UserId{std::string(localpart), std::string(server)};
}

bool is_valid_user_id(std::string_view text)
{
    return parse_user_id(text).has_value();
}

bool is_valid_new_localpart(std::string_view localpart)
{
    return !localpart.empty() && std::all_of(localpart.begin(), localpart.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '=' ||
               c == '-' || c == '/' || c == '+';
    });
}

bool is_valid_device_id(std::string_view text)
{
    return !text.empty() && text.size() <= 255 && is_printable_opaque(text);
}

bool is_valid_room_id(std::string_view text)
{
    if (text.size() < 2 || text.size() > 255 || text.front() != '!')
        return false;
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)  // room version 12 style: no server part
        return is_printable_opaque(text.substr(1));
    return colon > 1 && is_printable_opaque(text.substr(1, colon - 1)) &&
           is_valid_server_name(text.substr(colon + 1));
}

bool is_valid_event_id(std::string_view text)
{
    return text.size() >= 2 && text.size() <= 255 && text.front() == '$' &&
           is_printable_opaque(text.substr(1));
}

} // namespace ravenous::matrix
