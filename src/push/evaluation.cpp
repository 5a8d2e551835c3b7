// The facts rule evaluation needs about a room and a user, read from storage.
#include "push/evaluation.hpp"

#include "ravenous/matrix/event_types.hpp"
#include "ravenous/push/ruleset.hpp"
#include "ravenous/storage/account_data_table.hpp"
#include "ravenous/storage/push_rules_table.hpp"
#include "ravenous/storage/rooms_table.hpp"

#include <mutex>

namespace ravenous::push::detail {

using nlohmann::json;

EvalContext RoomFacts::context_for(const std::string& sender) const
{
    EvalContext context;
    context.member_count = member_count;
    context.display_name = display_name;
    context.sender_power = levels.user_level(sender);
    context.notification_levels = notifications;
    if (!context.notification_levels.contains("room"))
        context.notification_levels["room"] = levels.notifications_room;
    return context;
}

RoomFacts room_facts(storage::ReadTxn& txn, const std::string& room_id, const std::string& user_id)
{
    RoomFacts facts;
    facts.member_count = storage::memberships::count(txn, room_id, "join");
    if (auto member = storage::current_state::get(txn, room_id, "m.room.member", user_id)) {
        const json event = json::parse(member->json, nullptr, false);
        if (event.is_object()) {
            const json* name = property(event, "content.displayname");
            if (name && name->is_string())
                facts.display_name = name->get<std::string>();
        }
    }
    std::optional<json> content;
    if (auto levels = storage::current_state::get(txn, room_id, "m.room.power_levels", "")) {
        const json event = json::parse(levels->json, nullptr, false);
        if (event.is_object() && event.contains("content") && event["content"].is_object())
            content = event["content"];
    }
    const auto room = storage::rooms::get(txn, room_id);
    facts.levels = rooms::PowerLevels::from_state(content, room ? room->creator : std::string());
    if (content && content->contains("notifications") && (*content)["notifications"].is_object())
        facts.notifications = (*content)["notifications"];
    return facts;
}

std::int64_t rules_version(storage::ReadTxn& txn, const std::string& user_id)
{
    return storage::push_rules::changed_at(txn, user_id).value_or(0);
}

std::shared_ptr<const json> user_rules(storage::ReadTxn& txn, const std::string& user_id)
{
    // One user per process: a tiny cache (bounded: cleared when it grows past a few users).
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::int64_t, std::shared_ptr<const json>>> cache;
    const std::int64_t version = rules_version(txn, user_id);
    {
        std::lock_guard lock{mutex};
        const auto it = cache.find(user_id);
        if (it != cache.end() && it->second.first == version)
            return it->second.second;
    }
    auto rules = std::make_shared<const json>(
        merge_rules(user_id, storage::push_rules::of_user(txn, user_id)));
    std::lock_guard lock{mutex};
    if (cache.size() > 64)
        cache.clear();
    cache[user_id] = {version, rules};
    return rules;
}

bool muted(storage::ReadTxn& txn, const std::string& room_id, const std::string& user_id,
           std::int64_t now)
{
    const auto stored =
        storage::account_data::get(txn, user_id, room_id, matrix::literals::com_beeper_mute);
    if (!stored)
        return false;
    const json content = json::parse(*stored, nullptr, false);
    if (!content.is_object())
        return false;
    const auto until = content.find("muted_until");
    if (until == content.end() || !until->is_number_integer())
        return false;
    const auto value = until->get<std::int64_t>();
    return value == -1 || value > now;
}

std::shared_ptr<const json> with_room_muted(const json& rules, const std::string& room_id)
{
    auto muted_rules = std::make_shared<json>(rules);
    json& room_rules = (*muted_rules)["room"];
    if (!room_rules.is_array())
        room_rules = json::array();
    room_rules.insert(room_rules.begin(), json{{"rule_id", room_id},
                                               {"default", false},
                                               {"enabled", true},
                                               {"actions", json::array()}});
    return muted_rules;
}

std::int64_t ReadPoints::read_up_to(const std::string& thread) const
{
    std::int64_t point = std::max(unthreaded, floor);
    if (thread.empty()) {
        point = std::max(point, main);
    } else if (const auto it = threads.find(thread); it != threads.end()) {
        point = std::max(point, it->second);
    }
    return point;
}

std::string ReadPoints::signature() const
{
    std::string out =
        std::to_string(unthreaded) + "/" + std::to_string(main) + "/" + std::to_string(floor);
    for (const auto& [thread, topo] : threads)
        out += "/" + thread + "=" + std::to_string(topo);
    return out;
}

ReadPoints read_points(storage::ReadTxn& txn, const std::string& room_id,
                       const std::string& user_id)
{
    ReadPoints points;
    for (const auto& receipt : storage::push_receipts::of_user(txn, room_id, user_id)) {
        if (receipt.thread_id.empty())
            points.unthreaded = std::max(points.unthreaded, receipt.topo);
        else if (receipt.thread_id == "main")
            points.main = std::max(points.main, receipt.topo);
        else
            points.threads[receipt.thread_id] =
                std::max(points.threads[receipt.thread_id], receipt.topo);
    }
    points.floor = storage::push_receipts::membership_topo(txn, room_id, user_id).value_or(0);
    return points;
}

std::string thread_of(const storage::EventRow& row,
                      const std::unordered_map<std::string, std::string>& known)
{
    if (!row.relates_to)
        return {};
    if (row.rel_type && *row.rel_type == "m.thread")
        return *row.relates_to;
    const auto it = known.find(*row.relates_to);
    return it != known.end() ? it->second : std::string();
}

json event_json(const storage::EventRow& row)
{
    json event = json::parse(row.json, nullptr, false);
    if (!event.is_object())
        event = json::object();
    if (!event.contains("room_id"))
        event["room_id"] = row.room_id;
    return event;
}

} // namespace ravenous::push::detail
