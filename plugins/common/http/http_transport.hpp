// The seam between the client layer and the network: one request in, one response out. The
// production implementation is CurlTransport; unit tests script responses through it.
#pragma once

#include "http/http_types.hpp"

namespace idsync::http {

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // One exchange. Transport failures (DNS, connect, TLS, timeout, reset) throw
  // sdk::Error(IDSYNC_ERR_CONNECTION or IDSYNC_ERR_TIMEOUT, message, IDSYNC_RETRY); the message
  // names the host and the failure, never a header or body. Any HTTP status is returned.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

}  // namespace idsync::http
