// The files and sockets a TestServer is set up with, and the owner login.

#include "support/test_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

namespace ravenous::test {
namespace {

namespace fs = std::filesystem;

// A YAML double-quoted scalar.
std::string yaml_quoted(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

void write_file(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

std::string default_log_level()
{
    const char* level = std::getenv("RAVENOUS_TEST_LOG_LEVEL");
    return level != nullptr && *level != '\0' ? level : "warn";
}

} // namespace

std::uint16_t pick_free_port()
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "socket");
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        int err = errno;
        ::close(fd);
        throw std::system_error(err, std::generic_category(), "bind 127.0.0.1:0");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

void TestServer::write_config() const
{
    fs::create_directories(dir_ / "media");
    std::ostringstream yaml;
    yaml << "# Written by tests/support/test_server.cpp\n"
         << "server_name: " << yaml_quoted(options_.server_name) << "\n"
         << "listen: " << yaml_quoted("127.0.0.1:" + std::to_string(port_)) << "\n"
         << "database_path: " << yaml_quoted((dir_ / "ravenous.db").string()) << "\n"
         << "media_store_path: " << yaml_quoted((dir_ / "media").string()) << "\n"
         << "log_level: " << yaml_quoted(options_.log_level.value_or(default_log_level())) << "\n"
         << "admin_token: " << yaml_quoted(options_.admin_token) << "\n"
         << "owner:\n"
         << "  user_id: " << yaml_quoted(options_.owner_user_id) << "\n"
         << "  password: " << yaml_quoted(options_.owner_password) << "\n";
    if (!options_.appservices.empty()) {
        fs::create_directories(dir_ / "appservices");
        yaml << "app_service_config_files:\n";
        for (std::size_t i = 0; i < options_.appservices.size(); ++i) {
            auto path = dir_ / "appservices" / ("as" + std::to_string(i) + ".yaml");
            write_file(path, options_.appservices[i]);
            yaml << "  - " << yaml_quoted(path.string()) << "\n";
        }
    }
    if (!options_.extra_yaml.empty()) {
        yaml << "# extra_yaml\n" << options_.extra_yaml << "\n";
    }
    write_file(config_path(), yaml.str());
}

std::string login_owner(HttpClient& client, std::string_view user_id, std::string_view password)
{
    nlohmann::json body{{"type", "m.login.password"},
                        {"identifier", {{"type", "m.id.user"}, {"user", user_id}}},
                        {"password", password}};
    auto response = client.post("/_matrix/client/v3/login", body);
    if (response.status == 200) {
        auto json = nlohmann::json::parse(response.body, nullptr, false);
        if (json.is_object() && json.contains("access_token") && json["access_token"].is_string()) {
            return json["access_token"].get<std::string>();
        }
    }
    throw std::runtime_error("owner login as " + std::string(user_id) +
                             " failed: " + std::to_string(response.status) + " " + response.body);
}

} // namespace ravenous::test
