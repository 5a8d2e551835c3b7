#pragma once

#include "ravenous/http/request.hpp"
#include "ravenous/http/response.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct Route
{
    Method method;
    // "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}": literal segments and
    // {name} segments (one whole path segment each, possibly empty).
    std::string path_template;
    std::size_t max_body;
    Handler handler;
    // Also serve "/_matrix/client/r0/..." for a "/_matrix/client/v3/..." template.
    bool legacy_r0 = true;
};

// Maps (method, path template) to a handler. Generic: knows nothing of Matrix auth or rooms.
// Routes are added before the server starts; the router is then read-only (and thread-safe).
//
// Matching: a literal segment compares exactly with the raw (still encoded) segment; a
// {name} segment takes one whole segment, so "%2F" stays inside its parameter. When several
// templates match, the one with a literal where the others have a parameter (leftmost first)
// wins. HEAD is served by the GET route when no HEAD route exists (the session then sends
// no body).
class Router
{
public:
    // Throws std::invalid_argument for a template not starting with '/' or without handler.
    void add(Route route);

    enum class Outcome
    {
        found,
        not_found,
        method_not_allowed,
        bad_path
    };
    struct Match
    {
        Outcome outcome = Outcome::not_found;
        const Route* route = nullptr;
        std::vector<std::pair<std::string, std::string>> params; // percent-decoded once, here
        // Methods the path accepts (HEAD included when GET is), for method_not_allowed and
        // OPTIONS; empty for not_found.
        std::vector<Method> allowed;
    };
    // `path` is the raw (still percent-encoded) path without the query string.
    Match match(Method method, std::string_view path) const;

    // The largest body any route accepts: the parser's limit before the route is known.
    std::size_t largest_body_limit() const { return largest_body_; }
    const std::vector<Route>& routes() const { return routes_; }

private:
    struct Compiled
    {
        std::vector<std::string> segments; // literal text, or the name of a parameter
        std::vector<bool> is_param;
        std::size_t route_index;
    };
    std::vector<Route> routes_;
    std::vector<Compiled> compiled_;
    std::size_t largest_body_ = 0;
};

} // namespace ravenous::http
