#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
}

namespace ravenous::sync {

// Stored filters: POST /user/{userId}/filter and GET /user/{userId}/filter/{filterId}.
class FilterStore
{
public:
    explicit FilterStore(storage::Database& db) : db_(db) {}

    // Validates the filter (M_BAD_JSON naming the field) and stores it; returns its id.
    boost::asio::awaitable<std::string> create(std::string user_id, nlohmann::json filter);
    // nullopt if the user has no filter with that id.
    boost::asio::awaitable<std::optional<nlohmann::json>> get(std::string user_id,
                                                              std::string filter_id);

private:
    storage::Database& db_;
};

} // namespace ravenous::sync
