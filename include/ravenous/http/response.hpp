#pragma once

#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ravenous::matrix {
class MatrixError;
}

namespace ravenous::http {

struct WebSocketUpgrade;

class Response
{
public:
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra headers
    // Set: the session answers the WebSocket handshake instead (http/websocket.hpp).
    std::shared_ptr<const WebSocketUpgrade> upgrade;

    static Response json(const nlohmann::json& body, int status = 200);
    static Response text(std::string body, int status = 200,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response empty(int status = 204);
    // 101: the connection becomes a WebSocket served by `upgrade`.
    static Response websocket(std::shared_ptr<const WebSocketUpgrade> upgrade);

    // The one place a Matrix error becomes a response.
    static Response error(const matrix::MatrixError& error);
    // A generic 500 M_UNKNOWN: internal details never reach a client.
    static Response internal_error();
};

} // namespace ravenous::http
