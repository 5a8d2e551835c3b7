// The predefined push rules of the spec (v1.16, "Predefined Rules"), in their order.
#include "ravenous/push/ruleset.hpp"

namespace ravenous::push {

using nlohmann::json;

namespace {

json match(std::string_view key, std::string_view pattern)
{
    return {{"kind", "event_match"}, {"key", key}, {"pattern", pattern}};
}

json rule(std::string_view id, bool enabled, json conditions, json actions)
{
    return {{"rule_id", id},
            {"default", true},
            {"enabled", enabled},
            {"conditions", std::move(conditions)},
            {"actions", std::move(actions)}};
}

const json sound_default = {{"set_tweak", "sound"}, {"value", "default"}};
const json highlight = {{"set_tweak", "highlight"}};

} // namespace

json default_rules(std::string_view user_id)
{
    const std::string user{user_id};
    std::string localpart = user.substr(user.empty() ? 0 : 1);
    localpart = localpart.substr(0, localpart.find(':'));

    json override_rules = json::array();
    override_rules.push_back(rule(".m.rule.master", false, json::array(), json::array()));
    override_rules.push_back(rule(".m.rule.suppress_notices", true,
                                  json::array({match("content.msgtype", "m.notice")}),
                                  json::array()));
    override_rules.push_back(
        rule(".m.rule.invite_for_me", true,
             json::array({match("type", "m.room.member"), match("content.membership", "invite"),
                          match("state_key", user)}),
             json::array({"notify", sound_default})));
    override_rules.push_back(rule(".m.rule.member_event", true,
                                  json::array({match("type", "m.room.member")}), json::array()));
    override_rules.push_back(rule(".m.rule.is_user_mention", true,
                                  json::array({{{"kind", "event_property_contains"},
                                                {"key", "content.m\\.mentions.user_ids"},
                                                {"value", user}}}),
                                  json::array({"notify", sound_default, highlight})));
    override_rules.push_back(rule(".m.rule.contains_display_name", true,
                                  json::array({{{"kind", "contains_display_name"}}}),
                                  json::array({"notify", sound_default, highlight})));
    override_rules.push_back(rule(
        ".m.rule.is_room_mention", true,
        json::array(
            {{{"kind", "event_property_is"}, {"key", "content.m\\.mentions.room"}, {"value", true}},
             {{"kind", "sender_notification_permission"}, {"key", "room"}}}),
        json::array({"notify", highlight})));
    override_rules.push_back(
        rule(".m.rule.roomnotif", true,
             json::array({match("content.body", "@room"),
                          {{"kind", "sender_notification_permission"}, {"key", "room"}}}),
             json::array({"notify", highlight})));
    override_rules.push_back(
        rule(".m.rule.tombstone", true,
             json::array({match("type", "m.room.tombstone"), match("state_key", "")}),
             json::array({"notify", highlight})));
    override_rules.push_back(
        rule(".m.rule.reaction", true, json::array({match("type", "m.reaction")}), json::array()));
    override_rules.push_back(rule(
        ".m.rule.room.server_acl", true,
        json::array({match("type", "m.room.server_acl"), match("state_key", "")}), json::array()));
    override_rules.push_back(rule(".m.rule.suppress_edits", true,
                                  json::array({{{"kind", "event_property_is"},
                                                {"key", "content.m\\.relates_to.rel_type"},
                                                {"value", "m.replace"}}}),
                                  json::array()));

    json content_rules = json::array();
    content_rules.push_back({{"rule_id", ".m.rule.contains_user_name"},
                             {"default", true},
                             {"enabled", true},
                             {"pattern", localpart},
                             {"actions", json::array({"notify", sound_default, highlight})}});

    json underride_rules = json::array();
    underride_rules.push_back(
        rule(".m.rule.call", true, json::array({match("type", "m.call.invite")}),
             json::array({"notify", {{"set_tweak", "sound"}, {"value", "ring"}}})));
    underride_rules.push_back(rule(".m.rule.encrypted_room_one_to_one", true,
                                   json::array({{{"kind", "room_member_count"}, {"is", "2"}},
                                                match("type", "m.room.encrypted")}),
                                   json::array({"notify", sound_default})));
    underride_rules.push_back(rule(".m.rule.room_one_to_one", true,
                                   json::array({{{"kind", "room_member_count"}, {"is", "2"}},
                                                match("type", "m.room.message")}),
                                   json::array({"notify", sound_default})));
    underride_rules.push_back(rule(".m.rule.message", true,
                                   json::array({match("type", "m.room.message")}),
                                   json::array({"notify"})));
    underride_rules.push_back(rule(".m.rule.encrypted", true,
                                   json::array({match("type", "m.room.encrypted")}),
                                   json::array({"notify"})));

    return {{"override", std::move(override_rules)},
            {"content", std::move(content_rules)},
            {"room", json::array()},
            {"sender", json::array()},
            {"underride", std::move(underride_rules)}};
}

} // namespace ravenous::push
