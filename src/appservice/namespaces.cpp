// Namespace matching. Synapse uses Python's re.match: anchored at the start of the id, not at
// its end, so "@whatsapp_.+" covers "@whatsapp_1:beeper.local". Bridges write their regexes for
// that behaviour, so we must match the same way.

#include "ravenous/appservice/registration.hpp"

#include <algorithm>

namespace ravenous::appservice {

namespace {

// User ids, aliases and room ids are at most 255 bytes. Longer input can only come from an
// unvalidated request, and libstdc++'s recursive regex executor could exhaust the stack on it.
constexpr std::size_t max_id_length = 255;

} // namespace

bool Namespace::matches(std::string_view id) const
{
    if (id.size() > max_id_length) {
        return false;
    }
    return std::regex_search(id.begin(), id.end(), compiled,
                             std::regex_constants::match_continuous);
}

std::string Registration::sender_user_id(std::string_view server_name) const
{
    std::string id = "@";
    id += sender_localpart;
    id += ':';
    id += server_name;
    return id;
}

bool Registration::is_interested_in_user(std::string_view user_id,
                                         std::string_view server_name) const
{
    return user_id == sender_user_id(server_name) ||
           std::any_of(users.begin(), users.end(),
                       [&](const Namespace& ns) { return ns.matches(user_id); });
}

bool Registration::is_exclusive_user(std::string_view user_id) const
{
    return std::any_of(users.begin(), users.end(),
                       [&](const Namespace& ns) { return ns.exclusive && ns.matches(user_id); });
}

} // namespace ravenous::appservice
