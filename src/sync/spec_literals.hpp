#pragma once

// Spec literals of account data, receipts, typing and presence. They belong with the others
// in matrix/event_types.hpp; kept here until that shared header takes them.
#include <string_view>

namespace ravenous::sync::literals {

inline constexpr std::string_view m_tag = "m.tag";
inline constexpr std::string_view m_fully_read = "m.fully_read";
inline constexpr std::string_view m_push_rules = "m.push_rules";
inline constexpr std::string_view m_read = "m.read";
inline constexpr std::string_view m_read_private = "m.read.private";
inline constexpr std::string_view m_receipt = "m.receipt";
inline constexpr std::string_view m_typing = "m.typing";
inline constexpr std::string_view m_presence = "m.presence";
inline constexpr std::string_view main_thread = "main";

} // namespace ravenous::sync::literals
