// Namespace matching with PCRE2. Synapse uses Python's re.match: anchored at the start of the
// id, not at its end, so "@whatsapp_.+" covers "@whatsapp_1:beeper.local". Bridges write their
// regexes for that behaviour, so we match the same way. std::regex was no option: libstdc++'s
// executor recurses per character and is an order of magnitude slower.

#define PCRE2_CODE_UNIT_WIDTH 8
#include "ravenous/appservice/registration.hpp"

#include <pcre2.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace ravenous::appservice {

namespace {

// User ids, aliases and room ids are at most 255 bytes. Longer input can only come from an
// unvalidated request; refusing it bounds every match.
constexpr std::size_t max_id_length = 255;

// Backtracking budget per match: a pathological regex fails (no match) instead of spinning.
constexpr std::uint32_t match_limit = 100'000;
constexpr std::uint32_t depth_limit = 1'000;

struct MatchDataDeleter
{
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

// One per thread: match data is scratch space that two threads may not share. One pair of
// offsets is enough, we only ask whether it matches.
pcre2_match_data* thread_match_data()
{
    thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
        pcre2_match_data_create(1, nullptr));
    return data.get();
}

} // namespace

class Pattern
{
public:
    explicit Pattern(const std::string& regex)
    {
        // Anchored at compile time rather than per match: JIT code ignores PCRE2_ANCHORED
        // as a match option (it falls back to the interpreter), and the meaning is the same.
        // UCP: Python 3's \d, \w and \b are Unicode-aware on str patterns.
        int error = 0;
        PCRE2_SIZE offset = 0;
        code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(regex.data()), regex.size(),
                              PCRE2_ANCHORED | PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
        if (code_ == nullptr) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(error, message, sizeof message);
            throw std::invalid_argument(std::string(reinterpret_cast<const char*>(message)) +
                                        " at offset " + std::to_string(offset));
        }
        // JIT is an optimisation: where it is unavailable the interpreter runs the same code.
        pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);
        context_ = pcre2_match_context_create(nullptr);
        if (context_ == nullptr) {
            pcre2_code_free(code_);
            throw std::bad_alloc();
        }
        pcre2_set_match_limit(context_, match_limit);
        pcre2_set_depth_limit(context_, depth_limit);
    }
    ~Pattern()
    {
        pcre2_match_context_free(context_);
        pcre2_code_free(code_);
    }
    Pattern(const Pattern&) = delete;
    Pattern& operator=(const Pattern&) = delete;

    // Compiled code and match context are only read here, so threads may share them.
    bool matches(std::string_view subject) const
    {
        pcre2_match_data* data = thread_match_data();
        if (data == nullptr)
            throw std::bad_alloc();
        const int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                                   subject.size(), 0, 0, data, context_);
        // 0: matched, but the offsets did not fit (we asked for none). Negative: no match,
        // invalid UTF-8 or a limit reached, all of which mean "not in the namespace".
        return rc >= 0;
    }

private:
    pcre2_code* code_ = nullptr;
    pcre2_match_context* context_ = nullptr;
};

Namespace::Namespace(std::string regex_text, bool is_exclusive)
    : regex(std::move(regex_text)), exclusive(is_exclusive),
      pattern(std::make_shared<const Pattern>(regex))
{
}

bool Namespace::matches(std::string_view id) const
{
    if (id.size() > max_id_length || !pattern)
        return false;
    return pattern->matches(id);
}

UserMatchCache& UserMatchCache::operator=(const UserMatchCache&)
{
    std::lock_guard lock(mutex_);
    entries_.clear();
    return *this;
}

std::size_t UserMatchCache::Hash::operator()(std::string_view text) const noexcept
{
    return std::hash<std::string_view>{}(text);
}

std::optional<UserMatchCache::Result> UserMatchCache::find(std::string_view user_id) const
{
    std::lock_guard lock(mutex_);
    auto it = entries_.find(user_id);
    if (it == entries_.end())
        return std::nullopt;
    return it->second;
}

void UserMatchCache::store(std::string_view user_id, Result result) const
{
    std::lock_guard lock(mutex_);
    // Dropping everything is crude but bounded, and refilling costs one match per user.
    if (entries_.size() >= max_entries)
        entries_.clear();
    entries_.emplace(std::string(user_id), result);
}

std::size_t UserMatchCache::size() const
{
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::string Registration::sender_user_id(std::string_view server_name) const
{
    std::string id = "@";
    id += sender_localpart;
    id += ':';
    id += server_name;
    return id;
}

UserMatchCache::Result Registration::match_user(std::string_view user_id) const
{
    if (user_id.size() > max_id_length)
        return {};  // never matches; not worth a cache entry
    if (auto cached = user_matches.find(user_id))
        return *cached;
    UserMatchCache::Result result;
    for (const auto& ns : users) {
        if (ns.matches(user_id)) {
            result.any = true;
            result.exclusive = result.exclusive || ns.exclusive;
        }
        if (result.exclusive)
            break;
    }
    user_matches.store(user_id, result);
    return result;
}

bool Registration::is_interested_in_user(std::string_view user_id,
                                         std::string_view server_name) const
{
    return user_id == sender_user_id(server_name) || match_user(user_id).any;
}

bool Registration::is_exclusive_user(std::string_view user_id) const
{
    return match_user(user_id).exclusive;
}

bool Registration::matches_alias(std::string_view alias) const
{
    return std::any_of(aliases.begin(), aliases.end(),
                       [&](const Namespace& ns) { return ns.matches(alias); });
}

bool Registration::matches_room_id(std::string_view room_id) const
{
    return std::any_of(rooms.begin(), rooms.end(),
                       [&](const Namespace& ns) { return ns.matches(room_id); });
}

bool Registration::pushes_over_http() const
{
    if (!url || !(url->starts_with("http://") || url->starts_with("https://")))
        return false;
    return !bridge_manager || bridge_manager->push;
}

bool Registration::delivers_over_websocket() const
{
    if (bridge_manager && !bridge_manager->push)
        return true;
    return !url || url->empty() || *url == "websocket";
}

} // namespace ravenous::appservice
