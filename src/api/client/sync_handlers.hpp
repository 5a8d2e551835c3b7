#pragma once

// Handlers of /sync and what it carries: filters, account data, receipts, typing, presence,
// to-device messages.
#include "ravenous/api/dispatch.hpp"
#include "ravenous/sync/receipts.hpp"

namespace ravenous::api::client {

using boost::asio::awaitable;
using http::Response;

// sync.cpp
awaitable<Response> get_sync(Context& ctx);
// filters.cpp
awaitable<Response> post_filter(Context& ctx);
awaitable<Response> get_filter(Context& ctx);

// account_data.cpp
awaitable<Response> put_account_data(Context& ctx);
awaitable<Response> get_account_data(Context& ctx);
awaitable<Response> put_room_account_data(Context& ctx);
awaitable<Response> get_room_account_data(Context& ctx);
awaitable<Response> get_tags(Context& ctx);
awaitable<Response> put_tag(Context& ctx);
awaitable<Response> delete_tag(Context& ctx);
// receipts.cpp
awaitable<Response> post_receipt(Context& ctx);
awaitable<Response> post_read_markers(Context& ctx);
// The body of POST /read_markers (also the read_markers of Beeper's inbox_state).
sync::ReceiptService::Markers read_markers_body(const nlohmann::json& body);
// typing.cpp
awaitable<Response> put_typing(Context& ctx);
// presence.cpp
awaitable<Response> put_presence(Context& ctx);
awaitable<Response> get_presence(Context& ctx);
// to_device.cpp
awaitable<Response> put_send_to_device(Context& ctx);

} // namespace ravenous::api::client
