#pragma once

// Module-private: the pieces shared by the YAML reader, the environment overrides and the
// validation, which all need to name where a value came from.

#include "ravenous/config/config.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::config::detail {

// A configuration being assembled. A value set by the environment is reported under the
// variable's name, so an operator looks in the right place.
struct Draft
{
    Config config;
    std::vector<std::string> problems;
    std::map<std::string, std::string, std::less<>> origins; // key -> variable that set it

    std::string label(std::string_view key) const; // the variable's name, else the key
    void set_origin(std::string_view key, std::string label);
    void problem(std::string_view key, std::string_view message);
};

// One settable key: its dotted name ("owner.user_id") and how a string value is applied.
// Both the YAML reader and the environment overrides go through these setters, so a value
// means the same thing wherever it is written. An empty value means "unset" for optional keys.
struct KeySetter
{
    std::string_view key;
    void (*apply)(Draft& draft, std::string_view value, const std::string& label);
};

// Scalar keys; app_service_config_files (a list) is handled by its readers.
const std::vector<KeySetter>& scalar_keys();
const KeySetter* find_scalar_key(std::string_view key);

// "RAVENOUS_" + the key in upper case with '.' as '_'.
std::string environment_variable(std::string_view key);

// Value grammars; on failure they return nullopt and fill `error` (without the label).
std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text,
                                                                  std::string& error);
std::optional<std::uint64_t> parse_size(std::string_view text, std::string& error);
std::optional<unsigned> parse_unsigned(std::string_view text, std::string& error);

bool is_log_level_name(std::string_view level);

void apply_yaml(Draft& draft, const std::string& yaml_text);
void apply_environment(Draft& draft, const Environment& env);
void validate(Draft& draft);

} // namespace ravenous::config::detail
