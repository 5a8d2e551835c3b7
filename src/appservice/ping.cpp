#include "ravenous/appservice/ping.hpp"

#include "ravenous/appservice/registration.hpp"
#include "ravenous/http/client.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/util/encoding.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace ravenous::appservice {

namespace {

using matrix::ErrCode;
using matrix::MatrixError;
using Clock = std::chrono::steady_clock;

// A ping's answer is {} by the spec; whatever is larger is not worth reading.
constexpr std::size_t max_answer_body = 64 * 1024;

std::chrono::milliseconds since(Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

MatrixError bad_status(const http::OutboundResponse& answer)
{
    MatrixError error{ErrCode::M_BAD_STATUS,
                      "Ping returned status " + std::to_string(answer.status)};
    error.with("status", answer.status);
    // The body is only a debugging aid, and JSON strings must be UTF-8.
    if (util::is_valid_utf8(answer.body))
        error.with("body", answer.body);
    return error;
}

} // namespace

boost::asio::awaitable<std::chrono::milliseconds> ping(
    boost::asio::any_io_executor executor, std::shared_ptr<const Registration> registration,
    std::optional<std::string> transaction_id, std::chrono::milliseconds timeout)
{
    if (!registration->url)
        throw MatrixError(ErrCode::M_URL_NOT_SET,
                          "Application service doesn't have a URL configured");
    const auto url = http::parse_http_url(*registration->url);
    if (!url)
        throw MatrixError(ErrCode::M_CONNECTION_FAILED,
                          "Cannot reach the application service: only http:// URLs are supported");

    nlohmann::json body = nlohmann::json::object();
    if (transaction_id)
        body["transaction_id"] = *transaction_id;
    http::OutboundRequest request;
    request.method = http::Method::POST;
    request.target = "/_matrix/app/v1/ping";
    request.headers.emplace_back("Authorization", "Bearer " + registration->hs_token);
    request.body = body.dump();
    request.timeout = timeout;

    http::Client client{std::move(executor), *url, max_answer_body};
    const auto start = Clock::now();
    http::OutboundResponse answer;
    try {
        answer = co_await client.send(std::move(request));
    } catch (const http::ClientError& e) {
        spdlog::info("appservice {}: ping failed: {}", registration->id, e.what());
        if (e.timed_out())
            throw MatrixError(ErrCode::M_CONNECTION_TIMEOUT,
                              "Connection to application service timed out");
        throw MatrixError(ErrCode::M_CONNECTION_FAILED,
                          "Connection to application service failed");
    }
    if (answer.status < 200 || answer.status > 299)
        throw bad_status(answer);
    co_return since(start);
}

} // namespace ravenous::appservice
