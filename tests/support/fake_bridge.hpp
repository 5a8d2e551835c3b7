#pragma once

// A bridge's end of the appservice API for end-to-end tests: an HTTP endpoint on 127.0.0.1 that
// the server pushes transactions to (PUT /_matrix/app/v1/transactions/{txnId}) and pings
// (POST /_matrix/app/v1/ping). It checks the hs_token as mautrix-go does (header only: no
// Authorization → 401 M_MISSING_TOKEN, a wrong token → 403 M_UNKNOWN_TOKEN), records every
// request, and answers 200 {} unless told to fail, to be slow, or to be down. It runs on the
// project's own http::Server, on one thread of its own, so a test thread blocked in wait_for()
// never delays an answer. No GoogleTest here: ravenous-bench may reuse it.
//
//   FakeBridge bridge{"hs-token"};
//   options.appservices = {registration_with_url(bridge.url())};
//   ... send something ...
//   ASSERT_TRUE(bridge.wait_for_events(1));
//
// All members are thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ravenous::test {

class FakeBridge
{
public:
    struct Transaction
    {
        std::string txn_id;
        nlohmann::json body;       // null when the body was not JSON
        std::string authorization; // the Authorization header as received ("" when absent)
        std::string target;        // the raw request target, path and query
        int answered_status = 0;
    };

    struct Ping
    {
        nlohmann::json body; // null when the body was not JSON
        std::string authorization;
        int answered_status = 0;
    };

    // Listens at once on 127.0.0.1:<port> (0: a free port).
    explicit FakeBridge(std::string hs_token, std::uint16_t port = 0);
    ~FakeBridge();
    FakeBridge(const FakeBridge&) = delete;
    FakeBridge& operator=(const FakeBridge&) = delete;

    std::uint16_t port() const;
    std::string url() const; // "http://127.0.0.1:<port>", the registration's url

    // Every PUT /_matrix/app/v1/transactions/{txnId}, in the order they were answered, refused
    // ones included.
    std::vector<Transaction> received() const;
    // Only those answered 2xx.
    std::vector<Transaction> accepted() const;
    // The "events" of accepted transactions, flattened, in order; a txn_id accepted twice
    // counts once (a bridge ignores a transaction it has already processed).
    std::vector<nlohmann::json> events() const;

    // Waits until `predicate` holds or the timeout passes; re-checked after every request.
    // The predicate may call the getters above (no lock is held while it runs).
    bool wait_for(std::function<bool(const FakeBridge&)> predicate,
                  std::chrono::milliseconds timeout) const;
    bool wait_for_events(std::size_t count,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    // Answers the next `count` authorised transactions with `status` and an M_UNKNOWN error.
    void fail_next(int count, int status = 500);
    // Waits this long before answering each transaction (0: answer at once).
    void set_delay(std::chrono::milliseconds delay);

    // An outage: stops listening and drops open connections (a request in flight gets no
    // answer); new connections are refused. Returns once the listener is closed.
    void stop();
    // Listens again on the same port. No-op while listening.
    void restart();
    bool listening() const;

    // Bodies of POST /_matrix/app/v1/ping, refused ones included, in order.
    std::vector<nlohmann::json> pings() const;
    std::vector<Ping> ping_requests() const;
    // How authorised pings are answered (default 200 {}).
    void set_ping_answer(int status, nlohmann::json body);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::test
