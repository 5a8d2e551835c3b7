#include "ravenous/matrix/json.hpp"

#include "ravenous/matrix/errors.hpp"

namespace ravenous::matrix::json {

namespace {
std::string quoted(std::string_view field)
{
    return "'" + std::string(field) + "'";
}

const json* find(const json& object, std::string_view field)
{
    auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return nullptr;
    return &*it;
}
} // namespace

json parse_object(std::string_view body, bool empty_is_object)
{
    if (body.empty() && empty_is_object)
        return json::object();
    json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    // nlohmann rejects ill-formed UTF-8 inside strings, so invalid UTF-8 lands here too.
    if (parsed.is_discarded())
        throw errors::not_json();
    if (!parsed.is_object())
        throw errors::bad_json("Content must be a JSON object.");
    return parsed;
}

const std::string& require_string(const json& object, std::string_view field)
{
    const json* value = find(object, field);
    if (!value)
        throw errors::missing_param("Missing parameter: " + quoted(field));
    if (!value->is_string())
        throw errors::bad_json(quoted(field) + " must be a string");
    return value->get_ref<const std::string&>();
}

const json& require_object(const json& object, std::string_view field)
{
    const json* value = find(object, field);
    if (!value)
        throw errors::missing_param("Missing parameter: " + quoted(field));
    if (!value->is_object())
        throw errors::bad_json(quoted(field) + " must be an object");
    return *value;
}

std::optional<std::string> optional_string(const json& object, std::string_view field)
{
    const json* value = find(object, field);
    if (!value)
        return std::nullopt;
    if (!value->is_string())
        throw errors::bad_json(quoted(field) + " must be a string");
    return value->get<std::string>();
}

std::optional<bool> optional_bool(const json& object, std::string_view field)
{
    const json* value = find(object, field);
    if (!value)
        return std::nullopt;
    if (!value->is_boolean())
        throw errors::bad_json(quoted(field) + " must be a boolean");
    return value->get<bool>();
}

std::optional<std::int64_t> optional_int(const json& object, std::string_view field)
{
    const json* value = find(object, field);
    if (!value)
        return std::nullopt;
    if (!value->is_number_integer())
        throw errors::bad_json(quoted(field) + " must be an integer");
    return value->get<std::int64_t>();
}

const json* optional_object(const json& object, std::string_view field)
{
    const json* value = find(object, field);
    if (value && !value->is_object())
        throw errors::bad_json(quoted(field) + " must be an object");
    return value;
}

const json* optional_array(const json& object, std::string_view field)
{
    const json* value = find(object, field);
    if (value && !value->is_array())
        throw errors::bad_json(quoted(field) + " must be an array");
    return value;
}

std::string dump(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace ravenous::matrix::json
