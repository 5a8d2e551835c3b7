#include "access_log.hpp"

#include "ravenous/http/request.hpp"

#include <spdlog/spdlog.h>

namespace ravenous::http::access_log {

namespace {

constexpr std::string_view redacted = "<redacted>";

// Keys whose values are secrets; compared after percent-decoding the key.
bool is_secret_key(std::string_view raw_key)
{
    const auto key = percent_decode(raw_key, true);
    return !key || *key == "access_token";
}

void append_printable(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte > 0x20 && byte < 0x7f) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(hex[byte >> 4]);
            out.push_back(hex[byte & 0x0f]);
        }
    }
}

} // namespace

std::string redact_target(std::string_view target)
{
    std::string out;
    out.reserve(target.size());
    const auto question = target.find('?');
    append_printable(out, target.substr(0, question));
    if (question == std::string_view::npos)
        return out;

    out.push_back('?');
    std::string_view rest = target.substr(question + 1);
    bool first = true;
    while (true) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        if (!first)
            out.push_back('&');
        first = false;
        const auto equals = pair.find('=');
        const std::string_view key = pair.substr(0, equals);
        append_printable(out, key);
        if (equals != std::string_view::npos) {
            out.push_back('=');
            if (is_secret_key(key))
                out.append(redacted);
            else
                append_printable(out, pair.substr(equals + 1));
        }
        if (amp == std::string_view::npos)
            break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

void write(const Entry& entry)
{
    const double ms = std::chrono::duration<double, std::milli>(entry.elapsed).count();
    std::string method;
    append_printable(method, entry.method);
    spdlog::info("{} {} {} {:.1f}ms id={} remote={}", method, redact_target(entry.target),
                 entry.status, ms, entry.request_id, entry.remote_address);
}

} // namespace ravenous::http::access_log
