#include "ravenous/appservice/registry.hpp"

#include "ravenous/util/encoding.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace ravenous::appservice {

namespace {

// The characters every id in the namespace starts with, from the regex's leading literal
// characters: "@whatsapp_.+:beeper\.local" -> "@whatsapp_". Stops at the first metacharacter;
// a literal followed by a quantifier is optional, so it is left out.
std::string literal_prefix(std::string_view regex)
{
    std::string prefix;
    std::size_t i = regex.starts_with('^') ? 1 : 0;
    while (i < regex.size()) {
        char literal = regex[i];
        std::size_t next = i + 1;
        if (literal == '\\') {
            // \d, \w, \b, \1 ... are classes or assertions, not characters.
            if (next >= regex.size() || std::isalnum(static_cast<unsigned char>(regex[next]))) {
                break;
            }
            literal = regex[next];
            next = i + 2;
        } else if (std::strchr(".*+?()[]{}|^$", literal) != nullptr) {
            break;
        }
        if (next < regex.size() && std::strchr("*+?{", regex[next]) != nullptr) {
            if (regex[next] == '+') {
                prefix += literal;
            }
            break;
        }
        prefix += literal;
        i = next;
    }
    return prefix;
}

// A few user ids that the namespace really contains, built from its literal prefix. Regex
// overlap is undecidable in general; this catches the cases bridges actually produce.
std::vector<std::string> sample_users(const Namespace& ns, std::string_view server_name)
{
    const std::string prefix = literal_prefix(ns.regex);
    const std::string server(server_name);
    std::vector<std::string> samples;
    for (const std::string& candidate :
         {prefix, prefix + "x:" + server, prefix + "0:" + server, prefix + "x", prefix + "0"}) {
        if (!candidate.empty() && ns.matches(candidate)) {
            samples.push_back(candidate);
        }
    }
    return samples;
}

bool overlaps(const Namespace& a, const Namespace& b, std::string_view server_name)
{
    if (a.regex == b.regex) {
        return true;
    }
    auto sample_in = [&](const Namespace& from, const Namespace& to) {
        auto samples = sample_users(from, server_name);
        return std::any_of(samples.begin(), samples.end(),
                           [&](const std::string& id) { return to.matches(id); });
    };
    return sample_in(a, b) || sample_in(b, a);
}

void exclusive_conflicts(const Registration& candidate, const Registration& other,
                         std::string_view server_name, std::vector<std::string>& problems)
{
    const std::string quoted_other = "appservice '" + other.id + "'";
    const std::string candidate_sender = candidate.sender_user_id(server_name);
    const std::string other_sender = other.sender_user_id(server_name);
    for (const auto& theirs : other.users) {
        if (theirs.exclusive && theirs.matches(candidate_sender)) {
            problems.push_back("sender '" + candidate_sender +
                               "' is in the exclusive user namespace '" + theirs.regex + "' of " +
                               quoted_other);
        }
    }
    for (const auto& ours : candidate.users) {
        if (!ours.exclusive) {
            continue;
        }
        if (ours.matches(other_sender)) {
            problems.push_back("user namespace '" + ours.regex + "' contains the sender '" +
                               other_sender + "' of " + quoted_other);
        }
        const bool clash = std::any_of(other.users.begin(), other.users.end(), [&](const auto& t) {
            return t.exclusive && overlaps(ours, t, server_name);
        });
        if (clash) {
            problems.push_back("user namespace '" + ours.regex +
                               "' overlaps the exclusive namespace of " + quoted_other);
        }
    }
}

// `replacing`: the candidate will replace the entry with its id, so that entry is not a
// conflict (put); otherwise a second registration with the same id is one (conflicts).
std::vector<std::string> find_conflicts(const Registration& candidate,
                                        const Registry::Snapshot& registered,
                                        std::string_view server_name, bool replacing)
{
    std::vector<std::string> problems;
    for (const auto& other : registered) {
        if (other->id == candidate.id) {
            if (!replacing) {
                problems.push_back("id '" + candidate.id + "' is already registered");
            }
            continue;
        }
        const std::string quoted_other = "appservice '" + other->id + "'";
        // Tokens are never echoed: these messages reach logs and the operator API.
        if (candidate.as_token == other->as_token) {
            problems.push_back("as_token is already used by " + quoted_other);
        }
        if (candidate.hs_token == other->hs_token) {
            problems.push_back("hs_token is already used by " + quoted_other);
        }
        if (candidate.sender_localpart == other->sender_localpart) {
            problems.push_back("sender_localpart '" + candidate.sender_localpart +
                               "' is already used by " + quoted_other);
        }
        exclusive_conflicts(candidate, *other, server_name, problems);
    }
    return problems;
}

} // namespace

