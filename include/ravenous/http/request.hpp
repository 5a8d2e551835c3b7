#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::http {

enum class Method
{
    GET,
    HEAD,
    POST,
    PUT,
    DELETE,
    PATCH,
    OPTIONS,
    OTHER
};
std::string_view to_string(Method method);
Method method_from_string(std::string_view text);

// A parsed request, independent of Beast: what routing and handlers see.
class Request
{
public:
    Method method = Method::GET;
    std::string target; // raw request target, as received
    std::string path;   // raw path (no query), still percent-encoded
    std::vector<std::pair<std::string, std::string>> query;       // decoded
    std::vector<std::pair<std::string, std::string>> headers;     // names lower-cased
    std::vector<std::pair<std::string, std::string>> path_params; // decoded, by template name
    std::string body;
    std::string remote_address;
    std::string request_id;

    // Header value by case-insensitive name (the first, if repeated).
    std::optional<std::string_view> header(std::string_view name) const;
    // First query value by name.
    std::optional<std::string_view> query_param(std::string_view name) const;
    // Path parameter by template name; throws std::out_of_range if the template has none.
    const std::string& path_param(std::string_view name) const;
};

// Splits an origin-form target ("/path?query") into the raw path and the decoded query
// parameters (in order, duplicates kept). False if the target does not start with '/' or a
// query key or value has a malformed escape or decodes to invalid UTF-8.
bool parse_target(std::string_view target, std::string& path,
                  std::vector<std::pair<std::string, std::string>>& query);

// Percent-decodes (and, in query strings, '+' to space). nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

} // namespace ravenous::http
