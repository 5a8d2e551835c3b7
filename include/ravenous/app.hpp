#pragma once

#include "ravenous/config/config.hpp"

#include <string>
#include <vector>

namespace ravenous {

// Wires configuration, storage, services, routes and the HTTP server, runs until SIGTERM or
// SIGINT, then drains and closes. Returns the process exit code.
int run_server(config::Config config);

// Problems in the appservice registration files the config names (for check-config and
// start-up), each naming its file and key.
std::vector<std::string> check_appservice_files(const config::Config& config);

} // namespace ravenous
