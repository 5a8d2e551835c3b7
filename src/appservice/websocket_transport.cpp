#include "appservice/transport.hpp"

namespace ravenous::appservice {

WebSocketTransport::WebSocketTransport(std::shared_ptr<WebSocketHub> hub,
                                       std::string appservice_id)
    : hub_(std::move(hub)), appservice_id_(std::move(appservice_id))
{
}

boost::asio::awaitable<std::optional<std::string>> WebSocketTransport::deliver(
    const Transaction& transaction)
{
    const bool resend = transaction.txn_id == last_txn_id_;
    last_txn_id_ = transaction.txn_id;
    const auto& options = hub_->options();
    auto result = co_await hub_->deliver(
        appservice_id_, transaction.txn_id,
        transaction.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        resend ? options.request_timeout : options.ack_timeout);
    backs_off_ = result.back_off;
    co_return result.error;
}

bool WebSocketTransport::ready() const
{
    return hub_->connected(appservice_id_);
}

} // namespace ravenous::appservice
