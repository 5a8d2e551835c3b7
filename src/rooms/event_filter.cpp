#include "ravenous/rooms/event_filter.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

#include <algorithm>
#include <limits>

namespace ravenous::rooms {

namespace errors = matrix::errors;
using nlohmann::json;

namespace {

std::string field_name(std::string_view context, std::string_view field)
{
    std::string name = "'";
    if (!context.empty())
        name.append(context).append(".");
    return name.append(field).append("'");
}

// Absent or null: nullopt. Anything but an array of strings: M_BAD_JSON.
std::optional<std::vector<std::string>> string_list(const json& object, std::string_view context,
                                                    std::string_view field)
{
    auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    const auto bad = [&] {
        return errors::bad_json(field_name(context, field) + " must be an array of strings");
    };
    if (!it->is_array())
        throw bad();
    std::vector<std::string> values;
    values.reserve(it->size());
    for (const auto& item : *it) {
        if (!item.is_string())
            throw bad();
        values.push_back(item.get<std::string>());
    }
    return values;
}

std::optional<bool> boolean(const json& object, std::string_view context, std::string_view field)
{
    auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (!it->is_boolean())
        throw errors::bad_json(field_name(context, field) + " must be a boolean");
    return it->get<bool>();
}

std::optional<std::int64_t> positive_int(const json& object, std::string_view context,
                                         std::string_view field)
{
    auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number_integer() ||
        (it->is_number_unsigned() &&
         it->get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) ||
        it->get<std::int64_t>() <= 0)
        throw errors::bad_json(field_name(context, field) + " must be a positive integer");
    return it->get<std::int64_t>();
}

bool any_type_matches(const std::vector<std::string>& patterns, std::string_view type)
{
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& pattern) { return type_matches(pattern, type); });
}

bool contains(const std::vector<std::string>& values, std::string_view value)
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

bool has_url(const storage::EventRow& row)
{
    const json event = json::parse(row.json, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object())
        return false;
    auto content = event.find("content");
    if (content == event.end() || !content->is_object())
        return false;
    auto url = content->find("url");
    return url != content->end() && url->is_string();
}

} // namespace

bool type_matches(std::string_view pattern, std::string_view type)
{
    // Glob with '*' only: greedy match with backtracking to the last star.
    std::size_t p = 0, t = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (t < type.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == type[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

RoomEventFilter RoomEventFilter::from_json(const json& object, std::string_view context)
{
    if (!object.is_object())
        throw errors::bad_json(context.empty()
                                   ? std::string("Filter must be a JSON object")
                                   : "'" + std::string(context) + "' must be an object");
    RoomEventFilter filter;
    filter.limit = positive_int(object, context, "limit");
    filter.types = string_list(object, context, "types");
    filter.not_types = string_list(object, context, "not_types");
    filter.senders = string_list(object, context, "senders");
    filter.not_senders = string_list(object, context, "not_senders");
    filter.rooms = string_list(object, context, "rooms");
    filter.not_rooms = string_list(object, context, "not_rooms");
    filter.contains_url = boolean(object, context, "contains_url");
    filter.lazy_load_members = boolean(object, context, "lazy_load_members").value_or(false);
    filter.include_redundant_members =
        boolean(object, context, "include_redundant_members").value_or(false);
    filter.unread_thread_notifications =
        boolean(object, context, "unread_thread_notifications").value_or(false);
    return filter;
}

RoomEventFilter RoomEventFilter::parse(std::string_view text)
{
    json object;
    try {
        object = matrix::json::parse_object(text);
    } catch (const matrix::MatrixError& e) {
        throw matrix::MatrixError(e.status(), e.code(), "Invalid filter: " + e.message());
    }
    return from_json(object);
}

json RoomEventFilter::to_json() const
{
    json out = json::object();
    if (limit)
        out["limit"] = *limit;
    const auto list = [&](const char* name, const std::optional<std::vector<std::string>>& values) {
        if (values)
            out[name] = *values;
    };
    list("types", types);
    list("not_types", not_types);
    list("senders", senders);
    list("not_senders", not_senders);
    list("rooms", rooms);
    list("not_rooms", not_rooms);
    if (contains_url)
        out["contains_url"] = *contains_url;
    if (lazy_load_members)
        out["lazy_load_members"] = true;
    if (include_redundant_members)
        out["include_redundant_members"] = true;
    if (unread_thread_notifications)
        out["unread_thread_notifications"] = true;
    return out;
}

bool RoomEventFilter::matches_everything() const
{
    return !types && !not_types && !senders && !not_senders && !rooms && !not_rooms &&
           !contains_url;
}

bool RoomEventFilter::matches_room(std::string_view room_id) const
{
    if (not_rooms && contains(*not_rooms, room_id))
        return false;
    return !rooms || contains(*rooms, room_id);
}

bool RoomEventFilter::matches(std::string_view type, std::string_view sender,
                              std::string_view room_id, bool has_url) const
{
    if (!matches_room(room_id))
        return false;
    if (not_senders && contains(*not_senders, sender))
        return false;
    if (senders && !contains(*senders, sender))
        return false;
    if (not_types && any_type_matches(*not_types, type))
        return false;
    if (types && !any_type_matches(*types, type))
        return false;
    return !contains_url || *contains_url == has_url;
}

bool RoomEventFilter::matches(const storage::EventRow& row) const
{
    // The cheap checks first; the event's JSON is parsed only for contains_url.
    if (!matches(row.type, row.sender, row.room_id, contains_url.value_or(false)))
        return false;
    return !contains_url || *contains_url == has_url(row);
}

} // namespace ravenous::rooms
