#include "ravenous/util/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ravenous::util {

namespace {
std::optional<spdlog::level::level_enum> parse_level(std::string_view level)
{
    static constexpr std::pair<std::string_view, spdlog::level::level_enum> levels[] = {
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
        {"error", spdlog::level::err},   {"critical", spdlog::level::critical},
        {"off", spdlog::level::off},
    };
    for (const auto& [name, value] : levels)
        if (name == level)
            return value;
    return std::nullopt;
}
} // namespace

bool is_log_level(std::string_view level)
{
    return parse_level(level).has_value();
}

void init_logging(std::string_view level)
{
    // stderr: containers collect it, and stdout stays free for what the binary prints on
    // purpose (the start-up banner, check-config's report).
    auto logger = spdlog::get("ravenous");
    if (!logger)
        logger = spdlog::stderr_color_mt("ravenous");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    spdlog::set_default_logger(logger);
    set_log_level(level);
    spdlog::flush_on(spdlog::level::warn);
}

bool set_log_level(std::string_view level)
{
    auto parsed = parse_level(level);
    if (!parsed)
        return false;
    spdlog::set_level(*parsed);
    return true;
}

} // namespace ravenous::util
