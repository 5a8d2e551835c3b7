#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <optional>
#include <string>

namespace ravenous::storage {

class WriteTxn;

// Small key/value facts about this database.
namespace meta {
std::optional<std::string> get(ReadTxn& txn, std::string_view key);
void put(WriteTxn& txn, std::string_view key, std::string_view value);
} // namespace meta

} // namespace ravenous::storage
