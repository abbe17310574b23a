// HttpTransport over a libcurl easy handle. The handle lives as long as the transport, so its
// connection is kept alive between calls (HTTP/2 when the server offers it, else HTTP/1.1).
// TLS peer and host name are verified unless the settings turn that off; gzip and deflate
// answers are accepted and decoded; redirects are not followed (the plugins' clients never need
// one, and following would carry the bearer token elsewhere).
//
// Not thread-safe: one transport per thread (or per connector instance used from one thread).
#pragma once

#include <vector>

#include "http/http_settings.hpp"
#include "http/http_transport.hpp"

namespace idsync::http {

class CurlTransport : public HttpTransport {
 public:
  // Initializes libcurl once per process (std::call_once). Throws sdk::Error(IDSYNC_ERR_INTERNAL)
  // when libcurl cannot be initialized.
  explicit CurlTransport(HttpSettings settings);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // See HttpTransport::send. A timeout (connect or whole exchange) throws IDSYNC_ERR_TIMEOUT,
  // every other libcurl failure IDSYNC_ERR_CONNECTION; both with IDSYNC_RETRY.
  HttpResponse send(const HttpRequest& request) override;

 private:
  HttpSettings settings_;
  void* handle_ = nullptr;          // CURL*, kept out of this header
  std::vector<char> error_buffer_;  // libcurl's error text; lives as long as the handle
};

}  // namespace idsync::http
