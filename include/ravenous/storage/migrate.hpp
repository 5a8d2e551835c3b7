#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage {

class Connection;

struct SchemaFile
{
    int version;
    std::string_view name;
    std::string_view sql;
};

// schema/NNNN_name.sql, embedded at build time, in version order.
const std::vector<SchemaFile>& embedded_schema_files();

struct MigrationReport
{
    int from_version = 0;
    int to_version = 0;
};

// Applies every file newer than the database's PRAGMA user_version, each in its own
// transaction together with its version bump and a schema_migrations row. Refuses (throws
// storage::Error) a database newer than the files: an older binary must not touch it.
MigrationReport migrate(Connection& conn, const std::vector<SchemaFile>& files,
                        std::string_view ravenous_version);

} // namespace ravenous::storage
