// ravenous: run the server, check a configuration, or print the version.
#include "ravenous/app.hpp"
#include "ravenous/config/config.hpp"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

namespace {

void print_usage()
{
    std::cout << "Usage:\n"
                 "  ravenous [--config PATH]               run the server (embedded default "
                 "config without --config)\n"
                 "  ravenous check-config [--config PATH]  validate a config, print every "
                 "problem\n"
                 "  ravenous --version\n"
                 "Every config key can be overridden by RAVENOUS_<KEY> (e.g. "
                 "RAVENOUS_SERVER_NAME).\n";
}

ravenous::config::LoadResult load(const std::optional<std::string>& path)
{
    const auto env = ravenous::config::process_environment();
    return path ? ravenous::config::load_file(*path, env) : ravenous::config::load_default(env);
}

void print_problems(const std::vector<std::string>& problems, const std::string& source)
{
    std::cerr << "ravenous: the configuration (" << source << ") has "
              << problems.size() << " problem" << (problems.size() == 1 ? "" : "s") << ":\n";
    for (const auto& problem : problems)
        std::cerr << "  - " << problem << "\n";
}

} // namespace

int main(int argc, char** argv)
{
    bool check_only = false;
    std::optional<std::string> config_path;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--version" || arg == "-V") {
            std::cout << "ravenous " << RAVENOUS_VERSION << "\n";
            return 0;
        }
        if (arg == "--help" || arg == "-h") {
            print_usage();
            return 0;
        }
        if (arg == "check-config" && i == 1) {
            check_only = true;
        } else if ((arg == "--config" || arg == "-c") && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg.starts_with("--config=")) {
            config_path = arg.substr(std::strlen("--config="));
        } else {
            std::cerr << "ravenous: unknown argument '" << arg << "'\n";
            print_usage();
            return 2;
        }
    }

    auto loaded = load(config_path);
    const std::string source = config_path.value_or("embedded default");
    if (loaded.ok()) {
        for (auto& problem : ravenous::check_appservice_files(loaded.config))
            loaded.problems.push_back(std::move(problem));
    }
    if (!loaded.ok()) {
        print_problems(loaded.problems, source);
        return 1;
    }
    if (check_only) {
        std::cout << "ravenous: the configuration (" << source << ") is valid\n";
        return 0;
    }
    return ravenous::run_server(std::move(loaded.config));
}
