#pragma once

// A small synchronous HTTP/1.1 client for the end-to-end tests and ravenous-bench (Boost.Beast
// over TCP, no GoogleTest). One keep-alive connection, reused and re-opened when the server has
// closed it; every connect, write and read has a deadline (default 10 s).
// Not thread-safe: one client per thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse
{
    int status = 0;
    std::map<std::string, std::string> headers; // lower-case names; repeated headers joined ", "
    std::string body;

    // The body parsed as JSON; throws std::runtime_error quoting status and body if it is not.
    nlohmann::json json() const;
    // A header's value ("" when absent); `name` in any case.
    std::string header(std::string_view name) const;
};

// What raw() read back.
struct RawResult
{
    std::string data;              // every byte the server sent
    bool closed_by_server = false; // false: the timeout ended the read
    // The first HTTP response in `data`, if it holds a complete one.
    std::optional<HttpResponse> first_response() const;
};

class HttpClient
{
public:
    using Duration = std::chrono::milliseconds;
    static constexpr Duration default_timeout{10'000};

    HttpClient(std::string host, std::uint16_t port);
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    // Sends one request and reads the response. `target` is the path plus query. Throws
    // std::runtime_error on connection errors and timeouts (never for HTTP error statuses).
    HttpResponse request(std::string_view method, std::string_view target,
                         std::optional<std::string> body = {}, HeaderList headers = {});

    // JSON conveniences: Content-Type: application/json on a body, and Authorization: Bearer
    // <token> when a token is given. A null json (nullptr) sends no body at all.
    HttpResponse get(std::string_view target, std::string_view token = {});
    HttpResponse post(std::string_view target, const nlohmann::json& body,
                      std::string_view token = {});
    HttpResponse put(std::string_view target, const nlohmann::json& body,
                     std::string_view token = {});
    HttpResponse del(std::string_view target, const nlohmann::json& body,
                     std::string_view token = {});

    // Writes `bytes` verbatim on a fresh connection (not the keep-alive one) and returns all that
    // comes back until the server closes the connection or the timeout passes. For malformed and
    // slow-request tests. `half_close` shuts our sending side down after the write.
    RawResult raw(std::string_view bytes, bool half_close = false);

    void set_timeout(Duration timeout);
    Duration timeout() const;

    // When on, every response is checked against the Matrix spec (support/spec_validator.hpp)
    // and a mismatch is reported through the spec failure handler (a GoogleTest failure once
    // support/spec_assert.hpp is included). Off by default; TestServer::client() turns it on.
    void set_spec_validation(bool on);
    bool spec_validation() const;

    // Closes the keep-alive connection (the next request opens a new one).
    void close();
    // How many TCP connections this client has opened (keep-alive reuse is observable).
    std::size_t connections_opened() const;

    const std::string& host() const;
    std::uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::test
