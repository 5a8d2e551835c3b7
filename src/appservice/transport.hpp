#pragma once

// How a consumer hands a transaction to its bridge (module-private): HTTP push, or the
// WebSocket the bridge opened (fi.mau.as_sync), with the same cursor and retries.

#include "appservice/transaction.hpp"
#include "ravenous/appservice/websocket_hub.hpp"
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
    // False while nothing could carry a transaction (no WebSocket bridge connected): the
    // consumer then sleeps until poked, rather than failing and backing off.
    virtual bool ready() const { return true; }
    // Whether the last failed delivery calls for a back-off before the retry (a WebSocket
    // acknowledgement timeout has waited long enough already).
    virtual bool backs_off() const { return true; }
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

// {"command":"transaction",...} over the bridge's WebSocket, acknowledged by id. The first send
// of a transaction waits ack_timeout for the ack, a resend (same txn_id: v3 bridges dedupe)
// request_timeout; the hub closes the connection after too many timeouts in a row.
class WebSocketTransport final : public Transport
{
public:
    WebSocketTransport(std::shared_ptr<WebSocketHub> hub, std::string appservice_id);
    boost::asio::awaitable<std::optional<std::string>> deliver(
        const Transaction& transaction) override;
    bool ready() const override;
    bool backs_off() const override { return backs_off_; }

private:
    std::shared_ptr<WebSocketHub> hub_;
    std::string appservice_id_;
    std::string last_txn_id_;
    bool backs_off_ = false;
};

} // namespace ravenous::appservice
