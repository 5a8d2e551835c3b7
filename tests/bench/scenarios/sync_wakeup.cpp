// sync_wakeup: how soon the owner's waiting /sync returns once a puppet sends (issue #5).
// The owner creates a room and invites a puppet registered through the bench appservice
// (@bridge_wakeup:test.local, the as_token and ?user_id=), which joins. Then, K times: the
// owner's GET /sync?since=<last>&timeout=30000 is started on its own connection (a thread
// blocked in it), ~5 ms later the puppet PUTs a message, and the figure is the time from just
// before that PUT to the /sync response (with the event) arriving: the send's own handling
// plus the wake-up. One request pair at a time: a latency, not bound by http_ceiling.

#include "bench/bench_server.hpp"
#include "bench/scenario.hpp"
#include "support/url.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace ravenous::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

constexpr std::size_t full_rounds = 200;
constexpr std::size_t quick_rounds = 30;
constexpr auto full_budget = 120s; // no round starts after this
constexpr auto quick_budget = 30s;
constexpr auto head_start = 5ms; // between starting the /sync and the puppet's send
constexpr std::size_t max_follow_ups = 3; // more /syncs when the first lacks the event
const std::string v3 = "/_matrix/client/v3";
const std::string filter = R"({"room":{"timeline":{"limit":10}}})";

std::uint64_t us_between(Clock::time_point from, Clock::time_point to)
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(to - from).count());
}

struct SyncArrival
{
    test::HttpResponse response;
    Clock::time_point at;
};

class SyncWakeup final : public Scenario
{
public:
    std::string_view name() const override { return "sync_wakeup"; }
    std::string_view description() const override
    {
        return "a puppet's send to the owner's long-polling /sync returning (one room, one "
               "puppet), p50/p99 over 200 rounds";
    }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t rounds = ctx.quick ? quick_rounds : full_rounds;
        const auto budget = ctx.quick ? quick_budget : full_budget;
        BenchServer server;
        server.start();
        const std::string token = server.owner_token();
        const std::string as_token(bridge_as_token);
        const std::string puppet_local = std::string(bridge_user_prefix) + "wakeup";
        const std::string puppet = "@" + puppet_local + ":test.local";
        const std::string as_user = "user_id=" + test::url_encode(puppet);
        auto http = server.client();

        auto expect = [](const test::HttpResponse& r, const std::string& what) {
            if (r.status != 200) {
                throw std::runtime_error(what + ": " + std::to_string(r.status) + " " + r.body);
            }
            return r.json();
        };
        json reg = json::object();
        reg["type"] = "m.login.application_service";
        reg["username"] = puppet_local;
        expect(http.post(v3 + "/register", reg, as_token), "register " + puppet);
        const auto room_id = expect(http.post(v3 + "/createRoom", json::object(), token),
                                    "createRoom")
                                 .at("room_id")
                                 .get<std::string>();
        const std::string room_path = v3 + "/rooms/" + test::url_encode(room_id);
        json invite = json::object();
        invite["user_id"] = puppet;
        expect(http.post(room_path + "/invite", invite, token), "invite");
        expect(http.post(room_path + "/join?" + as_user, json::object(), as_token), "join");

        const std::string sync_base =
            v3 + "/sync?filter=" + test::url_encode(filter) + "&timeout=";
        std::string since = expect(http.get(sync_base + "0", token), "initial sync")
                                .at("next_batch")
                                .get<std::string>();

        ctx.progress("sync_wakeup: " + std::to_string(rounds) + " rounds");
        auto sync_http = server.client();
        sync_http.set_timeout(40s);
        Histogram wake_us;
        Histogram send_us;
        std::uint64_t errors = 0;
        std::uint64_t follow_ups = 0;
        const auto deadline = Clock::now() + budget;
        for (std::size_t round = 0; round < rounds && Clock::now() < deadline; ++round) {
            const std::string target = sync_base + "30000&since=" + test::url_encode(since);
            auto pending = std::async(std::launch::async, [&sync_http, &target, &token] {
                auto response = sync_http.get(target, token);
                return SyncArrival{std::move(response), Clock::now()};
            });
            std::this_thread::sleep_for(head_start);
            json content = json::object();
            content["msgtype"] = "m.text";
            content["body"] = "wake-up " + std::to_string(round);
            const auto sent_at = Clock::now();
            auto sent = http.put(room_path + "/send/m.room.message/w" + std::to_string(round) +
                                     "?" + as_user,
                                 content, as_token);
            send_us.record(us_between(sent_at, Clock::now()));
            SyncArrival arrival = pending.get();
            if (sent.status != 200 || arrival.response.status != 200) {
                ++errors;
                ctx.progress("sync_wakeup: send " + std::to_string(sent.status) + ", sync " +
                             std::to_string(arrival.response.status) + " " +
                             arrival.response.body.substr(0, 200));
                break;
            }
            const auto event_id = sent.json().at("event_id").get<std::string>();
            // Normally the first answer holds the event; if something else woke the sync
            // first, follow it up (bounded) and time the answer that does.
            bool found = false;
            for (std::size_t i = 0; i <= max_follow_ups; ++i) {
                const auto body = arrival.response.json();
                since = body.at("next_batch").get<std::string>();
                if (arrival.response.body.find(event_id) != std::string::npos) {
                    found = true;
                    break;
                }
                if (i == max_follow_ups) {
                    break;
                }
                ++follow_ups;
                auto again = sync_http.get(sync_base + "30000&since=" + test::url_encode(since),
                                           token);
                arrival = SyncArrival{std::move(again), Clock::now()};
                if (arrival.response.status != 200) {
                    break;
                }
            }
            if (!found) {
                ++errors;
                ctx.progress("sync_wakeup: round " + std::to_string(round) + ": " + event_id +
                             " never came down /sync");
                break;
            }
            wake_us.record(us_between(sent_at, arrival.at));
        }

        ScenarioResult result;
        Metric wake;
        wake.name = "send -> waiting /sync returns";
        wake.unit = "ms";
        wake.count = wake_us.count();
        wake.errors = errors;
        wake.latency = summarize_us_as_ms(wake_us);
        wake.value = wake.latency->p50;
        wake.note = "p50; one round at a time, not bound by http_ceiling (no ratio)";
        result.metrics.push_back(std::move(wake));
        Metric send;
        send.name = "the PUT /send alone";
        send.unit = "ms";
        send.count = send_us.count();
        send.latency = summarize_us_as_ms(send_us);
        send.value = send.latency->p50;
        send.note = "p50; part of the figure above";
        result.metrics.push_back(std::move(send));
        result.notes.push_back(
            "one room (the owner's, private), one puppet " + puppet + " registered and joined "
            "through the bench appservice (as_token, ?user_id=); per round: GET /sync?filter=" +
            filter + "&timeout=30000&since=<last> on its own connection, " +
            std::to_string(head_start.count()) + " ms later the puppet's PUT /send; timed from "
            "just before the PUT to the /sync response holding the event");
        result.notes.push_back(std::to_string(wake_us.count()) + " rounds, " +
                               std::to_string(follow_ups) + " follow-up /syncs needed");
        server.report_memory(result);
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<SyncWakeup> registered;

} // namespace
} // namespace ravenous::bench
