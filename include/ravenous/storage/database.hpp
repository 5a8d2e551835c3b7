#pragma once

#include "ravenous/storage/reader_pool.hpp"
#include "ravenous/storage/writer.hpp"

#include <memory>
#include <string>

namespace ravenous::storage {

struct DatabaseOptions
{
    std::string path;
    std::size_t reader_threads = 2;
    Writer::Options writer{};
};

// Opens (creating if needed) the database file, sets the pragmas, applies migrations, then
// starts the writer thread and the reader pool.
class Database
{
public:
    explicit Database(const DatabaseOptions& options);
    ~Database();

    Writer& writer() { return *writer_; }
    ReaderPool& readers() { return *readers_; }
    int schema_version() const { return schema_version_; }

    // Drains the writer (committing what it accepted), checkpoints and closes.
    void close();

private:
    int schema_version_ = 0;
    std::unique_ptr<Writer> writer_;
    std::unique_ptr<ReaderPool> readers_;
};

// The pragmas every connection gets (WAL, synchronous=NORMAL, foreign keys, busy timeout).
void apply_connection_pragmas(Connection& conn, bool read_only);

} // namespace ravenous::storage
