#include "sync/token.hpp"

#include <charconv>

namespace ravenous::sync::token {

namespace {

std::optional<std::int64_t> number(std::string_view text)
{
    std::int64_t value = 0;
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

std::string format(const Position& position)
{
    return "s" + std::to_string(position.stream) + "_" + std::to_string(position.ephemeral);
}

std::optional<Position> parse(std::string_view text)
{
    if (!text.starts_with('s'))
        return std::nullopt;
    text.remove_prefix(1);
    const auto sep = text.find('_');
    auto stream = number(text.substr(0, sep));
    if (!stream)
        return std::nullopt;
    Position out{*stream, 0};
    if (sep != std::string_view::npos) {
        auto ephemeral = number(text.substr(sep + 1));
        if (!ephemeral)
            return std::nullopt;
        out.ephemeral = *ephemeral;
    }
    return out;
}

} // namespace ravenous::sync::token
