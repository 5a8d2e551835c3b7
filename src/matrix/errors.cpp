#include "ravenous/matrix/errors.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::matrix {

namespace {
struct CodeInfo
{
    ErrCode code;
    std::string_view name;
    int status;
};

// The one errcode -> (name, default status) table.
constexpr CodeInfo code_table[] = {
    {ErrCode::M_FORBIDDEN, "M_FORBIDDEN", 403},
    {ErrCode::M_UNKNOWN_TOKEN, "M_UNKNOWN_TOKEN", 401},
    {ErrCode::M_MISSING_TOKEN, "M_MISSING_TOKEN", 401},
    {ErrCode::M_USER_LOCKED, "M_USER_LOCKED", 401},
    {ErrCode::M_USER_SUSPENDED, "M_USER_SUSPENDED", 403},
    {ErrCode::M_BAD_JSON, "M_BAD_JSON", 400},
    {ErrCode::M_NOT_JSON, "M_NOT_JSON", 400},
    {ErrCode::M_NOT_FOUND, "M_NOT_FOUND", 404},
    {ErrCode::M_LIMIT_EXCEEDED, "M_LIMIT_EXCEEDED", 429},
    {ErrCode::M_UNRECOGNIZED, "M_UNRECOGNIZED", 404},
    {ErrCode::M_UNKNOWN, "M_UNKNOWN", 400},
    {ErrCode::M_UNAUTHORIZED, "M_UNAUTHORIZED", 401},
    {ErrCode::M_USER_DEACTIVATED, "M_USER_DEACTIVATED", 403},
    {ErrCode::M_USER_IN_USE, "M_USER_IN_USE", 400},
    {ErrCode::M_INVALID_USERNAME, "M_INVALID_USERNAME", 400},
    {ErrCode::M_ROOM_IN_USE, "M_ROOM_IN_USE", 400},
    {ErrCode::M_INVALID_ROOM_STATE, "M_INVALID_ROOM_STATE", 400},
    {ErrCode::M_UNSUPPORTED_ROOM_VERSION, "M_UNSUPPORTED_ROOM_VERSION", 400},
    {ErrCode::M_INCOMPATIBLE_ROOM_VERSION, "M_INCOMPATIBLE_ROOM_VERSION", 400},
    {ErrCode::M_BAD_STATE, "M_BAD_STATE", 400},
    {ErrCode::M_GUEST_ACCESS_FORBIDDEN, "M_GUEST_ACCESS_FORBIDDEN", 403},
    {ErrCode::M_MISSING_PARAM, "M_MISSING_PARAM", 400},
    {ErrCode::M_INVALID_PARAM, "M_INVALID_PARAM", 400},
    {ErrCode::M_TOO_LARGE, "M_TOO_LARGE", 413},
    {ErrCode::M_EXCLUSIVE, "M_EXCLUSIVE", 400},
    {ErrCode::M_RESOURCE_LIMIT_EXCEEDED, "M_RESOURCE_LIMIT_EXCEEDED", 403},
    {ErrCode::M_CANNOT_LEAVE_SERVER_NOTICE_ROOM, "M_CANNOT_LEAVE_SERVER_NOTICE_ROOM", 403},
    {ErrCode::M_WEAK_PASSWORD, "M_WEAK_PASSWORD", 400},
    {ErrCode::M_BAD_ALIAS, "M_BAD_ALIAS", 400},
    {ErrCode::M_DUPLICATE_ANNOTATION, "M_DUPLICATE_ANNOTATION", 400},
    {ErrCode::M_NOT_YET_UPLOADED, "M_NOT_YET_UPLOADED", 504},
    {ErrCode::M_CANNOT_OVERWRITE_MEDIA, "M_CANNOT_OVERWRITE_MEDIA", 409},
    {ErrCode::M_UNKNOWN_POS, "M_UNKNOWN_POS", 400},
    {ErrCode::M_UNKNOWN_DEVICE, "M_UNKNOWN_DEVICE", 400},
    {ErrCode::M_CONNECTION_FAILED, "M_CONNECTION_FAILED", 502},
    {ErrCode::M_CONNECTION_TIMEOUT, "M_CONNECTION_TIMEOUT", 504},
    {ErrCode::M_BAD_STATUS, "M_BAD_STATUS", 502},
    {ErrCode::M_URL_NOT_SET, "M_URL_NOT_SET", 400},
};

const CodeInfo& info(ErrCode code)
{
    for (const auto& entry : code_table)
        if (entry.code == code)
            return entry;
    return code_table[10];  // M_UNKNOWN; unreachable while the table is complete
}
} // namespace

