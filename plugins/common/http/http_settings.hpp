// How CurlTransport reaches the service: trust anchors, proxy, timeouts.
#pragma once

#include <string>

namespace idsync::http {

struct HttpSettings {
  std::string ca_file;     // PEM bundle; empty: the system's
  std::string ca_dir;      // hashed certificate folder; empty: the system's
  bool tls_verify = true;  // false only when configured, and the caller logs it
  // "": libcurl's own environment handling (https_proxy, no_proxy); else the proxy URL.
  std::string proxy;
  std::string no_proxy;  // hosts that bypass the proxy (comma-separated, libcurl syntax)
  long connect_timeout_ms = 10000;
  long timeout_ms = 60000;                // whole exchange
  std::string user_agent = "idsync/0.1";  // each plugin names itself ("idsync-scim/0.1")
};

}  // namespace idsync::http
