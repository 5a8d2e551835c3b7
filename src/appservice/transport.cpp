#include "appservice/transport.hpp"

namespace ravenous::appservice {

HttpTransport::HttpTransport(boost::asio::any_io_executor executor, http::Url url,
                             std::string hs_token)
    : client_(std::move(executor), std::move(url)), authorization_("Bearer " + hs_token)
{
}

boost::asio::awaitable<std::optional<std::string>> HttpTransport::deliver(
    const Transaction& transaction)
{
    http::OutboundRequest request;
    request.method = http::Method::PUT;
    // Ids are made of digits, '-', '.' and 'e': nothing to escape.
    request.target = "/_matrix/app/v1/transactions/" + transaction.txn_id;
    request.headers.emplace_back("Authorization", authorization_);
    request.body =
        transaction.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    request.timeout = request_timeout;
    std::optional<std::string> error;
    try {
        auto response = co_await client_.send(std::move(request));
        if (response.status < 200 || response.status >= 300)
            error = "HTTP " + std::to_string(response.status);
    } catch (const http::ClientError& e) {
        error = e.what();
    }
    co_return error;
}

} // namespace ravenous::appservice
