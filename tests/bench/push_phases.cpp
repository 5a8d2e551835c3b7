#include "bench/push_phases.hpp"

#include "bench/report.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::bench {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::size_t full_rounds = 200;
constexpr std::size_t quick_rounds = 30;
} // namespace

double ms_between(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

static std::uint64_t us_between(Clock::time_point from, Clock::time_point to)
{
    return to > from ? static_cast<std::uint64_t>(
                           std::chrono::duration_cast<std::chrono::microseconds>(to - from).count())
                     : 0;
}

// A latency figure: its p50, with the histogram's percentiles.
Metric latency_metric(std::string name, const Histogram& us, std::string note)
{
    Metric metric;
    metric.name = std::move(name);
    metric.unit = "ms";
    metric.count = us.count();
    metric.latency = summarize_us_as_ms(us);
    metric.value = metric.latency->p50;
    metric.note = std::move(note);
    return metric;
}

// The load's failures, and the events of this phase the bridge never got.
void note_failures(ScenarioResult& result, const LoadResult& load,
                   const DeliveryTracker::Phase& phase, std::string_view what)
{
    add_error_notes(result, load);
    if (phase.pending > 0) {
        result.notes.push_back("error: " + std::to_string(phase.pending) + " " + std::string(what) +
                               " events never reached the bridge");
    }
}

// A message as request `seq` of a run: the owner's on the first connections, else a puppet's.
LoadRequest push_message(const BridgeRooms& bridge, const std::string& owner_token, bool as_owner,
                         std::uint64_t seq, std::string_view prefix)
{
    const std::string txn = std::string(prefix) + std::to_string(seq);
    const std::string text = message_text(txn, push_message_bytes);
    if (as_owner) {
        return message_request(bridge.rooms[seq % bridge.rooms.size()], txn, text, owner_token);
    }
    return bridge.puppet_message(seq % bridge.puppets.size(), txn, text);
}

// Load whose every 200 is recorded as sent (with its event id) in the tracker.
LoadResult send_tracked_load(const LoadOptions& options, const RequestMaker& maker,
                             DeliveryTracker& tracker)
{
    return run_load(options, maker, [&tracker](const LoadResponse& response) {
        if (response.result_int() != 200) {
            return false;
        }
        const auto id = event_id_of(response.body());
        if (id.empty()) {
            return false;
        }
        tracker.sent(id, Clock::now());
        return true;
    });
}

void push_wake_up(std::string_view label, const RunContext& ctx, BenchServer& server,
                  const BridgeRooms& bridge, const std::string& owner_token,
                  DeliveryTracker& tracker, ScenarioResult& result)
{
    const std::size_t rounds = ctx.quick ? quick_rounds : full_rounds;
    ctx.progress(std::string(label) + ": wake-up, " + std::to_string(rounds) + " rounds");
    LoadOptions one;
    one.port = server.port();
    one.connections = 1;
    one.duration = 10s;
    one.max_requests = 1;
    one.max_errors = 1;
    // The set-up's events go out first, so that the rounds find an idle pusher.
    const auto drained = send_tracked_load(
        one,
        [&](std::size_t, std::uint64_t) {
            return push_message(bridge, owner_token, true, 0, "drain");
        },
        tracker);
    std::uint64_t errors = drained.errors;
    if (errors == 0 && !tracker.wait_all(Clock::now() + push_delivery_deadline)) {
        ++errors;
        result.notes.push_back("error: the set-up's events never reached the bridge");
    }
    tracker.start_phase();
    Histogram from_send_us;
    auto http = server.client();
    for (std::size_t round = 0; round < rounds && errors == 0; ++round) {
        const auto request = push_message(bridge, owner_token, round % 2 == 0, round, "wake");
        const auto target = request.target();
        const auto bearer = request[boost::beast::http::field::authorization];
        test::HeaderList headers{{"Content-Type", "application/json"},
                                 {"Authorization", std::string(bearer.data(), bearer.size())}};
        const auto started = Clock::now();
        auto response = http.request("PUT", std::string_view(target.data(), target.size()),
                                     request.body(), std::move(headers));
        const auto answered = Clock::now();
        const auto id = response.status == 200 ? event_id_of(response.body) : std::string();
        if (id.empty()) {
            ++errors;
            result.notes.push_back("error: wake-up send -> " + std::to_string(response.status) +
                                   " " + response.body.substr(0, 200));
            break;
        }
        tracker.sent(id, answered);
        auto delivered = tracker.wait_for(id, answered + push_delivery_deadline);
        if (!delivered) {
            ++errors;
            result.notes.push_back("error: " + id + " was never pushed to the bridge");
            break;
        }
        from_send_us.record(us_between(started, *delivered));
    }
    const auto phase = tracker.phase();
    auto wake = latency_metric("wake-up: send's 200 -> bridge has it", phase.lag_us,
                               "p50; one event at a time (" + std::to_string(phase.early) +
                                   " pushes arrived before the 200 was read: 0)");
    wake.errors = errors;
    result.metrics.push_back(std::move(wake));
    result.metrics.push_back(latency_metric("wake-up: from just before the send", from_send_us,
                                            "p50; the send's own handling included"));
    result.notes.push_back(
        "wake-up: " + std::to_string(phase.matched) +
        " rounds of one message (the owner's "
        "and a puppet's in turn) on an idle pusher; " +
        std::to_string(phase.early) +
        " pushes reached the bridge before the client had read the send's 200 (counted "
        "as 0: the pusher wakes at commit, before the answer is written)");
}

void push_steady(std::string_view label, const RunContext& ctx, BenchServer& server,
                 const BridgeRooms& bridge, const std::string& owner_token,
                 DeliveryTracker& tracker, ScenarioResult& result)
{
    LoadOptions options;
    options.port = server.port();
    options.connections = push_connections;
    options.duration = ctx.quick ? 2000ms : 10000ms;
    options.max_requests = ctx.quick ? 200'000 : 2'000'000;
    options.max_errors = 20;
    ctx.progress(std::string(label) + ": steady, " + std::to_string(push_connections) +
                 " connections for " + std::to_string(options.duration.count()) + " ms");
    tracker.start_phase();
    const auto started = Clock::now();
    auto load = send_tracked_load(
        options,
        [&](std::size_t connection, std::uint64_t seq) {
            return push_message(bridge, owner_token, connection < push_owner_connections, seq,
                                "steady");
        },
        tracker);
    tracker.wait_all(Clock::now() + push_delivery_deadline);
    const auto phase = tracker.phase();
    const auto last = phase.last_match.value_or(started);
    Metric delivered;
    delivered.name = "steady: delivered while 8 connections send";
    delivered.unit = "events/s";
    delivered.count = phase.matched;
    delivered.errors = load.errors + phase.pending + phase.redelivered;
    delivered.value = last > started ? phase.matched / (ms_between(started, last) / 1000) : 0;
    delivered.latency = summarize_us_as_ms(phase.lag_us);
    delivered.vs_ceiling = true;
    delivered.note = "latency: each event's send's 200 -> bridge has it; " +
                     std::to_string(phase.batch_sizes.size()) + " transactions";
    result.metrics.push_back(std::move(delivered));
    note_failures(result, load, phase, "sent");
    result.notes.push_back(
        "steady: " + std::to_string(push_owner_connections) + " connections send as the owner, " +
        std::to_string(push_connections - push_owner_connections) +
        " as puppets (?user_id=), for " + std::to_string(options.duration.count()) + " ms, " +
        format_figure(load.per_second()) +
        " sends/s; the rate is events delivered over "
        "the time from the first send to the last delivery; " +
        std::to_string(phase.batch_sizes.size()) + " transactions, " +
        format_figure(phase.batch_sizes.empty()
                          ? 0.0
                          : static_cast<double>(phase.matched) / phase.batch_sizes.size()) +
        " events each on average");
}

} // namespace ravenous::bench
