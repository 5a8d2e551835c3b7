#pragma once

#include <nlohmann/json_fwd.hpp>

#include <exception>
#include <memory>
#include <string>
#include <string_view>

namespace ravenous::matrix {

// Error codes spelled exactly as the Matrix specification spells them.
enum class ErrCode
{
    M_FORBIDDEN,
    M_UNKNOWN_TOKEN,
    M_MISSING_TOKEN,
    M_USER_LOCKED,
    M_USER_SUSPENDED,
    M_BAD_JSON,
    M_NOT_JSON,
    M_NOT_FOUND,
    M_LIMIT_EXCEEDED,
    M_UNRECOGNIZED,
    M_UNKNOWN,
    M_UNAUTHORIZED,
    M_USER_DEACTIVATED,
    M_USER_IN_USE,
    M_INVALID_USERNAME,
    M_ROOM_IN_USE,
    M_INVALID_ROOM_STATE,
    M_UNSUPPORTED_ROOM_VERSION,
    M_INCOMPATIBLE_ROOM_VERSION,
    M_BAD_STATE,
    M_GUEST_ACCESS_FORBIDDEN,
    M_MISSING_PARAM,
    M_INVALID_PARAM,
    M_TOO_LARGE,
    M_EXCLUSIVE,
    M_RESOURCE_LIMIT_EXCEEDED,
    M_CANNOT_LEAVE_SERVER_NOTICE_ROOM,
    M_WEAK_PASSWORD,
    M_BAD_ALIAS,
    M_DUPLICATE_ANNOTATION,
    M_NOT_YET_UPLOADED,
    M_CANNOT_OVERWRITE_MEDIA,
    M_UNKNOWN_POS,
    M_UNKNOWN_DEVICE,
    M_CONNECTION_FAILED,
    M_CONNECTION_TIMEOUT,
    M_BAD_STATUS,
    M_URL_NOT_SET,
};

std::string_view to_string(ErrCode code);

// The HTTP status an error code carries unless the thrower says otherwise.
int default_status(ErrCode code);

// The one exception type for client-visible errors. Rendered once, centrally, as
// {"errcode": "...", "error": "...", ...extra}.
class MatrixError : public std::exception
{
public:
    MatrixError(ErrCode code, std::string message);
    MatrixError(int status, ErrCode code, std::string message);

    // Adds a field to the rendered body (retry_after_ms, soft_logout, UIA flows...).
    MatrixError& with(std::string key, const nlohmann::json& value);

    int status() const noexcept { return status_; }
    ErrCode code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }
    const char* what() const noexcept override { return message_.c_str(); }

    // The JSON body: errcode, error and the extra fields.
    nlohmann::json body() const;

private:
    int status_;
    ErrCode code_;
    std::string message_;
    std::shared_ptr<const nlohmann::json> extra_;
};

// Factories, one per error a handler or service throws: `throw errors::forbidden("...")`.
namespace errors {
MatrixError forbidden(std::string message);
MatrixError unknown_token(std::string message = "Unrecognised access token");
MatrixError missing_token(std::string message = "Missing access token");
MatrixError bad_json(std::string message);
MatrixError not_json(std::string message = "Content not JSON.");
MatrixError not_found(std::string message);
MatrixError unrecognized(std::string message = "Unrecognized request");
MatrixError method_not_allowed(std::string message = "Unrecognized request: method not allowed");
MatrixError missing_param(std::string message);
MatrixError invalid_param(std::string message);
MatrixError too_large(std::string message);
MatrixError limit_exceeded(std::string message, long long retry_after_ms);
MatrixError user_in_use(std::string message = "User ID already taken.");
MatrixError invalid_username(std::string message);
MatrixError exclusive(std::string message);
MatrixError unknown(std::string message);
MatrixError unsupported_room_version(std::string message);
MatrixError user_deactivated(std::string message = "This account has been deactivated");
} // namespace errors

} // namespace ravenous::matrix
