#include "ravenous/http/response.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

namespace ravenous::http {

Response Response::json(const nlohmann::json& body, int status)
{
    Response response;
    response.status = status;
    response.body = matrix::json::dump(body);
    return response;
}

Response Response::text(std::string body, int status, std::string content_type)
{
    Response response;
    response.status = status;
    response.content_type = std::move(content_type);
    response.body = std::move(body);
    return response;
}

Response Response::empty(int status)
{
    Response response;
    response.status = status;
    response.content_type.clear();
    return response;
}

Response Response::websocket(std::shared_ptr<const WebSocketUpgrade> upgrade)
{
    Response response = empty(101);
    response.upgrade = std::move(upgrade);
    return response;
}

Response Response::error(const matrix::MatrixError& error)
{
    return json(error.body(), error.status());
}

Response Response::internal_error()
{
    return json({{"errcode", "M_UNKNOWN"}, {"error", "Internal server error"}}, 500);
}

} // namespace ravenous::http
