#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::storage::filters {

// Stores the filter's JSON text under the user's next id ("0", "1", ...) and returns the id.
std::string insert(WriteTxn& txn, std::string_view user_id, std::string_view json);
// The stored JSON text; nullopt if the user has no filter with that id.
std::optional<std::string> get(ReadTxn& txn, std::string_view user_id, std::string_view filter_id);

} // namespace ravenous::storage::filters