Registry::Registry(std::string server_name)
    : server_name_(std::move(server_name)), snapshot_(std::make_shared<const Snapshot>())
{
}

std::shared_ptr<const Registry::Snapshot> Registry::snapshot() const
{
    std::lock_guard lock(mutex_);
    return snapshot_;
}

std::shared_ptr<const Registration> Registry::find_by_as_token(std::string_view token) const
{
    // Every entry is compared, whatever matches, so the time taken says nothing about which
    // appservice (if any) holds the token.
    std::shared_ptr<const Registration> found;
    for (const auto& registration : *snapshot()) {
        const bool equal = util::secrets_equal(token, registration->as_token);
        if (equal && !found) {
            found = registration;
        }
    }
    return found;
}

std::shared_ptr<const Registration> Registry::find_by_id(std::string_view id) const
{
    auto current = snapshot();
    auto it = std::find_if(current->begin(), current->end(),
                           [&](const auto& registration) { return registration->id == id; });
    return it == current->end() ? nullptr : *it;
}

std::shared_ptr<const Registration>
Registry::exclusive_owner_of_user(std::string_view user_id) const
{
    auto current = snapshot();
    auto it = std::find_if(current->begin(), current->end(), [&](const auto& registration) {
        return registration->is_exclusive_user(user_id) ||
               user_id == registration->sender_user_id(server_name_);
    });
    return it == current->end() ? nullptr : *it;
}

std::vector<std::string> Registry::conflicts(const Registration& candidate) const
{
    return find_conflicts(candidate, *snapshot(), server_name_, false);
}

std::vector<std::string> Registry::put(std::shared_ptr<const Registration> registration)
{
    return store(std::move(registration), nullptr);
}

std::vector<std::string> Registry::replace(const std::shared_ptr<const Registration>& previous,
                                           std::shared_ptr<const Registration> next)
{
    return store(std::move(next), &previous);
}

std::vector<std::string> Registry::store(std::shared_ptr<const Registration> registration,
                                         const std::shared_ptr<const Registration>* expected)
{
    if (!registration) {
        return {"no registration given"};
    }
    std::lock_guard write_lock(write_mutex_);
    auto current = snapshot();
    auto next = std::make_shared<Snapshot>(*current);
    auto it = std::find_if(next->begin(), next->end(),
                           [&](const auto& existing) { return existing->id == registration->id; });
    const std::shared_ptr<const Registration> present = it == next->end() ? nullptr : *it;
    if (expected && present != *expected) {
        return {"appservice '" + registration->id + "' was changed meanwhile"};
    }
    auto problems = find_conflicts(*registration, *current, server_name_, true);
    if (!problems.empty()) {
        return problems;
    }
    if (it != next->end()) {
        *it = std::move(registration);
    } else {
        next->push_back(std::move(registration));
    }
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(next);
    return {};
}

bool Registry::remove(std::string_view id)
{
    std::lock_guard write_lock(write_mutex_);
    auto current = snapshot();
    auto next = std::make_shared<Snapshot>();
    std::copy_if(current->begin(), current->end(), std::back_inserter(*next),
                 [&](const auto& registration) { return registration->id != id; });
    if (next->size() == current->size()) {
        return false;
    }
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(next);
    return true;
}

} // namespace ravenous::appservice
