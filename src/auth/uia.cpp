#include "ravenous/auth/uia.hpp"

#include "ravenous/auth/accounts.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/util/random.hpp"
#include "ravenous/util/time.hpp"

namespace ravenous::auth {

namespace {
constexpr std::size_t max_sessions = 1000;
constexpr std::int64_t session_lifetime_ms = 10 * 60 * 1000;
constexpr std::string_view password_stage = "m.login.password";

matrix::MatrixError auth_needed(matrix::ErrCode code, std::string message,
                                const std::string& session)
{
    matrix::MatrixError error(401, code, std::move(message));
    error.with("flows", nlohmann::json::array({{{"stages", {password_stage}}}}))
        .with("params", nlohmann::json::object())
        .with("session", session)
        .with("completed", nlohmann::json::array());
    return error;
}

// The user the auth dict names: identifier.user (m.id.user) or the legacy "user" field.
std::optional<std::string> named_user(const nlohmann::json& auth)
{
    if (auto identifier = auth.find("identifier"); identifier != auth.end()) {
        if (!identifier->is_object() || identifier->value("type", "") != "m.id.user")
            return std::nullopt;
        auto user = identifier->find("user");
        if (user == identifier->end() || !user->is_string())
            return std::nullopt;
        return user->get<std::string>();
    }
    if (auto user = auth.find("user"); user != auth.end() && user->is_string())
        return user->get<std::string>();
    return std::nullopt;
}
} // namespace

std::string InteractiveAuth::new_session()
{
    const auto now = util::now_ms();
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](const auto& s) { return now - s.second > session_lifetime_ms; });
    if (sessions_.size() >= max_sessions)
        sessions_.erase(sessions_.begin());
    auto id = util::random_alnum(24);
    sessions_.emplace(id, now);
    return id;
}

bool InteractiveAuth::known_session(const std::string& id)
{
    std::lock_guard lock(mutex_);
    return sessions_.contains(id);
}

boost::asio::awaitable<void> InteractiveAuth::require(const Identity& caller,
                                                      const nlohmann::json* auth)
{
    if (caller.is_appservice())
        co_return;
    if (!auth || !auth->is_object())
        throw auth_needed(matrix::ErrCode::M_UNAUTHORIZED,
                          "Interactive authentication is required", new_session());
    std::string session = auth->value("session", "");
    if (session.empty() || !known_session(session))
        session = new_session();
    if (auth->value("type", "") != password_stage)
        throw auth_needed(matrix::ErrCode::M_UNRECOGNIZED, "Unsupported authentication type",
                          session);
    auto password = auth->find("password");
    auto user = named_user(*auth);
    if (password == auth->end() || !password->is_string())
        throw auth_needed(matrix::ErrCode::M_MISSING_PARAM, "Missing parameter: 'password'",
                          session);
    // The password must be the caller's own: naming somebody else fails like a wrong one.
    const bool self = !user || accounts_.resolve_user(*user) == caller.user_id;
    if (!self || !co_await accounts_.check_password(caller.user_id, password->get<std::string>()))
        throw auth_needed(matrix::ErrCode::M_FORBIDDEN, "Invalid password", session);
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
}

} // namespace ravenous::auth
