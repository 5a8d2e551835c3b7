#pragma once

#include <string_view>

// Spec literals: event types, membership values, relation types. Spelled here and nowhere
// else (STYLE.md convention 6). Event types and membership values are in inline namespaces:
// `matrix::m_room_member` and `matrix::event_types::m_room_member` name the same constant,
// as do `matrix::join` and `matrix::membership::join`.
namespace ravenous::matrix {

inline namespace event_types {
inline constexpr std::string_view m_room_create = "m.room.create";
inline constexpr std::string_view m_room_member = "m.room.member";
inline constexpr std::string_view m_room_power_levels = "m.room.power_levels";
inline constexpr std::string_view m_room_join_rules = "m.room.join_rules";
inline constexpr std::string_view m_room_history_visibility = "m.room.history_visibility";
inline constexpr std::string_view m_room_redaction = "m.room.redaction";
inline constexpr std::string_view m_room_name = "m.room.name";
inline constexpr std::string_view m_room_topic = "m.room.topic";
inline constexpr std::string_view m_room_avatar = "m.room.avatar";
inline constexpr std::string_view m_room_canonical_alias = "m.room.canonical_alias";
inline constexpr std::string_view m_room_guest_access = "m.room.guest_access";
inline constexpr std::string_view m_room_encryption = "m.room.encryption";
inline constexpr std::string_view m_room_encrypted = "m.room.encrypted";
inline constexpr std::string_view m_room_tombstone = "m.room.tombstone";
inline constexpr std::string_view m_room_server_acl = "m.room.server_acl";
inline constexpr std::string_view m_room_pinned_events = "m.room.pinned_events";
inline constexpr std::string_view m_room_third_party_invite = "m.room.third_party_invite";
inline constexpr std::string_view m_room_message = "m.room.message";
inline constexpr std::string_view m_reaction = "m.reaction";
} // namespace event_types

// Values of m.room.member's `membership`.
inline namespace membership {
inline constexpr std::string_view join = "join";
inline constexpr std::string_view invite = "invite";
inline constexpr std::string_view leave = "leave";
inline constexpr std::string_view ban = "ban";
inline constexpr std::string_view knock = "knock";
} // namespace membership

// Values of m.room.join_rules' `join_rule`.
namespace join_rules {
inline constexpr std::string_view public_ = "public";
inline constexpr std::string_view invite = "invite";
inline constexpr std::string_view knock = "knock";
inline constexpr std::string_view restricted = "restricted";
inline constexpr std::string_view knock_restricted = "knock_restricted";
inline constexpr std::string_view private_ = "private";
} // namespace join_rules

// Values of m.room.history_visibility's `history_visibility`.
namespace history_visibility {
inline constexpr std::string_view invited = "invited";
inline constexpr std::string_view joined = "joined";
inline constexpr std::string_view shared = "shared";
inline constexpr std::string_view world_readable = "world_readable";
} // namespace history_visibility

// m.relates_to rel_type values.
namespace rel_types {
inline constexpr std::string_view replace = "m.replace";
inline constexpr std::string_view thread = "m.thread";
inline constexpr std::string_view annotation = "m.annotation";
inline constexpr std::string_view reference = "m.reference";
} // namespace rel_types

// Account data, receipt and ephemeral event types, and the main-timeline thread id.
namespace literals {
inline constexpr std::string_view m_tag = "m.tag";
inline constexpr std::string_view m_fully_read = "m.fully_read";
inline constexpr std::string_view m_push_rules = "m.push_rules";
inline constexpr std::string_view m_read = "m.read";
inline constexpr std::string_view m_read_private = "m.read.private";
inline constexpr std::string_view m_receipt = "m.receipt";
inline constexpr std::string_view m_typing = "m.typing";
inline constexpr std::string_view m_presence = "m.presence";
inline constexpr std::string_view main_thread = "main";
inline constexpr std::string_view m_marked_unread = "m.marked_unread";
inline constexpr std::string_view com_famedly_marked_unread = "com.famedly.marked_unread"; // MSC2867
// Beeper's room account data: a mute ({"muted_until": -1 | 0 | unix ms}) and the inbox's "done".
inline constexpr std::string_view com_beeper_mute = "com.beeper.mute";
inline constexpr std::string_view com_beeper_inbox_done = "com.beeper.inbox.done";
} // namespace literals

} // namespace ravenous::matrix
