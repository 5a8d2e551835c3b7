#pragma once

#include "ravenous/appservice/registration.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::appservice {

// The registered appservices, readable from any thread. Changes replace an immutable snapshot
// (copy-on-write), so readers never wait on writers for long.
class Registry
{
public:
    explicit Registry(std::string server_name);

    using Snapshot = std::vector<std::shared_ptr<const Registration>>;
    std::shared_ptr<const Snapshot> snapshot() const;

    // Constant-time comparison against every as_token.
    std::shared_ptr<const Registration> find_by_as_token(std::string_view token) const;
    std::shared_ptr<const Registration> find_by_id(std::string_view id) const;

    // The appservice whose exclusive user namespace holds this user, or whose sender it is.
    std::shared_ptr<const Registration> exclusive_owner_of_user(std::string_view user_id) const;

    // Problems that adding this registration would cause: duplicate id, as_token or
    // hs_token, or an exclusive user namespace that overlaps another appservice's
    // (checked on the sender ids and on the literal prefixes of the regexes).
    std::vector<std::string> conflicts(const Registration& candidate) const;

    // Adds or replaces (same id). Returns the conflicts instead of adding if there are any.
    std::vector<std::string> put(std::shared_ptr<const Registration> registration);
    // Adds or replaces `next` only if the entry with its id is still `previous` (null: there
    // is none), so that two concurrent changes of one appservice cannot both win. Returns the
    // conflicts (or that it changed meanwhile) instead.
    std::vector<std::string> replace(const std::shared_ptr<const Registration>& previous,
                                     std::shared_ptr<const Registration> next);
    bool remove(std::string_view id);

    const std::string& server_name() const { return server_name_; }

private:
    // put (expected null) or replace (the entry must still be *expected).
    std::vector<std::string> store(std::shared_ptr<const Registration> registration,
                                   const std::shared_ptr<const Registration>* expected);

    std::string server_name_;
    std::mutex write_mutex_;   // serialises put/remove, held while checking conflicts
    mutable std::mutex mutex_; // guards only the snapshot pointer, held for a copy
    std::shared_ptr<const Snapshot> snapshot_;
};

} // namespace ravenous::appservice
