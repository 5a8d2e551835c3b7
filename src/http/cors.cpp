#include "cors.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::http::cors {

const std::vector<std::pair<std::string_view, std::string_view>>& headers()
{
    static const std::vector<std::pair<std::string_view, std::string_view>> list{
        {"Access-Control-Allow-Origin", "*"},
        {"Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH"},
        {"Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization, Date"},
    };
    return list;
}

Response preflight(const std::vector<Method>& allowed)
{
    Response response = Response::json(nlohmann::json::object(), 200);
    if (!allowed.empty()) {
        auto methods = allowed;
        methods.push_back(Method::OPTIONS);
        response.headers.emplace_back("Allow", allow_header(methods));
    }
    return response;
}

std::string allow_header(const std::vector<Method>& allowed)
{
    std::string value;
    for (const Method method : allowed) {
        if (!value.empty())
            value += ", ";
        value += to_string(method);
    }
    return value;
}

} // namespace ravenous::http::cors
