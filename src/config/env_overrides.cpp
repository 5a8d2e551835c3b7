// RAVENOUS_<KEY> environment variables, applied after the YAML file and before validation,
// so a container can be configured without writing a file.

#include "config/loader.hpp"
#include "ravenous/config/config.hpp"

#include <string_view>

extern char** environ;

namespace ravenous::config {

Environment process_environment()
{
    Environment env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view text = *entry;
        auto equals = text.find('=');
        if (equals == std::string_view::npos || !text.starts_with("RAVENOUS_")) {
            continue;
        }
        env.emplace_back(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
    return env;
}

namespace detail {

namespace {

// An empty variable counts as unset: compose files pass `VAR=${VAR}` through even when the
// operator did not set it, and that must not blank the file's value.
std::optional<std::string_view> lookup(const Environment& env, std::string_view name)
{
    std::optional<std::string_view> found;
    for (const auto& [key, value] : env) {
        if (key == name) {
            found = value; // the last one wins, as with a shell's environment
        }
    }
    if (found && found->empty()) {
        return std::nullopt;
    }
    return found;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

void apply_app_service_files(Draft& draft, const Environment& env)
{
    constexpr std::string_view key = "app_service_config_files";
    std::string name = environment_variable(key);
    auto value = lookup(env, name);
    if (!value) {
        return;
    }
    draft.set_origin(key, name);
    auto& files = draft.config.app_service_config_files;
    files.clear();
    std::string_view rest = *value;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = trim(rest.substr(0, comma));
        if (!item.empty()) {
            files.emplace_back(item);
        }
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
}

} // namespace

void apply_environment(Draft& draft, const Environment& env)
{
    const std::string password_var = environment_variable("owner.password");
    const std::string hash_var = environment_variable("owner.password_hash");
    for (const auto& setter : scalar_keys()) {
        std::string name = environment_variable(setter.key);
        auto value = lookup(env, name);
        if (!value) {
            continue;
        }
        // A password from the environment replaces the file's hash and vice versa; both from
        // the environment stay both set so validation reports the pair.
        if (setter.key == "owner.password" && !lookup(env, hash_var)) {
            draft.config.owner.password_hash.reset();
        } else if (setter.key == "owner.password_hash" && !lookup(env, password_var)) {
            draft.config.owner.password.reset();
        }
        draft.set_origin(setter.key, name);
        setter.apply(draft, *value, name);
    }
    apply_app_service_files(draft, env);
}

} // namespace detail

} // namespace ravenous::config
