// The operator API for appservices: GET/PUT/DELETE /_ravenous/admin/v1/appservices[/{id}]
// with the admin_token, registrations as JSON or YAML, effective at once and persisted. File
// registrations are listed but cannot be changed here.

#include "e2e/appservice_helpers.hpp"

namespace ravenous::test {
namespace {

using namespace appservices;

json slack_registration(std::string_view url = "http://127.0.0.1:29335")
{
    return {
        {"id", "slack"},
        {"url", url},
        {"as_token", "slack-as"},
        {"hs_token", "slack-hs"},
        {"sender_localpart", "slackbot"},
        {"namespaces", {{"users", {{{"exclusive", true}, {"regex", "@slack_.+:test\\.local"}}}}}},
    };
}

class OperatorAppservices : public ::testing::Test
{
protected:
    void SetUp() override
    {
        TestServer::Options options;
        options.appservices = {registration_yaml("telegram", "@telegram_.+:test\\.local")};
        server_ = std::make_unique<TestServer>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->client());
    }

    HttpResponse put_text(std::string_view id, std::string body, std::string content_type)
    {
        return client_->request("PUT", admin_item(id), std::move(body),
                                {{"Content-Type", std::move(content_type)},
                                 {"Authorization", "Bearer " + std::string(default_admin_token)}});
    }

    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> client_;
};

TEST_F(OperatorAppservices, JsonRegistrationIsCreatedThenReplaced)
{
    auto created = client_->put(admin_item("slack"), slack_registration(), default_admin_token);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json().at("source"), "operator");
    EXPECT_EQ(created.json().at("as_token"), "slack-as");
    EXPECT_EQ(whoami(*client_, "slack-as").json().value("user_id", ""), "@slackbot:test.local");

    auto replaced = client_->put(admin_item("slack"), slack_registration("http://127.0.0.1:1"),
                                 default_admin_token);
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    auto got = client_->get(admin_item("slack"), default_admin_token);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.json().at("url"), "http://127.0.0.1:1");
    EXPECT_TRUE(got.json().contains("delivery"));

    auto list = client_->get(admin_path, default_admin_token);
    ASSERT_EQ(list.status, 200) << list.body;
    const json entries = list.json().at("appservices");
    ASSERT_EQ(entries.size(), 2u);
    for (const auto& entry : entries) {
        if (entry.at("id") == "telegram") {
            EXPECT_EQ(entry.at("source"), "file");
            EXPECT_NE(entry.at("file").get<std::string>().find(".yaml"), std::string::npos);
        } else {
            EXPECT_EQ(entry.at("source"), "operator");
        }
    }
}

TEST_F(OperatorAppservices, YamlRegistrationsUseThePathIdWhenTheyHaveNone)
{
    std::string yaml = registration_yaml("irc", "@irc_.+:test\\.local");
    yaml.erase(0, yaml.find('\n') + 1);  // without its id line
    int expected = 201;  // then replaced by the same
    for (std::string type : {"application/yaml", "application/x-yaml", "text/yaml"}) {
        auto res = put_text("irc", yaml, type);
        EXPECT_EQ(res.status, expected) << type << ": " << res.body;
        EXPECT_EQ(res.json().value("id", ""), "irc") << type;
        expected = 200;
    }
    EXPECT_EQ(whoami(*client_, "irc-as").json().value("user_id", ""), "@ircbot:test.local");
    auto puppet = whoami(*client_, "irc-as", "@irc_nick:test.local");
    EXPECT_EQ(puppet.json().value("user_id", ""), "@irc_nick:test.local") << puppet.body;
}

TEST_F(OperatorAppservices, InvalidRegistrationsAreRefusedNamingTheProblem)
{
    const auto before = listed_ids(*client_);
    expect_error(put_text("slack", "id: [", "application/yaml"), 400, "M_NOT_JSON");
    expect_error(put_text("slack", "{\"id\": ", "application/json"), 400, "M_NOT_JSON");
    expect_error(put_text("slack", "[1, 2]", "application/json"), 400, "M_BAD_JSON");

    json bad_regex = slack_registration();
    bad_regex["namespaces"]["users"][0]["regex"] = "@slack_(unclosed";
    auto regex = client_->put(admin_item("slack"), bad_regex, default_admin_token);
    expect_error(regex, 400, "M_BAD_JSON");
    EXPECT_NE(regex.json().value("error", "").find("namespaces.users[0].regex"), std::string::npos)
        << regex.body;

    json missing = slack_registration();
    missing.erase("as_token");
    auto no_token = client_->put(admin_item("slack"), missing, default_admin_token);
    expect_error(no_token, 400, "M_BAD_JSON");
    EXPECT_NE(no_token.json().value("error", "").find("as_token"), std::string::npos);

    expect_error(client_->put(admin_item("other"), slack_registration(), default_admin_token), 400,
                 "M_INVALID_PARAM");
    expect_error(client_->put(admin_item("a%20b"), slack_registration(), default_admin_token), 400,
                 "M_INVALID_PARAM");
    EXPECT_EQ(listed_ids(*client_), before);
    expect_error(whoami(*client_, "slack-as"), 401, "M_UNKNOWN_TOKEN");
}

