// What the metrics endpoint answers to a request, apart from the sockets that carry it: where a
// request head ends, and the whole response (status line, header fields, body) to one.
//
// Contract:
//   - A request head is the request line and header fields up to the first empty line. Lines
//     end in CRLF or, as HTTP allows recipients to accept, a bare LF.
//   - The request line must be `method SP target SP HTTP/<digit>.<digit>`: the method a token,
//     the target starting with '/' and free of control characters and spaces. Anything else is
//     400. A well-formed version other than HTTP/1.x is 505. Header fields are not looked at:
//     nothing in them changes the answer.
//   - GET /metrics (a query string, as a scraper's `params` adds, is ignored) is 200 with the
//     body render() returns, Content-Type "text/plain; version=0.0.4; charset=utf-8".
//     Another path is 404 whatever the method; another method on /metrics is 405 with
//     "Allow: GET". render() is only called for a 200.
//   - An exception from render() is 500 with a short text body naming what went wrong.
//   - Every response has Content-Length and "Connection: close": one request per connection.
//     A response to HEAD has the header fields of the response but no body, as HTTP requires.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace idsync::metrics::http {

// The longest request head accepted, counting its line ends and the empty line that ends it.
// A scraper's request is a few hundred bytes; the limit bounds what a connection may buffer.
inline constexpr std::size_t kMaxHeadBytes = 8 * 1024;

// The offset just past the empty line that ends the head in `received`, or npos when the head
// is not complete. `from` is how many bytes of `received` an earlier call already searched
// without finding the end, so that a head arriving in many pieces is not searched from its
// start each time.
std::size_t head_end(std::string_view received, std::size_t from = 0);

// The response to the request whose complete head is `head` (as far as head_end() says).
std::string respond(std::string_view head, const std::function<std::string()>& render);

// The response to a head longer than kMaxHeadBytes: 431.
std::string refuse_oversized_head();

// The response to a client that stopped sending in the middle of a head: 400.
std::string refuse_incomplete_head();

}  // namespace idsync::metrics::http
