#pragma once

#include <chrono>
#include <string>
#include <string_view>

// One line per request: method, target (secrets redacted), status, duration, request id,
// remote address. Never the Authorization header, never an access_token value.
namespace ravenous::http::access_log {

struct Entry
{
    std::string_view method;
    std::string_view target; // raw, as received; redacted before it is written
    int status = 0;
    std::chrono::steady_clock::duration elapsed{};
    std::string_view request_id;
    std::string_view remote_address;
};

void write(const Entry& entry);

// The target as it may be logged: the value of every access_token query parameter replaced
// by "<redacted>", and bytes that are not printable ASCII percent-encoded.
std::string redact_target(std::string_view target);

} // namespace ravenous::http::access_log