TEST_F(OperatorAppservices, ConflictsAre409NamingTheOtherAppservice)
{
    const auto before = listed_ids(*client_);
    json overlap = slack_registration();
    overlap["namespaces"]["users"][0]["regex"] = "@telegram_.+:test\\.local";
    auto clash = client_->put(admin_item("slack"), overlap, default_admin_token);
    expect_error(clash, 409, "M_EXCLUSIVE");
    EXPECT_NE(clash.json().value("error", "").find("'telegram'"), std::string::npos) << clash.body;

    json same_token = slack_registration();
    same_token["as_token"] = "telegram-as";
    auto token = client_->put(admin_item("slack"), same_token, default_admin_token);
    expect_error(token, 409, "M_EXCLUSIVE");
    EXPECT_EQ(token.json().value("error", "").find("telegram-as"), std::string::npos)
        << "a token was echoed";

    // A sender that is the owner would hand the owner's identity to the appservice.
    json owner_sender = slack_registration();
    owner_sender["sender_localpart"] = "owner";
    expect_error(client_->put(admin_item("slack"), owner_sender, default_admin_token), 409,
                 "M_EXCLUSIVE");

    EXPECT_EQ(listed_ids(*client_), before);
    expect_error(whoami(*client_, "slack-as"), 401, "M_UNKNOWN_TOKEN");
}

TEST_F(OperatorAppservices, FileRegistrationsCannotBeChangedHere)
{
    auto put = client_->put(admin_item("telegram"), slack_registration(), default_admin_token);
    EXPECT_EQ(put.status, 400) << "path and body ids differ: " << put.body;
    json same_id = slack_registration();
    same_id["id"] = "telegram";
    auto replace = client_->put(admin_item("telegram"), same_id, default_admin_token);
    expect_error(replace, 403, "M_FORBIDDEN");
    EXPECT_NE(replace.json().value("error", "").find("app_service_config_files"),
              std::string::npos);
    expect_error(client_->del(admin_item("telegram"), nullptr, default_admin_token), 403,
                 "M_FORBIDDEN");
    EXPECT_EQ(whoami(*client_, "telegram-as").json().value("user_id", ""),
              "@telegrambot:test.local");
    EXPECT_EQ(client_->get(admin_item("telegram"), default_admin_token).json().at("as_token"),
              "telegram-as");
}

TEST_F(OperatorAppservices, TheAdminTokenIsRequired)
{
    auto owner = login_owner(*client_);
    expect_error(client_->get(admin_path), 401, "M_MISSING_TOKEN");
    expect_error(client_->get(admin_path, "wrong"), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->get(admin_path, owner), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->put(admin_item("slack"), slack_registration(), owner), 401,
                 "M_UNKNOWN_TOKEN");
    expect_error(client_->put(admin_item("slack"), slack_registration(), "telegram-as"), 401,
                 "M_UNKNOWN_TOKEN");
    expect_error(client_->del(admin_item("telegram"), nullptr, owner), 401, "M_UNKNOWN_TOKEN");
    EXPECT_EQ(listed_ids(*client_), (std::set<std::string>{"telegram"}));
}

TEST_F(OperatorAppservices, DeletionTakesEffectAtOnceAndSurvivesARestart)
{
    ASSERT_EQ(client_->put(admin_item("slack"), slack_registration(), default_admin_token).status,
              201);
    json kept = slack_registration();
    kept["id"] = "kept";
    kept["as_token"] = "kept-as";
    kept["hs_token"] = "kept-hs";
    kept["sender_localpart"] = "keptbot";
    kept["namespaces"]["users"][0]["regex"] = "@kept_.+:test\\.local";
    ASSERT_EQ(client_->put(admin_item("kept"), kept, default_admin_token).status, 201);

    auto deleted = client_->del(admin_item("slack"), nullptr, default_admin_token);
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(deleted.json(), json::object());
    expect_error(whoami(*client_, "slack-as"), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->get(admin_item("slack"), default_admin_token), 404, "M_NOT_FOUND");
    expect_error(client_->del(admin_item("slack"), nullptr, default_admin_token), 404,
                 "M_NOT_FOUND");

    server_->restart();
    EXPECT_EQ(listed_ids(*client_), (std::set<std::string>{"telegram", "kept"}));
    EXPECT_EQ(whoami(*client_, "kept-as").json().value("user_id", ""), "@keptbot:test.local");
    expect_error(whoami(*client_, "slack-as"), 401, "M_UNKNOWN_TOKEN");
}

TEST_F(OperatorAppservices, BridgeManagedRegistrationsAreDeletedButNotReplacedHere)
{
    auto owner = login_owner(*client_);
    auto bridge = client_->put(bridge_path("owner", "signal"), {{"push", false}}, owner);
    ASSERT_EQ(bridge.status, 201) << bridge.body;
    json replacement = bridge.json();
    replacement["url"] = "http://127.0.0.1:1";
    expect_error(client_->put(admin_item("signal"), replacement, default_admin_token), 403,
                 "M_FORBIDDEN");
    EXPECT_TRUE(client_->get(bridge_path("owner", "signal"), owner).json().at("url").is_null());

    ASSERT_EQ(client_->del(admin_item("signal"), nullptr, default_admin_token).status, 200);
    expect_error(client_->get(bridge_path("owner", "signal"), owner), 404, "M_NOT_FOUND");
    expect_error(whoami(*client_, bridge.json().at("as_token").get<std::string>()), 401,
                 "M_UNKNOWN_TOKEN");
}

} // namespace
} // namespace ravenous::test
