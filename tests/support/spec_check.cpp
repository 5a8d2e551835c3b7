// The checks around the validator: one received response as a whole, the generic error shape,
// and where automatic validation reports (see spec_validator.hpp).

#include "support/http_client.hpp"
#include "support/spec_validator.hpp"

#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

namespace ravenous::test {
namespace {

SpecFailureHandler& failure_handler()
{
    static SpecFailureHandler handler = [](const std::string& message) {
        throw std::runtime_error(message);
    };
    return handler;
}

} // namespace

std::string error_shape_problem(const nlohmann::json& body)
{
    static const std::regex errcode_pattern(R"(M_[A-Z0-9_]+|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+)");
    if (!body.is_object()) {
        return "an error body must be a JSON object";
    }
    auto errcode = body.find("errcode");
    if (errcode == body.end() || !errcode->is_string()) {
        return "an error body needs a string \"errcode\"";
    }
    if (!std::regex_match(errcode->get<std::string>(), errcode_pattern)) {
        return "errcode " + errcode->dump() + " is neither M_* nor a namespaced custom code";
    }
    auto error = body.find("error");
    if (error == body.end() || !error->is_string()) {
        return "an error body needs a string \"error\" (a human-readable message)";
    }
    return {};
}

SpecCheck check_response(std::string_view method, std::string_view target,
                         const HttpResponse& response)
{
    std::string_view path = target.substr(0, target.find_first_of("?#"));
    if (method == "HEAD" || method == "OPTIONS") {
        return {true, "not checked: " + std::string(method), false, false};
    }
    bool json_type = response.header("content-type").starts_with("application/json");
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (json_type && body.is_discarded()) {
        return {false, "Content-Type is application/json but the body is not JSON", false, false};
    }
    auto result = SpecValidator::instance().validate(method, path, response.status, body);
    if (result.ok && !result.schema_applied && response.status >= 400 &&
        path.starts_with("/_matrix/")) {
        auto problem = body.is_discarded() ? std::string("an error response must be a JSON object")
                                           : error_shape_problem(body);
        if (!problem.empty()) {
            return {false, problem, false, result.endpoint_known};
        }
    }
    return result;
}

void set_spec_failure_handler(SpecFailureHandler handler)
{
    failure_handler() = std::move(handler);
}

void check_and_report(std::string_view method, std::string_view target,
                      const HttpResponse& response)
{
    auto result = check_response(method, target, response);
    if (!result.ok) {
        constexpr std::size_t max_body = 2000;
        std::string body = response.body.size() > max_body
                               ? response.body.substr(0, max_body) + "...(truncated)"
                               : response.body;
        failure_handler()("response does not match the Matrix spec: " + std::string(method) + " " +
                          std::string(target) + " -> " + std::to_string(response.status) + "\n  " +
                          result.message + "\nbody: " + body);
    }
}

} // namespace ravenous::test
