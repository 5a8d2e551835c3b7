#pragma once

// Looks into a test server's database file, read-only, while the server runs (WAL lets a
// reader in beside the writer): for contracts such as "no row names this room any more",
// checked over every table that has the column, so that a table added later is covered too.

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::test {

class DatabaseProbe
{
public:
    explicit DatabaseProbe(const std::filesystem::path& path)
        : conn_(path.string(), storage::Connection::Mode::read_only)
    {
    }

    // Every table with a column of this name, sorted.
    std::vector<std::string> tables_with_column(std::string_view column)
    {
        auto& stmt = conn_.prepare(
            "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND p.name = ? ORDER BY m.name");
        stmt.bind(1, column);
        std::vector<std::string> tables;
        while (stmt.step())
            tables.push_back(stmt.column_text(0));
        stmt.run();
        return tables;
    }

    // For every table with `column`: how many of its rows have `value` there.
    std::map<std::string, std::int64_t> rows_with(std::string_view column, std::string_view value)
    {
        std::map<std::string, std::int64_t> counts;
        for (const auto& table : tables_with_column(column))
            counts[table] = count("SELECT count(*) FROM \"" + table + "\" WHERE \"" +
                                      std::string(column) + "\" = ?",
                                  value);
        return counts;
    }

    // A count(*) query with one text parameter (or none, when `value` is empty and the query
    // has no '?').
    std::int64_t count(const std::string& sql, std::string_view value = {})
    {
        auto& stmt = conn_.prepare(sql);
        if (sql.find('?') != std::string::npos)
            stmt.bind(1, value);
        const std::int64_t n = stmt.step() ? stmt.column_int(0) : -1;
        stmt.run();
        return n;
    }

private:
    storage::Connection conn_;
};

} // namespace ravenous::test
