#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ravenous::storage {
class ReadTxn;
}

// Pagination tokens. Opaque to clients, two kinds here:
//   "t<B>": a topological boundary B in one room (what /messages hands out as start/end);
//   "s<P>": a global stream position P (what /sync hands out as next_batch/prev_batch).
// /messages, /members?at= and /context accept both.
namespace ravenous::rooms::tokens {

std::string topo(std::int64_t boundary);
std::string stream(std::int64_t position);

// The topological boundary a token names in this room; nullopt if the token is malformed.
std::optional<std::int64_t> to_boundary(storage::ReadTxn& txn, std::string_view room_id,
                                        std::string_view token);

// Just the stream position of an "s<P>" token (what /sync parses); nullopt otherwise.
std::optional<std::int64_t> parse_stream(std::string_view token);

} // namespace ravenous::rooms::tokens
