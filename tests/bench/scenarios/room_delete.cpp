// room_delete: how long deleting a room of 100,000 events takes (issue #7, Beeper's
// POST /_matrix/client/unstable/com.beeper.yeet/rooms/{roomId}/delete). Rooms are pre-filled
// through the storage layer as history_100k does (EventLog: the owner's room, a few puppets
// joined, then their messages), the server starts on that database, and the owner deletes
// them one after the other, each request timed from send to response. The deletion is one
// write job whose cost is SQLite's (every event row and its index entries), so the figure is
// events deleted per second, printed with its ratio to sqlite_ceiling's inserted rows/s.

#include "bench/bench_server.hpp"
#include "bench/event_log.hpp"
#include "bench/scenario.hpp"
#include "support/url.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>

namespace ravenous::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t full_events_per_room = 100'000;
constexpr std::size_t quick_events_per_room = 20'000;
constexpr std::size_t full_rooms = 3;
constexpr std::size_t quick_rooms = 1;
constexpr std::size_t puppet_count = 5;
constexpr std::size_t batch = 5'000;

std::string yeet_path(const std::string& room_id)
{
    return "/_matrix/client/unstable/com.beeper.yeet/rooms/" + test::url_encode(room_id) +
           "/delete";
}

class RoomDelete final : public Scenario
{
public:
    std::string_view name() const override { return "room_delete"; }
    std::string_view description() const override
    {
        return "POST .../com.beeper.yeet/rooms/{roomId}/delete of rooms with 100,000 events "
               "each (3 rooms, deleted one after the other); quick: one of 20,000";
    }
    std::string_view bound_by() const override { return "sqlite_ceiling"; }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t rooms = ctx.quick ? quick_rooms : full_rooms;
        const std::size_t per_room = ctx.quick ? quick_events_per_room : full_events_per_room;
        BenchServer server;
        std::vector<std::string> room_ids;
        std::uint64_t events = 0;
        {
            ctx.progress("room_delete: pre-filling " + std::to_string(rooms) + " rooms with " +
                         std::to_string(per_room) + " events each");
            EventLog log(server.database_path().string());
            log.create_rooms(rooms, test::default_owner_user_id);
            log.join_puppets(puppet_count);
            // Messages go round-robin over the rooms: each gets the same share.
            const std::size_t target = rooms * per_room;
            while (log.events() < target)
                log.insert(log.make_messages(std::min<std::size_t>(batch, target - log.events()),
                                             puppet_count));
            events = log.events();
            for (std::size_t i = 0; i < rooms; ++i)
                room_ids.push_back(log.room_id(i));
        }
        const auto db_mib = std::filesystem::file_size(server.database_path()) / 1048576;
        server.start();
        const std::string token = server.owner_token();
        auto client = server.client();
        client.set_timeout(std::chrono::milliseconds(300'000));

        Histogram took_us;
        for (const auto& room_id : room_ids) {
            ctx.progress("room_delete: deleting " + room_id);
            const auto started = Clock::now();
            auto res = client.post(yeet_path(room_id), nlohmann::json::object(), token);
            const auto took = Clock::now() - started;
            if (res.status != 200)
                throw std::runtime_error("delete of " + room_id + " answered " +
                                         std::to_string(res.status) + ": " + res.body);
            took_us.record(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
            // Really gone: a second deletion finds nothing.
            auto again = client.post(yeet_path(room_id), nlohmann::json::object(), token);
            if (again.status != 404)
                throw std::runtime_error("second delete of " + room_id + " answered " +
                                         std::to_string(again.status));
        }

        const auto latency = summarize_us_as_ms(took_us);
        const double events_per_room = static_cast<double>(events) / static_cast<double>(rooms);
        ScenarioResult result;
        Metric rate;
        rate.name = "events deleted";
        rate.value = latency.p50 > 0 ? events_per_room / (latency.p50 / 1000.0) : 0.0;
        rate.unit = "events/s";
        rate.count = events;
        rate.latency = latency;
        rate.vs_ceiling = true;
        result.metrics.push_back(std::move(rate));
        Metric request;
        request.name = "delete request, " + std::to_string(per_room) + " events";
        request.value = latency.p50;
        request.unit = "ms";
        request.count = rooms;
        request.latency = latency;
        result.metrics.push_back(std::move(request));
        server.report_memory(result);
        result.notes.push_back(
            std::to_string(rooms) + " rooms of " + std::to_string(per_room) +
            " events each (create, the owner's join, power levels, join rules, history_visibility, " +
            std::to_string(puppet_count) + " puppets joined, ~500-byte m.room.message events), " +
            std::to_string(db_mib) + " MiB, written through the storage layer (EventLog); the "
            "owner deletes them one after the other, each request timed from send to response; "
            "events/s is a room's events over the median request");
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<RoomDelete> registered;

} // namespace
} // namespace ravenous::bench
