#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <string>
#include <vector>

namespace ravenous::storage {

class WriteTxn;

struct AppserviceRow
{
    std::string id;
    std::string registration_json;
};

// Appservice registrations made at run time (files from the config are not stored).
namespace appservices {
std::vector<AppserviceRow> list(ReadTxn& txn);
void put(WriteTxn& txn, std::string_view id, std::string_view registration_json, std::int64_t ts);
// Removes the registration and its delivery cursor; false if there was no registration.
bool remove(WriteTxn& txn, std::string_view id);
} // namespace appservices

} // namespace ravenous::storage
