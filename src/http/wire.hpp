#pragma once

#include "connections.hpp"
#include "ravenous/http/response.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

// The Beast side of a session: parser errors as responses, Expect: 100-continue, writing a
// Response, closing a connection.
namespace ravenous::http::detail {

using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

// A read error the client should hear about (body or header too large, malformed HTTP),
// rather than a timeout, a cancellation or a closed connection.
bool is_answerable_read_error(const boost::beast::error_code& ec);
// 413 M_TOO_LARGE, 431 or 400 M_UNKNOWN "Malformed HTTP request".
Response read_failure_response(const boost::beast::error_code& ec);

bool wants_continue(const BeastRequest& message);
// "HTTP/1.1 100 Continue", once the body limit has been checked. False if the write failed.
boost::asio::awaitable<bool> write_continue(Connection& connection, const BeastRequest& message);

// Status, Content-Type, Content-Length, CORS and extra headers, Connection per `keep_alive`;
// only the header when `head_only`. False if the write failed (or timed out).
boost::asio::awaitable<bool> write_response(Connection& connection, Response response,
                                            unsigned version, bool keep_alive, bool head_only);

// Half-closes, then (when `linger`) reads and discards what the client still sends for a
// short while, so that closing does not reset the connection under an unread response.
boost::asio::awaitable<void> close_connection(Connection& connection, bool linger);

} // namespace ravenous::http::detail
