#pragma once

// URL helpers for building request targets in tests and the benchmark.

#include <cctype>
#include <string>
#include <string_view>

namespace ravenous::test {

// Percent-encodes everything but RFC 3986's unreserved characters (path segments, queries).
inline std::string url_encode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace ravenous::test
