#include "http/curl_transport.hpp"

#include <curl/curl.h>

#include <idsync/sdk.hpp>
#include <memory>
#include <mutex>

#include "http/url.hpp"

namespace idsync::http {
namespace {

void global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK)
    throw sdk::Error(IDSYNC_ERR_INTERNAL,
                     std::string("libcurl could not be initialized: ") + curl_easy_strerror(result),
                     IDSYNC_FATAL);
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

// Called once per header line, the status line included. A new status line starts a new set of
// headers: interim answers (100 Continue) and a proxy's CONNECT answer come before the final one.
size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& response = *static_cast<HttpResponse*>(user);
  const std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    response.headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    response.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                  std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

void set(CURL* curl, CURLoption option, auto value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK)
    throw sdk::Error(IDSYNC_ERR_INTERNAL,
                     "libcurl refused an option (" + std::to_string(static_cast<int>(option)) +
                         "); it may lack a feature this connector needs",
                     IDSYNC_ERROR);
}

}  // namespace

CurlTransport::CurlTransport(HttpSettings settings) : settings_(std::move(settings)) {
  global_init();
  handle_ = curl_easy_init();
  if (!handle_) throw sdk::Error(IDSYNC_ERR_INTERNAL, "libcurl could not create a handle");
}

CurlTransport::~CurlTransport() { curl_easy_cleanup(static_cast<CURL*>(handle_)); }

HttpResponse CurlTransport::send(const HttpRequest& request) {
  auto* curl = static_cast<CURL*>(handle_);
  // Reset forgets the previous request's options but keeps live connections and caches.
  curl_easy_reset(curl);

  HttpResponse response;
  error_buffer_.assign(CURL_ERROR_SIZE, '\0');
  char* error = error_buffer_.data();
  set(curl, CURLOPT_ERRORBUFFER, error);
  set(curl, CURLOPT_NOSIGNAL, 1L);
  set(curl, CURLOPT_URL, request.url.c_str());
  set(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  set(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // HTTP/2 over TLS when both sides can; a libcurl without HTTP/2 refuses the option and stays
  // with HTTP/1.1, which is fine.
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  set(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl can decode
  set(curl, CURLOPT_USERAGENT, settings_.user_agent.c_str());
  set(curl, CURLOPT_CONNECTTIMEOUT_MS, settings_.connect_timeout_ms);
  set(curl, CURLOPT_TIMEOUT_MS, settings_.timeout_ms);
  set(curl, CURLOPT_SSL_VERIFYPEER, settings_.tls_verify ? 1L : 0L);
  set(curl, CURLOPT_SSL_VERIFYHOST, settings_.tls_verify ? 2L : 0L);
  if (!settings_.ca_file.empty()) set(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.ca_dir.empty()) set(curl, CURLOPT_CAPATH, settings_.ca_dir.c_str());
  // Without CURLOPT_PROXY libcurl reads https_proxy / no_proxy from the environment itself.
  if (!settings_.proxy.empty()) set(curl, CURLOPT_PROXY, settings_.proxy.c_str());
  if (!settings_.no_proxy.empty()) set(curl, CURLOPT_NOPROXY, settings_.no_proxy.c_str());

  if (request.method == "GET") {
    set(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.body.empty() && request.method != "POST") {
    set(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());  // DELETE: no body at all
  } else {
    // POSTFIELDS sends the body with any method; CUSTOMREQUEST names the method on the wire.
    set(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    set(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    if (request.method != "POST") set(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  Slist headers;
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (!next) throw std::bad_alloc();
    headers.release();
    headers.reset(next);
  }
  // libcurl would otherwise wait for "100 Continue" before sending larger bodies.
  if (request.method != "GET") {
    curl_slist* next = curl_slist_append(headers.get(), "Expect:");
    if (!next) throw std::bad_alloc();
    headers.release();
    headers.reset(next);
  }
  set(curl, CURLOPT_HTTPHEADER, headers.get());
  set(curl, CURLOPT_WRITEFUNCTION, on_body);
  set(curl, CURLOPT_WRITEDATA, &response);
  set(curl, CURLOPT_HEADERFUNCTION, on_header);
  set(curl, CURLOPT_HEADERDATA, &response);

  const CURLcode rc = curl_easy_perform(curl);
  // The handle must not keep a pointer to this frame's header list past the call.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  if (rc != CURLE_OK) {
    // The error buffer describes the failure (host, port, errno text); it never holds request
    // headers or bodies, so the bearer token cannot leak through it.
    std::string detail = curl_easy_strerror(rc);
    if (error[0] != '\0') detail += " (" + std::string(trim(error)) + ")";
    const bool timeout = rc == CURLE_OPERATION_TIMEDOUT;
    throw sdk::Error(timeout ? IDSYNC_ERR_TIMEOUT : IDSYNC_ERR_CONNECTION,
                     request.method + " to " + url_host(request.url) + " failed: " + detail,
                     IDSYNC_RETRY);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace idsync::http
