// push_rules, push_rules_stream and pushers (schema/0003_push.sql), and the read receipts that
// unread counts start from.
#include "ravenous/storage/push_rules_table.hpp"

#include "storage/event_rows.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view rules_of_user_sql =
    "SELECT kind, rule_id, priority, rule, enabled, actions FROM push_rules WHERE user_id = ? "
    "ORDER BY kind, priority DESC, rule_id";
constexpr std::string_view rule_get_sql =
    "SELECT kind, rule_id, priority, rule, enabled, actions FROM push_rules "
    "WHERE user_id = ? AND kind = ? AND rule_id = ?";
constexpr std::string_view rule_put_sql =
    "INSERT OR REPLACE INTO push_rules (user_id, kind, rule_id, priority, rule, enabled, actions) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view rule_delete_sql =
    "DELETE FROM push_rules WHERE user_id = ? AND kind = ? AND rule_id = ?";
constexpr std::string_view rule_priority_sql =
    "UPDATE push_rules SET priority = ? WHERE user_id = ? AND kind = ? AND rule_id = ?";
constexpr std::string_view mark_changed_sql =
    "INSERT INTO push_rules_stream (user_id, stream_pos) VALUES (?, ?) "
    "ON CONFLICT (user_id) DO UPDATE SET stream_pos = excluded.stream_pos";
constexpr std::string_view changed_at_sql =
    "SELECT stream_pos FROM push_rules_stream WHERE user_id = ?";

constexpr std::string_view pushers_of_user_sql =
    "SELECT app_id, pushkey, device_id, pusher, created_ts FROM pushers WHERE user_id = ? "
    "ORDER BY created_ts, app_id, pushkey";
constexpr std::string_view pusher_put_sql =
    "INSERT OR REPLACE INTO pushers (user_id, app_id, pushkey, device_id, pusher, created_ts) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view pusher_delete_sql =
    "DELETE FROM pushers WHERE user_id = ? AND app_id = ? AND pushkey = ?";

constexpr std::string_view receipts_sql =
    "SELECT r.receipt_type, r.thread_id, r.event_id, e.topo FROM receipts r "
    "JOIN events e ON e.event_id = r.event_id AND e.room_id = r.room_id "
    "WHERE r.room_id = ? AND r.user_id = ? AND r.receipt_type IN ('m.read', 'm.read.private')";

constexpr std::string_view membership_topo_sql =
    "SELECT e.topo FROM memberships m JOIN events e ON e.stream_pos = m.stream_pos "
    "WHERE m.room_id = ? AND m.user_id = ?";
constexpr std::string_view recent_events_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.stream_pos < ? "
    "ORDER BY e.stream_pos DESC LIMIT ?";

PushRuleRow read_rule(const Statement& stmt)
{
    PushRuleRow row;
    row.kind = stmt.column_text(0);
    row.rule_id = stmt.column_text(1);
    row.priority = stmt.column_int(2);
    row.rule = stmt.column_optional_text(3);
    if (auto enabled = stmt.column_optional_int(4))
        row.enabled = *enabled != 0;
    row.actions = stmt.column_optional_text(5);
    return row;
}

} // namespace

namespace push_rules {

std::vector<PushRuleRow> of_user(ReadTxn& txn, std::string_view user_id)
{
    auto& stmt = txn.prepare(rules_of_user_sql).bind_all(user_id);
    std::vector<PushRuleRow> rows;
    while (stmt.step())
        rows.push_back(read_rule(stmt));
    return rows;
}

std::optional<PushRuleRow> get(ReadTxn& txn, std::string_view user_id, std::string_view kind,
                               std::string_view rule_id)
{
    auto& stmt = txn.prepare(rule_get_sql).bind_all(user_id, kind, rule_id);
    std::optional<PushRuleRow> row;
    if (stmt.step())
        row = read_rule(stmt);
    stmt.run();
    return row;
}

void put(WriteTxn& txn, std::string_view user_id, const PushRuleRow& row)
{
    std::optional<std::int64_t> enabled;
    if (row.enabled)
        enabled = *row.enabled ? 1 : 0;
    txn.prepare(rule_put_sql)
        .bind_all(user_id, row.kind, row.rule_id, row.priority, row.rule, enabled, row.actions)
        .run();
}

bool remove(WriteTxn& txn, std::string_view user_id, std::string_view kind,
            std::string_view rule_id)
{
    txn.prepare(rule_delete_sql).bind_all(user_id, kind, rule_id).run();
    return txn.conn().changes() > 0;
}

void set_priority(WriteTxn& txn, std::string_view user_id, std::string_view kind,
                  std::string_view rule_id, std::int64_t priority)
{
    txn.prepare(rule_priority_sql).bind_all(priority, user_id, kind, rule_id).run();
}

std::int64_t mark_changed(WriteTxn& txn, std::string_view user_id)
{
    const auto pos = stream::next(txn);
    txn.prepare(mark_changed_sql).bind_all(user_id, pos).run();
    return pos;
}

std::optional<std::int64_t> changed_at(ReadTxn& txn, std::string_view user_id)
{
    auto& stmt = txn.prepare(changed_at_sql).bind_all(user_id);
    std::optional<std::int64_t> pos;
    if (stmt.step())
        pos = stmt.column_int(0);
    stmt.run();
    return pos;
}

} // namespace push_rules

namespace pushers {

std::vector<PusherRow> of_user(ReadTxn& txn, std::string_view user_id)
{
    auto& stmt = txn.prepare(pushers_of_user_sql).bind_all(user_id);
    std::vector<PusherRow> rows;
    while (stmt.step())
        rows.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_optional_text(2),
                        stmt.column_text(3), stmt.column_int(4)});
    return rows;
}

void put(WriteTxn& txn, std::string_view user_id, const PusherRow& row)
{
    txn.prepare(pusher_put_sql)
        .bind_all(user_id, row.app_id, row.pushkey, row.device_id, row.json, row.created_ts)
        .run();
}

bool remove(WriteTxn& txn, std::string_view user_id, std::string_view app_id,
            std::string_view pushkey)
{
    txn.prepare(pusher_delete_sql).bind_all(user_id, app_id, pushkey).run();
    return txn.conn().changes() > 0;
}

} // namespace pushers

namespace push_receipts {

std::vector<ReadReceipt> of_user(ReadTxn& txn, std::string_view room_id, std::string_view user_id)
{
    auto& stmt = txn.prepare(receipts_sql).bind_all(room_id, user_id);
    std::vector<ReadReceipt> rows;
    while (stmt.step())
        rows.push_back(
            {stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_int(3)});
    return rows;
}

std::optional<std::int64_t> membership_topo(ReadTxn& txn, std::string_view room_id,
                                            std::string_view user_id)
{
    auto& stmt = txn.prepare(membership_topo_sql).bind_all(room_id, user_id);
    std::optional<std::int64_t> topo;
    if (stmt.step())
        topo = stmt.column_int(0);
    stmt.run();
    return topo;
}

std::vector<EventRow> recent_events(ReadTxn& txn, std::int64_t before, int limit)
{
    if (limit <= 0)
        return {};
    auto& stmt = txn.prepare(recent_events_sql).bind_all(before, std::int64_t{limit});
    return detail::read_events(stmt);
}

} // namespace push_receipts

} // namespace ravenous::storage
