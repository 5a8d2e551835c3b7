#pragma once

// How a consumer hands a transaction to its bridge (module-private). HTTP push now; the
// WebSocket transport (fi.mau.as_sync) plugs in here with the same cursor and retries.

#include "appservice/transaction.hpp"
#include "ravenous/http/client.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace ravenous::appservice {

class Transport
{
public:
    virtual ~Transport() = default;
    // nullopt when the bridge acknowledged the transaction (a 2xx), else why not.
    virtual boost::asio::awaitable<std::optional<std::string>> deliver(
        const Transaction& transaction) = 0;
};

// PUT {url}/_matrix/app/v1/transactions/{txnId} with the hs_token in the Authorization header
// (Go bridges accept it nowhere else), over one kept-alive connection.
class HttpTransport final : public Transport
{
public:
    static constexpr std::chrono::milliseconds request_timeout{60'000};

    HttpTransport(boost::asio::any_io_executor executor, http::Url url, std::string hs_token);
    boost::asio::awaitable<std::optional<std::string>> deliver(
        const Transaction& transaction) override;

private:
    http::Client client_;
    std::string authorization_;
};

} // namespace ravenous::appservice