std::string_view to_string(ErrCode code)
{
    return info(code).name;
}

int default_status(ErrCode code)
{
    return info(code).status;
}

MatrixError::MatrixError(ErrCode code, std::string message)
    : MatrixError(default_status(code), code, std::move(message))
{
}

MatrixError::MatrixError(int status, ErrCode code, std::string message)
    : status_(status), code_(code), message_(std::move(message))
{
}

MatrixError& MatrixError::with(std::string key, const nlohmann::json& value)
{
    auto extra = extra_ ? std::make_shared<nlohmann::json>(*extra_)
                        : std::make_shared<nlohmann::json>(nlohmann::json::object());
    (*extra)[std::move(key)] = value;
    extra_ = std::move(extra);
    return *this;
}

nlohmann::json MatrixError::body() const
{
    nlohmann::json out = extra_ ? *extra_ : nlohmann::json::object();
    out["errcode"] = std::string(to_string(code_));
    out["error"] = message_;
    return out;
}

namespace errors {
MatrixError forbidden(std::string m) { return {ErrCode::M_FORBIDDEN, std::move(m)}; }
MatrixError unknown_token(std::string m) { return {ErrCode::M_UNKNOWN_TOKEN, std::move(m)}; }
MatrixError missing_token(std::string m) { return {ErrCode::M_MISSING_TOKEN, std::move(m)}; }
MatrixError bad_json(std::string m) { return {ErrCode::M_BAD_JSON, std::move(m)}; }
MatrixError not_json(std::string m) { return {ErrCode::M_NOT_JSON, std::move(m)}; }
MatrixError not_found(std::string m) { return {ErrCode::M_NOT_FOUND, std::move(m)}; }
MatrixError unrecognized(std::string m) { return {404, ErrCode::M_UNRECOGNIZED, std::move(m)}; }
MatrixError method_not_allowed(std::string m) { return {405, ErrCode::M_UNRECOGNIZED, std::move(m)}; }
MatrixError missing_param(std::string m) { return {ErrCode::M_MISSING_PARAM, std::move(m)}; }
MatrixError invalid_param(std::string m) { return {ErrCode::M_INVALID_PARAM, std::move(m)}; }
MatrixError too_large(std::string m) { return {ErrCode::M_TOO_LARGE, std::move(m)}; }
MatrixError limit_exceeded(std::string m, long long retry_after_ms)
{
    MatrixError error{ErrCode::M_LIMIT_EXCEEDED, std::move(m)};
    error.with("retry_after_ms", retry_after_ms);
    return error;
}
MatrixError user_in_use(std::string m) { return {ErrCode::M_USER_IN_USE, std::move(m)}; }
MatrixError invalid_username(std::string m) { return {ErrCode::M_INVALID_USERNAME, std::move(m)}; }
MatrixError exclusive(std::string m) { return {ErrCode::M_EXCLUSIVE, std::move(m)}; }
MatrixError unknown(std::string m) { return {ErrCode::M_UNKNOWN, std::move(m)}; }
MatrixError unsupported_room_version(std::string m)
{
    return {ErrCode::M_UNSUPPORTED_ROOM_VERSION, std::move(m)};
}
MatrixError user_deactivated(std::string m) { return {ErrCode::M_USER_DEACTIVATED, std::move(m)}; }
} // namespace errors

} // namespace ravenous::matrix
