#include "ravenous/http/request.hpp"

#include "ravenous/util/encoding.hpp"

#include <array>
#include <stdexcept>

namespace ravenous::http {

namespace {

constexpr std::array<std::pair<Method, std::string_view>, 7> method_names{{
    {Method::GET, "GET"},
    {Method::HEAD, "HEAD"},
    {Method::POST, "POST"},
    {Method::PUT, "PUT"},
    {Method::DELETE, "DELETE"},
    {Method::PATCH, "PATCH"},
    {Method::OPTIONS, "OPTIONS"},
}};

char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    }
    return true;
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<std::string> decode_query_part(std::string_view part)
{
    auto decoded = percent_decode(part, true);
    if (!decoded || !util::is_valid_utf8(*decoded))
        return std::nullopt;
    return decoded;
}

} // namespace

std::string_view to_string(Method method)
{
    for (const auto& [m, name] : method_names) {
        if (m == method)
            return name;
    }
    return "OTHER";
}

Method method_from_string(std::string_view text)
{
    // Methods are case-sensitive (RFC 9110 section 9.1).
    for (const auto& [m, name] : method_names) {
        if (name == text)
            return m;
    }
    return Method::OTHER;
}

std::optional<std::string_view> Request::header(std::string_view name) const
{
    for (const auto& [key, value] : headers) {
        if (iequals(key, name))
            return std::string_view{value};
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const
{
    for (const auto& [key, value] : query) {
        if (key == name)
            return std::string_view{value};
    }
    return std::nullopt;
}

const std::string& Request::path_param(std::string_view name) const
{
    for (const auto& [key, value] : path_params) {
        if (key == name)
            return value;
    }
    throw std::out_of_range("no path parameter named " + std::string{name});
}

bool parse_target(std::string_view target, std::string& path,
                  std::vector<std::pair<std::string, std::string>>& query)
{
    query.clear();
    const auto question = target.find('?');
    path.assign(target.substr(0, question));
    if (path.empty() || path.front() != '/')
        return false;
    if (question == std::string_view::npos)
        return true;

    std::string_view rest = target.substr(question + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty())
            continue; // "a=1&&b=2"
        const auto equals = pair.find('=');
        auto key = decode_query_part(pair.substr(0, equals));
        auto value = decode_query_part(equals == std::string_view::npos ? std::string_view{}
                                                                        : pair.substr(equals + 1));
        if (!key || !value)
            return false;
        query.emplace_back(std::move(*key), std::move(*value));
    }
    return true;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (text.size() - i < 3) // '%' needs two hex digits after it
                return std::nullopt;
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0)
                return std::nullopt;
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace ravenous::http
