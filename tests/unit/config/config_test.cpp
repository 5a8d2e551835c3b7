#include "ravenous/config/config.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>
#include "unit/problem_assertions.hpp"

namespace ravenous::config {
namespace {

using test::has_problem;
using test::joined;


// Exactly one problem, and it contains every one of `parts`.
::testing::AssertionResult one_problem(const std::vector<std::string>& problems,
                                       std::initializer_list<std::string_view> parts)
{
    if (problems.size() != 1) {
        return ::testing::AssertionFailure() << "expected one problem, got:" << joined(problems);
    }
    return has_problem(problems, parts);
}

::testing::AssertionResult no_problems(const std::vector<std::string>& problems)
{
    if (problems.empty()) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "problems:" << joined(problems);
}

const Environment no_env;

LoadResult load(const std::string& yaml, const Environment& env = no_env)
{
    return load_yaml(yaml, env);
}

TEST(Config, DefaultIsValidAndMatchesTheDocumentedValues)
{
    auto result = load_default(no_env);
    ASSERT_TRUE(no_problems(result.problems));
    const Config& c = result.config;
    EXPECT_EQ(c.server_name, "localhost");
    EXPECT_EQ(c.listen_host, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 8008);
    EXPECT_EQ(c.public_baseurl, "");
    EXPECT_EQ(c.database_path, "ravenous-data/ravenous.db");
    EXPECT_EQ(c.media_store_path, "ravenous-data/media");
    EXPECT_TRUE(c.app_service_config_files.empty());
    EXPECT_EQ(c.max_upload_size, 50u * 1024 * 1024);
    EXPECT_EQ(c.log_level, "info");
    EXPECT_EQ(c.owner.user_id, "@admin:localhost");
    EXPECT_FALSE(c.owner.password);
    EXPECT_FALSE(c.owner.password_hash);
    EXPECT_EQ(c.admin_token, "");
    EXPECT_EQ(c.worker_threads, 0u);
    EXPECT_EQ(c.base_url(), "http://127.0.0.1:8008");
}

TEST(Config, EmptyDocumentGivesDefaults)
{
    auto result = load("");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.server_name, "localhost");
}

TEST(Config, EveryKeyIsParsed)
{
    auto result = load(R"(
server_name: beeper.local
listen: 0.0.0.0:9000
public_baseurl: https://matrix.beeper.local/
database_path: /data/db.sqlite
media_store_path: /data/media
app_service_config_files: [/data/whatsapp.yaml, /data/telegram.yaml]
max_upload_size: 1024
log_level: DEBUG
owner:
  user_id: "@alice:beeper.local"
  password: hunter2
admin_token: s3cret-token
worker_threads: 4
)");
    ASSERT_TRUE(no_problems(result.problems));
    const Config& c = result.config;
    EXPECT_EQ(c.server_name, "beeper.local");
    EXPECT_EQ(c.listen_host, "0.0.0.0");
    EXPECT_EQ(c.listen_port, 9000);
    EXPECT_EQ(c.public_baseurl, "https://matrix.beeper.local");
    EXPECT_EQ(c.database_path, "/data/db.sqlite");
    EXPECT_EQ(c.media_store_path, "/data/media");
    EXPECT_EQ(c.app_service_config_files,
              (std::vector<std::string>{"/data/whatsapp.yaml", "/data/telegram.yaml"}));
    EXPECT_EQ(c.max_upload_size, 1024u);
    EXPECT_EQ(c.log_level, "debug");
    EXPECT_EQ(c.owner.user_id, "@alice:beeper.local");
    EXPECT_EQ(c.owner.password, "hunter2");
    EXPECT_FALSE(c.owner.password_hash);
    EXPECT_EQ(c.admin_token, "s3cret-token");
    EXPECT_EQ(c.worker_threads, 4u);
    EXPECT_EQ(c.base_url(), "https://matrix.beeper.local");
}

TEST(Config, PasswordHashIsAccepted)
{
    auto result = load("owner:\n  user_id: '@a:b.c'\n  password_hash: "
                       "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA\n");
    ASSERT_TRUE(no_problems(result.problems));
    EXPECT_EQ(result.config.owner.password_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
}

TEST(Config, SizeStringsUsePowersOf1024)
{
    EXPECT_EQ(load("max_upload_size: 10K").config.max_upload_size, 10u * 1024);
    EXPECT_EQ(load("max_upload_size: 50M").config.max_upload_size, 50u * 1024 * 1024);
    EXPECT_EQ(load("max_upload_size: 1G").config.max_upload_size, 1024u * 1024 * 1024);
    EXPECT_EQ(load("max_upload_size: 2T").config.max_upload_size, 2ull << 40);
    EXPECT_EQ(load("max_upload_size: 3m").config.max_upload_size, 3u * 1024 * 1024);
    EXPECT_EQ(load("max_upload_size: '123'").config.max_upload_size, 123u);
}

TEST(Config, BadSizesAreProblems)
{
    for (const char* bad : {"50MB", "M", "-1", "1.5M", "0", "99999999999999999999", "20000000T"}) {
        auto result = load(std::string("max_upload_size: ") + bad);
        EXPECT_TRUE(one_problem(result.problems, {"max_upload_size: "})) << bad;
    }
}

TEST(Config, ListenAcceptsIpv6InBrackets)
{
    auto result = load("listen: '[::1]:8448'");
    ASSERT_TRUE(no_problems(result.problems));
    EXPECT_EQ(result.config.listen_host, "::1");
    EXPECT_EQ(result.config.listen_port, 8448);
    EXPECT_EQ(result.config.base_url(), "http://[::1]:8448");
}

TEST(Config, ListenAcceptsHostNames)
{
    auto result = load("listen: localhost:8008");
    ASSERT_TRUE(no_problems(result.problems));
    EXPECT_EQ(result.config.base_url(), "http://localhost:8008");
}

TEST(Config, BadListenValuesAreProblems)
{
    for (const char* bad : {"8008", "::1:8008", "[::1]8008", "[nothost]:80", "host:0", "host:65536",
                            "host:", ":80", "bad host:80"}) {
        auto result = load(std::string("listen: '") + bad + "'");
        EXPECT_TRUE(one_problem(result.problems, {"listen: "})) << bad;
    }
}

TEST(Config, BaseUrlShowsWildcardAddressesAsLoopback)
{
    EXPECT_EQ(load("listen: 0.0.0.0:80").config.base_url(), "http://127.0.0.1:80");
    EXPECT_EQ(load("listen: '[::]:80'").config.base_url(), "http://localhost:80");
}

TEST(Config, OwnerOnAnotherDomainIsAccepted)
{
    auto result = load("server_name: beeper.local\nowner:\n  user_id: '@alice:beeper.com'\n");
    ASSERT_TRUE(no_problems(result.problems));
    EXPECT_EQ(result.config.owner.user_id, "@alice:beeper.com");
}

TEST(Config, OwnerSectionWithoutUserIdIsAProblem)
{
    auto result = load("owner:\n  password: x\n");
    EXPECT_EQ(result.problems, (std::vector<std::string>{"owner.user_id: is required"}));
}

TEST(Config, PasswordAndPasswordHashTogetherAreAProblem)
{
    auto result =
        load("owner:\n  user_id: '@a:b.c'\n  password: x\n  password_hash: $argon2id$v=19$x\n");
    EXPECT_TRUE(one_problem(result.problems,
                            {"owner.password and owner.password_hash", "mutually exclusive"}));
}

TEST(Config, PasswordHashMustBeArgon2id)
{
    auto result = load("owner:\n  user_id: '@a:b.c'\n  password_hash: $2b$12$abcdefg\n");
    ASSERT_TRUE(one_problem(result.problems, {"owner.password_hash: "}));
    EXPECT_EQ(result.problems[0].find("$2b$12$abcdefg"), std::string::npos); // never echoed
}

TEST(Config, InvalidValuesNameTheirKeys)
{
    EXPECT_EQ(load("server_name: foo bar").problems,
              (std::vector<std::string>{"server_name: 'foo bar' is not a valid server name"}));
    EXPECT_TRUE(one_problem(load("log_level: loud").problems, {"log_level: 'loud'"}));
    EXPECT_TRUE(one_problem(load("owner: {user_id: alice}").problems,
                            {"owner.user_id: 'alice' is not a valid user id"}));
    EXPECT_TRUE(one_problem(load("public_baseurl: ftp://x").problems, {"public_baseurl: "}));
    EXPECT_EQ(load("database_path: ''").problems,
              (std::vector<std::string>{"database_path: must not be empty"}));
    EXPECT_TRUE(one_problem(load("worker_threads: -1").problems, {"worker_threads: "}));
    EXPECT_TRUE(one_problem(load("worker_threads: 5000").problems, {"worker_threads: "}));
    EXPECT_TRUE(one_problem(load("admin_token: 'a b'").problems, {"admin_token: "}));
}

TEST(Config, AllProblemsAreReported)
{
    auto result = load(R"(
server_name: "not valid!"
listen: nowhere
log_level: chatty
max_upload_size: lots
owner:
  user_id: nobody
frobnicate: true
)");
    EXPECT_EQ(result.problems.size(), 6u);
    for (const char* key : {"server_name: ", "listen: ", "log_level: ", "max_upload_size: ",
                            "owner.user_id: ", "unknown key 'frobnicate'"}) {
        EXPECT_TRUE(has_problem(result.problems, {key}));
    }
}

TEST(Config, UnknownKeysAreProblems)
{
    EXPECT_EQ(load("foo: 1").problems, (std::vector<std::string>{"unknown key 'foo'"}));
    EXPECT_EQ(load("owner: {user_id: '@a:b.c', pasword: x}").problems,
              (std::vector<std::string>{"unknown key 'owner.pasword'"}));
    EXPECT_EQ(load("user_id: '@a:b.c'").problems,
              (std::vector<std::string>{"unknown key 'user_id'"}));
}

TEST(Config, DuplicateKeysAreProblems)
{
    EXPECT_EQ(load("log_level: info\nlog_level: debug\n").problems,
              (std::vector<std::string>{"duplicate key 'log_level'"}));
}

TEST(Config, WrongTypesAreProblems)
{
    EXPECT_EQ(load("server_name: [a, b]").problems,
              (std::vector<std::string>{"server_name: expected a single value, got a list"}));
    EXPECT_EQ(load("listen: {host: x}").problems,
              (std::vector<std::string>{"listen: expected a single value, got a mapping"}));
    EXPECT_TRUE(one_problem(load("app_service_config_files: /a.yaml").problems,
                            {"app_service_config_files: expected a list"}));
    EXPECT_TRUE(one_problem(load("app_service_config_files: [[a]]").problems,
                            {"app_service_config_files[0]: expected a file path"}));
    EXPECT_TRUE(one_problem(load("owner: '@a:b.c'").problems, {"owner: expected a mapping"}));
    EXPECT_TRUE(one_problem(load("- a\n- b\n").problems, {"must be a mapping"}));
}

TEST(Config, YamlSyntaxErrorIsAProblemWithItsLine)
{
    auto result = load("server_name: a\nlisten: [unclosed\n");
    EXPECT_TRUE(one_problem(result.problems, {"YAML syntax error at line"}));
}

TEST(Config, EnvironmentOverridesEveryKey)
{
    Environment env = {
        {"RAVENOUS_SERVER_NAME", "env.example"},
        {"RAVENOUS_LISTEN", "[::]:8080"},
        {"RAVENOUS_PUBLIC_BASEURL", "https://env.example/"},
        {"RAVENOUS_DATABASE_PATH", "/env/db"},
        {"RAVENOUS_MEDIA_STORE_PATH", "/env/media"},
        {"RAVENOUS_APP_SERVICE_CONFIG_FILES", "/a.yaml, /b.yaml,,"},
        {"RAVENOUS_MAX_UPLOAD_SIZE", "10K"},
        {"RAVENOUS_LOG_LEVEL", "warn"},
        {"RAVENOUS_OWNER_USER_ID", "@bob:env.example"},
        {"RAVENOUS_OWNER_PASSWORD", "pw"},
        {"RAVENOUS_ADMIN_TOKEN", "admintoken"},
        {"RAVENOUS_WORKER_THREADS", "2"},
        {"UNRELATED", "x"},
    };
    auto result = load_default(env);
    ASSERT_TRUE(no_problems(result.problems));
    const Config& c = result.config;
    EXPECT_EQ(c.server_name, "env.example");
    EXPECT_EQ(c.listen_host, "::");
    EXPECT_EQ(c.listen_port, 8080);
    EXPECT_EQ(c.public_baseurl, "https://env.example");
    EXPECT_EQ(c.database_path, "/env/db");
    EXPECT_EQ(c.media_store_path, "/env/media");
    EXPECT_EQ(c.app_service_config_files, (std::vector<std::string>{"/a.yaml", "/b.yaml"}));
    EXPECT_EQ(c.max_upload_size, 10u * 1024);
    EXPECT_EQ(c.log_level, "warn");
    EXPECT_EQ(c.owner.user_id, "@bob:env.example");
    EXPECT_EQ(c.owner.password, "pw");
    EXPECT_EQ(c.admin_token, "admintoken");
    EXPECT_EQ(c.worker_threads, 2u);
}

TEST(Config, EnvironmentProblemsNameTheVariable)
{
    Environment env = {{"RAVENOUS_SERVER_NAME", "bad name"},
                       {"RAVENOUS_LISTEN", "nowhere"},
                       {"RAVENOUS_WORKER_THREADS", "many"},
                       {"RAVENOUS_OWNER_USER_ID", "bob"}};
    auto result = load("server_name: fine.example\nlisten: 127.0.0.1:1\n", env);
    EXPECT_EQ(result.problems.size(), 4u);
    EXPECT_TRUE(has_problem(result.problems,
                            {"RAVENOUS_SERVER_NAME: 'bad name' is not a valid server name"}));
    EXPECT_TRUE(has_problem(result.problems, {"RAVENOUS_LISTEN: 'nowhere'"}));
    EXPECT_TRUE(has_problem(result.problems, {"RAVENOUS_WORKER_THREADS: 'many'"}));
    EXPECT_TRUE(has_problem(result.problems, {"RAVENOUS_OWNER_USER_ID: 'bob'"}));
}

TEST(Config, EmptyEnvironmentVariableIsIgnored)
{
    auto result = load("server_name: file.example\n", {{"RAVENOUS_SERVER_NAME", ""}});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.server_name, "file.example");
}

TEST(Config, EnvironmentPasswordReplacesTheFilesHashAndViceVersa)
{
    const std::string with_hash =
        "owner:\n  user_id: '@a:b.c'\n  password_hash: $argon2id$v=19$x\n";
    auto result = load(with_hash, {{"RAVENOUS_OWNER_PASSWORD", "pw"}});
    ASSERT_TRUE(no_problems(result.problems));
    EXPECT_EQ(result.config.owner.password, "pw");
    EXPECT_FALSE(result.config.owner.password_hash);

    const std::string with_password = "owner:\n  user_id: '@a:b.c'\n  password: pw\n";
    result = load(with_password, {{"RAVENOUS_OWNER_PASSWORD_HASH", "$argon2id$v=19$y"}});
    ASSERT_TRUE(no_problems(result.problems));
    EXPECT_FALSE(result.config.owner.password);
    EXPECT_EQ(result.config.owner.password_hash, "$argon2id$v=19$y");
}

TEST(Config, BothPasswordVariablesAreAProblemNamingBoth)
{
    auto result = load_default(
        {{"RAVENOUS_OWNER_PASSWORD", "pw"}, {"RAVENOUS_OWNER_PASSWORD_HASH", "$argon2id$v=19$y"}});
    EXPECT_TRUE(
        one_problem(result.problems, {"RAVENOUS_OWNER_PASSWORD and RAVENOUS_OWNER_PASSWORD_HASH"}));
}

TEST(Config, EnvironmentCanFixAFileValue)
{
    auto result = load("server_name: 'bad name'\n", {{"RAVENOUS_SERVER_NAME", "good.example"}});
    EXPECT_TRUE(result.ok());
}

class ConfigFile : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir_ = std::filesystem::temp_directory_path() /
               ("ravenous-config-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(ConfigFile, MissingFileIsAProblem)
{
    auto path = (dir_ / "nope.yaml").string();
    auto result = load_file(path, no_env);
    EXPECT_TRUE(one_problem(result.problems, {path, "cannot be read"}));
}

TEST_F(ConfigFile, DirectoryIsAProblem)
{
    EXPECT_TRUE(one_problem(load_file(dir_.string(), no_env).problems, {"cannot be read"}));
}

TEST_F(ConfigFile, FileIsLoadedWithTheEnvironment)
{
    auto path = dir_ / "ravenous.yaml";
    std::ofstream(path) << "server_name: file.example\n";
    auto result = load_file(path.string(), {{"RAVENOUS_LOG_LEVEL", "error"}});
    ASSERT_TRUE(no_problems(result.problems));
    EXPECT_EQ(result.config.server_name, "file.example");
    EXPECT_EQ(result.config.log_level, "error");
}

TEST(Config, ExampleFileIsValid)
{
    // Unit tests get no source-dir define; CMake compiles with absolute paths.
    auto example =
        std::filesystem::path(__FILE__).parent_path() / "../../../config/ravenous.example.yaml";
    auto result = load_file(example.lexically_normal().string(), no_env);
    EXPECT_TRUE(no_problems(result.problems));
}

TEST(Config, ProcessEnvironmentKeepsRavenousVariables)
{
    ::setenv("RAVENOUS_CONFIG_TEST_VARIABLE", "value", 1);
    auto env = process_environment();
    ::unsetenv("RAVENOUS_CONFIG_TEST_VARIABLE");
    const std::pair<std::string, std::string> expected{"RAVENOUS_CONFIG_TEST_VARIABLE", "value"};
    EXPECT_NE(std::find(env.begin(), env.end(), expected), env.end());
}

} // namespace
} // namespace ravenous::config
