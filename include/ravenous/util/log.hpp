#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::util {

// Sets up the process-wide spdlog logger (stderr, structured one-line records).
void init_logging(std::string_view level);

// Changes the level at run time; false if the name is not a level.
bool set_log_level(std::string_view level);

// True for trace, debug, info, warn, error, critical, off.
bool is_log_level(std::string_view level);

} // namespace ravenous::util
