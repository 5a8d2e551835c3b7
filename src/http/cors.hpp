#pragma once

#include "ravenous/http/request.hpp"
#include "ravenous/http/response.hpp"

#include <string_view>
#include <utility>
#include <vector>

// CORS for browser clients (Element Web, Hydrogen): the same permissive headers Synapse sends.
namespace ravenous::http::cors {

// The headers every response carries.
const std::vector<std::pair<std::string_view, std::string_view>>& headers();

// The answer to an OPTIONS request (a preflight), whatever its path: 200 "{}" as Synapse's
// JSON resources answer, with an Allow header when the path is known.
Response preflight(const std::vector<Method>& allowed);

// "GET, HEAD, PUT" for an Allow header.
std::string allow_header(const std::vector<Method>& allowed);

} // namespace ravenous::http::cors
