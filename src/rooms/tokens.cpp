#include "ravenous/rooms/tokens.hpp"

#include "ravenous/storage/events_table.hpp"

#include <charconv>

namespace ravenous::rooms::tokens {

namespace {
std::optional<std::int64_t> number(std::string_view text)
{
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}
} // namespace

std::string topo(std::int64_t boundary)
{
    return "t" + std::to_string(boundary);
}

std::string stream(std::int64_t position)
{
    return "s" + std::to_string(position);
}

std::optional<std::int64_t> parse_stream(std::string_view token)
{
    if (!token.starts_with('s'))
        return std::nullopt;
    auto value = number(token.substr(1));
    if (!value || *value < 0)
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> to_boundary(storage::ReadTxn& txn, std::string_view room_id,
                                        std::string_view token)
{
    if (token.starts_with('t'))
        return number(token.substr(1));
    if (auto position = parse_stream(token))
        return storage::events::boundary_at_stream(txn, room_id, *position);
    return std::nullopt;
}

} // namespace ravenous::rooms::tokens
