// The binary's command line and configuration: --version, check-config, the embedded default,
// environment overrides, and refusal of a wrong configuration.

#include "support/process.hpp"
#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace ravenous::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct TempDir
{
    fs::path path;
    TempDir()
    {
        std::string tmpl = (fs::temp_directory_path() / "ravenous-e2e-XXXXXX").string();
        path = mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path write(const std::string& name, const std::string& text) const
    {
        std::ofstream(path / name) << text;
        return path / name;
    }
};

std::string read_file(const fs::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(Binary, VersionPrintsTheVersion)
{
    auto result = TestServer::run_binary({"--version"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_TRUE(std::regex_search(result.output, std::regex(R"(^ravenous \d+\.\d+\.\d+)")))
        << result.output;
}

TEST(Binary, CheckConfigAcceptsAValidConfig)
{
    TempDir dir;
    auto config = dir.write("ok.yaml", "server_name: example.org\nlisten: 127.0.0.1:9999\n"
                                       "owner:\n  user_id: '@alice:example.com'\n  password: pw\n");
    auto result = TestServer::run_binary({"check-config", "--config", config.string()});
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("valid"), std::string::npos) << result.output;
}

TEST(Binary, CheckConfigPrintsEveryProblem)
{
    TempDir dir;
    auto config = dir.write("bad.yaml", "server_name: 'not a server'\nlisten: nowhere\n"
                                        "log_level: loud\nbogus_key: 1\n"
                                        "app_service_config_files: ['/nonexistent/as.yaml']\n");
    auto result = TestServer::run_binary({"check-config", "--config", config.string()});
    EXPECT_NE(result.exit_code, 0);
    for (std::string key : {"server_name", "listen", "log_level", "bogus_key"})
        EXPECT_NE(result.output.find(key), std::string::npos) << key << " in:\n" << result.output;
}

TEST(Binary, AWrongConfigIsRefusedAtStartUp)
{
    TempDir dir;
    auto config = dir.write("bad.yaml", "server_name: ok.example\nmax_upload_size: lots\n");
    auto result = TestServer::run_binary({"--config", config.string()});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(result.output.find("max_upload_size"), std::string::npos) << result.output;
    EXPECT_FALSE(fs::exists(dir.path / "ravenous-data")) << "nothing may be half-applied";
}

TEST(Binary, EnvironmentOverridesNameTheVariableWhenWrong)
{
    auto result = TestServer::run_binary({"check-config"}, {{"RAVENOUS_LISTEN", "not-a-listen"}});
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.output.find("RAVENOUS_LISTEN"), std::string::npos) << result.output;
}

TEST(Binary, EmbeddedDefaultPrintsCredentialsThatLogIn)
{
    TempDir dir;
    const auto port = pick_free_port();
    const int out = ::open((dir.path / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(out, 0);
    SpawnOptions spawn;
    spawn.argv = {TestServer::binary_path()};
    spawn.cwd = dir.path.string();
    spawn.drop_inherited_prefix = "RAVENOUS_";
    spawn.env = {{"RAVENOUS_LISTEN", "127.0.0.1:" + std::to_string(port)},
                 {"RAVENOUS_LOG_LEVEL", "warn"}};
    spawn.stdout_fd = out;
    spawn.stderr_fd = out;
    const pid_t pid = spawn_process(spawn);
    ::close(out);

    HttpClient client("127.0.0.1", port);
    client.set_timeout(std::chrono::milliseconds(500));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    bool up = false;
    while (!up && std::chrono::steady_clock::now() < deadline) {
        try {
            up = client.get("/_matrix/client/versions").status == 200;
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // start-up poll only
        }
    }
    ASSERT_TRUE(up) << read_file(dir.path / "stdout");

    const std::string banner = read_file(dir.path / "stdout");
    std::smatch password;
    ASSERT_TRUE(std::regex_search(banner, password, std::regex(R"(password:\s+(\S+))"))) << banner;
    EXPECT_NE(banner.find("@admin:localhost"), std::string::npos) << banner;
    EXPECT_NE(banner.find("http://127.0.0.1:" + std::to_string(port)), std::string::npos) << banner;
    EXPECT_TRUE(fs::exists(dir.path / "ravenous-data" / "ravenous.db"));
    EXPECT_EQ(fs::status(dir.path / "ravenous-data" / "owner-password").permissions() &
                  (fs::perms::group_all | fs::perms::others_all),
              fs::perms::none);

    client.set_timeout(std::chrono::seconds(10));
    EXPECT_NO_THROW(login_owner(client, "@admin:localhost", password[1].str()));
    ::kill(pid, SIGTERM);
    auto status = wait_for_exit(pid, std::chrono::steady_clock::now() + std::chrono::seconds(15));
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(*status, 0);
}

TEST(Binary, OwnerMayLiveOnAnotherDomain)
{
    TestServer::Options options;
    options.server_name = "beeper.local";
    options.owner_user_id = "@alice:beeper.com";
    options.appservices = {R"(id: wa
url: null
as_token: as-1
hs_token: hs-1
sender_localpart: whatsappbot
namespaces:
  users:
    - {exclusive: true, regex: '@whatsapp_.+:beeper\.local'}
)"};
    TestServer server(options);
    server.start();
    auto client = server.client();
    auto token = login_owner(client, "@alice:beeper.com");
    auto who = client.get("/_matrix/client/v3/account/whoami", token);
    EXPECT_EQ(who.json().at("user_id"), "@alice:beeper.com");
    auto puppet = client.post("/_matrix/client/v3/register",
                              {{"type", "m.login.application_service"}, {"username", "whatsapp_1"}},
                              "as-1");
    ASSERT_EQ(puppet.status, 200) << puppet.body;
    EXPECT_EQ(puppet.json().at("user_id"), "@whatsapp_1:beeper.local");
}

TEST(Binary, EnvironmentOverridesTheConfigFile)
{
    TestServer::Options options;
    options.env = {{"RAVENOUS_OWNER_PASSWORD", "from-the-environment"}};
    TestServer server(options);
    server.start();
    auto client = server.client();
    EXPECT_THROW(login_owner(client), std::runtime_error);
    EXPECT_NO_THROW(login_owner(client, default_owner_user_id, "from-the-environment"));
}

} // namespace
} // namespace ravenous::test
