#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Strict request-body parsing: every helper names the offending field in its error.
namespace ravenous::matrix::json {

using nlohmann::json;

// Parses a request body that must be a JSON object: M_NOT_JSON if it is not JSON (or not
// UTF-8), M_BAD_JSON if it is JSON but not an object. An empty body counts as "{}" only where
// the caller allows it.
json parse_object(std::string_view body, bool empty_is_object = false);

// Required fields: M_MISSING_PARAM if absent, M_BAD_JSON if of the wrong type.
const std::string& require_string(const json& object, std::string_view field);
const json& require_object(const json& object, std::string_view field);

// Optional fields: nullopt if absent (or null), M_BAD_JSON if of the wrong type.
std::optional<std::string> optional_string(const json& object, std::string_view field);
std::optional<bool> optional_bool(const json& object, std::string_view field);
std::optional<std::int64_t> optional_int(const json& object, std::string_view field);
const json* optional_object(const json& object, std::string_view field);
const json* optional_array(const json& object, std::string_view field);

// Serialises for the wire: UTF-8 kept as is, invalid UTF-8 replaced (it never should occur).
std::string dump(const json& value);

} // namespace ravenous::matrix::json
